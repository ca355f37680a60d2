"""Comparisons: one field (or virtual field) compared through an ordered list of levels.

In the rules file a comparison looks like::

    - name: birth_date
      field: birth_date
      levels: [exact, {type: damerau_levenshtein, max_distance: 1}, day_month_swap, else]

A level given as a bare string is a level type with default settings. The implicit first level,
``null``, catches pairs where either side is missing (or is a placeholder identifier such as
13800000000): it carries no evidence either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from custgraph.matching.keys import check_transform
from custgraph.matching.levels import NULL_LABEL, HubView, Level, LevelMeasure, LevelTest
from custgraph.matching.record import MatchRecord

IsPlaceholder = Callable[[str | None], bool]  # tests a field's raw value


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    field: str = Field(min_length=1)
    # The identifier this comparison stands for, when its field is a virtual one built around it
    # (mobile_any = the mobile, or its masked form): placeholders and priority then follow it.
    identifier: str | None = None
    key: str = "raw"  # transform applied to the field before the levels see it
    description: str = ""
    levels: list[Level] = Field(min_length=2)

    @field_validator("key")
    @classmethod
    def _known_transform(cls, value: str) -> str:
        return check_transform(value)

    @field_validator("levels", mode="before")
    @classmethod
    def _expand_shorthand(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"type": v} if isinstance(v, str) else v for v in value]
        return value

    @model_validator(mode="after")
    def _check_levels(self) -> Comparison:
        kinds = [level.type for level in self.levels]
        if kinds[-1] != "else" or kinds.count("else") != 1:
            raise ValueError(f"comparison {self.name!r}: the last level, and only the last, must be 'else'")
        for level in self.levels:
            if level.term_frequency is not None and level.type not in ("exact", "cross"):
                raise ValueError(f"comparison {self.name!r}: term_frequency only applies to exact or cross levels")
        labels = self.labels
        if len(set(labels)) != len(labels):
            raise ValueError(f"comparison {self.name!r}: level labels must be unique, got {labels[1:]}")
        return self

    @property
    def identity(self) -> str:
        return self.identifier or self.field

    @property
    def labels(self) -> list[str]:
        """Level labels in order, the implicit null level first."""
        return [NULL_LABEL, *(level.name for level in self.levels)]

    def tf_sources(self) -> dict[int, tuple[str, str]]:
        """Level index -> (field, transform) of the term frequencies adjusting it."""
        out = {}
        for index, level in enumerate(self.levels, 1):
            source = level.tf_source(self.field, self.key)
            if source is not None:
                out[index] = source
        return out

    def compile(self, is_placeholder: IsPlaceholder | None = None) -> CompiledComparison:
        return CompiledComparison(
            name=self.name,
            field=self.field,
            identity=self.identity,
            base_key=self.key,
            labels=tuple(self.labels),
            tests=tuple(level.compile(self.field, self.key) for level in self.levels),
            measures=(None, *(level.measure(self.field, self.key) for level in self.levels)),
            is_placeholder=is_placeholder,
        )


@dataclass(frozen=True, slots=True)
class CompiledComparison:
    """The hot-path form of a Comparison: plain closures, no validation."""

    name: str
    field: str
    identity: str  # the identifier it stands for (hub counts, placeholders), usually the field
    base_key: str
    labels: tuple[str, ...]
    tests: tuple[LevelTest, ...]
    measures: tuple[LevelMeasure | None, ...]
    is_placeholder: IsPlaceholder | None = None

    def value(self, rec: MatchRecord) -> str | None:
        """The record's base key; None when missing or when the raw value is a placeholder."""
        value = rec.key(self.field, self.base_key)
        if value is not None and self.is_placeholder is not None and self.is_placeholder(rec.key(self.field)):
            return None
        return value

    def values(self, a: MatchRecord, b: MatchRecord) -> tuple[str | None, str | None]:
        return self.value(a), self.value(b)

    def level(self, a: MatchRecord, b: MatchRecord, hubs: HubView) -> int:
        """Index into ``labels`` of the first level the pair satisfies (0 = null)."""
        va, vb = self.values(a, b)
        if va is None or vb is None:
            return 0
        return self.level_of(a, b, va, vb, hubs)

    def level_of(self, a: MatchRecord, b: MatchRecord, va: str, vb: str, hubs: HubView) -> int:
        """As ``level``, with both base values already known to be present."""
        for index, test in enumerate(self.tests, 1):
            if test(a, b, va, vb, hubs):
                return index
        return len(self.tests)  # unreachable: the last test is 'else'
