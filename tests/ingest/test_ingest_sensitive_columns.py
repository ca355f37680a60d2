"""The sensitive columns: bank card headers map to ``bank_card``, its values are standardized, and an
unmapped column is recognised as sensitive by its header (custgraph/vocabulary.py)."""

from __future__ import annotations

import pytest

from custgraph.ingest.synonyms import default_synonyms
from custgraph.matching.standardize import InvalidValue, standardize_bank_card, standardize_field
from custgraph.vocabulary import SENSITIVE_FIELDS, header_is_sensitive


@pytest.mark.parametrize(
    ("header", "field"),
    [("银行卡号", "bank_card"), ("卡号", "bank_card"), ("銀行卡號", "bank_card"), ("Card No.", "bank_card"),
     ("身份证号", "national_id"), ("会员卡号", "customer_key")],
)  # fmt: skip
def test_bank_card_headers(header: str, field: str) -> None:
    assert default_synonyms().lookup(header) == field


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6222 0212 3456 7890", "6222021234567890"),
        ("6222-0212-3456-7890-123", "6222021234567890123"),
        ("６２２２０２１２３４５６７８９０", "6222021234567890"),  # full-width
        (622202123456, "622202123456"),
        ("", None),
        ("-", None),
    ],
)
def test_bank_card_values(raw: object, expected: str | None) -> None:
    assert standardize_bank_card(raw) == expected
    assert standardize_field("bank_card", raw) == expected


@pytest.mark.parametrize("raw", ["62220212", "6222 0212 3456 7890 1234", "6222O21234567890", 6.2220212345678e18, True])
def test_bank_card_values_refused(raw: object) -> None:
    with pytest.raises(InvalidValue):
        standardize_bank_card(raw)


@pytest.mark.parametrize(
    ("header", "sensitive"),
    [("配偶身份证号码", True), ("身份證", True), ("开户行卡号", True), ("银行账号", True), ("ID_Card", True),
     ("id no", True), ("SSN", True), ("Bank Card Number", True), ("证件号(备用)", True),
     ("姓名", False), ("手机号", False), ("idea", False), ("discard notes", False), ("备注", False)],
)  # fmt: skip
def test_headers_naming_a_sensitive_field(header: str, sensitive: bool) -> None:
    assert header_is_sensitive(header) is sensitive


def test_every_sensitive_field_is_an_identifier_with_a_header() -> None:
    for name in SENSITIVE_FIELDS:
        assert default_synonyms().lookup(name) == name
        assert header_is_sensitive(name)
