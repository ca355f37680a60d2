"""Comparison levels as data (the Splink comparison_level_library, for our engine).

A comparison is an ordered list of levels, best first: an implicit ``null`` level (either side
missing, weight 0), the configured levels, and a final ``else``. A pair lands in the first level
whose test passes. Thresholds are validated when the rules are loaded, never at scoring time.

Each level may carry default ``m``/``u`` probabilities (used until EM has estimated them from the
data) or a fixed ``weight`` (a log2 Bayes factor that EM leaves alone: a rule-book override).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching import comparators
from custgraph.matching.keys import check_transform
from custgraph.matching.record import MatchRecord


class HubView(Protocol):
    def is_hub(self, field: str, value: str) -> bool: ...


# test(a, b, value_a, value_b, hubs): the values are the comparison's base keys, already non-null.
LevelTest = Callable[[MatchRecord, MatchRecord, str, str, HubView], bool]
# similarity(a, b): the raw number behind the level (similarity, distance, days) for explanations.
LevelMeasure = Callable[[MatchRecord, MatchRecord], float | None]


class _Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str | None = Field(None, pattern=r"^[A-Za-z0-9_<>=.\-]+$")
    key: str | None = None  # transform of the comparison's field for this level; None = the comparison's
    m: float | None = Field(None, gt=0, lt=1)
    u: float | None = Field(None, gt=0, lt=1)
    weight: float | None = Field(None, ge=-50, le=50)

    @field_validator("key")
    @classmethod
    def _known_transform(cls, value: str | None) -> str | None:
        return None if value is None else check_transform(value)

    def default_label(self) -> str:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return self.label or self.default_label()

    def compile(self, field: str, base_key: str) -> LevelTest:
        raise NotImplementedError

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        return None

    def _keyed(self, base_key: str) -> str:
        return self.key or base_key


class ExactLevel(_Level):
    type: Literal["exact"] = "exact"

    def default_label(self) -> str:
        return "exact" if self.key is None else f"exact_{self.key}"

    def compile(self, field: str, base_key: str) -> LevelTest:
        if self.key is None or self.key == base_key:
            return lambda a, b, va, vb, hubs: va == vb
        key = self.key

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka = a.key(field, key)
            return ka is not None and ka == b.key(field, key)

        return test


class HubLevel(_Level):
    """Exact agreement on a value shared by many customers (switchboard, info@ mailbox): weak evidence."""

    type: Literal["hub"] = "hub"

    def default_label(self) -> str:
        return "hub"

    def compile(self, field: str, base_key: str) -> LevelTest:
        return lambda a, b, va, vb, hubs: va == vb and hubs.is_hub(field, va)


class CrossLevel(_Level):
    """Columns reversed: this field of one record agrees with ``other_field`` of the other (swapped names)."""

    type: Literal["cross"] = "cross"
    other_field: str
    threshold: float = Field(1.0, gt=0, le=1)  # jaro-winkler; 1.0 = exact

    def default_label(self) -> str:
        return "swapped" if self.threshold >= 1 else f"swapped_jw>={self.threshold:g}"

    def compile(self, field: str, base_key: str) -> LevelTest:
        key, other, threshold = self._keyed(base_key), self.other_field, self.threshold
        jw = comparators.SIMILARITIES["jaro_winkler"]

        def close(x: str | None, y: str | None) -> bool:
            if x is None or y is None:
                return False
            return x == y if threshold >= 1 else jw(x, y) >= threshold

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            return close(a.key(field, key), b.key(other, key)) or close(b.key(field, key), a.key(other, key))

        return test


class SimilarityLevel(_Level):
    type: Literal["jaro_winkler", "jaro", "ratio", "token_set_ratio", "token_sort_ratio", "partial_ratio"]
    threshold: float = Field(gt=0, le=1)

    def default_label(self) -> str:
        return f"{self.type}>={self.threshold:g}"

    def compile(self, field: str, base_key: str) -> LevelTest:
        metric, threshold, key = comparators.SIMILARITIES[self.type], self.threshold, self.key
        if key is None or key == base_key:
            return lambda a, b, va, vb, hubs: metric(va, vb) >= threshold

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = a.key(field, key), b.key(field, key)
            return ka is not None and kb is not None and metric(ka, kb) >= threshold

        return test

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        metric, key = comparators.SIMILARITIES[self.type], self._keyed(base_key)

        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            ka, kb = a.key(field, key), b.key(field, key)
            return None if ka is None or kb is None else round(metric(ka, kb), 4)

        return value


class DistanceLevel(_Level):
    type: Literal["levenshtein", "damerau_levenshtein"]
    max_distance: int = Field(ge=1, le=10)

    def default_label(self) -> str:
        return f"{self.type}<={self.max_distance}"

    def compile(self, field: str, base_key: str) -> LevelTest:
        metric, limit, key = comparators.DISTANCES[self.type], self.max_distance, self._keyed(base_key)

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = (va, vb) if key == base_key else (a.key(field, key), b.key(field, key))
            return ka is not None and kb is not None and metric(ka, kb) <= limit

        return test

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        metric, key = comparators.DISTANCES[self.type], self._keyed(base_key)

        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            ka, kb = a.key(field, key), b.key(field, key)
            return None if ka is None or kb is None else float(metric(ka, kb))

        return value


class ContainsLevel(_Level):
    """Keyword containment: one value inside the other, optionally only when both share a keyword."""

    type: Literal["contains"] = "contains"
    min_length: int = Field(2, ge=1)
    keywords: tuple[str, ...] = ()

    def default_label(self) -> str:
        return "contains"

    def compile(self, field: str, base_key: str) -> LevelTest:
        key, min_length, keywords = self._keyed(base_key), self.min_length, self.keywords

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = (va, vb) if key == base_key else (a.key(field, key), b.key(field, key))
            if ka is None or kb is None or not comparators.contains(ka, kb, min_length):
                return False
            return not keywords or comparators.shares_keyword(ka, kb, keywords)

        return test


class InitialLevel(_Level):
    type: Literal["initial"] = "initial"

    def default_label(self) -> str:
        return "initial"

    def compile(self, field: str, base_key: str) -> LevelTest:
        key = self._keyed(base_key)

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = (va, vb) if key == base_key else (a.key(field, key), b.key(field, key))
            return ka is not None and kb is not None and comparators.is_initial_of(ka, kb)

        return test


class DateDiffLevel(_Level):
    type: Literal["date_diff"] = "date_diff"
    max_days: int = Field(ge=1, le=36600)

    def default_label(self) -> str:
        return f"within_{self.max_days}d"

    def compile(self, field: str, base_key: str) -> LevelTest:
        limit = self.max_days

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            days = comparators.date_diff_days(va, vb)
            return days is not None and days <= limit

        return test

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            va, vb = a.key(field, base_key), b.key(field, base_key)
            days = None if va is None or vb is None else comparators.date_diff_days(va, vb)
            return None if days is None else float(days)

        return value


class DayMonthSwapLevel(_Level):
    type: Literal["day_month_swap"] = "day_month_swap"

    def default_label(self) -> str:
        return "day_month_swap"

    def compile(self, field: str, base_key: str) -> LevelTest:
        return lambda a, b, va, vb, hubs: comparators.day_month_swapped(va, vb)


class ElseLevel(_Level):
    type: Literal["else"] = "else"

    def default_label(self) -> str:
        return "else"

    def compile(self, field: str, base_key: str) -> LevelTest:
        return lambda a, b, va, vb, hubs: True


Level = Annotated[
    ExactLevel | HubLevel | CrossLevel | SimilarityLevel | DistanceLevel | ContainsLevel | InitialLevel
    | DateDiffLevel | DayMonthSwapLevel | ElseLevel,
    Field(discriminator="type"),
]

NULL_LABEL = "null"
