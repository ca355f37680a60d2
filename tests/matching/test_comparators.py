"""Table-driven checks of the similarity functions every level relies on."""

from __future__ import annotations

import pytest

from custgraph.matching import comparators


@pytest.mark.parametrize(
    ("name", "a", "b", "low", "high"),
    [
        ("jaro_winkler", "martha", "marhta", 0.96, 0.97),
        ("jaro_winkler", "same", "same", 1.0, 1.0),
        ("ratio", "华为技术", "华为科技", 0.74, 0.76),
        ("token_set_ratio", "wei zhang", "zhang wei", 1.0, 1.0),
        ("partial_ratio", "华为", "华为技术", 1.0, 1.0),
    ],
)
def test_similarities(name: str, a: str, b: str, low: float, high: float) -> None:
    value = comparators.SIMILARITIES[name](a, b)
    assert low <= value <= high
    assert comparators.SIMILARITIES[name](b, a) == pytest.approx(value)  # symmetric


@pytest.mark.parametrize(
    ("name", "a", "b", "expected"),
    [
        ("damerau_levenshtein", "5752610", "5752601", 1),  # swapped digits: one edit
        ("levenshtein", "5752610", "5752601", 2),
        ("damerau_levenshtein", "1956-04-09", "1956-04-09", 0),
    ],
)
def test_distances(name: str, a: str, b: str, expected: int) -> None:
    assert comparators.DISTANCES[name](a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "min_length", "expected"),
    [
        ("华为", "华为技术", 2, True),
        ("华", "华为技术", 2, False),
        ("acme", "acme trading", 3, True),
        ("ab", "cd", 1, False),
    ],
)
def test_contains(a: str, b: str, min_length: int, expected: bool) -> None:
    assert comparators.contains(a, b, min_length) is expected
    assert comparators.contains(b, a, min_length) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("j", "john", True), ("john", "j", True), ("k", "john", False), ("john", "joan", False)],
)
def test_is_initial_of(a: str, b: str, expected: bool) -> None:
    assert comparators.is_initial_of(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("2001-03-04", "2001-04-03", True), ("2001-03-04", "2001-03-04", False), ("2001-03-04", "2002-04-03", False)],
)
def test_day_month_swapped(a: str, b: str, expected: bool) -> None:
    assert comparators.day_month_swapped(a, b) is expected


def test_date_diff_days_handles_bad_dates() -> None:
    assert comparators.date_diff_days("2020-01-01", "2020-01-31") == 30
    assert comparators.date_diff_days("2020-02-30", "2020-01-31") is None


def test_common_prefix_length() -> None:
    assert comparators.common_prefix_length("shijiazhuangxinrui", "shijiazhuangxinruinetwork") == 18
    assert comparators.common_prefix_length("abc", "xbc") == 0
