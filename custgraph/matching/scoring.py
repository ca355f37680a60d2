"""Pair scoring: comparison vector, Fellegi-Sunter probability, combination rules, review decisions.

Order of authority for a pair's band: a steward's decision (MERGE / SEPARATE) first, then the first
combination rule that fires, then the probability's band. The probability is always reported, so
an override stays visible in the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from custgraph.matching.bands import Band
from custgraph.matching.fellegi_sunter import WeightTable, probability
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules

Decision = Literal["MERGE", "SEPARATE"]
FS_RULE = "fellegi_sunter"
MERGE_RULE = "decision_merge"
SEPARATE_RULE = "decision_separate"


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """What one comparison contributed to a pair's score."""

    comparison: str
    field: str
    level: str  # label of the level the pair landed in
    weight: float  # log2 Bayes factor added to the match weight (0 for null)
    value_a: str | None
    value_b: str | None
    similarity: float | None = None  # the number behind a fuzzy level (similarity, edits, days)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldEvidence:
        return cls(**data)


@dataclass(frozen=True, slots=True)
class PairScore:
    gamma: tuple[int, ...]
    weight: float
    probability: float
    band: Band
    rule: str
    identifier_rank: int  # priority of the best identifier the pair shares; len(priority) if none


class PairScorer:
    def __init__(
        self,
        rules: Rules,
        params: ModelParams,
        hubs: HubDetector,
        decisions: Mapping[frozenset[str], Decision] | None = None,
    ) -> None:
        self.rules = rules
        compiled = rules.compiled
        self.comparisons = compiled.comparisons
        self.combination_rules = compiled.combination_rules
        self.identifier_levels = compiled.identifier_levels
        self.table = WeightTable(rules, params)
        self.hubs = hubs
        self.decisions = decisions or {}

    def gamma(self, a: MatchRecord, b: MatchRecord) -> tuple[int, ...]:
        hubs = self.hubs
        return tuple(c.level(a, b, hubs) for c in self.comparisons)

    def score(self, a: MatchRecord, b: MatchRecord) -> PairScore:
        gamma = self.gamma(a, b)
        weight = self.table.match_weight(gamma)
        prob = probability(weight)
        rank = len(self.rules.identifiers)
        for priority, (index, levels) in enumerate(self.identifier_levels):
            if gamma[index] in levels:
                rank = priority
                break
        decision = self.decisions.get(frozenset((a.uid, b.uid))) if self.decisions else None
        if decision == "MERGE":
            return PairScore(gamma, weight, prob, "matched", MERGE_RULE, rank)
        if decision == "SEPARATE":
            return PairScore(gamma, weight, prob, "new", SEPARATE_RULE, rank)
        for rule in self.combination_rules:
            if rule.fires(gamma):
                return PairScore(gamma, weight, prob, rule.band, rule.name, rank)
        return PairScore(gamma, weight, prob, self.rules.bands.band(prob), FS_RULE, rank)

    def evidence(self, a: MatchRecord, b: MatchRecord, gamma: tuple[int, ...]) -> list[FieldEvidence]:
        out = []
        for comparison, weights, level in zip(self.comparisons, self.table.weights, gamma, strict=True):
            va, vb = comparison.values(a, b)
            measure = comparison.measures[level]
            out.append(
                FieldEvidence(
                    comparison=comparison.name,
                    field=comparison.field,
                    level=comparison.labels[level],
                    weight=round(weights[level], 3),
                    value_a=va,
                    value_b=vb,
                    similarity=measure(a, b) if measure is not None else None,
                )
            )
        return out
