"""Enumerated fields: gender, customer type, lifecycle, yes/no (std_values.yaml)."""

from collections.abc import Callable

import pytest

from custgraph.matching.standardize import (
    InvalidValue,
    standardize_bool,
    standardize_customer_type,
    standardize_gender,
    standardize_lifecycle,
)
from custgraph.matching.standardize.vocab import vocabulary


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("男", "M"), ("M", "M"), ("m", "M"), ("male", "M"), ("MALE", "M"), ("先生", "M"), ("男性", "M"),
        ("Mr.", "M"), ("1", "M"), (1, "M"), (1.0, "M"),
        ("女", "F"), ("F", "F"), ("female", "F"), ("女士", "F"), ("小姐", "F"), ("女性", "F"), ("Ms", "F"),
        ("2", "F"), (2, "F"),
        ("未知", None), ("保密", None), ("0", None), ("9", None), ("unknown", None),
        (None, None), ("", None), ("-", None),
    ],
)  # fmt: skip
def test_gender(raw: object, expected: str | None) -> None:
    assert standardize_gender(raw) == expected


@pytest.mark.parametrize("raw", ["x", "3", "13812345678", True, "男女"])
def test_gender_invalid(raw: object) -> None:
    with pytest.raises(InvalidValue, match="not a recognised gender"):
        standardize_gender(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("person", "person"), ("个人", "person"), ("个人客户", "person"), ("Individual", "person"),
        ("B2C", "person"), ("自然人", "person"),
        ("company", "company"), ("企业", "company"), ("公司", "company"), ("organization", "company"),
        ("Organisation", "company"), ("b2b", "company"), ("企業", "company"), ("单位", "company"),
        (None, None), ("待补充", None),
    ],
)  # fmt: skip
def test_customer_type(raw: object, expected: str | None) -> None:
    assert standardize_customer_type(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("潜在", "prospect"), ("潜在客户", "prospect"), ("prospect", "prospect"), ("Lead", "prospect"),
        ("成交", "customer"), ("customer", "customer"), ("active", "customer"), ("成交客户", "customer"),
        ("沉默", "dormant"), ("dormant", "dormant"), ("沉睡", "dormant"),
        ("流失", "churned"), ("churned", "churned"), ("CHURNED", "churned"), ("已流失", "churned"),
        (None, None),
    ],
)  # fmt: skip
def test_lifecycle(raw: object, expected: str | None) -> None:
    assert standardize_lifecycle(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True), ("Y", True), ("y", True), ("yes", True), ("true", True), ("TRUE", True), ("1", True),
        (1, True), (1.0, True), (True, True), ("同意", True), ("已同意", True), ("√", True), ("opt-in", True),
        ("否", False), ("N", False), ("no", False), ("false", False), ("0", False), (0, False),
        (False, False), ("不同意", False), ("拒绝", False), ("×", False), ("opt-out", False),
        (None, None), ("", None), ("无", None),  # not recorded is not the same as refused
    ],
)  # fmt: skip
def test_bool(raw: object, expected: bool | None) -> None:
    assert standardize_bool(raw) is expected


@pytest.mark.parametrize(
    ("function", "raw", "reason"),
    [
        (standardize_customer_type, "alien", "not a recognised customer type (expected person or company)"),
        (standardize_lifecycle, "vip", "not a recognised lifecycle status"),
        (standardize_bool, "maybe", "not a recognised yes/no value"),
        (standardize_bool, 2, "not a recognised yes/no value"),
    ],
)
def test_unknown_values_are_rejected(function: Callable[[object], object], raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        function(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize(
    ("section", "values"),
    [
        ("gender", {"M", "F", "unknown"}),
        ("customer_type", {"person", "company"}),
        ("lifecycle", {"prospect", "customer", "dormant", "churned"}),
        ("boolean", {"true", "false"}),
    ],
)
def test_vocabularies_load_with_the_expected_values(section: str, values: set[str]) -> None:
    assert set(vocabulary(section).values()) == values
