"""Resolution: place each incoming record under a customer, one record at a time, in arrival order.

For every new record (sorted by ``seq``):
1. no identifier and no name -> ``unmatched`` (the follow-up pool), nothing else happens;
2. candidates = records already placed (the graph's ``existing`` plus this batch so far) sharing a
   blocking key; each candidate pair is scored (decision > combination rule > probability band);
3. candidates are grouped by customer; a customer holding a record the new one was SEPARATEd from
   is out of reach; the best reachable customer wins (band, then identifier priority, then
   probability, then the older id) — best-match, not connected components, so a record joins the
   one customer it fits best and cannot chain two customers through a weak link;
4. matched -> join it; any *other* customer the record matches with probability >= the merge
   threshold (or by rule / MERGE decision) is merged in, older id surviving, unless a SEPARATE
   decision lies between them; review -> a new customer plus a review pair; else a new customer.

Because a batch is processed exactly like a sequence of single-record calls against a graph that
grows after each one, resolving records one at a time gives the same partition as one batch
(given the same params): incremental == batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from custgraph.matching.bands import BAND_RANK
from custgraph.matching.blocking import CandidateIndex
from custgraph.matching.clustering import Clusters, age_key, is_provisional
from custgraph.matching.em import train
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.scoring import FS_RULE, MERGE_RULE, Decision, FieldEvidence, PairScore, PairScorer
from custgraph.matching.state import EngineState
from custgraph.matching.vectors import Table
from custgraph.vocabulary import IDENTIFIER_FIELDS, Outcome

__all__ = ["Merge", "Resolution", "ResolutionResult", "ReviewPair", "identifiable", "resolve", "train"]

UNMATCHED_RULE = "no_identifier_no_name"
NEW_RULE = "no_candidate"  # nothing shared a blocking key
BELOW_REVIEW_RULE = "below_review"  # candidates, but none reached the review band
# matched two customers known to be different people (see ``_Resolver._ambiguous``): kept for review
AMBIGUOUS_RULE = "ambiguous_namesakes"
# Records whose candidates and comparison vectors are computed together, column-wise, before they
# are resolved one by one (only the size of the numpy batches depends on it, never a result).
CHUNK = 2048


@dataclass
class Resolution:
    uid: str
    outcome: Outcome
    customer_id: str | None  # existing id, provisional "new:<n>", or None for unmatched
    score: float  # probability of the best pair (0 when there was no candidate)
    rule: str  # what decided: a combination rule, fellegi_sunter, a decision, or why none applied
    evidence: list[FieldEvidence] = field(default_factory=list)
    matched_uid: str | None = None  # the record it scored best against
    match_weight: float | None = None


@dataclass
class ReviewPair:
    uid_a: str
    uid_b: str
    score: float
    evidence: list[FieldEvidence] = field(default_factory=list)


@dataclass
class Merge:
    survivor: str  # the older existing customer id
    absorbed: str  # the existing customer id folded into it
    uid: str | None = None  # the record that proved them one customer


@dataclass
class ResolutionResult:
    resolutions: list[Resolution]
    review_pairs: list[ReviewPair]
    merges: list[Merge]

    def provisional_ids(self) -> list[str]:
        """Provisional ids ("new:<n>") still in use, in the order their first record arrived."""
        seen: dict[str, None] = {}
        for res in self.resolutions:
            if res.customer_id is not None and is_provisional(res.customer_id):
                seen.setdefault(res.customer_id)
        return list(seen)

    def rename(self, ids: Mapping[str, str]) -> None:
        """Replace provisional ids by the real ids the caller allocated (in place)."""
        for res in self.resolutions:
            if res.customer_id in ids:
                res.customer_id = ids[res.customer_id]


def identifiable(rec: MatchRecord, rules: Rules) -> bool:
    """Has at least one valid identifier or one name; otherwise it belongs to the unmatched pool.

    Every identifier field counts (the phone too, as in validation), not only the ones that rank matches.
    """
    hubs = rules.hubs
    if any(hubs.valid_identifier(rec, f) is not None for f in IDENTIFIER_FIELDS):
        return True
    return any(rec.key(f) is not None for f in rules.name_fields)


def _held_value(rec: MatchRecord, key: str, valid: Callable[[MatchRecord, str], str | None]) -> str | None:
    """``field`` or ``field:transform`` of a record, when the field holds a valid identifier."""
    field, _, transform = key.partition(":")
    if valid(rec, field) is None:
        return None
    return rec.key(field, transform) if transform else rec.key(field)


@dataclass
class _Option:
    """The new record compared with one candidate customer (all its candidate records at once)."""

    customer: str
    other: MatchRecord  # the customer's record it fits best
    score: PairScore  # of the customer profile (see PairScorer.profile)
    sources: list[MatchRecord]  # per comparison, the customer's record the profile level came from

    def strength(self) -> tuple[int, int, float]:
        """Higher is better: band, then identifier priority, then probability."""
        s = self.score
        # identifier priority only ranks customers that are matched anyway (the seeds' "mobile first")
        id_pref = -s.identifier_rank if s.band == "matched" else 0
        return (BAND_RANK[s.band], id_pref, s.probability)

    def rank_key(self) -> tuple[tuple[int, int, float], tuple]:
        """Ascending sort key: strongest first, ties to the older customer id."""
        band, id_pref, prob = self.strength()
        return ((-band, -id_pref, -prob), age_key(self.customer))


@dataclass
class _Chunk:
    """The pairs of a chunk of new records with their candidates, column-wise (pair k: ``rows_b[k]``
    is the candidate's position in ``_Resolver.order``, ``keys[k]`` the key of its comparison vector
    in ``_Resolver.patterns``)."""

    lo: int  # position of the chunk's first identifiable record
    starts: list[int]  # per identifiable record of the chunk: its first pair; one more at the end
    candidates: list[list[MatchRecord]]  # per identifiable record: the records behind its pairs
    rows_b: np.ndarray
    keys: list[int]
    hub_bits: list[int]  # comparisons whose hub level the pair reaches if the value is a hub (0: none)
    surely_new: np.ndarray  # alone, the pair is in the 'new' band (without a decision)
    sure: list[bool]  # the same, as a list
    weights: np.ndarray  # level_weights per pair (hub levels not decided)
    totals: list[float]  # their sums


@dataclass
class _Planned:
    """Where a record's pairs are: the chunk, and its index among the chunk's identifiable records."""

    chunk: _Chunk
    index: int


class _Resolver:
    def __init__(
        self,
        rules: Rules,
        params: ModelParams,
        decisions: Mapping[frozenset[str], Decision],
        identifier_counts: Mapping[tuple[str, str], int] | None,
        state: EngineState,
    ) -> None:
        self.rules = rules
        self.state = state
        self.clusters = Clusters()
        # counts given by the graph already include the existing records; otherwise count them here
        self.count_existing = identifier_counts is None
        self.hubs = HubDetector(rules.hubs, identifier_counts, self._customer_or_none)
        self.scorer = PairScorer(rules, params, self.hubs, decisions)
        self.placed: dict[str, MatchRecord] = {}  # uid -> record, for decision partners
        self.separate: dict[str, set[str]] = defaultdict(set)
        self.merge: dict[str, set[str]] = defaultdict(set)
        for pair, decision in decisions.items():
            if len(pair) == 2 and decision in ("SEPARATE", "MERGE"):
                a, b = sorted(pair)
                partners = self.separate if decision == "SEPARATE" else self.merge
                partners[a].add(b)
                partners[b].add(a)
        self.resolutions: dict[str, Resolution] = {}
        self.review_pairs: list[ReviewPair] = []
        self.merges: list[Merge] = []
        self.plan = state.plan
        self.table: Table = state.table  # the state's (see ``index_new``)
        self.patterns: dict[int, tuple[int, ...]] = {}  # pattern key -> comparison vector
        # Blocking order: the existing records placed, then the identifiable new ones as they come.
        # A record is known by its position in it; ``rows`` maps positions to table rows.
        self.order: list[MatchRecord] = []
        self.rows = np.empty(0, dtype=np.int64)
        self._positions: dict[str, int] | None = None
        self.candidates: CandidateIndex | None = None
        self.full_blocks: Mapping[str, Collection[str]] = {}  # see ``resolve``
        self.next_position = 0  # of the next new record to prepare
        # per position, the cluster the record was placed in (as an int; ``clusters.find`` gives
        # the customer it belongs to now): groups a record's many candidates by customer quickly
        self.row_cluster = np.empty(0, dtype=np.int64)
        self._held_key = ("#held", rules.compiled.token)
        self.cluster_code: dict[str, int] = {}
        self.cluster_name: list[str] = []
        # per comparison, the levels that agree (neither null, a hub nor the last, 'else', level)
        self._agreeing = [
            frozenset(j for j, level in enumerate(c.levels, 1) if level.type not in ("hub", "else"))
            for c in rules.comparisons
        ]

    def _customer_or_none(self, uid: str) -> str | None:
        return self.clusters.customer_of(uid) if uid in self.clusters else None

    def place_existing(self, rec: MatchRecord) -> None:
        if rec.customer_id is None:
            return  # unmatched-pool records have nothing to match on
        self.clusters.add(rec.uid, rec.customer_id, self._held(rec))
        self.hubs.add(rec, count=self.count_existing)
        self.placed[rec.uid] = rec
        self.order.append(rec)

    def index_new(self, ordered: Sequence[MatchRecord]) -> None:
        """Fix the blocking order once the existing records are placed: the identifiable new records
        follow in arrival order (the others are never placed), so every record's candidates are known
        before any is resolved."""
        self.next_position = len(self.order)
        self.order.extend(rec for rec in ordered if identifiable(rec, self.rules))
        # rows and key codes of records an earlier batch met are the state's already
        self.rows = self.state.rows(self.order)
        self.table = self.state.table
        uid_codes: dict[str, int] = {}
        uids = np.fromiter((uid_codes.setdefault(r.uid, len(uid_codes)) for r in self.order), np.int64, len(self.order))
        cap = self.rules.clustering.max_block_size
        full = self.state.coder.known_codes(self.full_blocks) if self.full_blocks else None
        self.candidates = CandidateIndex.from_codes(uids, self.state.codes[:, self.rows], cap, full)
        self._order = np.empty(len(self.order), dtype=object)
        self._order[:] = self.order
        self.row_cluster = np.full(len(self.order), -1, dtype=np.int64)
        for row, rec in enumerate(self.order[: self.next_position]):
            self._placed_in(row, self.clusters.customer_of(rec.uid))

    def _placed_in(self, position: int, cluster: str) -> None:
        code = self.cluster_code.get(cluster)
        if code is None:
            code = self.cluster_code[cluster] = len(self.cluster_name)
            self.cluster_name.append(cluster)
        self.row_cluster[position] = code

    def _position(self, uid: str) -> int:
        """The first position holding this uid (looked up rarely: built on first use)."""
        if self._positions is None:
            self._positions = {}
            for position, rec in enumerate(self.order):
                self._positions.setdefault(rec.uid, position)
        return self._positions[uid]

    def _held(self, rec: MatchRecord) -> dict[str, str]:
        """The identifier values a cluster remembers: the cannot-link ones, and those a merge checks."""
        cache_key = self._held_key  # a record's own values: computed once
        held = rec._keys.get(cache_key)
        if held is None:
            settings = self.rules.clustering
            valid = self.rules.hubs.valid_identifier
            held = {key: v for key in settings.merge_needs_identifier if (v := _held_value(rec, key, valid))}
            held.update(
                {f: v for f in settings.cannot_link if (v := valid(rec, f)) and settings.cannot_link_value(f, v)}
            )
            rec._keys[cache_key] = held
        return held

    def _separated(self, uid: str, customer: str) -> bool:
        partners = self.separate.get(uid)
        return bool(partners) and any(p in self.clusters and self.clusters.customer_of(p) == customer for p in partners)

    def _clusters_separated(self, a: str, b: str) -> bool:
        if not self.separate:
            return False
        if len(self.clusters.members(a)) > len(self.clusters.members(b)):
            a, b = b, a
        return any(self._separated(uid, b) for uid in self.clusters.members(a) if uid in self.separate)

    def prepare(self, chunk: Sequence[MatchRecord]) -> list[_Planned | None]:
        """Candidates and comparison vectors of the next records, in order (None: not identifiable).

        Neither depends on how earlier records were resolved: a record's candidates are the
        identifiable records placed before it that share a blocking key (or a MERGE decision), and
        a vector depends on the two records only, but for the hub levels, which ``resolve_one``
        decides when the record's turn comes. So both are computed for a whole chunk at once,
        column-wise.
        """
        assert self.candidates is not None, "index_new first"
        rules = self.rules
        ready = [rec for rec in chunk if identifiable(rec, rules)]  # at positions lo, lo + 1, ...
        lo = self.next_position
        self.next_position += len(ready)
        rows_b, rows_a = self.candidates.pairs(lo, self.next_position)
        owners = rows_a - lo  # per pair, the index in ``ready`` of its new record
        per_record = np.bincount(owners, minlength=len(ready)).tolist()
        offered = self._order[rows_b].tolist()
        lists: list[list[MatchRecord]] = []
        start = partners = 0
        for rec, count in zip(ready, per_record, strict=True):
            candidates = offered[start : start + count]
            start += count
            if self.merge:  # a MERGE decision reaches its partner even when they share no blocking key
                seen = {c.uid for c in candidates}
                placed = self.placed
                more = [placed[p] for p in sorted(self.merge.get(rec.uid, ())) if p in placed and p not in seen]
                candidates += more
                partners += len(more)
            lists.append(candidates)
            self.placed[rec.uid] = rec
        if partners:  # the pairs again, partners after each record's blocked candidates
            rows_a = np.array([lo + i for i, cands in enumerate(lists) for _ in cands], dtype=np.int64)
            rows_b = np.array([self._position(c.uid) for cands in lists for c in cands], dtype=np.int64)
            owners = rows_a - lo
        levels, hub_bits = self.plan.gamma(self.table, self.rows[rows_a], self.rows[rows_b])
        keys = self.plan.pattern_keys(levels)
        weights, totals = self.scorer.many_weights(levels, owners, ready)
        surely_new = self.scorer.surely_new(levels, keys, totals) & (hub_bits == 0)
        unique, first = np.unique(keys, return_index=True)
        patterns = self.patterns
        for key, row in zip(unique.tolist(), first.tolist(), strict=True):
            if key not in patterns:
                patterns[key] = tuple(levels[row].tolist())
        starts = np.concatenate([[0], np.cumsum([len(c) for c in lists], dtype=np.int64)]).tolist()
        sure, bits = surely_new.tolist(), hub_bits.tolist()
        batch = _Chunk(lo, starts, lists, rows_b, keys.tolist(), bits, surely_new, sure, weights, totals.tolist())
        out: list[_Planned | None] = []
        i = 0
        for rec in chunk:
            if i < len(ready) and ready[i] is rec:
                out.append(_Planned(batch, i))
                i += 1
            else:
                out.append(None)
        return out

    def resolve_one(self, rec: MatchRecord, planned: _Planned | None) -> None:
        if planned is None:
            self.resolutions[rec.uid] = Resolution(rec.uid, "unmatched", None, 0.0, UNMATCHED_RULE)
            return
        chunk, i = planned.chunk, planned.index
        candidates = chunk.candidates[i]
        options = [
            option
            for customer, members in self._customers(rec, chunk, i)
            if not self._separated(rec.uid, customer)
            and not (len(members) > 1 and self._vetoed(rec, chunk, i, members))
            and (option := self._option(rec, customer, chunk, i, members)).score.band != "new"
        ]
        ranked = sorted(options, key=_Option.rank_key)
        best = ranked[0] if ranked else None
        identifiers = self._held(rec)
        if best is not None and best.score.band == "matched" and self._ambiguous(best, ranked):
            best = replace(best, score=replace(best.score, band="review", rule=AMBIGUOUS_RULE))
        if best is not None and best.score.band == "matched":
            customer, outcome = best.customer, "matched"
            self.clusters.add(rec.uid, customer, identifiers)
            self._placed_in(chunk.lo + i, customer)
            others = self._merge_others(rec, ranked[1:])
        else:
            customer, outcome = self.clusters.new_cluster(), ("review" if best is not None else "new")
            self.clusters.add(rec.uid, customer, identifiers)
            self._placed_in(chunk.lo + i, customer)
            others = ranked
        self._queue_reviews(rec, others)
        self.resolutions[rec.uid] = self._resolution(rec, outcome, customer, best, bool(candidates))
        self.hubs.add(rec)

    def _ambiguous(self, best: _Option, ranked: list[_Option]) -> bool:
        """The record matches ``best`` without sharing an identifier with it, and matches as well
        another customer that ``merge_needs_identifier`` keeps apart from it (each holds a mobile of
        its own) on everything it agrees with ``best`` on: namesakes the record cannot tell apart,
        so it joins neither of them."""
        fields = self.rules.clustering.merge_needs_identifier
        if not fields or best.score.identifier_rank < len(self.rules.identifiers) or best.score.rule == MERGE_RULE:
            return False
        find, mine = self.clusters.find, self.clusters.find(best.customer)
        rivals = [
            other
            for other in ranked[1:]
            if other.score.band == "matched"
            and find(other.customer) != mine
            and self.clusters.conflicts(mine, other.customer, fields)
        ]
        if not rivals:
            return False
        agrees = self._agreeing
        shown = [i for i, level in enumerate(best.score.gamma) if level in agrees[i]]
        return any(all(other.score.gamma[i] in agrees[i] for i in shown) for other in rivals)

    def _customers(self, rec: MatchRecord, chunk: _Chunk, i: int) -> list[tuple[str, list[int]]]:
        """The record's candidates grouped by the customer they belong to now, in order of first
        appearance: (customer, indexes into its candidates). A customer offered by one candidate
        whose pair alone is surely 'new' (and no decision about it) is no option: left out."""
        start, end = chunk.starts[i], chunk.starts[i + 1]
        groups: dict[str, list[int]] = {}
        roots: dict[int, str] = {}  # cluster code -> the customer it belongs to now
        find, names = self.clusters.find, self.cluster_name
        for j, code in enumerate(self.row_cluster[chunk.rows_b[start:end]].tolist()):
            root = roots.get(code)
            if root is None:
                root = roots[code] = find(names[code])
            groups.setdefault(root, []).append(j)
        sure, decided = chunk.sure, self.scorer.decisions
        return [
            (customer, members)
            for customer, members in groups.items()
            if len(members) > 1
            or not sure[start + members[0]]
            or (decided and self.scorer.decision(rec, chunk.candidates[i][members[0]]) is not None)
        ]

    def _vetoed(self, rec: MatchRecord, chunk: _Chunk, i: int, indexes: list[int]) -> bool:
        """The record's profile against these candidates (one customer's) is surely vetoed and no
        decision concerns them: the option would be 'new', no need to build it."""
        start, candidates = chunk.starts[i], chunk.candidates[i]
        gammas = []
        for j in indexes:
            gamma, bits = self.patterns[chunk.keys[start + j]], chunk.hub_bits[start + j]
            if bits:
                gamma = self.plan.fix_hubs(gamma, bits, self.plan.features(rec), self.hubs)
            gammas.append(gamma)
        if not self.scorer.profile_vetoed(gammas):
            return False
        return not self.scorer.decisions or all(self.scorer.decision(rec, candidates[j]) is None for j in indexes)

    def _option(self, rec: MatchRecord, customer: str, chunk: _Chunk, i: int, indexes: list[int]) -> _Option:
        """The record against one customer: its profile over the customer's candidate records."""
        scorer, plan, patterns = self.scorer, self.plan, self.patterns
        candidates, start = chunk.candidates[i], chunk.starts[i]
        members = [candidates[j] for j in indexes]
        pairs, totals = [], []
        for j, member in zip(indexes, members, strict=True):
            k = start + j
            gamma, bits = patterns[chunk.keys[k]], chunk.hub_bits[k]
            if bits:  # hub levels depend on who holds the value now
                gamma = plan.fix_hubs(gamma, bits, plan.features(rec), self.hubs)
                weights = scorer.level_weights(rec, member, gamma)
                total = sum(weights)
            else:
                weights, total = tuple(chunk.weights[k].tolist()), chunk.totals[k]
            pairs.append((gamma, weights))
            totals.append(total)
        merge = any(scorer.decision(rec, m) == "MERGE" for m in members)
        if len(pairs) == 1:
            score = scorer.classify(pairs[0][0], pairs[0][1], "MERGE" if merge else None, totals[0])
            return _Option(customer, members[0], score, members * len(score.gamma))
        levels, weights, sources = scorer.profile(pairs)
        score = scorer.classify(levels, weights, "MERGE" if merge else None)
        fit = max(range(len(members)), key=lambda j: totals[j])
        return _Option(customer, members[fit], score, [members[j] for j in sources])

    def _merge_others(self, rec: MatchRecord, others: list[_Option]) -> list[_Option]:
        """Merge other matched customers the record proves identical; return options left for review."""
        settings = self.rules.clustering
        threshold = settings.merge_threshold
        left = []
        for option in others:
            s = option.score
            strong = s.band == "matched" and (s.probability >= threshold or s.rule != FS_RULE)
            mine = self.clusters.customer_of(rec.uid)
            theirs = self.clusters.find(option.customer)
            if theirs == mine:
                continue
            joinable = strong and not self._clusters_separated(mine, theirs)
            # two checksummed IDs of one kind prove two customers, whatever the record shares with both
            joinable = joinable and not self.clusters.conflicts(mine, theirs, settings.cannot_link)
            # two customers with mobiles of their own: the record must share an identifier with theirs
            shares_identifier = s.identifier_rank < len(self.rules.identifiers)
            joinable = joinable and (
                shares_identifier or not self.clusters.conflicts(mine, theirs, settings.merge_needs_identifier)
            )
            joined = self.clusters.union(mine, theirs) if joinable else None
            if joined is None:
                left.append(option)
            elif not any(is_provisional(cid) for cid in joined):  # two customers of the graph became one
                self.merges.append(Merge(*joined, uid=rec.uid))
        return left

    def _queue_reviews(self, rec: MatchRecord, options: list[_Option]) -> None:
        mine = self.clusters.customer_of(rec.uid)
        queued = 0
        for option in options:
            if queued >= self.rules.clustering.max_review_pairs:
                break
            if self.clusters.find(option.customer) == mine:
                continue
            evidence = self.scorer.evidence(rec, option.sources, option.score)
            self.review_pairs.append(ReviewPair(rec.uid, option.other.uid, option.score.probability, evidence))
            queued += 1

    def _resolution(
        self, rec: MatchRecord, outcome: Outcome, customer: str, best: _Option | None, had_candidates: bool
    ) -> Resolution:
        if best is None:
            return Resolution(rec.uid, outcome, customer, 0.0, BELOW_REVIEW_RULE if had_candidates else NEW_RULE)
        s = best.score
        return Resolution(
            uid=rec.uid,
            outcome=outcome,
            customer_id=customer,
            score=s.probability,
            rule=s.rule,
            evidence=self.scorer.evidence(rec, best.sources, s),
            matched_uid=best.other.uid,
            match_weight=round(s.weight, 3),
        )

    def result(self, order: Sequence[MatchRecord]) -> ResolutionResult:
        out = []
        for rec in order:
            res = self.resolutions[rec.uid]
            if res.customer_id is not None:
                res.customer_id = self.clusters.customer_of(rec.uid)
            out.append(res)
        return ResolutionResult(out, self.review_pairs, self.merges)


def resolve(
    new: Sequence[MatchRecord],
    existing: Sequence[MatchRecord],
    rules: Rules,
    *,
    params: ModelParams | Mapping[str, Any] | None = None,
    decisions: Mapping[frozenset[str], Decision] | None = None,
    identifier_counts: Mapping[tuple[str, str], int] | None = None,
    state: EngineState | None = None,
    full_blocks: Mapping[str, Collection[str]] | None = None,
) -> ResolutionResult:
    """Resolve ``new`` records against ``existing`` ones (already placed, ``customer_id`` set).

    ``identifier_counts``: how many records in the graph hold each (field, value), for hub
    detection; None counts over ``existing`` — enough when ``existing`` holds every record sharing
    an identifier key with a new record, since hub thresholds are far below the block size.
    Resolutions come back in ``new``'s order.

    ``state``: an import run's records met so far, prepared (see matching/state.py); the same
    result as without it, faster when the same existing records come back batch after batch.

    ``full_blocks``: per blocking rule, keys whose block was full before any of ``new`` (the graph
    holds ``max_block_size`` older records with it): they offer ``new`` nothing, so the caller need
    not read their members (see matching/blocking.py).
    """
    if isinstance(params, Mapping):  # params as stored in the graph (ModelParams.to_dict())
        params = ModelParams.from_dict(params)
    params = params or ModelParams.defaults(rules)
    new_uids = {r.uid for r in new}
    # a re-imported record replaces its stored copy rather than matching itself
    existing = [r for r in existing if r.uid not in new_uids]
    if state is None:
        state = EngineState(rules)
    elif state.rules.compiled.token != rules.compiled.token:
        raise ValueError("the engine state was made for other rules")
    resolver = _Resolver(rules, params, decisions or {}, identifier_counts, state)
    resolver.full_blocks = full_blocks or {}
    for rec in sorted(existing, key=lambda r: (r.seq, r.uid)):
        resolver.place_existing(rec)
    ordered = sorted(new, key=lambda r: (r.seq, r.uid))
    resolver.index_new(ordered)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        for rec, planned in zip(chunk, resolver.prepare(chunk), strict=True):
            resolver.resolve_one(rec, planned)
    return resolver.result(new)
