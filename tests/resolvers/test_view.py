"""The view layer (resolvers/view.py): each masking rule, table-driven, and what each role sees."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custgraph.graph.models import CustomerNode
from custgraph.resolvers.view import (
    View,
    mask_email,
    mask_name,
    mask_phone,
    mask_tail,
    mask_text,
    mask_value,
    mask_values,
)

Mask = Callable[[str | None], str | None]
CASES: list[tuple[Mask, str | None, str | None]] = [
    # names: the surname, then * (a compound surname stays whole); a title name keeps the title only
    (mask_name, "张伟", "张*"),
    (mask_name, "陈静怡", "陈*"),
    (mask_name, "欧阳娜娜", "欧阳*"),
    (mask_name, "张先生", "*先生"),
    (mask_name, "王女士", "*女士"),
    (mask_name, "Alice Wang", "A*** W***"),
    (mask_name, None, None),
    # mobiles and phones: the first 3 and the last 4 digits
    (mask_phone, "+8613812345678", "138****5678"),
    (mask_phone, "13812345678", "138****5678"),
    (mask_phone, "138 1234 5678", "138****5678"),
    (mask_phone, "+861012345678", "101***5678"),
    (mask_phone, "+14155552671", "141****2671"),
    (mask_phone, "12345", "*2345"),
    (mask_phone, "", ""),
    # emails: the initial and the domain
    (mask_email, "zhangwei@huawei.com", "z***@huawei.com"),
    (mask_email, "a@b.cn", "a***@b.cn"),
    # national IDs and bank cards: the last 4
    (mask_tail, "11010519491231002X", "**************002X"),
    (mask_tail, "6222 0212 3456 7890", "************7890"),
    (mask_tail, "1234", "****"),
]


@pytest.mark.parametrize(("mask", "value", "expected"), CASES)
def test_each_masking_rule(mask: Mask, value: str | None, expected: str | None) -> None:
    assert mask(value) == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("national_id", "11010519491231002X", "**************002X"),
        ("bank_card", "6222021234567890123", "***************0123"),
        ("身份证号", "11010519491231002X", "**************002X"),  # a source header, through the synonyms
        ("客户姓名", "张伟", "张*"),
        ("手机号", "138 1234 5678", "138****5678"),
        ("given_name", "伟", "*"),
        ("mobile_any", "+8613812345678", "138****5678"),
        ("company", "华为技术有限公司", "华为技术有限公司"),  # not personal data
        ("amount", 120000.0, 120000.0),
        ("备用电话", "13812345678", "138****5678"),  # an unmapped column: masked by what it looks like
        ("说明", "联系 zhang@x.com 或 13812345678", "联系 z***@x.com 或 138****5678"),
        ("首次接触时间", "2024-05-01", "2024-05-01"),  # a date is no phone number
    ],
)
def test_values_are_masked_by_their_field_or_header(field: str, value: object, expected: object) -> None:
    assert mask_value(field, value) == expected


def test_record_fields_mask_only_personal_data() -> None:
    fields = {"name": "张伟", "mobile": "+8613812345678", "company": "华为技术有限公司", "national_id": None}
    assert mask_values(fields) == {
        "name": "张*",
        "mobile": "138****5678",
        "company": "华为技术有限公司",
        "national_id": None,
    }


def test_text_masks_identifiers_anywhere() -> None:
    assert mask_text("身份证 11010519491231002X, 电话 +8613812345678") == "身份证 **************002X, 电话 138****5678"


ADMIN = View.of("admin", ("admin",))
MANAGER = View.of("manager", ("admin",))
PERSON = CustomerNode(id="C1", name="张伟", customer_type="person", mobile="+8613812345678", email="zw@x.com")
COMPANY = CustomerNode(id="C2", name="永泰软件(杭州)股份有限公司", customer_type="company")


def test_an_admin_sees_everything_in_full() -> None:
    assert ADMIN.customer(PERSON) == PERSON
    assert ADMIN.value("national_id", "11010519491231002X") == "11010519491231002X"
    assert ADMIN.path("/srv/imports/a.xlsx") == "/srv/imports/a.xlsx"


def test_other_roles_see_masked_values_and_file_names_only() -> None:
    shown = MANAGER.customer(PERSON)
    assert (shown.name, shown.mobile, shown.email) == ("张*", "138****5678", "z***@x.com")
    assert MANAGER.name(COMPANY) == COMPANY.name
    assert MANAGER.path("/srv/imports/客户.xlsx") == "客户.xlsx"
    issue = {"field": "national_id", "value": "11010519491231002X", "reason": "bad checksum in /srv/in/a.csv"}
    assert MANAGER.issue(issue) == {
        "field": "national_id",
        "value": "**************002X",
        "reason": "bad checksum in a.csv",
    }


def test_evidence_masks_both_sides_by_field() -> None:
    evidence = [{"field": "mobile", "value_a": "+8613812345678", "value_b": "+8613812345679", "weight": 9.5}]
    assert MANAGER.evidence(evidence) == [
        {"field": "mobile", "value_a": "138****5678", "value_b": "138****5679", "weight": 9.5}
    ]
    assert ADMIN.evidence(evidence) == evidence


def test_a_summary_quoting_a_name_is_masked() -> None:
    text = "matched crm|1 (张伟) by rule mobile_exact"
    assert MANAGER.text(text, [("name", "张伟")]) == "matched crm|1 (张*) by rule mobile_exact"
