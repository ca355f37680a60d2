"""Comparison levels as data (the Splink comparison_level_library, for our engine).

A comparison is an ordered list of levels, best first: an implicit ``null`` level (either side
missing, weight 0), the configured levels, and a final ``else``. A pair lands in the first level
whose test passes. Thresholds are validated when the rules are loaded, never at scoring time.

A level compares the comparison's field through the comparison's transform unless it names its
own ``key`` (transform) or ``field`` (e.g. the given-name comparison has a level on
``full_name:pinyin``, which catches "WangXiaojun" against 王晓军).

Each level may carry default ``m``/``u`` probabilities (used until EM has estimated them from the
data) or a fixed ``weight`` (a log2 Bayes factor that EM leaves alone: a rule-book override).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching import comparators
from custgraph.matching.keys import check_transform, has_han
from custgraph.matching.record import MatchRecord


class HubView(Protocol):
    def is_hub(self, field: str, value: str) -> bool: ...


# test(a, b, value_a, value_b, hubs): the values are the comparison's base keys, already non-null.
LevelTest = Callable[[MatchRecord, MatchRecord, str, str, HubView], bool]
# The number behind a level (similarity, edit distance, days) for explanations.
LevelMeasure = Callable[[MatchRecord, MatchRecord], float | None]
# The test of a level on the two values it compares (both present).
PairTest = Callable[[str, str], bool]
# The two values a level compares, from the records and the comparison's base values.
_Values = Callable[[MatchRecord, MatchRecord, str, str], tuple[str | None, str | None]]

NULL_LABEL = "null"


class _Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str | None = Field(None, pattern=r"^[A-Za-z0-9_<>=.\-]+$")
    field: str | None = None  # compare this (virtual) field instead of the comparison's
    key: str | None = None  # transform for this level; None = the comparison's
    m: float | None = Field(None, gt=0, lt=1)
    u: float | None = Field(None, gt=0, lt=1)
    weight: float | None = Field(None, ge=-50, le=50)
    # Splink's term-frequency adjustment: u becomes the share of records holding the agreed value
    # in this (virtual) field, so agreeing on 李 or "smith" proves less than agreeing on a rare name.
    # "field" counts values under the level's own key; "field:transform" under another one, e.g.
    # given_name:pinyin, so that "jun" in Latin letters counts as common as 军 and 君 together.
    term_frequency: str | None = None

    @field_validator("key")
    @classmethod
    def _known_transform(cls, value: str | None) -> str | None:
        return None if value is None else check_transform(value)

    @field_validator("term_frequency")
    @classmethod
    def _known_tf_transform(cls, value: str | None) -> str | None:
        if value is not None and ":" in value:
            check_transform(value.partition(":")[2])
        return value

    def _tf_transform(self, base_key: str) -> str:
        _, _, transform = (self.term_frequency or "").partition(":")
        return transform or self.key or base_key

    def default_label(self) -> str:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return self.label or self.default_label()

    @property
    def own_values(self) -> bool:
        """Compares something other than the comparison's base values."""
        return self.field is not None or self.key is not None

    def compile(self, field: str, base_key: str) -> LevelTest:
        """The level's test on a pair of records (both base values present)."""
        passes, values = self.pair_test(), self._values(field, base_key)
        if passes is None:
            raise NotImplementedError

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = values(a, b, va, vb)
            return ka is not None and kb is not None and passes(ka, kb)

        return test

    def pair_test(self) -> PairTest | None:
        """The test on the two compared values alone (both present), for levels that are just that.

        The record-by-record test (``compile``) and the column-wise one (``vectors``) both use it,
        so a pair lands in the same level either way.
        """
        return None

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        return None

    def tf_source(self, field: str, base_key: str) -> tuple[str, str] | None:
        """(field, transform) whose value shares adjust this level, or None."""
        if self.term_frequency is None:
            return None
        return self.term_frequency.partition(":")[0], self._tf_transform(base_key)

    def agreed_value(self, field: str, base_key: str) -> Callable[[MatchRecord], str | None]:
        """The value two records agree on at this level, read from one of them (for term frequencies)."""
        target, _ = self._describe(field, base_key)
        key = self._tf_transform(base_key)
        return lambda rec: rec.key(target, key)

    def _values(self, field: str, base_key: str) -> _Values:
        target, key = self.field or field, self.key or base_key
        if target == field and key == base_key:
            return lambda a, b, va, vb: (va, vb)
        return lambda a, b, va, vb: (a.key(target, key), b.key(target, key))

    def _describe(self, field: str, base_key: str) -> tuple[str, str]:
        return self.field or field, self.key or base_key

    def _suffix(self) -> str:
        parts = [p for p in (self.field, self.key) if p]
        return ("_" + "_".join(parts)) if parts else ""


class ExactLevel(_Level):
    type: Literal["exact"] = "exact"

    def default_label(self) -> str:
        return "exact" + self._suffix()

    def compile(self, field: str, base_key: str) -> LevelTest:
        if not self.own_values:
            return lambda a, b, va, vb, hubs: va == vb
        values = self._values(field, base_key)

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            ka, kb = values(a, b, va, vb)
            return ka is not None and ka == kb

        return test


class HubLevel(_Level):
    """Exact agreement on a value shared by many customers (switchboard, info@ mailbox): weak evidence."""

    type: Literal["hub"] = "hub"

    def default_label(self) -> str:
        return "hub"

    def compile(self, field: str, base_key: str) -> LevelTest:
        hub_field = self.field or field  # the identifier whose holders are counted
        return lambda a, b, va, vb, hubs: va == vb and hubs.is_hub(hub_field, va)


def in_hanzi(rec: MatchRecord, field: str) -> bool:
    raw = rec.key(field, "raw")
    return raw is not None and has_han(raw)


class CrossLevel(_Level):
    """Columns reversed: this field of one record agrees with ``other_field`` of the other (swapped names).

    Both crossings must agree where both can be tested: given=Wei/family=Zhang against
    given=Zhang/family=Wei is a swap; "Kai Chen" against 夏晨 shares one syllable, which is not.
    Two names both written in hanzi are never swapped (Chinese script puts the family name first),
    so 肖先生 against 高晓 is no swap although 肖 and 晓 are both "xiao".
    """

    type: Literal["cross"] = "cross"
    other_field: str
    threshold: float = Field(1.0, gt=0, le=1)  # jaro-winkler; 1.0 = exact

    def default_label(self) -> str:
        return "swapped" if self.threshold >= 1 else f"swapped_jw>={self.threshold:g}"

    def pair_test(self) -> PairTest:
        """Whether one crossed pair of values agrees (both directions must, where both are known)."""
        threshold = self.threshold
        if threshold >= 1:
            return str.__eq__
        jw = comparators.SIMILARITIES["jaro_winkler"]
        return lambda x, y: jw(x, y) >= threshold

    def compile(self, field: str, base_key: str) -> LevelTest:
        this, key = self._describe(field, base_key)
        other, close = self.other_field, self.pair_test()

        def test(a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> bool:
            if in_hanzi(a, this) and in_hanzi(b, this):
                return False
            tested = False
            for x, y in ((a.key(this, key), b.key(other, key)), (b.key(this, key), a.key(other, key))):
                if x is not None and y is not None:
                    if not close(x, y):
                        return False
                    tested = True
            return tested

        return test


class SimilarityLevel(_Level):
    type: Literal["jaro_winkler", "jaro", "ratio", "token_set_ratio", "token_sort_ratio", "partial_ratio"]
    threshold: float = Field(gt=0, le=1)

    def default_label(self) -> str:
        return f"{self.type}>={self.threshold:g}" + self._suffix()

    def pair_test(self) -> PairTest:
        metric, threshold = comparators.SIMILARITIES[self.type], self.threshold
        return lambda x, y: metric(x, y) >= threshold

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        metric, (target, key) = comparators.SIMILARITIES[self.type], self._describe(field, base_key)

        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            ka, kb = a.key(target, key), b.key(target, key)
            return None if ka is None or kb is None else round(metric(ka, kb), 4)

        return value


class DistanceLevel(_Level):
    type: Literal["levenshtein", "damerau_levenshtein"]
    max_distance: int = Field(ge=1, le=10)

    def default_label(self) -> str:
        return f"{self.type}<={self.max_distance}" + self._suffix()

    def pair_test(self) -> PairTest:
        metric, limit = comparators.DISTANCES[self.type], self.max_distance
        return lambda x, y: metric(x, y) <= limit

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        metric, (target, key) = comparators.DISTANCES[self.type], self._describe(field, base_key)

        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            ka, kb = a.key(target, key), b.key(target, key)
            return None if ka is None or kb is None else float(metric(ka, kb))

        return value


class ContainsLevel(_Level):
    """Keyword containment: one value inside the other, optionally only when both share a keyword."""

    type: Literal["contains"] = "contains"
    min_length: int = Field(2, ge=1)
    keywords: tuple[str, ...] = ()

    def default_label(self) -> str:
        return "contains" + self._suffix()

    def pair_test(self) -> PairTest:
        min_length, keywords = self.min_length, self.keywords

        def test(x: str, y: str) -> bool:
            if not comparators.contains(x, y, min_length):
                return False
            return not keywords or comparators.shares_keyword(x, y, keywords)

        return test


class PrefixLevel(_Level):
    """The values start alike for at least ``min_length`` characters.

    With ``key: company_letters`` this pairs 石家庄新锐网络科技 (shijiazhuangxinrui...) with
    "Shijiazhuang Xinrui Network Technology Co Ltd": the place and brand survive transliteration.
    """

    type: Literal["common_prefix"] = "common_prefix"
    min_length: int = Field(ge=2)

    def default_label(self) -> str:
        return f"prefix>={self.min_length}" + self._suffix()

    def pair_test(self) -> PairTest:
        min_length = self.min_length
        return lambda x, y: comparators.common_prefix_length(x, y) >= min_length


class MaskLevel(_Level):
    """A masked number (138****3378) agrees with another number on every visible digit."""

    type: Literal["mask"] = "mask"
    min_visible: int = Field(6, ge=3)

    def default_label(self) -> str:
        return "mask_agrees"

    def pair_test(self) -> PairTest:
        min_visible = self.min_visible
        return lambda x, y: comparators.mask_agrees(x, y, min_visible)


class InitialLevel(_Level):
    type: Literal["initial"] = "initial"

    def default_label(self) -> str:
        return "initial"

    def pair_test(self) -> PairTest:
        return comparators.is_initial_of


class DateDiffLevel(_Level):
    type: Literal["date_diff"] = "date_diff"
    max_days: int = Field(ge=1, le=36600)

    def default_label(self) -> str:
        return f"within_{self.max_days}d"

    def pair_test(self) -> PairTest:
        limit = self.max_days

        def test(x: str, y: str) -> bool:
            days = comparators.date_diff_days(x, y)
            return days is not None and days <= limit

        return test

    def measure(self, field: str, base_key: str) -> LevelMeasure | None:
        target, key = self._describe(field, base_key)

        def value(a: MatchRecord, b: MatchRecord) -> float | None:
            ka, kb = a.key(target, key), b.key(target, key)
            days = None if ka is None or kb is None else comparators.date_diff_days(ka, kb)
            return None if days is None else float(days)

        return value


class DayMonthSwapLevel(_Level):
    type: Literal["day_month_swap"] = "day_month_swap"

    def default_label(self) -> str:
        return "day_month_swap"

    def pair_test(self) -> PairTest:
        return comparators.day_month_swapped


class ElseLevel(_Level):
    type: Literal["else"] = "else"

    def default_label(self) -> str:
        return "else"

    def compile(self, field: str, base_key: str) -> LevelTest:
        return lambda a, b, va, vb, hubs: True


Level = Annotated[
    ExactLevel
    | HubLevel
    | CrossLevel
    | SimilarityLevel
    | DistanceLevel
    | ContainsLevel
    | PrefixLevel
    | MaskLevel
    | InitialLevel
    | DateDiffLevel
    | DayMonthSwapLevel
    | ElseLevel,
    Field(discriminator="type"),
]
