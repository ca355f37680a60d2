"""Hub identifiers: values many customers share, which must not chain them into one.

Three kinds, from the rules file:
- placeholders (13800000000, 11111111111, test@test.com) are not identifiers at all: they are
  treated as missing, so they neither block nor score;
- shared patterns (info@, sales@, service@ ...) are always hubs;
- any other value held by more than ``max_records`` records (a company switchboard) becomes a hub
  once the graph, plus the batch so far, has seen it that often.

A hub agreement lands in a comparison's ``hub`` level, whose weight is small, instead of ``exact``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching.record import MatchRecord


class HubSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: list[str] = Field(default_factory=lambda: ["mobile", "phone", "email", "national_id", "credit_code"])
    max_records: int = Field(6, ge=2)
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
    def _placeholder_res(self) -> dict[str, re.Pattern[str]]:
        return _union(self.placeholders)

    @cached_property
    def _shared_res(self) -> dict[str, re.Pattern[str]]:
        return _union(self.shared)

    def is_placeholder(self, field: str, value: str) -> bool:
        pattern = self._placeholder_res.get(field)
        return pattern is not None and pattern.fullmatch(value) is not None

    def is_shared(self, field: str, value: str) -> bool:
        pattern = self._shared_res.get(field)
        return pattern is not None and pattern.fullmatch(value) is not None

    def valid_identifier(self, rec: MatchRecord, field: str) -> str | None:
        """The record's value for an identifier field, or None when missing or a placeholder."""
        value = rec.key(field)
        return None if value is None or self.is_placeholder(field, value) else value


def _union(patterns: Mapping[str, list[str]]) -> dict[str, re.Pattern[str]]:
    return {f: re.compile("|".join(f"(?:{p})" for p in ps), re.IGNORECASE) for f, ps in patterns.items() if ps}


class HubDetector:
    """Counts identifier values over the graph and the batch so far; answers is_hub during scoring."""

    def __init__(self, settings: HubSettings, counts: Mapping[tuple[str, str], int] | None = None) -> None:
        self.settings = settings
        self.counts: Counter[tuple[str, str]] = Counter(counts or {})

    def add(self, rec: MatchRecord) -> None:
        for field in self.settings.fields:
            value = self.settings.valid_identifier(rec, field)
            if value is not None:
                self.counts[(field, value)] += 1

    def is_hub(self, field: str, value: str) -> bool:
        return self.settings.is_shared(field, value) or self.counts[(field, value)] > self.settings.max_records

    def hub_values(self, rec: MatchRecord) -> list[tuple[str, str]]:
        out = []
        for field in self.settings.fields:
            value = self.settings.valid_identifier(rec, field)
            if value is not None and self.is_hub(field, value):
                out.append((field, value))
        return out
