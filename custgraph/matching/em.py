"""Estimating m, u and the prior from the data, the way Splink does, plus two corrections.

- Background frequencies: how often any two records land in each level. Plain ``exact`` levels
  are counted exactly from value frequencies (sum of c(c-1)/2 over values: a random sample
  rarely sees two records share a birth date); the other levels come from random record pairs.
- m (how often matches land in each level) and the share of matches: expectation-maximisation
  over the blocked candidate pairs, in Splink-style sessions: the pairs sharing an identifier
  teach how often matches share a name, the pairs sharing a name how often they share an
  identifier; each comparison's m pools the sessions that do not block on it. Identical comparison
  vectors are counted once and weighted, so an iteration costs the distinct vectors, not pairs.
- Correction 1, vetoes: pairs a veto rule (band ``new`` / ``review``) sends away are non-matches
  by policy; EM does not get to explain them as matches. Without this, colleagues who share a
  company, its address and its switchboard form a tight latent class that EM mistakes for people.
- Correction 2, u without the matches: background frequencies include the true matches, which
  on a few thousand records dominate rare levels (two records sharing a mobile are nearly always
  one person). The matches EM found at each level are subtracted before u is formed, and EM runs
  again with the corrected u.
- If EM finds almost no matches (a first import with no duplicates yet), the rules file's m and
  prior are kept: defaults that already work are better than estimates from nothing.
- Correction 3, the prior is bounded by what the identifiers prove (Splink's
  ``estimate_probability_two_random_records_match`` on deterministic rules): the pairs sharing a
  mobile (a mailbox ...), divided by how often a duplicate pair shares one (coverage² × m), count
  the duplicates; the prior is at most ``training.prior_bound_factor`` times that. Same-name,
  same-city people form a latent class EM takes for duplicates: on 20,000 distinct people it
  found 5,230 "matches" that share no mobile, and the prior it gave linked namesakes on a name and
  a city alone.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from custgraph.matching.blocking import blocking_keys, candidate_rows
from custgraph.matching.comparisons import Comparison, CompiledComparison
from custgraph.matching.fellegi_sunter import tf_key
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.vectors import MISSING, Table, plan_for

M_PSEUDO_COUNT = 1.0  # one imaginary match spread over the default m: no level is ever impossible
INITIAL_MATCH_SHARE = 0.05  # first guess of the share of matches among blocked pairs
U_ROUNDS = 3  # EM -> subtract matches from u -> EM again
TF_MAX_VALUES = 20000


@dataclass
class Background:
    """Level frequencies over all pairs of records with both values present (matches included)."""

    freq: dict[str, list[float]]  # comparison -> non-null level frequencies
    pairs: dict[str, float]  # comparison -> number of pairs with both values present
    floor: dict[str, list[float]]  # smallest believable u per level


def train(
    records: Sequence[MatchRecord],
    rules: Rules,
    *,
    params: ModelParams | None = None,
    identifier_counts: Mapping[tuple[str, str], int] | None = None,
) -> ModelParams:
    """Estimate u, m and the prior from ``records`` (see the module docstring)."""
    start = params or ModelParams.defaults(rules)
    ordered = sorted(records, key=lambda r: (r.seq, r.uid))
    n = len(ordered)
    if n < 2:
        return start
    hubs = HubDetector(rules.hubs, identifier_counts)
    if identifier_counts is None:
        for rec in ordered:
            hubs.add(rec)
    table = Table(plan_for(rules))
    table.add(ordered)  # row i is ordered[i]
    m0 = {c.name: start.for_comparison(c)[0] for c in rules.comparisons}
    u0 = {c.name: start.for_comparison(c)[1] for c in rules.comparisons}
    background = estimate_background(table, rules, hubs, u0)
    union, sessions = _blocked_patterns(table, rules, hubs)
    vetoed = {g for g in union if _vetoed(rules, g)}
    no_matches = {c.name: [0.0] * len(c.levels) for c in rules.comparisons}
    u = {c.name: _debiased_u(background, c, no_matches[c.name]) for c in rules.comparisons}
    m, share, iterations = m0, INITIAL_MATCH_SHARE, 0
    for _ in range(U_ROUNDS):
        pooled = {name: [0.0] * len(v) for name, v in m0.items()}
        for fixed, patterns in sessions:
            fit = expectation_maximisation(rules, patterns, vetoed, m0, u, INITIAL_MATCH_SHARE, fixed)
            iterations += fit.iterations
            for name, mass in fit.level_matches.items():
                if name not in fixed:
                    pooled[name] = [a + b for a, b in zip(pooled[name], mass, strict=True)]
        m = {name: _normalized_with_prior(pooled[name], m0[name]) for name in m0}
        # one E-step over every blocked pair: how many matches, and at which levels (to correct u)
        share, level_matches = e_step(rules, union, vetoed, m, u, INITIAL_MATCH_SHARE)
        u = {c.name: _debiased_u(background, c, level_matches[c.name]) for c in rules.comparisons}
    n_pairs = sum(union.values())
    expected_matches = share * n_pairs
    meta = {
        "source": "trained",
        "records": n,
        "blocked_pairs": n_pairs,
        "distinct_vectors": len(union),
        "vetoed_vectors": len(vetoed),
        "sessions": len(sessions),
        "em_iterations": iterations,
        "expected_matches": round(expected_matches, 1),
    }
    if expected_matches < rules.training.min_matches:
        meta["note"] = "too few matches to estimate m; kept the default m and prior"
        m, prior = m0, start.prior
        u = {c.name: _debiased_u(background, c, no_matches[c.name]) for c in rules.comparisons}
    else:
        prior = min(max(expected_matches / (n * (n - 1) / 2), 1e-12), 0.5)
    proven = identifier_matches(ordered, rules, m)
    if proven is not None and rules.training.prior_bound_factor > 0:
        meta["identifier_matches"] = round(proven, 1)
        bound = max(rules.training.prior_bound_factor * proven, 1.0) / (n * (n - 1) / 2)
        if prior > bound:
            meta["prior_bounded"] = f"{prior:.3g} -> {bound:.3g}"
            prior = bound
    labels = {c.name: c.labels[1:] for c in rules.comparisons}
    return ModelParams(prior, labels, m, u, meta, term_frequencies(ordered, rules))


def identifier_matches(records: Sequence[MatchRecord], rules: Rules, m: Mapping[str, Sequence[float]]) -> float | None:
    """How many duplicate pairs the identifiers prove: per identifier that enough records hold
    (``training.prior_bound_min_coverage``), the pairs sharing a value (hubs and shared values such
    as info@ left out) divided by the share of duplicate pairs expected to share it, coverage² × m
    of its exact level; the largest such count. None when no identifier is held widely enough."""
    n = len(records)
    settings, hubs = rules.training, rules.hubs
    best: float | None = None
    for index, exact in rules.compiled.identifier_levels:
        comparison = rules.comparisons[index]
        field = comparison.identity
        counts = Counter(
            value
            for rec in records
            if (value := hubs.valid_identifier(rec, field)) is not None and not hubs.is_shared(field, value)
        )
        coverage = sum(counts.values()) / n
        m_exact = sum(m[comparison.name][level - 1] for level in exact)
        if coverage < settings.prior_bound_min_coverage or m_exact <= 0:
            continue
        shared = sum(c * (c - 1) / 2 for c in counts.values() if c <= hubs.max_records)
        found = shared / (coverage * coverage * m_exact)
        best = found if best is None else max(best, found)
    return best


def term_frequencies(records: Sequence[MatchRecord], rules: Rules) -> dict[str, dict[str, Any]]:
    """Share of records holding each value, for every (field, transform) a level adjusts by.

    Only values held at least twice are listed (at most TF_MAX_VALUES); any other value counts as
    held once, which is what a value seen once or never is.
    """
    sources = {source for c in rules.comparisons for source in c.tf_sources().values()}
    out: dict[str, dict[str, Any]] = {}
    for field, transform in sorted(sources):
        key = tf_key(field, transform)
        counts = Counter(v for v in (r.key(field, transform) for r in records) if v is not None)
        total = sum(counts.values())
        if total >= rules.training.min_tf_records:
            shares = {v: c / total for v, c in counts.most_common(TF_MAX_VALUES) if c >= 2}
            mean = sum((c / total) ** 2 for c in counts.values())
            out[key] = {"values": shares, "default": 1 / total, "mean": mean}
        elif key in rules.term_frequencies:  # too few records to measure: the shipped shares
            out[key] = rules.term_frequencies[key].as_params()
    return out


Patterns = Counter[tuple[int, ...]]


def _blocked_patterns(
    table: Table, rules: Rules, hubs: HubDetector
) -> tuple[Patterns, list[tuple[frozenset[str], Patterns]]]:
    """Comparison vectors of all blocked pairs, and of each training session's pairs.

    A session takes the pairs sharing one of its blocking keys and does not estimate the
    comparisons it fixes: pairs that share a mobile say nothing about how often matches share a
    mobile, but a lot about how often they share a name (Splink's training sessions).

    The vectors are computed column-wise for all pairs at once, then counted per distinct vector,
    each listed where it first occurs among the pairs in blocking order (EM sums in that order).
    """
    records = table.records
    earlier, later = (np.array(rows, dtype=np.int64) for rows in candidate_rows(records, rules))
    levels, hub_bits = table.plan.gamma(table, earlier, later)
    table.plan.apply_hubs(table, levels, hub_bits, earlier, hubs)
    keys = table.plan.pattern_keys(levels)
    union = _count_patterns(levels, keys, None)
    configured = rules.training.sessions
    if not configured:
        return union, [(frozenset(), union)]
    key_codes = _blocking_key_codes(records, rules, {name for s in configured for name in s.blocking})
    sessions = []
    for session in configured:
        shared = np.zeros(len(earlier), dtype=bool)
        for name in session.blocking:
            codes = key_codes[name]
            ka, kb = codes[earlier], codes[later]
            shared |= (ka != MISSING) & (ka == kb)
        sessions.append((frozenset(session.fixed), _count_patterns(levels, keys, shared)))
    return union, sessions


def _count_patterns(levels: np.ndarray, keys: np.ndarray, where: np.ndarray | None) -> Patterns:
    """Distinct rows of ``levels`` (where ``where``) with their counts, in order of first occurrence."""
    rows = np.arange(len(keys)) if where is None else np.flatnonzero(where)
    patterns: Patterns = Counter()
    if not len(rows):
        return patterns
    _, first, counts = np.unique(keys[rows], return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    for row, count in zip(rows[first[order]].tolist(), counts[order].tolist(), strict=True):
        patterns[tuple(levels[row].tolist())] = count
    return patterns


def _blocking_key_codes(records: Sequence[MatchRecord], rules: Rules, names: set[str]) -> dict[str, np.ndarray]:
    """Per blocking rule, each record's key as an integer code (equal keys, equal codes)."""
    intern: dict[str, int] = {}
    codes = {name: np.full(len(records), MISSING, dtype=np.int64) for name in names}
    for i, rec in enumerate(records):
        for name, key in blocking_keys(rec, rules).items():
            if name in codes:
                codes[name][i] = intern.setdefault(key, len(intern))
    return codes


def _normalized_with_prior(mass: Sequence[float], prior: Sequence[float]) -> list[float]:
    values = [a + M_PSEUDO_COUNT * b for a, b in zip(mass, prior, strict=True)]
    total = sum(values)
    return [v / total for v in values]


def _vetoed(rules: Rules, gamma: tuple[int, ...]) -> bool:
    """The first combination rule that fires decides; a non-matched band is a veto."""
    for rule in rules.compiled.combination_rules:
        if rule.fires(gamma):
            # a ceiling (name_only) says "not certain", not "not a match": EM may still count it
            return rule.band != "matched" and not rule.cap
    return False


def estimate_background(
    table: Table,
    rules: Rules,
    hubs: HubDetector,
    u0: Mapping[str, list[float]],
) -> Background:
    settings = rules.training
    rng = random.Random(settings.seed)
    n = table.n
    rows_a, rows_b = [], []
    for _ in range(settings.random_pairs):
        i = rng.randrange(n)
        j = rng.randrange(n - 1)
        j += j >= i
        rows_a.append(i)
        rows_b.append(j)
    sample_a = np.array(rows_a, dtype=np.int64)
    levels, hub_bits = table.plan.gamma(table, sample_a, np.array(rows_b, dtype=np.int64))
    table.plan.apply_hubs(table, levels, hub_bits, sample_a, hubs)
    comparisons = rules.compiled.comparisons
    freq, pairs, floor = {}, {}, {}
    for index, (comparison, compiled) in enumerate(zip(rules.comparisons, comparisons, strict=True)):
        level_counts = np.bincount(levels[:, index], minlength=len(compiled.labels)).tolist()
        base = table.codes[table.plan.plans[index].base][:n]
        present = int(np.count_nonzero(base != MISSING))
        pairs[comparison.name] = present * (present - 1) / 2
        sampled = level_counts[1:]
        exact = _exact_frequencies(comparison, compiled, table, base, hubs)
        freq[comparison.name] = _mix(sampled, exact)
        seen = max(sum(sampled), 1)
        floor[comparison.name] = [
            0.5 / max(pairs[comparison.name], 1) if i in exact else min(u0[comparison.name][i], 0.5 / seen)
            for i in range(len(sampled))
        ]
    return Background(freq, pairs, floor)


def _exact_frequencies(
    comparison: Comparison, compiled: CompiledComparison, table: Table, base: np.ndarray, hubs: HubDetector
) -> dict[int, float]:
    """Exact frequency of the hub and plain exact levels from value counts (0-based level index).

    ``base``: every record's code of the comparison's base value."""
    plain = [i for i, lv in enumerate(comparison.levels) if lv.type == "exact" and not lv.own_values]
    if not plain or any(lv.type not in ("exact", "hub") for lv in comparison.levels[: plain[0]]):
        return {}
    codes, counts = np.unique(base[base != MISSING], return_counts=True)
    total = int(counts.sum())
    if total < 2:
        return {}
    pairs = total * (total - 1)
    hub_level = next((i for i, lv in enumerate(comparison.levels) if lv.type == "hub"), None)
    hub_mass = exact_mass = 0
    values = table.values
    for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
        if hub_level is not None and hubs.is_hub(compiled.identity, values[code]):
            hub_mass += count * (count - 1)
        else:
            exact_mass += count * (count - 1)
    out = {plain[0]: exact_mass / pairs}
    if hub_level is not None:
        out[hub_level] = hub_mass / pairs
    return out


def _mix(sampled: list[int], exact: Mapping[int, float]) -> list[float]:
    """Sampled level frequencies with the exactly known levels substituted."""
    rest_total = sum(c for i, c in enumerate(sampled) if i not in exact)
    fixed_mass = sum(exact.values())
    return [
        exact[i] if i in exact else ((1.0 - fixed_mass) * count / rest_total if rest_total else 0.0)
        for i, count in enumerate(sampled)
    ]


def _debiased_u(background: Background, comparison: Comparison, matches: Sequence[float]) -> list[float]:
    """u per level: background pairs at the level minus the matches EM placed there, floored."""
    name = comparison.name
    pairs = background.pairs[name]
    non_matches = max(pairs - sum(matches), 1.0)
    out = [
        max((freq * pairs - found) / non_matches, floor)
        for freq, found, floor in zip(background.freq[name], matches, background.floor[name], strict=True)
    ]
    total = sum(out)
    return [v / total for v in out]


@dataclass
class Fit:
    m: dict[str, list[float]]
    share: float
    iterations: int
    converged: bool
    level_matches: dict[str, list[float]]  # expected matches per comparison level


class _Flat:
    """(comparison, level) flattened into one index, so a vector is a short list of ints."""

    def __init__(self, rules: Rules, levels: Mapping[str, list[float]]) -> None:
        self.names = [c.name for c in rules.comparisons]
        self.offsets, self.size = [], 0
        for name in self.names:
            self.offsets.append(self.size)
            self.size += len(levels[name]) + 1  # + null

    def vectors(
        self, patterns: Mapping[tuple[int, ...], int], vetoed: set[tuple[int, ...]], skip: frozenset[int]
    ) -> list[tuple[list[int], int]]:
        offsets = self.offsets
        return [
            ([offsets[c] + level for c, level in enumerate(gamma) if level and c not in skip], count)
            for gamma, count in patterns.items()
            if gamma not in vetoed
        ]

    def logs(self, table: Mapping[str, list[float]]) -> list[float]:
        out = [0.0] * self.size
        for name, offset in zip(self.names, self.offsets, strict=True):
            for level, value in enumerate(table[name], 1):
                out[offset + level] = math.log(max(value, 1e-12))
        return out

    def unflatten(self, mass: Sequence[float], levels: Mapping[str, list[float]]) -> dict[str, list[float]]:
        return {
            name: [mass[offset + lv] for lv in range(1, len(levels[name]) + 1)]
            for name, offset in zip(self.names, self.offsets, strict=True)
        }


def _expectation(
    vectors: list[tuple[list[int], int]], log_m: list[float], log_u: list[float], share: float, size: int
) -> tuple[float, list[float]]:
    """Expected number of matches, and expected matches per flat level."""
    log_odds = math.log(share) - math.log(1.0 - share)
    mass = [0.0] * size
    matched = 0.0
    for flat, count in vectors:
        diff = sum(log_u[k] - log_m[k] for k in flat) - log_odds
        p = 0.0 if diff > 700 else 1.0 / (1.0 + math.exp(diff))
        weighted = p * count
        matched += weighted
        for k in flat:
            mass[k] += weighted
    return matched, mass


def e_step(
    rules: Rules,
    patterns: Mapping[tuple[int, ...], int],
    vetoed: set[tuple[int, ...]],
    m: Mapping[str, list[float]],
    u: Mapping[str, list[float]],
    share0: float,
) -> tuple[float, dict[str, list[float]]]:
    """Share of matches among the pairs (iterated with m and u fixed) and matches per level."""
    flat = _Flat(rules, m)
    vectors = flat.vectors(patterns, vetoed, frozenset())
    total = sum(patterns.values())
    if not total or not vectors:
        return 0.0, flat.unflatten([0.0] * flat.size, m)
    log_m, log_u = flat.logs(m), flat.logs(u)
    share, mass = min(max(share0, 1e-6), 0.5), [0.0] * flat.size
    for _ in range(rules.training.max_iterations):
        matched, mass = _expectation(vectors, log_m, log_u, share, flat.size)
        new_share = min(max(matched / total, 1e-9), 0.5)
        done = abs(new_share - share) / share < rules.training.tolerance
        share = new_share
        if done:
            break
    return share, flat.unflatten(mass, m)


def expectation_maximisation(
    rules: Rules,
    patterns: Mapping[tuple[int, ...], int],
    vetoed: set[tuple[int, ...]],
    m0: Mapping[str, list[float]],
    u: Mapping[str, list[float]],
    share0: float,
    fixed: frozenset[str] = frozenset(),
) -> Fit:
    """EM for m and the match share among ``patterns``, u fixed; ``fixed`` comparisons are ignored."""
    settings = rules.training
    flat = _Flat(rules, m0)
    skip = frozenset(i for i, name in enumerate(flat.names) if name in fixed)
    vectors = flat.vectors(patterns, vetoed, skip)
    total = sum(patterns.values())
    m = {k: list(v) for k, v in m0.items()}
    if not total or not vectors:
        return Fit(m, 0.0, 0, False, flat.unflatten([0.0] * flat.size, m0))
    log_u = flat.logs(u)
    share = min(max(share0, 1e-6), 0.5)
    iterations, converged, mass = 0, False, [0.0] * flat.size
    for iterations in range(1, settings.max_iterations + 1):  # noqa: B007 - reported after the loop
        matched, mass = _expectation(vectors, flat.logs(m), log_u, share, flat.size)
        level_mass = flat.unflatten(mass, m0)
        new_m = {name: m[name] if name in fixed else _normalized_with_prior(level_mass[name], m0[name]) for name in m}
        new_share = min(max(matched / total, 1e-9), 0.5)
        delta = max(
            abs(new_share - share) / max(share, 1e-9),
            max(abs(a - b) for name in flat.names for a, b in zip(new_m[name], m[name], strict=True)),
        )
        m, share = new_m, new_share
        if delta < settings.tolerance:
            converged = True
            break
    return Fit(m, share, iterations, converged, flat.unflatten(mass, m0))
