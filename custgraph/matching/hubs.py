"""Hub identifiers: values many customers share, which must not chain them into one.

Three kinds, from the rules file:
- placeholders (13800000000, 11111111111, test@test.com, 个人 as a company) are not values at all:
  they are treated as missing, so they neither block nor score (any field may list placeholders);
- shared patterns (info@, sales@, service@ ...) are always hubs;
- any other value becomes a hub once the records holding it (in the graph plus the batch so far)
  belong to more than ``max_customers`` customers (a company switchboard shared by colleagues the
  engine told apart by name), or once more than ``max_records`` records hold it.

A hub agreement lands in a comparison's ``hub`` level, whose weight is small, instead of ``exact``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching.record import MatchRecord
from custgraph.vocabulary import IDENTIFIER_FIELDS


class HubSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: list[str] = Field(default_factory=lambda: list(IDENTIFIER_FIELDS))
    max_records: int = Field(20, ge=2)  # more records than this hold the value: a hub
    max_customers: int = Field(1, ge=1)  # more customers than this hold the value: a hub
    placeholders: dict[str, list[str]] = Field(default_factory=dict)  # field -> full-match regexes
    shared: dict[str, list[str]] = Field(default_factory=dict)  # field -> full-match regexes

    @field_validator("placeholders", "shared")
    @classmethod
    def _valid_regexes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for field, patterns in value.items():
            for pattern in patterns:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{field}: bad regular expression {pattern!r}: {exc}") from None
        return value

    @cached_property
    def _placeholder_res(self) -> dict[str, list[re.Pattern[str]]]:
        return _compiled(self.placeholders)

    @cached_property
    def _shared_res(self) -> dict[str, list[re.Pattern[str]]]:
        return _compiled(self.shared)

    @cached_property
    def _placeholder_memo(self) -> dict[tuple[str, str], bool]:
        return {}  # values repeat across pairs; a dict lookup beats running the patterns again

    def is_placeholder(self, field: str, value: str) -> bool:
        return _matches(self._placeholder_memo, self._placeholder_res, field, value)

    @cached_property
    def _shared_memo(self) -> dict[tuple[str, str], bool]:
        return {}

    def is_shared(self, field: str, value: str) -> bool:
        return _matches(self._shared_memo, self._shared_res, field, value)

    @cached_property
    def _held_key(self) -> tuple[str, object]:
        return ("#hub values", object())  # these settings' cache slot on a record: never another's

    def held_values(self, rec: MatchRecord) -> tuple[tuple[str, str], ...]:
        """The record's valid (field, value) pairs of the hub fields, computed once per record."""
        key = self._held_key
        held = rec._keys.get(key)
        if held is None:
            held = rec._keys[key] = tuple(
                (field, value) for field in self.fields if (value := self.valid_identifier(rec, field)) is not None
            )
        return held

    def valid_identifier(self, rec: MatchRecord, field: str) -> str | None:
        """The record's value for an identifier field, or None when missing or a placeholder."""
        value = rec.key(field)
        return None if value is None or self.is_placeholder(field, value) else value


MEMO_SIZE = 200_000  # values remembered per memo; a long import meets millions, so it starts over


def _matches(
    memo: dict[tuple[str, str], bool], compiled: Mapping[str, list[re.Pattern[str]]], field: str, value: str
) -> bool:
    """Whether ``value`` fully matches one of ``field``'s patterns, remembered in ``memo`` (bounded)."""
    patterns = compiled.get(field)
    if patterns is None:
        return False
    key = (field, value)
    found = memo.get(key)
    if found is None:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        found = memo[key] = any(p.fullmatch(value) for p in patterns)
    return found


def _compiled(patterns: Mapping[str, list[str]]) -> dict[str, list[re.Pattern[str]]]:
    # compiled one by one: back-references such as (\d)\1 must not be renumbered by a union
    return {f: [re.compile(p, re.IGNORECASE) for p in ps] for f, ps in patterns.items()}


class HubDetector:
    """Tracks who holds each identifier value; answers is_hub while pairs are scored.

    A value is a hub when it matches a shared pattern, when more than ``max_records`` records hold
    it, or when the records holding it already belong to more than ``max_customers`` customers:
    the engine kept them apart despite the shared value, so the value does not identify anyone.
    Customers are looked up at question time (``customer_of``), so merges are taken into account.
    """

    def __init__(
        self,
        settings: HubSettings,
        counts: Mapping[tuple[str, str], int] | None = None,
        customer_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self.settings = settings
        self.counts: Counter[tuple[str, str]] = Counter(counts or {})
        self.holders: dict[tuple[str, str], list[str]] = {}
        self.customer_of = customer_of

    def add(self, rec: MatchRecord, *, count: bool = True) -> None:
        """Register rec as a holder of its identifier values (and count it unless counted already)."""
        counts, holders = self.counts, self.holders
        for key in self.settings.held_values(rec):
            if count:
                counts[key] += 1
            holders.setdefault(key, []).append(rec.uid)

    def is_hub(self, field: str, value: str) -> bool:
        settings = self.settings
        key = (field, value)
        if settings.is_shared(field, value) or self.counts[key] > settings.max_records:
            return True
        holders = self.holders.get(key)
        if self.customer_of is None or not holders or len(holders) <= settings.max_customers:
            return False
        customers = {self.customer_of(uid) for uid in holders}
        customers.discard(None)
        return len(customers) > settings.max_customers
