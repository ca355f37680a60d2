"""Blocking: which records are compared at all.

Each blocking rule turns a record into one key (``last_name:soundex`` + ``postal_code`` ...); two
records are candidates when they share the key of any rule. Several cheap passes give recall,
each pass alone stays selective, and a block offers candidates only until it is full: a record meets
the earlier members of a block only while fewer than ``max_block_size`` came before it. Past that, a
key (王 in 北京, one soundex of a common name) says almost nothing about who a record is, and the
oldest members it could still offer are almost never the person; the strict passes (mobile, email,
ID, whole name) still meet them. So candidates per record stay bounded by the blocks still filling,
and the number of pairs grows near-linearly with the data — never all pairs.

The same keys are what the graph stores on a SourceRecord (``bk_<rule name>``) to fetch existing
candidates, so a record resolved alone against the graph meets the same candidates as in a batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching.keys import check_transform, parse_key_spec
from custgraph.matching.record import MatchRecord

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

KEY_SEPARATOR = "|"
WINDOW_PAIRS = 4_000_000  # at most about this many pairs generated at once (memory)


class BlockingRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    keys: list[str] = Field(min_length=1)  # 'field' or 'field:transform'
    min_length: int = Field(1, ge=1)  # key parts shorter than this are too unselective to block on
    prefix: int | None = Field(None, ge=1)  # block on the first characters of each part only
    description: str = ""

    @field_validator("keys")
    @classmethod
    def _known_transforms(cls, value: list[str]) -> list[str]:
        for spec in value:
            check_transform(parse_key_spec(spec)[1])
        return value

    @property
    def parts(self) -> list[tuple[str, str]]:
        return [parse_key_spec(spec) for spec in self.keys]


@dataclass(frozen=True, slots=True)
class CompiledBlockingRule:
    name: str
    parts: tuple[tuple[str, str, bool], ...]  # (field, transform, screen the raw value for hubs)
    min_length: int
    prefix: int | None


def compile_blocking(rules: Rules) -> tuple[CompiledBlockingRule, ...]:
    screened = set(rules.hubs.placeholders) | set(rules.hubs.shared)
    return tuple(
        CompiledBlockingRule(
            rule.name,
            tuple((field, transform, field in screened) for field, transform in rule.parts),
            rule.min_length,
            rule.prefix,
        )
        for rule in rules.blocking
    )


def blocking_keys(rec: MatchRecord, rules: Rules) -> dict[str, str]:
    """Blocking-rule name -> key value; rules whose parts are missing (or placeholders) give no key."""
    compiled = rules.compiled
    cache_key = ("#blocking", compiled.token)
    cached = rec._keys.get(cache_key)
    if cached is None:
        cached = rec._keys[cache_key] = _blocking_keys(rec, rules, compiled.blocking)
    return dict(cached)


def _blocking_keys(rec: MatchRecord, rules: Rules, plan: Sequence[CompiledBlockingRule]) -> dict[str, str]:
    hubs = rules.hubs
    out: dict[str, str] = {}
    for rule in plan:
        parts: list[str] = []
        for field, transform, screen in rule.parts:
            if screen:
                raw = rec.key(field)
                # placeholders and shared mailboxes would make giant, meaningless blocks
                if raw is None or hubs.is_placeholder(field, raw) or hubs.is_shared(field, raw):
                    break
            value = rec.key(field, transform)
            if value is None or len(value) < rule.min_length:
                break
            parts.append(value[: rule.prefix] if rule.prefix else value)
        else:
            out[rule.name] = KEY_SEPARATOR.join(parts)
    return out


class BlockIndex:
    """In-memory index of records by blocking key, in arrival order."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.max_block_size = rules.clustering.max_block_size
        self._blocks: dict[tuple[str, str], list[MatchRecord]] = defaultdict(list)

    def add(self, rec: MatchRecord, keys: dict[str, str] | None = None) -> None:
        for item in (keys if keys is not None else blocking_keys(rec, self.rules)).items():
            self._blocks[item].append(rec)

    def candidates(self, rec: MatchRecord, keys: dict[str, str] | None = None) -> list[MatchRecord]:
        """Indexed records sharing a key with rec, each once, in a deterministic order."""
        seen: set[str] = {rec.uid}
        out: list[MatchRecord] = []
        for item in (keys if keys is not None else blocking_keys(rec, self.rules)).items():
            block = self._blocks.get(item)
            if not block:
                continue
            if len(block) >= self.max_block_size:
                continue  # full: see the module
            for other in block:
                if other.uid not in seen:
                    seen.add(other.uid)
                    out.append(other)
        return out


NO_KEY = -1


class KeyCoder:
    """Blocking keys as integers: per rule, each distinct key value gets a code once, so records
    keyed at different times (an import run's batches) compare by code."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.names = [rule.name for rule in rules.blocking]
        self._codes: dict[str, dict[str, int]] = {name: {} for name in self.names}

    def codes(self, records: Sequence[MatchRecord]) -> np.ndarray:
        """(rules x records) key codes, ``NO_KEY`` where a record has no key for a rule."""
        out = np.full((len(self.names), len(records)), NO_KEY, dtype=np.int64)
        row_of = {name: i for i, name in enumerate(self.names)}
        tables, rules = self._codes, self.rules
        for column, rec in enumerate(records):
            for name, key in blocking_keys(rec, rules).items():
                table = tables[name]
                code = table.get(key)
                if code is None:
                    code = table[key] = len(table)
                out[row_of[name], column] = code
        return out

    def known_codes(self, keys: Mapping[str, Iterable[str]]) -> list[np.ndarray]:
        """Per rule (in ``names`` order), the sorted codes of those of ``keys[rule]`` coded so far."""
        out = []
        for name in self.names:
            table = self._codes[name]
            found = {table[key] for key in keys.get(name, ()) if key in table}
            out.append(np.array(sorted(found), dtype=np.int64))
        return out


class CandidateIndex:
    """Blocking as an equi-join on key codes, for records whose order is known in advance.

    The same candidates as a ``BlockIndex`` filled in that order, each record asking for its
    candidates before it is added: per rule, the records before it with its key while fewer than
    ``max_block_size`` did (a full block offers nothing); over the rules in their order, each uid
    once, never its own. Computed with numpy for many records at once (``pairs``), instead of a
    Python loop over every pair.

    ``full``: per rule (row of ``codes``), the codes of keys whose block is known to be full already
    (the graph holds ``max_block_size`` older records with it, not all of them in hand).
    """

    def __init__(self, records: Sequence[MatchRecord], rules: Rules) -> None:
        uid_codes: dict[str, int] = {}
        uids = np.fromiter((uid_codes.setdefault(r.uid, len(uid_codes)) for r in records), np.int64, len(records))
        coder = KeyCoder(rules)
        self._build(uids, coder.codes(records), rules.clustering.max_block_size)

    @classmethod
    def from_codes(
        cls, uids: np.ndarray, codes: np.ndarray, cap: int, full: Sequence[np.ndarray] | None = None
    ) -> CandidateIndex:
        """The index of records given as codes: per position its uid's code, and per blocking rule
        (row of ``codes``) its key's code (``NO_KEY``: none), as a ``KeyCoder`` gives them."""
        index = cls.__new__(cls)
        index._build(uids, codes, cap, full)
        return index

    def _build(self, uids: np.ndarray, codes: np.ndarray, cap: int, full: Sequence[np.ndarray] | None = None) -> None:
        self.cap = cap
        self.uids = uids
        self._rules = []  # per rule with keys: (positions, sorted positions, block start per sorted, rank)
        for rule_id, rule_codes in enumerate(codes):
            pos = np.flatnonzero(rule_codes != NO_KEY)
            if not len(pos):
                continue
            key_codes = rule_codes[pos]
            order = np.argsort(key_codes, kind="stable")  # by key, then by position
            sorted_codes = key_codes[order]
            new_block = np.ones(len(order), dtype=bool)
            new_block[1:] = sorted_codes[1:] != sorted_codes[:-1]
            starts = np.flatnonzero(new_block)
            block_start = starts[np.cumsum(new_block) - 1]
            rank = np.empty(len(order), dtype=np.int64)  # per record (position order): rank in its block
            rank[order] = np.arange(len(order)) - block_start
            if full is not None and len(full[rule_id]):
                rank[np.isin(key_codes, full[rule_id])] += cap  # already full before any record in hand
            start_of = np.empty(len(order), dtype=np.int64)  # per record: where its block starts
            start_of[order] = block_start
            self._rules.append((pos, pos[order], start_of, rank))

    def pairs(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """(earlier, later) positions of every candidate pair whose later record is in [lo, hi),
        ordered by later record, then rule, then block order (``BlockIndex.candidates``' order)."""
        laters, rule_ids, ranks, earliers = [], [], [], []
        for rule_id, (pos, sorted_pos, start_of, rank) in enumerate(self._rules):
            i0, i1 = np.searchsorted(pos, [lo, hi])
            before = rank[i0:i1]
            count = np.where(before < self.cap, before, 0)  # a full block offers nothing
            total = int(count.sum())
            if not total:
                continue
            first = np.repeat(np.cumsum(count) - count, count)
            q = np.arange(total, dtype=np.int64) - first  # rank of the earlier record in the block
            laters.append(np.repeat(pos[i0:i1], count))
            rule_ids.append(np.full(total, rule_id, dtype=np.int64))
            ranks.append(q)
            earliers.append(sorted_pos[np.repeat(start_of[i0:i1], count) + q])
        if not laters:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty
        later, rule, q, earlier = (np.concatenate(parts) for parts in (laters, rule_ids, ranks, earliers))
        order = np.lexsort((q, rule, later))
        later, earlier = later[order], earlier[order]
        uids = self.uids
        # each uid once per record (the first rule and block position that offers it), never its own
        key = later * (int(uids.max()) + 1) + uids[earlier]
        _, first = np.unique(key, return_index=True)
        keep = np.sort(first)
        keep = keep[uids[earlier[keep]] != uids[later[keep]]]
        return earlier[keep], later[keep]


def candidate_rows(records: Sequence[MatchRecord], rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """``candidate_pairs`` as positions in ``records`` (earlier, later), in the same order."""
    order = sorted(range(len(records)), key=lambda i: (records[i].seq, records[i].uid))
    index = CandidateIndex([records[i] for i in order], rules)
    back = np.array(order, dtype=np.int64)
    earlier, later = [], []
    step = max(1, WINDOW_PAIRS // (index.cap * max(1, len(index._rules))))
    for lo in range(0, len(records), step):
        e, l_ = index.pairs(lo, lo + step)
        earlier.append(back[e])
        later.append(back[l_])
    if not earlier:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(earlier), np.concatenate(later)


def candidate_pairs(records: Sequence[MatchRecord], rules: Rules) -> Iterable[tuple[MatchRecord, MatchRecord]]:
    """Every blocked pair of ``records`` once (earlier record first), as resolution would meet them."""
    index = BlockIndex(rules)
    for rec in sorted(records, key=lambda r: (r.seq, r.uid)):
        keys = blocking_keys(rec, rules)
        for other in index.candidates(rec, keys):
            yield other, rec
        index.add(rec, keys)
