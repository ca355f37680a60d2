"""Resolve stored source records into golden customers.

The use case that joins graph/ and matching/: load the pending records, ask the graph for the
resolved records that share a blocking key with them, let the pure engine decide, and write the
answer back (new customers, RESOLVED_TO edges, merges, review items and golden profiles).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import profiles as profile_repo
from custgraph.graph.repositories import records as record_repo
from custgraph.graph.repositories import resolution as repo
from custgraph.graph.repositories.search_index import MergedKeys, index_customers
from custgraph.matching.blocking import blocking_keys
from custgraph.matching.engine import ResolutionResult, resolve
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.state import EngineState
from custgraph.pipeline import carry
from custgraph.pipeline.profiles import create_profiles, refresh_profiles, to_match_record
from custgraph.vocabulary import IDENTIFIER_FIELDS, SENSITIVE_FIELDS


def sensitive_blocking(rules: Rules) -> frozenset[str]:
    """The blocking rules built on a national ID or bank card: the graph stores their keys as digests."""
    return frozenset(rule.name for rule in rules.blocking if any(name in SENSITIVE_FIELDS for name, _ in rule.parts))


@dataclass
class ResolveSummary:
    outcomes: Counter[str] = field(default_factory=Counter)
    merges: int = 0
    review_pairs: int = 0
    customers_touched: int = 0
    by_uid: dict[str, str] = field(default_factory=dict)


async def resolve_pending(graph: Graph, uids: Sequence[str], rules: Rules, *, params: Any = None) -> ResolveSummary:
    """Resolve these stored records (new, changed or left unresolved by a killed run), read from the graph."""
    if not uids:
        return ResolveSummary()
    stored = await repo.records_by_uid(graph, uids)
    previous = {r["uid"]: r["customer_id"] for r in stored if r.get("customer_id")}
    pending = [to_match_record(r).with_customer(None) for r in stored]
    kinds = {r["uid"]: r.get("kind") or "customers" for r in stored}
    return await resolve_records(graph, pending, rules, previous=previous, kinds=kinds, params=params)


class CandidateCache:
    """Candidates an import run has read, as match records with their derived keys, kept in the
    run's ``EngineState`` (which also keeps each one's table row and blocking key codes).

    Batch after batch meets the same existing records again (a block's oldest members are every later
    namesake's candidates), and reading, decrypting and keying a record again costs far more than
    asking whether it is still the same. So candidates are first read as (uid, customer, content
    hash) only; only records not kept, or whose content hash changed, are read whole. The records a
    batch resolves are kept too (``keep_resolved``): the next batches meet them without a read. The
    customers always come from the graph's answer, never from memory (ids change between batches:
    new ids, merges). Bounded by the state's size; lives for one run (one process, the only writer
    of its records' content).
    """

    def __init__(self, state: EngineState) -> None:
        self.state = state
        self.hits = self.reads = 0

    async def candidates(
        self, graph: Graph, keys: Mapping[str, Iterable[str]], *, exclude: Collection[str], per_key: int
    ) -> list[MatchRecord]:
        refs = await repo.candidate_refs(graph, keys, exclude, per_key=per_key)
        state = self.state
        kept = {uid: rec for uid, (_, digest) in refs.items() if (rec := state.record(uid, digest)) is not None}
        stale = [uid for uid in refs if uid not in kept]
        fresh = {row["uid"]: to_match_record(row) for row in await repo.records_by_uid(graph, stale)} if stale else {}
        self.reads += len(fresh)
        self.hits += len(kept)
        out = []
        for uid, (customer, digest) in refs.items():
            rec = kept.get(uid)
            if rec is None:
                rec = fresh[uid].with_customer(None)  # kept without a customer: the graph's wins
                state.remember(rec, digest)
            out.append(rec.with_customer(customer))
        return out

    def keep_resolved(self, batch: Batch, result: ResolutionResult) -> None:
        """Keep the batch's records as the graph now holds them (their content hash is set), so the
        next batches need not read them back; a record whose fields would not read back equal (a
        value JSON turns into another) is dropped instead and read when met."""
        placed = {res.uid for res in result.resolutions if res.customer_id is not None}
        for rec in batch.pending:
            digest = batch.hashes.get(rec.uid)
            if rec.uid in placed and digest is not None and _reads_back_equal(rec):
                self.state.remember(rec.with_customer(None), digest)
            else:
                self.state.forget(rec.uid)


_PLAIN = (str, bool, int)  # values JSON gives back as they were (floats: NaN would not compare equal)


def _reads_back_equal(rec: MatchRecord) -> bool:
    """The record's fields survive the graph's storage: JSON, and sensitive values sealed as text."""
    fields = rec.fields
    if type(fields) is not dict or not all(isinstance(value, _PLAIN) or value is None for value in fields.values()):
        return False
    return all(isinstance(fields[name], str) for name in SENSITIVE_FIELDS if fields.get(name) not in (None, ""))


@dataclass
class Batch:
    """One batch to resolve: the records just stored and what the graph says about them.

    Made by ``prepare`` (reads), decided by ``decide`` (pure CPU: may run in a thread while the graph
    stores the next batch), written by ``persist``.
    """

    pending: list[MatchRecord]  # by seq
    existing: list[MatchRecord]  # resolved records sharing a blocking key with them
    previous: dict[str, str]
    kinds: Mapping[str, str]
    identifier_counts: dict[tuple[str, str], int]
    decisions: dict[frozenset[str], str]
    params: Any = None
    hashes: Mapping[str, str] = field(default_factory=dict)  # of the records just stored: set once resolved
    state: EngineState | None = None  # the run's engine state, when it keeps one (see ``CandidateCache``)
    full_blocks: Mapping[str, set[str]] = field(default_factory=dict)  # per rule: keys filled before the batch

    @property
    def uids(self) -> set[str]:
        return {r.uid for r in self.pending}


async def prepare(
    graph: Graph,
    pending: Sequence[MatchRecord],
    rules: Rules,
    *,
    previous: Mapping[str, str],
    known: Collection[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    identifier_counts: Mapping[tuple[str, str], int] | None = None,
    params: Any = None,
    hashes: Mapping[str, str] | None = None,
    cache: CandidateCache | None = None,
) -> Batch:
    """Read what resolving ``pending`` needs: candidates, identifier counts, remembered decisions.

    ``pending`` carry their stored ``seq`` and no customer; ``previous`` maps the ones that were
    resolved before (a changed row) to that customer; ``known`` are the uids that were in the graph
    before this batch (None: all of them), the only ones a remembered review decision can be about;
    ``kinds`` the kind of each record (customers when absent); ``identifier_counts`` how many records
    outside ``pending`` hold each of their identifier values, when the store step counted them;
    ``hashes`` the content hash of each record just stored, set by the statement that resolves it;
    ``cache`` the candidates a run has read already (an import's batches meet the same ones again).
    """
    pending = sorted(pending, key=lambda r: (r.seq, r.uid))
    # per rule, sealed key -> the oldest seq of a pending record holding it, and its plain key
    oldest: dict[str, dict[str, int]] = defaultdict(dict)
    plain: dict[tuple[str, str], str] = {}
    identifiers: dict[str, set[str]] = defaultdict(set)
    ring, sensitive = crypto.current(), sensitive_blocking(rules)
    for rec in pending:  # by seq: the first holder of a key is its oldest
        keys_of = blocking_keys(rec, rules)
        for rule, value in ring.seal_keys(keys_of, sensitive).items():
            if value not in oldest[rule]:
                oldest[rule][value] = rec.seq
                plain[(rule, value)] = keys_of[rule]
        for name in IDENTIFIER_FIELDS:
            if rec.fields.get(name):
                identifiers[name].add(str(rec.fields[name]))
    pending_uids = {r.uid for r in pending}
    cap = rules.clustering.max_block_size
    # A block the graph has filled already offers the pending records nothing: its members are not read.
    full = await repo.full_keys(graph, oldest, cap=cap)
    keys = {rule: [k for k in held if k not in full.get(rule, ())] for rule, held in oldest.items()}
    # the engine offers the members of a block still filling (under max_block_size); pending records
    # stored before (changed rows, still resolved in the graph) may be among them, dropped after the read
    per_key = cap + len(pending_uids & set(previous))
    if cache is None:
        found = await repo.candidates(graph, keys, exclude=pending_uids, per_key=per_key)
        existing = [to_match_record(r) for r in found]
    else:
        existing = await cache.candidates(graph, keys, exclude=pending_uids, per_key=per_key)
    if identifier_counts is None:
        counts = await record_repo.identifier_counts(graph, identifiers)
        # The incoming records are already linked to their identifier nodes; the engine adds the
        # batch's own counts itself, so give it the counts of the records already resolved.
        batch_counts = Counter(
            (name, str(rec.fields[name])) for rec in pending for name in identifiers if rec.fields.get(name)
        )
        identifier_counts = {k: max(0, n - batch_counts.get(k, 0)) for k, n in counts.items()}
    asked = sorted(pending_uids if known is None else pending_uids & set(known))
    return Batch(
        pending=pending,
        existing=existing,
        previous=dict(previous),
        kinds=kinds or {},
        identifier_counts={k: n for k, n in identifier_counts.items() if n},
        decisions=await repo.decisions_for(graph, asked),
        params=params,
        hashes=hashes or {},
        state=cache.state if cache is not None else None,
        full_blocks={rule: {plain[(rule, k)] for k in held} for rule, held in full.items()},
    )


def decide(batch: Batch, rules: Rules) -> ResolutionResult:
    """The engine's answer for the batch: pure, touches neither the graph nor the batch."""
    return resolve(
        batch.pending,
        batch.existing,
        rules,
        params=batch.params,
        decisions=batch.decisions,
        identifier_counts=batch.identifier_counts,
        state=batch.state,
        full_blocks=batch.full_blocks,
    )


async def persist(
    graph: Graph,
    batch: Batch,
    result: ResolutionResult,
    rules: Rules,
    *,
    before_create: Callable[[list[str]], Awaitable[None]] | None = None,
    merged_keys: MergedKeys | None = None,
) -> ResolveSummary:
    """Write the answer: new customers, resolution edges, merges, review items, golden profiles.

    ``before_create`` is told the ids of the customers about to be created (the run's ledger);
    ``merged_keys`` the search keys the run has merged already.
    """
    summary = ResolveSummary()
    previous, pending, kinds = batch.previous, batch.pending, batch.kinds
    await _persist(graph, result, rules, summary, previous, pending, kinds, before_create, merged_keys, batch.hashes)
    return summary


async def resolve_records(
    graph: Graph,
    pending: Sequence[MatchRecord],
    rules: Rules,
    *,
    previous: Mapping[str, str],
    known: Collection[str] | None = None,
    kinds: Mapping[str, str] | None = None,
    identifier_counts: Mapping[tuple[str, str], int] | None = None,
    params: Any = None,
    before_create: Callable[[list[str]], Awaitable[None]] | None = None,
    merged_keys: MergedKeys | None = None,
    hashes: Mapping[str, str] | None = None,
) -> ResolveSummary:
    """Resolve records just stored, as the import read them (their derived keys are reused):
    ``prepare``, ``decide`` and ``persist`` in a row (see them for the arguments)."""
    if not pending:
        return ResolveSummary()
    batch = await prepare(
        graph,
        pending,
        rules,
        previous=previous,
        known=known,
        kinds=kinds,
        identifier_counts=identifier_counts,
        params=params,
        hashes=hashes,
    )
    result = decide(batch, rules)
    return await persist(graph, batch, result, rules, before_create=before_create, merged_keys=merged_keys)


async def _reusable_ids(graph: Graph, result: ResolutionResult, previous: dict[str, str]) -> dict[str, str]:
    """Provisional clusters that are exactly a re-resolved customer keep that customer's id.

    A changed row that still stands alone must not get a new id: ids are stable.
    """
    members: dict[str, set[str]] = defaultdict(set)
    for res in result.resolutions:
        if res.customer_id and res.customer_id.startswith("new:") and res.uid in previous:
            members[res.customer_id].add(previous[res.uid])
    wanted = {p: next(iter(prevs)) for p, prevs in members.items() if len(prevs) == 1}
    if not wanted:
        return {}
    pending = [r.uid for r in result.resolutions]
    remaining = await repo.remaining_records(graph, sorted(set(wanted.values())), pending)
    reuse: dict[str, str] = {}
    for provisional, cid in sorted(wanted.items()):
        if remaining.get(cid, 0) == 0 and cid not in reuse.values():
            reuse[provisional] = cid
    return reuse


async def _persist(
    graph: Graph,
    result: ResolutionResult,
    rules: Rules,
    summary: ResolveSummary,
    previous: dict[str, str],
    pending: Sequence[MatchRecord],
    kinds: Mapping[str, str],
    before_create: Callable[[list[str]], Awaitable[None]] | None = None,
    merged_keys: MergedKeys | None = None,
    hashes: Mapping[str, str] | None = None,
) -> None:
    reuse = await _reusable_ids(graph, result, previous)
    provisional = sorted(
        {r.customer_id for r in result.resolutions if r.customer_id and r.customer_id.startswith("new:")} - set(reuse),
        key=lambda p: int(p.split(":", 1)[1]),
    )
    industries = _industries(result, pending)  # an id format may spell the industry (ED2024001)
    ids = await repo.allocate_customer_ids(graph, len(provisional), [industries.get(p) for p in provisional])
    real = dict(zip(provisional, ids, strict=True))
    fresh = set(real.values())  # customers born in this batch: every record of theirs is in hand
    real.update(reuse)
    by_uid = {rec.uid: rec for rec in pending}
    members: dict[str, list[tuple[MatchRecord, str]]] = defaultdict(list)
    rows = []
    touched: set[str] = set()
    for res in result.resolutions:
        cid = real.get(res.customer_id, res.customer_id) if res.customer_id else None
        rows.append(
            {
                "uid": res.uid,
                "customer_id": cid,
                "outcome": res.outcome,
                "score": res.score,
                "rule": res.rule,
                "matched_uid": res.matched_uid,
                "evidence": [_evidence(e) for e in res.evidence],
                "content_hash": (hashes or {}).get(res.uid),
            }
        )
        summary.outcomes[res.outcome] += 1
        summary.by_uid[res.uid] = res.outcome
        if cid in fresh:
            members[cid].append((by_uid[res.uid], kinds.get(res.uid, "customers")))
        elif cid:
            touched.add(cid)
    # new customers first, whole (profile, search keys, edges), then the records that point at them;
    # a run killed in between leaves customers without records, which the next run drops
    if fresh and before_create is not None:
        await before_create(sorted(fresh))
    await create_profiles(graph, members, rules, merged_keys)
    await repo.write_resolutions(graph, rows, linked_before=previous, created=fresh)
    merges = [(m.survivor, m.absorbed, "matched") for m in result.merges]
    merges += await _redirect_emptied(graph, rows, previous, touched | fresh)
    await repo.merge_customers(graph, merges)
    # what people set by hand (orders, tags, removals, owners) follows: the survivor's 360° view keeps it
    await carry.carry_to_survivors(graph, [(s, a) for s, a, _ in merges])
    absorbed = {a for _, a, _ in merges}
    await profile_repo.drop_derived(graph, sorted(absorbed))
    await index_customers(graph, sorted(absorbed))  # merged-away customers drop out of search
    # a new customer that absorbed another takes over what people set on that one: refresh it too
    touched = (touched - absorbed) | {s for s, _, _ in merges}
    await repo.upsert_review_items(
        graph,
        [
            {"uid_a": p.uid_a, "uid_b": p.uid_b, "score": p.score, "evidence": [_evidence(e) for e in p.evidence]}
            for p in result.review_pairs
        ],
    )
    summary.merges += len(merges)
    summary.review_pairs += len(result.review_pairs)
    summary.customers_touched += len(touched | fresh)
    await refresh_profiles(graph, sorted(touched), rules)


def _industries(result: ResolutionResult, pending: Sequence[MatchRecord]) -> dict[str, str]:
    """Per provisional customer, the industry its first record in the batch names."""
    fields = {rec.uid: rec.fields for rec in pending}
    found: dict[str, str] = {}
    for res in result.resolutions:
        industry = fields.get(res.uid, {}).get("industry")
        if res.customer_id and res.customer_id.startswith("new:") and industry:
            found.setdefault(res.customer_id, str(industry))
    return found


async def _redirect_emptied(
    graph: Graph, rows: list[dict[str, Any]], previous: dict[str, str], assigned: set[str]
) -> list[tuple[str, str, str]]:
    """A customer whose every record moved elsewhere becomes a pointer to where they went."""
    went: dict[str, str] = {}
    for row in rows:
        prev = previous.get(row["uid"])
        if prev and row["customer_id"] and prev != row["customer_id"]:
            went.setdefault(prev, row["customer_id"])
    candidates = sorted(set(went) - assigned)
    if not candidates:
        return []
    remaining = await repo.remaining_records(graph, candidates, [])
    return [(went[cid], cid, "records moved") for cid in candidates if remaining.get(cid, 0) == 0]


def _evidence(item: Any) -> dict[str, Any]:
    if hasattr(item, "to_dict"):
        return dict(item.to_dict())
    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    return dict(item)
