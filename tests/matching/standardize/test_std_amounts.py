"""Amounts -> non-negative Decimal (custgraph.matching.standardize.amounts)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.standardize import InvalidValue, standardize_amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", Decimal("1234.5")),
        ("¥1,234.50", Decimal("1234.50")),
        ("￥１２３４", Decimal("1234")),
        ("RMB 100", Decimal("100")),
        ("CNY100", Decimal("100")),
        ("100元", Decimal("100")),
        ("人民币 88.8 元", Decimal("88.8")),
        ("1.5万", Decimal("15000")),
        ("1.5万元", Decimal("15000")),
        ("3w", Decimal("30000")),
        ("3k", Decimal("3000")),
        ("2.5K", Decimal("2500")),
        ("3千", Decimal("3000")),
        ("2亿", Decimal("200000000")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("12 345", Decimal("12345")),
        (".5", Decimal("0.5")),
        ("+5", Decimal("5")),
        ("0", Decimal("0")),
        ("-0", Decimal("0")),
        (100, Decimal("100")),
        (0.1, Decimal("0.1")),  # no binary float noise
        (Decimal("2.50"), Decimal("2.50")),
    ],
)
def test_amount_valid(raw: object, expected: Decimal) -> None:
    result = standardize_amount(raw)
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-100", "amount must not be negative"),
        ("−100", "amount must not be negative"),  # U+2212 minus sign
        ("(100)", "amount must not be negative"),  # accounting notation
        ("-1.5万", "amount must not be negative"),
        (-1, "amount must not be negative"),
        (-0.01, "amount must not be negative"),
        ("1,5", "digit grouping is ambiguous; use 1,234.56 or 1234.56"),
        ("1,0000", "digit grouping is ambiguous; use 1,234.56 or 1234.56"),
        ("$100", "amount is in a currency other than CNY"),
        ("USD 5", "amount is in a currency other than CNY"),
        ("100美元", "amount is in a currency other than CNY"),
        ("abc", "not a valid amount"),
        ("1.2.3", "not a valid amount"),
        ("k", "not a valid amount"),
        (True, "not a valid amount"),
        (float("inf"), "not a valid amount"),
    ],
)
def test_amount_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_amount(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize("raw", [None, "", " ", "-", "无", float("nan")])
def test_blank_amount_is_none(raw: object) -> None:
    assert standardize_amount(raw) is None


@settings(max_examples=200, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    prefix=st.sampled_from(["", "¥", "￥", "RMB ", "人民币"]),
    suffix=st.sampled_from(["", "元", " 元"]),
    grouped=st.booleans(),
)
def test_formatted_amounts_round_trip(value: Decimal, prefix: str, suffix: str, grouped: bool) -> None:
    text = prefix + (f"{value:,.2f}" if grouped else f"{value:.2f}") + suffix
    assert standardize_amount(text) == value


@pytest.mark.parametrize("raw", [1e308, 10**12 + 1, "1000000000001", "20000亿", Decimal("1e20")])
def test_amounts_past_the_bound_are_invalid(raw: object) -> None:
    with pytest.raises(InvalidValue, match="at most"):
        standardize_amount(raw)
