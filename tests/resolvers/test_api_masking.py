"""Masking personal data for roles that may not see it in full (table-driven)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from custgraph.resolvers.masking import mask_email, mask_fields, mask_id_number, mask_name, mask_phone

CASES: list[tuple[Callable[[str | None], str | None], str | None, str | None]] = [
    (mask_name, "张伟", "张*"),
    (mask_name, "陈静怡", "陈**"),
    (mask_name, "张先生", "*先生"),
    (mask_name, "王女士", "*女士"),
    (mask_name, "Alice Wang", "A*** W***"),
    (mask_name, None, None),
    (mask_phone, "+8613812345678", "138****5678"),
    (mask_phone, "13812345678", "138****5678"),
    (mask_phone, "+861012345678", "101***5678"),
    (mask_phone, "+14155552671", "141****2671"),
    (mask_phone, "12345", "*2345"),
    (mask_phone, "", ""),
    (mask_email, "zhangwei@huawei.com", "z***@huawei.com"),
    (mask_email, "not-an-email", "not-an-email"),
    (mask_id_number, "11010519491231002X", "110***********002X"),
    (mask_id_number, "1234", "****"),
]


@pytest.mark.parametrize(("mask", "value", "expected"), CASES)
def test_masks(mask: Callable[[str | None], str | None], value: str | None, expected: str | None) -> None:
    assert mask(value) == expected


def test_record_fields_mask_only_personal_data() -> None:
    fields = {
        "name": "张伟",
        "mobile": "+8613812345678",
        "company": "华为技术有限公司",
        "national_id": None,
        "amount": 100,
    }
    assert mask_fields(fields) == {
        "name": "张*",
        "mobile": "138****5678",
        "company": "华为技术有限公司",
        "national_id": None,
        "amount": 100,
    }
