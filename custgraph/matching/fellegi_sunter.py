"""Fellegi-Sunter scoring: per-level weights log2(m/u), summed with the prior into a match weight.

A pair's comparison vector (gamma: one level index per comparison) maps to

    match weight = log2(prior / (1 - prior)) + sum over comparisons of log2(m[level] / u[level])

and the match probability is 1 / (1 + 2**-weight). The null level weighs 0: a missing value is
no evidence. A level with a fixed ``weight`` in the rules file keeps it whatever the data says.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from custgraph.matching.params import ModelParams

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


class WeightTable:
    """Weights for every (comparison, level), ready for the hot path."""

    def __init__(self, rules: Rules, params: ModelParams) -> None:
        self.prior_weight = math.log2(params.prior / (1.0 - params.prior))
        self.weights: list[tuple[float, ...]] = []
        for comparison in rules.comparisons:
            m, u = params.for_comparison(comparison)
            row = [0.0]  # null level
            for level, m_l, u_l in zip(comparison.levels, m, u, strict=True):
                row.append(level.weight if level.weight is not None else bayes_factor_weight(m_l, u_l))
            self.weights.append(tuple(row))

    def match_weight(self, gamma: Sequence[int]) -> float:
        weights = self.weights
        return self.prior_weight + sum(weights[i][level] for i, level in enumerate(gamma))
