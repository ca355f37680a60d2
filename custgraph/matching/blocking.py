"""Blocking: which records are compared at all.

Each blocking rule turns a record into one key (``last_name:soundex`` + ``postal_code`` ...); two
records are candidates when they share the key of any rule. Several cheap passes give recall,
each pass alone stays selective, and a block larger than ``max_block_size`` only offers its oldest
members, so the number of candidate pairs grows near-linearly with the data — never all pairs.

The same keys are what the graph stores on a SourceRecord (``bk_<rule name>``) to fetch existing
candidates, so a record resolved alone against the graph meets the same candidates as in a batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching.keys import check_transform, parse_key_spec
from custgraph.matching.record import MatchRecord

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

KEY_SEPARATOR = "|"


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
            for other in block[: self.max_block_size]:
                if other.uid not in seen:
                    seen.add(other.uid)
                    out.append(other)
        return out


def candidate_rows(records: Sequence[MatchRecord], rules: Rules) -> tuple[list[int], list[int]]:
    """``candidate_pairs`` as positions in ``records``: (earlier, later) lists, in the same order."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    cap = rules.clustering.max_block_size
    uids = [rec.uid for rec in records]
    earlier: list[int] = []
    later: list[int] = []
    for i in sorted(range(len(records)), key=lambda i: (records[i].seq, uids[i])):
        items = blocking_keys(records[i], rules).items()
        seen = {uids[i]}
        for item in items:
            block = blocks.get(item)
            if not block:
                continue
            for j in block[:cap]:
                if uids[j] not in seen:
                    seen.add(uids[j])
                    earlier.append(j)
                    later.append(i)
        for item in items:
            blocks[item].append(i)
    return earlier, later


def candidate_pairs(records: Sequence[MatchRecord], rules: Rules) -> Iterable[tuple[MatchRecord, MatchRecord]]:
    """Every blocked pair of ``records`` once (earlier record first), as resolution would meet them."""
    index = BlockIndex(rules)
    for rec in sorted(records, key=lambda r: (r.seq, r.uid)):
        keys = blocking_keys(rec, rules)
        for other in index.candidates(rec, keys):
            yield other, rec
        index.add(rec, keys)
