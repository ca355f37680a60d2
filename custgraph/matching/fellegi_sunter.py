"""Fellegi-Sunter scoring: per-level weights log2(m/u), summed with the prior into a match weight.

A pair's comparison vector (gamma: one level index per comparison) maps to

    match weight = log2(prior / (1 - prior)) + sum over comparisons of log2(m[level] / u[level])

and the match probability is 1 / (1 + 2**-weight). The null level weighs 0: a missing value is no
evidence. A level with a fixed ``weight`` in the rules file keeps it whatever the data says. A level
with term frequencies is adjusted by how common the agreed value is (see TermFrequencies).
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
TF_MAX_ADJUSTMENT = 10.0  # bits a term frequency may add or take away


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
    base: float  # the level's own weight, log2(m / u)
    shares: Mapping[str, float]  # value -> share of records holding it
    default: float  # share of any value not listed
    mean: float  # expected share of the value two random records agree on (sum of squared shares)
    value: Callable[[MatchRecord], str | None]  # the agreed value, read from one record

    def weight(self, rec: MatchRecord) -> float:
        """The level's weight, plus log2(mean share / share of the agreed value), clamped.

        As in Splink: agreeing on a value twice as common as the average one is worth one bit
        less. For a plain exact level this is about log2(m / share of the value).
        """
        value = self.value(rec)
        share = self.shares.get(value, self.default) if value is not None else self.default
        adjustment = math.log2(max(self.mean, PROBABILITY_FLOOR) / max(share, PROBABILITY_FLOOR))
        return self.base + max(-TF_MAX_ADJUSTMENT, min(TF_MAX_ADJUSTMENT, adjustment))


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
                    tf = TermFrequencies(row[level_index], table["values"], table["default"], table["mean"], value)
                    self.term_frequencies[(index, level_index)] = tf
