"""The customer id format: validated when loaded, spelled from industry, year and number."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from custgraph.customer_ids import SINGLE_SEQUENCE, load, parse

INDUSTRY_YEAR = {"format": "{industry}{year}{seq:03}", "industry_codes": {"教育": "ED", "制造业": "MF"}}


def test_the_default_is_c_and_six_digits_on_one_counter() -> None:
    fmt = load(env={})
    assert fmt.make(fmt.prefix("教育"), 123) == "C000123"
    assert fmt.sequence(fmt.prefix()) == SINGLE_SEQUENCE  # the counter C ids always used
    assert not fmt.by_prefix


def test_industry_code_year_and_sequence() -> None:
    fmt = parse(INDUSTRY_YEAR)
    new_year_eve = datetime(2024, 12, 31, 16, 30, tzinfo=UTC)  # already 2025 in Shanghai
    assert fmt.make(fmt.prefix("教育", datetime(2024, 5, 1, tzinfo=UTC)), 1) == "ED2024001"
    assert fmt.make(fmt.prefix("制造业", new_year_eve), 12) == "MF2025012"
    assert fmt.prefix(None, new_year_eve) == fmt.prefix("养殖", new_year_eve) == "OT2025"  # not listed
    assert fmt.make("ED2024", 1000) == "ED20241000"  # past the width the number just grows
    assert fmt.sequence("ED2024") == "customer:ED2024" != fmt.sequence("MF2024")


def test_the_environment_overrides_the_shipped_format() -> None:
    fmt = load(env={"CUSTGRAPH_CUSTOMER_ID_FORMAT": "{industry}{year}{seq:04}"})
    assert fmt.make(fmt.prefix("教育", datetime(2024, 5, 1, tzinfo=UTC)), 7) == "ED20240007"  # shipped codes


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("C{seq}", "{seq:0N}"),
        ("C{seq:06}X", "at its end"),
        ("{industry}{year}", "exactly one {seq:0N}"),
        ("{region}{seq:03}", "unknown placeholder"),
        ("c-{seq:06}", "capital letters only"),
    ],
)
def test_a_bad_format_fails_when_loaded(pattern: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace("{", r"\{").replace("}", r"\}")):
        parse({"format": pattern})


def test_bad_industry_codes_fail_when_loaded() -> None:
    with pytest.raises(ValueError, match="2-3 capital letters"):
        parse({**INDUSTRY_YEAR, "industry_codes": {"教育": "ed1"}})
