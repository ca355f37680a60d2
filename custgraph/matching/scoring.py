"""Pair scoring: comparison vector, Fellegi-Sunter probability, combination rules, review decisions.

Order of authority for a pair's band: a steward's decision (MERGE / SEPARATE) first, then the first
combination rule that fires, then the probability's band. The probability is always reported, so
an override stays visible in the evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np

from custgraph.matching.bands import BAND_RANK, Band
from custgraph.matching.combination_rules import CompiledRule
from custgraph.matching.fellegi_sunter import TermFrequencies, WeightTable, probability
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules

Decision = Literal["MERGE", "SEPARATE"]
FS_RULE = "fellegi_sunter"
MERGE_RULE = "decision_merge"
SEPARATE_RULE = "decision_separate"
# A pair counts as surely below the review band when its weight is this far (bits) under the weight
# whose probability is the review threshold: far more than any rounding between numpy and Python.
SURE_MARGIN = 1e-6


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
    uid_b: str | None = None  # the customer's record this value was compared with

    def to_dict(self) -> dict[str, Any]:
        # by hand: ``dataclasses.asdict`` copies recursively, and an import writes one per pair field
        return {name: getattr(self, name) for name in _EVIDENCE_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FieldEvidence:
        return cls(**data)


_EVIDENCE_FIELDS = tuple(f.name for f in fields(FieldEvidence))


@dataclass(frozen=True, slots=True)
class PairScore:
    gamma: tuple[int, ...]  # level per comparison
    weights: tuple[float, ...]  # log2 Bayes factor per comparison (term frequencies applied)
    weight: float  # prior + sum of weights
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
        self.compiled = compiled
        self.comparisons = compiled.comparisons
        self.combination_rules = compiled.combination_rules
        self.identifier_levels = compiled.identifier_levels
        self.table = WeightTable(rules, params)
        self.hubs = hubs
        self.decisions = decisions or {}
        widest = max(len(row) for row in self.table.weights)
        self._weights = np.zeros((len(self.table.weights), widest))
        for index, row in enumerate(self.table.weights):
            self._weights[index, : len(row)] = row
        self._tf_by_comparison: dict[int, list[tuple[int, TermFrequencies]]] = {}
        for (index, level), tf in self.table.term_frequencies.items():
            self._tf_by_comparison.setdefault(index, []).append((level, tf))
        review = rules.bands.review
        self._review_weight = math.log2(review / (1.0 - review))
        self._first_rule: dict[tuple[int, ...], tuple[bool, bool]] = {}
        self._vector_facts: dict[tuple[int, ...], tuple[int, CompiledRule | None]] = {}
        self._rule_masks: dict[tuple[int, ...], tuple[int, int, int]] = {}
        # per combination rule: its conditions as (bit, the null level accepted) for the masks below
        self._rule_bits: list[tuple[CompiledRule, list[tuple[int, bool]]]] = []
        bit = 0
        for rule in self.combination_rules:
            self._rule_bits.append((rule, [(1 << (bit + k), 0 in accepted) for k, (_, accepted) in
                                           enumerate(rule.conditions)]))  # fmt: skip
            bit += len(rule.conditions)

    def gamma(self, a: MatchRecord, b: MatchRecord) -> tuple[int, ...]:
        hubs = self.hubs
        base_a, base_b = self.compiled.base_values(a), self.compiled.base_values(b)
        return tuple(
            0 if va is None or vb is None else c.level_of(a, b, va, vb, hubs)
            for c, va, vb in zip(self.comparisons, base_a, base_b, strict=True)
        )

    def level_weights(self, a: MatchRecord, b: MatchRecord, gamma: tuple[int, ...]) -> tuple[float, ...]:
        weights = [row[level] for row, level in zip(self.table.weights, gamma, strict=True)]
        for (index, level), tf in self.table.term_frequencies.items():
            if gamma[index] == level:
                weights[index] = tf.weight(a)
        return tuple(weights)

    def decision(self, a: MatchRecord, b: MatchRecord) -> Decision | None:
        return self.decisions.get(frozenset((a.uid, b.uid))) if self.decisions else None

    def score(self, a: MatchRecord, b: MatchRecord) -> PairScore:
        gamma = self.gamma(a, b)
        return self.classify(gamma, self.level_weights(a, b, gamma), self.decision(a, b))

    def classify(
        self,
        gamma: tuple[int, ...],
        weights: tuple[float, ...],
        decision: Decision | None = None,
        total: float | None = None,
    ) -> PairScore:
        """Weight, probability and band of a comparison vector (a pair's, or a profile's).

        ``total``: ``sum(weights)`` when the caller has it already."""
        weight = self.table.prior_weight + (sum(weights) if total is None else total)
        prob = probability(weight)
        found = self._vector_facts.get(gamma)
        if found is None:
            found = self._vector_facts[gamma] = self._facts(gamma)
        rank, rule = found
        if decision == "MERGE":
            return PairScore(gamma, weights, weight, prob, "matched", MERGE_RULE, rank)
        if decision == "SEPARATE":
            return PairScore(gamma, weights, weight, prob, "new", SEPARATE_RULE, rank)
        band = self.rules.bands.band(prob)
        if rule is not None and not (rule.cap and BAND_RANK[band] <= BAND_RANK[rule.band]):
            return PairScore(gamma, weights, weight, prob, rule.band, rule.name, rank)
        return PairScore(gamma, weights, weight, prob, band, FS_RULE, rank)

    def _facts(self, gamma: tuple[int, ...]) -> tuple[int, CompiledRule | None]:
        """(identifier rank, first combination rule that fires) of a comparison vector."""
        rank = len(self.rules.identifiers)
        for priority, (index, levels) in enumerate(self.identifier_levels):
            if gamma[index] in levels:
                rank = priority
                break
        return rank, next((rule for rule in self.combination_rules if rule.fires(gamma)), None)

    def many_weights(
        self, levels: np.ndarray, owners: np.ndarray, records: Sequence[MatchRecord]
    ) -> tuple[np.ndarray, np.ndarray]:
        """``level_weights`` of many pairs (rows of ``levels``, hub levels decided) and their sums.

        ``owners[k]`` indexes ``records``: the side-a record of pair k, whose values set the
        term-frequency weights. The sums are taken column by column in comparison order, as
        ``sum(level_weights(...))`` adds them: the same numbers, bit for bit.
        """
        n = len(levels)
        weights = np.empty(levels.shape, dtype=np.float64)
        total = np.zeros(n)
        for index in range(levels.shape[1]):
            column = self._weights[index][levels[:, index]]
            for level, tf in self._tf_by_comparison.get(index, ()):
                hit = np.flatnonzero(levels[:, index] == level)
                if len(hit):
                    unique, inverse = np.unique(owners[hit], return_inverse=True)
                    values = np.array([tf.weight(records[o]) for o in unique.tolist()])
                    column[hit] = values[inverse.reshape(-1)]
            weights[:, index] = column
            total = total + column
        return weights, total

    def surely_new(self, levels: np.ndarray, keys: np.ndarray, total: np.ndarray) -> np.ndarray:
        """Pairs (rows of ``levels``, hub levels decided, weights summing to ``total``) that
        ``classify`` puts in the ``new`` band without a decision, whatever the rounding: the first
        combination rule that fires is a veto, or no rule (or a ceiling) lets the probability
        decide and the weight is clearly under the review threshold. ``keys``: the rows' pattern
        keys (equal rows, equal keys)."""
        low = self.table.prior_weight + total < self._review_weight - SURE_MARGIN
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        veto, free = np.zeros(len(unique), dtype=bool), np.zeros(len(unique), dtype=bool)
        memo = self._first_rule
        for u, row in enumerate(first.tolist()):
            gamma = tuple(levels[row].tolist())
            found = memo.get(gamma)
            if found is None:
                found = memo[gamma] = self._rule_verdict(gamma)
            veto[u], free[u] = found
        inverse = inverse.reshape(-1)
        return veto[inverse] | (free[inverse] & low)

    def rule_masks(self, gamma: tuple[int, ...]) -> tuple[int, int, int]:
        """Per condition of every combination rule (one bit each), whether this vector's level
        there is null or accepted, is not null, and is accepted and not null."""
        found = self._rule_masks.get(gamma)
        if found is None:
            ok = known = hit = 0
            for rule, bits in self._rule_bits:
                for (bit, _), (index, accepted) in zip(bits, rule.conditions, strict=True):
                    level = gamma[index]
                    if level:
                        known |= bit
                        if level in accepted:
                            ok |= bit
                            hit |= bit
                    else:
                        ok |= bit
            found = self._rule_masks[gamma] = (ok, known, hit)
        return found

    def profile_vetoed(self, gammas: Sequence[tuple[int, ...]]) -> bool:
        """The profile of these vectors (``profile``) is surely vetoed: whichever record each of its
        levels comes from, the first combination rule that fires on it is a veto (band ``new``, not
        a ceiling). A profile level is one of the records' levels there (null if all are null), so
        a condition surely holds when every record's level is null or accepted (and one is not null,
        or null is accepted), and surely fails when no record's level is accepted and not null (and
        one is not null, or null is not accepted). False when that does not decide it."""
        ok, known, hit = -1, 0, 0
        for gamma in gammas:
            g_ok, g_known, g_hit = self.rule_masks(gamma)
            ok &= g_ok
            known |= g_known
            hit |= g_hit
        for rule, bits in self._rule_bits:
            if all(ok & bit and (null_ok or known & bit) for bit, null_ok in bits):
                return rule.band == "new" and not rule.cap
            if not any(not hit & bit and (not null_ok or known & bit) for bit, null_ok in bits):
                return False  # it may fire or not: only the profile tells
        return False

    def _rule_verdict(self, gamma: tuple[int, ...]) -> tuple[bool, bool]:
        """(the first rule that fires vetoes, no rule or a ceiling leaves the band to the probability)."""
        for rule in self.combination_rules:
            if rule.fires(gamma):
                return (rule.band == "new" and not rule.cap, rule.cap)
        return False, True

    def profile(
        self, pairs: Sequence[tuple[tuple[int, ...], tuple[float, ...]]]
    ) -> tuple[tuple[int, ...], tuple[float, ...], tuple[int, ...]]:
        """A record against a whole customer: per comparison, the best level over its records.

        ``pairs`` holds (gamma, weights) of the record against each of the customer's candidate
        records. Returns (levels, weights, index of the record each comparison came from). A record
        agrees with a customer on a field if it agrees with any of the customer's values; it
        disagrees only if it disagrees with all of them. Records missing the field do not count,
        so one contradicting record is not outvoted by records that simply lack the value.
        """
        if len(pairs) == 1:
            gamma, weights = pairs[0]
            return gamma, weights, (0,) * len(gamma)
        levels, weights, sources = [], [], []
        for i in range(len(self.comparisons)):
            best_level, best_weight, best_source = 0, 0.0, 0
            for j, (gamma, pair_weights) in enumerate(pairs):
                level = gamma[i]
                if level and (best_level == 0 or pair_weights[i] > best_weight):
                    best_level, best_weight, best_source = level, pair_weights[i], j
            levels.append(best_level)
            weights.append(best_weight)
            sources.append(best_source)
        return tuple(levels), tuple(weights), tuple(sources)

    def evidence(
        self, a: MatchRecord, others: MatchRecord | Sequence[MatchRecord], score: PairScore
    ) -> list[FieldEvidence]:
        """Per-comparison evidence; ``others`` is one record, or one per comparison (a profile)."""
        out = []
        base_values = self.compiled.base_values  # each comparison's value of a record, cached
        values_a = base_values(a)
        one = isinstance(others, MatchRecord)
        values_b = base_values(others) if one else None
        for i, (comparison, level) in enumerate(zip(self.comparisons, score.gamma, strict=True)):
            b = others if one else others[i]
            va, vb = values_a[i], (values_b if one else base_values(b))[i]
            measure = comparison.measures[level]
            out.append(
                FieldEvidence(
                    comparison=comparison.name,
                    field=comparison.identity,
                    level=comparison.labels[level],
                    weight=round(score.weights[i], 3),
                    value_a=va,
                    value_b=vb,
                    similarity=measure(a, b) if measure is not None else None,
                    uid_b=b.uid if level else None,
                )
            )
        return out
