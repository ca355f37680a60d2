"""Fellegi-Sunter scoring: per-level weights log2(m/u), summed with the prior into a match weight.

A pair's comparison vector (gamma: one level index per comparison) maps to

    match weight = log2(prior / (1 - prior)) + sum over comparisons of log2(m[level] / u[level])

and the match probability is 1 / (1 + 2**-weight). On comparisons with term frequencies, the exact
level's u is the share of records holding the agreed value instead of the average. The null level weighs 0: a missing value is
no evidence. A level with a fixed ``weight`` in the rules file keeps it whatever the data says.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

# Probabilities are clamped away from 0 so one unseen level cannot veto everything else.
PROBABILITY_FLOOR = 1e-9


def bayes_factor_weight(m: float, u: float) -> float:
    return math.log2(max(m, PROBABILITY_FLOOR) / max(u, PROBABILITY_FLOOR))


def probability(weight: float) -> float:
    if weight < -60:
        return 0.0
    if weight > 60:
        return 1.0
    return 1.0 / (1.0 + 2.0**-weight)


def tf_key(field: str, transform: str) -> str:
    """Name of a term-frequency table in the params: 'field:transform'."""
    return f"{field}:{transform}"


@dataclass(frozen=True, slots=True)
class TermFrequencies:
    m: float  # of the level adjusted
    shares: Mapping[str, float]  # value -> share of records holding it
    default: float  # share of any value not listed
    value: Callable[[MatchRecord], str | None]  # the agreed value, read from one record

    def weight(self, rec: MatchRecord) -> float:
        """log2(m / share of the agreed value): how often non-matches agree on this very value."""
        value = self.value(rec)
        share = self.shares.get(value, self.default) if value is not None else self.default
        return bayes_factor_weight(self.m, share)


class WeightTable:
    """Weights for every (comparison, level), ready for the hot path."""

    def __init__(self, rules: Rules, params: ModelParams) -> None:
        self.prior_weight = math.log2(params.prior / (1.0 - params.prior))
        self.weights: list[tuple[float, ...]] = []
        # (comparison index, level) -> term frequencies replacing that level's average u
        self.term_frequencies: dict[tuple[int, int], TermFrequencies] = {}
        for index, comparison in enumerate(rules.comparisons):
            m, u = params.for_comparison(comparison)
            row = [0.0]  # null level
            for level, m_l, u_l in zip(comparison.levels, m, u, strict=True):
                row.append(level.weight if level.weight is not None else bayes_factor_weight(m_l, u_l))
            self.weights.append(tuple(row))
            for level_index, (field, transform) in comparison.tf_sources().items():
                level = comparison.levels[level_index - 1]
                table = params.tf.get(tf_key(field, transform))
                if table and level.weight is None:
                    value = level.agreed_value(comparison.field, comparison.key)
                    tf = TermFrequencies(m[level_index - 1], table["values"], table["default"], value)
                    self.term_frequencies[(index, level_index)] = tf
