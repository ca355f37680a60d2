"""Counts, satisfaction scores, tags and postal codes."""

from decimal import Decimal

import pytest

from custgraph.matching.standardize import (
    InvalidValue,
    standardize_int,
    standardize_postal_code,
    standardize_satisfaction,
    standardize_tags,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12), (12.0, 12), ("12", 12), ("12.0", 12), ("12.00", 12), ("1,234", 1234), ("１２", 12),
        ("12次", 12), ("3 单", 3), (Decimal("3"), 3), ("0", 0), (None, None), ("", None), ("-", None),
        (float("nan"), None),
    ],
)  # fmt: skip
def test_int(raw: object, expected: int | None) -> None:
    assert standardize_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (-1, "must not be negative"),
        ("-1", "must not be negative"),
        (1.5, "not a whole number"),
        ("1.5", "not a whole number"),
        ("abc", "not a valid whole number"),
        ("1,23", "not a valid whole number"),
        ("inf", "not a valid whole number"),
        (True, "not a valid whole number"),
    ],
)
def test_int_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_int(raw)
    assert caught.value.reason == reason


def test_int_minimum_is_configurable() -> None:
    assert standardize_int(-5, min_value=None) == -5
    with pytest.raises(InvalidValue, match="must be at least 1"):
        standardize_int(0, min_value=1)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (4, 4), (4.0, 4), ("4", 4), ("4分", 4), ("4星", 4), ("4 points", 4), ("3/5", 3), ("8/10", 8),
        ("★★★★☆", 4), ("★★★★★", 5), ("8.5", 8.5), (Decimal("4.5"), 4.5), (0, 0), (10, 10),
        ("满意", 4), ("非常满意", 5), ("一般", 3), ("不满意", 2), (None, None), ("-", None),
    ],
)  # fmt: skip
def test_satisfaction(raw: object, expected: float | None) -> None:
    result = standardize_satisfaction(raw)
    assert result == expected
    assert type(result) is type(expected)  # whole scores are int, others float


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (11, "satisfaction must be between 0 and 10"),
        (-1, "satisfaction must be between 0 and 10"),
        ("★★★★★★★★★★★", "satisfaction must be between 0 and 10"),
        ("good", "not a valid satisfaction score"),
        (True, "not a valid satisfaction score"),
    ],
)
def test_satisfaction_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_satisfaction(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("VIP，重点客户; 华东", ["VIP", "重点客户", "华东"]),
        ("a|b、c\nd；e｜f", ["a", "b", "c", "d", "e", "f"]),
        (" VIP ,vip, Vip ", ["VIP"]),  # repeats dropped, first spelling kept
        ("重點客戶", ["重点客户"]),
        ("無, 重点客户, -", ["重点客户"]),  # placeholders are not tags
        ("high  value", ["high value"]),  # a Latin tag keeps its spaces
        ("近30天未互动 老客户", ["近30天未互动", "老客户"]),  # spaces between Chinese tags separate them
        ("VIP 老客户", ["VIP", "老客户"]),
        (["x, y", "X", None, "z"], ["x", "y", "z"]),
        (("a",), ["a"]),
        (None, None),
        ("", None),
        (" , ; ", None),
        ([], None),
    ],
)
def test_tags(raw: object, expected: list[str] | None) -> None:
    assert standardize_tags(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2119", "2119"), (2119, "2119"), (2119.0, "2119"), ("2119.0", "2119"), (" 2119 ", "2119"),
        ("0800", "0800"), ("100000", "100000"), ("１０００００", "100000"), ("邮编：100000", "100000"),
        ("sw1a 1aa", "SW1A 1AA"), ("02139-4307", "02139-4307"), ("K1A 0B1", "K1A 0B1"),
        (None, None), ("-", None),
    ],
)  # fmt: skip
def test_postal_code(raw: object, expected: str | None) -> None:
    assert standardize_postal_code(raw) == expected


@pytest.mark.parametrize("raw", ["1", "12345678901", "21#9", 21.5, True, "A"])
def test_postal_code_invalid(raw: object) -> None:
    with pytest.raises(InvalidValue, match="not a valid postal code"):
        standardize_postal_code(raw)
