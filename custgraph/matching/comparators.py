"""Every string and date similarity the engine computes, in one module.

All rapidfuzz calls live here (the Splink habit of keeping engine details apart from matching logic):
levels name a metric, this module says how it is computed. Every function is symmetric in its two
arguments, so a pair scores the same whichever record arrived first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Jaro, JaroWinkler, Levenshtein

Similarity = Callable[[str, str], float]
Distance = Callable[[str, str], int]


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _token_set_ratio(a: str, b: str) -> float:
    return fuzz.token_set_ratio(a, b) / 100.0


def _token_sort_ratio(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(a, b) / 100.0


def _partial_ratio(a: str, b: str) -> float:
    # partial_ratio aligns the shorter string inside the longer one; rapidfuzz is not perfectly
    # symmetric for equal lengths, so order the arguments to keep score(a, b) == score(b, a).
    if (len(a), a) > (len(b), b):
        a, b = b, a
    return fuzz.partial_ratio(a, b) / 100.0


def _jaro_winkler(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b)


def _jaro(a: str, b: str) -> float:
    return Jaro.similarity(a, b)


# Similarities are in [0, 1], higher is closer; distances count edits, lower is closer.
SIMILARITIES: dict[str, Similarity] = {
    "jaro_winkler": _jaro_winkler,
    "jaro": _jaro,
    "ratio": _ratio,
    "token_set_ratio": _token_set_ratio,
    "token_sort_ratio": _token_sort_ratio,
    "partial_ratio": _partial_ratio,
}

DISTANCES: dict[str, Distance] = {
    "levenshtein": Levenshtein.distance,
    # true Damerau-Levenshtein: a transposition of two adjacent characters costs one edit, which is
    # exactly how digits get swapped when a date or an id is typed by hand.
    "damerau_levenshtein": DamerauLevenshtein.distance,
}


# The same numbers for many pairs at once, computed in C by rapidfuzz (scorer, divisor). partial_ratio
# is left out: the per-pair function orders its arguments first.
_MANY_SIMILARITIES = {
    "jaro_winkler": (JaroWinkler.similarity, 1.0),
    "jaro": (Jaro.similarity, 1.0),
    "ratio": (fuzz.ratio, 100.0),
    "token_set_ratio": (fuzz.token_set_ratio, 100.0),
    "token_sort_ratio": (fuzz.token_sort_ratio, 100.0),
}
_MANY_DISTANCES = {"levenshtein": Levenshtein.distance, "damerau_levenshtein": DamerauLevenshtein.distance}


def similarities(name: str, xs: Sequence[str], ys: Sequence[str]) -> np.ndarray:
    """``SIMILARITIES[name](x, y)`` for each pair of ``xs`` and ``ys`` (float64, the same numbers)."""
    many = _MANY_SIMILARITIES.get(name)
    if many is None:
        metric = SIMILARITIES[name]
        return np.fromiter((metric(x, y) for x, y in zip(xs, ys, strict=True)), np.float64, len(xs))
    scorer, divisor = many
    scores = process.cpdist(xs, ys, scorer=scorer, dtype=np.float64)
    return scores / divisor if divisor != 1.0 else scores


def distances_within(name: str, xs: Sequence[str], ys: Sequence[str], limit: int) -> np.ndarray:
    """``DISTANCES[name](x, y) <= limit`` for each pair of ``xs`` and ``ys``."""
    many = _MANY_DISTANCES.get(name)
    if many is None:
        metric = DISTANCES[name]
        return np.fromiter((metric(x, y) <= limit for x, y in zip(xs, ys, strict=True)), bool, len(xs))
    return process.cpdist(xs, ys, scorer=many, score_cutoff=limit) <= limit


def contains(a: str, b: str, min_length: int) -> bool:
    """One value contained in the other (e.g. 华为 in 华为技术), ignoring fragments shorter than min_length."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= min_length and short in long_


def common_prefix_length(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def mask_agrees(a: str, b: str, min_visible: int) -> bool:
    """Numbers where at least one is masked with '*' agree on every digit both show.

    Compared right-aligned on digits and stars only, so "+86 138****3378" and "13812343378" line up.
    """
    if "*" not in a and "*" not in b:
        return False
    ca = [c for c in a if c.isdigit() or c == "*"]
    cb = [c for c in b if c.isdigit() or c == "*"]
    n = min(len(ca), len(cb))
    if n < min_visible:
        return False
    visible = 0
    for x, y in zip(ca[-n:], cb[-n:], strict=True):
        if x == "*" or y == "*":
            continue
        if x != y:
            return False
        visible += 1
    return visible >= min_visible


def shares_keyword(a: str, b: str, keywords: tuple[str, ...]) -> bool:
    """Both values contain the same keyword from the list (the seeds' “包含关键词” condition)."""
    return any(k in a and k in b for k in keywords)


def is_initial_of(a: str, b: str) -> bool:
    """One value is a single initial of the other ('j' vs 'john')."""
    if len(a) == 1 and len(b) > 1:
        return b[0] == a
    if len(b) == 1 and len(a) > 1:
        return a[0] == b
    return False


def parse_iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def date_diff_days(a: str, b: str) -> int | None:
    da, db = parse_iso_date(a), parse_iso_date(b)
    if da is None or db is None:
        return None
    return abs((da - db).days)


def day_month_swapped(a: str, b: str) -> bool:
    """ISO dates whose day and month were swapped on entry (2001-03-04 vs 2001-04-03)."""
    if len(a) != 10 or len(b) != 10 or a == b:
        return False
    return a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]
