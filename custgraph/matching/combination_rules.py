"""Combination rules: deterministic overrides over comparison levels (the seeds' 手机号+公司名称).

A rule fires when every named comparison lands in one of the accepted levels; the first rule that
fires sets the pair's band, whatever the Fellegi-Sunter probability says. In the rules file::

    - name: mobile_company
      when: {mobile: exact, company: "ratio>=0.8+"}
      band: matched

``cap: true`` makes the band a ceiling instead: the pair's band is at most the rule's, so the rule
lowers a stronger probability band but never raises a weaker one (``name_only`` keeps a bare name
agreement out of ``matched`` without queueing every namesake for review).

``null`` names the implicit level "missing on either side". A label with a trailing ``+`` accepts
that level or any better one (earlier in the list) except a ``hub`` level: agreeing on a
switchboard number is listed early but proves little.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from custgraph.matching.bands import Band
from custgraph.matching.comparisons import Comparison
from custgraph.matching.levels import NULL_LABEL


class CombinationRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    when: dict[str, list[str]] = Field(min_length=1)
    band: Band = "matched"
    cap: bool = False  # the band is a ceiling, not a verdict
    description: str = ""

    @field_validator("when", mode="before")
    @classmethod
    def _single_labels(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    def compile(self, comparisons: Sequence[Comparison]) -> CompiledRule:
        """Resolve labels to level indexes; unknown comparisons or labels fail here, at load time."""
        by_name = {c.name: (i, c) for i, c in enumerate(comparisons)}
        conditions = []
        for comparison, wanted in self.when.items():
            if comparison not in by_name:
                raise ValueError(f"rule {self.name!r}: unknown comparison {comparison!r}")
            index, comp = by_name[comparison]
            labels = comp.labels
            hub_levels = {i for i, level in enumerate(comp.levels, 1) if level.type == "hub"}
            accepted: set[int] = set()
            for label in wanted:
                or_better = label.endswith("+")
                label = label.removesuffix("+")
                if label not in labels or (or_better and label == NULL_LABEL):
                    raise ValueError(f"rule {self.name!r}: {comparison} has no level {label!r} (levels: {labels[1:]})")
                level = labels.index(label)
                accepted.update(set(range(1, level + 1)) - hub_levels if or_better else {level})
            conditions.append((index, frozenset(accepted)))
        return CompiledRule(self.name, self.band, tuple(conditions), self.cap)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    name: str
    band: Band
    conditions: tuple[tuple[int, frozenset[int]], ...]
    cap: bool = False

    def fires(self, gamma: Sequence[int]) -> bool:
        return all(gamma[index] in accepted for index, accepted in self.conditions)
