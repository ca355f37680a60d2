"""standardize_field: dispatch of every canonical field (custgraph.matching.standardize.fields)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.standardize import (
    DATE_FIELDS,
    STANDARDIZED_FIELDS,
    TEXT_FIELDS,
    InvalidValue,
    standardize_field,
)

# The canonical fields of the brief, customers then orders then interactions.
CANONICAL_FIELDS = [
    "name", "first_name", "last_name", "gender", "birth_date", "customer_type", "company", "title", "mobile",
    "phone", "email", "national_id", "credit_code", "bank_card", "address", "address_number", "address_line1",
    "address_line2", "city", "region", "postal_code", "country", "industry", "channel", "owner",
    "first_contact", "last_contact", "total_amount", "order_count", "lifecycle", "tags", "notes",
    "special_needs", "contact_name", "contact_title", "contact_mobile", "contact_email",
    "consent_marketing", "consent_date",
    "order_id", "order_date", "amount", "product",
    "interaction_id", "interaction_date", "interaction_type", "content", "satisfaction",
]  # fmt: skip


def test_every_canonical_field_is_either_standardized_or_text() -> None:
    assert set(CANONICAL_FIELDS) == STANDARDIZED_FIELDS | TEXT_FIELDS
    assert not STANDARDIZED_FIELDS & TEXT_FIELDS
    dates = {"birth_date", "first_contact", "last_contact", "order_date", "interaction_date", "consent_date"}
    assert dates == DATE_FIELDS
    assert DATE_FIELDS <= STANDARDIZED_FIELDS


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("name", " 張 三 ", "张三"),
        ("first_name", "ＪＯＨＮ", "JOHN"),
        ("last_name", "mitchell", "mitchell"),
        ("gender", "男", "M"),
        ("birth_date", "1990年1月5日", "1990-01-05"),
        ("customer_type", "企业", "company"),
        ("company", "阿里巴巴（中国）有限公司", "阿里巴巴(中国)有限公司"),
        ("mobile", "138 1234 5678", "+8613812345678"),
        ("phone", "010-12345678", "+861012345678"),
        ("email", "A@B.COM", "a@b.com"),
        ("national_id", "11010519491231002x", "11010519491231002X"),
        ("credit_code", "914403001922038216", "914403001922038216"),
        ("city", "深圳市", "深圳市"),
        ("region", "北京", "北京市"),
        ("postal_code", "2119.0", "2119"),
        ("first_contact", 45296, "2024-01-05"),
        ("last_contact", date(2024, 1, 5), "2024-01-05"),
        ("total_amount", "1.5万", Decimal("15000")),
        ("order_count", "12.0", 12),
        ("lifecycle", "成交", "customer"),
        ("tags", "VIP，华东", ["VIP", "华东"]),
        ("consent_marketing", "是", True),
        ("order_date", "2024/1/5", "2024-01-05"),
        ("amount", "¥99", Decimal("99")),
        ("interaction_date", "20240105", "2024-01-05"),
        ("satisfaction", "★★★★☆", 4),
        ("interaction_type", " 满意度回访 ", "satisfaction"),
        ("interaction_type", "喝茶", "other"),
        # text fields: whitespace and width only, nothing else
        ("title", "  销售 经理 ", "销售 经理"),
        ("address_line1", "wallaby place", "wallaby place"),
        ("address_number", 12.0, "12"),
        ("country", "China", "China"),
        ("notes", "ａ　ｂ", "a b"),
        ("an_extra_column", "  kept   as text ", "kept as text"),
    ],
)
def test_dispatch(field: str, raw: object, expected: object) -> None:
    assert standardize_field(field, raw) == expected


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        # Febrl-style (lower-case, Australian) values pass through except for whitespace.
        ("first_name", "mitchell", "mitchell"),
        ("last_name", " green ", "green"),
        ("address_line1", "wallaby  place", "wallaby place"),
        ("address_line2", "delmar", "delmar"),
        ("address_number", "4", "4"),
        ("city", "st kilda", "st kilda"),
        ("region", "sa", "sa"),
        ("region", "nsw", "nsw"),
        ("postal_code", "2119", "2119"),
        ("postal_code", 2119, "2119"),
        ("national_id", "1804974", "1804974"),
        ("birth_date", "19560409", "1956-04-09"),
    ],
)
def test_febrl_values_pass_through(field: str, raw: object, expected: object) -> None:
    assert standardize_field(field, raw) == expected


def test_fmt_applies_to_date_fields_only() -> None:
    assert standardize_field("order_date", "01/05/2024", fmt="%m/%d/%Y") == "2024-01-05"
    assert standardize_field("order_date", "01/05/2024") == "2024-05-01"  # day-first without a format
    assert standardize_field("notes", "01/05/2024", fmt="%m/%d/%Y") == "01/05/2024"


@pytest.mark.parametrize("field", CANONICAL_FIELDS)
@pytest.mark.parametrize("raw", [None, "", "   ", "-", "N/A", "无", "待补充", float("nan")])
def test_blank_is_none_for_every_field(field: str, raw: object) -> None:
    assert standardize_field(field, raw) is None


@pytest.mark.parametrize(
    ("field", "raw", "reason"),
    [
        ("mobile", "12345", "not a valid mobile number"),
        ("email", "not-an-email", "not a valid email address"),
        ("birth_date", "2024-02-30", "not a real calendar date"),
        ("total_amount", "-5", "amount must not be negative"),
        ("credit_code", "914403001922038217", "credit code checksum failed"),
        ("national_id", "110105194912310021", "national ID checksum failed"),
        ("gender", "x", "not a recognised gender (expected male or female)"),
    ],
)
def test_invalid_values_carry_a_reason(field: str, raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_field(field, raw)
    assert caught.value.reason == reason
    assert str(caught.value) == reason
    assert isinstance(caught.value, ValueError)


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(CANONICAL_FIELDS),
    raw=st.one_of(
        st.text(max_size=25),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.dates(),
    ),
)
def test_any_input_gives_a_value_none_or_invalid_value(field: str, raw: object) -> None:
    try:
        standardize_field(field, raw)
    except InvalidValue as error:
        assert error.reason
