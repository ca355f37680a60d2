"""Identifiers emitted as valid pass GB 11643 / GB 32100; the mistyped ones are tagged and fail."""

from __future__ import annotations

import random
from datetime import date

import pytest

from benchmarks.demo_data import ids
from benchmarks.demo_data.generator import generate


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("11010519491231002X", True),  # the GB 11643 worked example
        ("11010519491231002x", True),
        ("110105194912310021", False),
        ("11010519491231002", False),
        ("", False),
    ],
)
def test_national_id_checksum(value: str, valid: bool) -> None:
    assert ids.national_id_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("91350100M000100Y43", True),  # a published example code
        ("91350100M000100Y44", False),
        ("91350100M000100Y4", False),
        ("91350100M000100I43", False),  # I is not in the GB 32100 charset
    ],
)
def test_credit_code_checksum(value: str, valid: bool) -> None:
    assert ids.credit_code_valid(value) is valid


def test_made_identifiers_are_valid() -> None:
    rng = random.Random(0)
    for _ in range(200):
        male = rng.random() < 0.5
        nid = ids.make_national_id(rng, "310115", date(1990, 5, 17), male)
        assert ids.national_id_valid(nid) and nid[6:14] == "19900517"
        assert int(nid[16]) % 2 == (1 if male else 0)
        assert ids.credit_code_valid(ids.make_credit_code(rng, "440305"))


def test_mobiles_have_real_prefixes() -> None:
    rng = random.Random(1)
    for _ in range(200):
        m = ids.make_mobile(rng)
        assert len(m) == 11 and m[:3] in ids.MOBILE_PREFIXES and m[1] in "3456789"


def test_emitted_identifiers_pass_their_checksum_unless_tagged_invalid() -> None:
    gs = generate(6, 1500)
    seen_valid = seen_invalid = 0
    for r in gs.tables["crm_export"].records:
        for column, valid, tag in (
            ("身份证号", ids.national_id_valid, "invalid_national_id"),
            ("统一社会信用代码", ids.credit_code_valid, "invalid_credit_code"),
        ):
            value = str(r.row.get(column) or "")
            if not value:
                continue
            if tag in r.dirt:
                seen_invalid += 1
                assert not valid(value), (r.key, value)
            else:
                seen_valid += 1
                assert valid(value), (r.key, value)
    assert seen_valid > 100 and seen_invalid > 0


def test_true_identifiers_of_entities_are_valid() -> None:
    gs = generate(7, 500)
    for e in gs.entities:
        if e.national_id:
            assert ids.national_id_valid(e.national_id)
        if e.org:
            assert ids.credit_code_valid(e.org.credit_code)
