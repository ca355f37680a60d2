"""Model parameters: the m and u probability of every comparison level, and the prior.

``m`` = P(level | the two records are the same customer), ``u`` = P(level | they are not). They
start as the defaults written in the rules file and are re-estimated from the data by ``train``.
Params are plain JSON (``to_dict``/``from_dict``) so the graph can persist them and every later
resolution — batch or one record — scores with exactly the same numbers.

Levels with ``term_frequency`` also get a table of value frequencies, keyed "field:transform" (the
frequent values only; every other value counts as seen once), so agreeing on 李 weighs less than
agreeing on 谢.

Params are keyed by comparison name and level labels; a comparison whose levels changed since
training silently falls back to its defaults rather than being scored with misaligned numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from custgraph.matching.comparisons import Comparison

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

PARAMS_FORMAT = 1


def default_probabilities(comparison: Comparison) -> tuple[list[float], list[float]]:
    """The rules file's m/u for each non-null level; levels without them get a generic shape."""
    n = len(comparison.levels)
    # Generic shape: agreement levels are likelier among matches (m halves level by level) and
    # rarer among non-matches (u grows level by level, 'else' holding most of the mass).
    generic_m = [0.5**i for i in range(1, n)] + [0.5 ** (n - 1) / 2]
    generic_u = [0.01 * 2**i for i in range(n - 1)]
    generic_u.append(max(1.0 - sum(generic_u), 0.5))
    m = [lv.m if lv.m is not None else g for lv, g in zip(comparison.levels, generic_m, strict=True)]
    u = [lv.u if lv.u is not None else g for lv, g in zip(comparison.levels, generic_u, strict=True)]
    return _normalized(m), _normalized(u)


def _normalized(values: list[float]) -> list[float]:
    total = sum(values)
    return [v / total for v in values]


@dataclass
class ModelParams:
    prior: float  # probability that two records compared at random are the same customer
    labels: dict[str, list[str]]  # comparison -> non-null level labels the vectors below follow
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    meta: dict[str, Any] = field(default_factory=dict)  # how the params were obtained
    # term frequencies: "field:transform" -> {"values": {value: share of records}, "default": share of
    # any other value, "mean": sum of squared shares}
    tf: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def defaults(cls, rules: Rules) -> ModelParams:
        labels, m, u = {}, {}, {}
        for comparison in rules.comparisons:
            labels[comparison.name] = comparison.labels[1:]
            m[comparison.name], u[comparison.name] = default_probabilities(comparison)
        tf = {key: table.as_params() for key, table in rules.term_frequencies.items()}
        return cls(rules.prior_match_probability, labels, m, u, {"source": "defaults"}, tf)

    def for_comparison(self, comparison: Comparison) -> tuple[list[float], list[float]]:
        """(m, u) for a comparison's non-null levels, falling back to defaults if the levels changed."""
        name = comparison.name
        if self.labels.get(name) == comparison.labels[1:] and name in self.m and name in self.u:
            return self.m[name], self.u[name]
        return default_probabilities(comparison)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PARAMS_FORMAT,
            "prior": self.prior,
            "comparisons": {
                name: {"labels": self.labels[name], "m": self.m[name], "u": self.u[name]} for name in self.labels
            },
            "meta": self.meta,
            "tf": self.tf,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelParams:
        if data.get("format") != PARAMS_FORMAT:
            raise ValueError(f"unsupported model params format {data.get('format')!r}")
        comparisons = data["comparisons"]
        return cls(
            prior=float(data["prior"]),
            labels={n: list(c["labels"]) for n, c in comparisons.items()},
            m={n: [float(x) for x in c["m"]] for n, c in comparisons.items()},
            u={n: [float(x) for x in c["u"]] for n, c in comparisons.items()},
            meta=dict(data.get("meta", {})),
            tf={
                n: {
                    "values": {str(k): float(v) for k, v in t["values"].items()},
                    "default": float(t["default"]),
                    "mean": float(t["mean"]),
                }
                for n, t in data.get("tf", {}).items()
            },
        )
