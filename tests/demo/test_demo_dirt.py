"""The kinds of dirt and the traps actually occur in a default-config set."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from benchmarks.demo_data.generator import GeneratedSet, SourceRecord, generate

_HANZI = re.compile(r"[\u4e00-\u9fff]")
_FULLWIDTH_DIGIT = re.compile(r"[０-９]")
_HALFWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


@pytest.fixture(scope="module")
def gs() -> GeneratedSet:
    return generate(3, 1200)


def _records(gs: GeneratedSet, source: str | None = None) -> list[SourceRecord]:
    return [r for r in gs.records() if source is None or r.source == source]


def _phone(r: SourceRecord) -> str:
    return str(r.row.get("手机号", r.row.get("mobile", "")) or "")


def _name(r: SourceRecord) -> str:
    return str(r.row.get("客户姓名", r.row.get("name", "")) or "")


@pytest.mark.parametrize(
    "kind",
    [
        "name_typo",
        "pinyin_name",
        "traditional_chars",
        "name_spacing",
        "honorific",
        "english_alias",
        "phone_spaces",
        "phone_dashes",
        "phone_plus86",
        "phone_0086",
        "phone_fullwidth",
        "masked_mobile",
        "email_case",
        "region_short",
        "region_english",
        "company_suffix",
        "company_no_suffix",
        "company_china_insert",
        "company_english",
        "missing_field",
        "date_format",
        "amount_format",
        "invalid_national_id",
        "duplicate_entry",
        "exact_duplicate",
        "crm_reentry",
        "placeholder_mobile",
        "switchboard",
        "shared_info_email",
        "mobile_as_number",
    ],
)
def test_dirt_kind_occurs(gs: GeneratedSet, kind: str) -> None:
    assert any(kind in r.dirt for r in gs.records())


def test_phone_prefixes_and_full_width_digits_are_really_written(gs: GeneratedSet) -> None:
    phones = [_phone(r) for r in gs.records()]
    assert sum(p.startswith("+86") for p in phones) >= 10
    assert sum(p.startswith("0086") for p in phones) >= 3
    assert sum(bool(_FULLWIDTH_DIGIT.search(p)) for p in phones) >= 5
    assert sum(" " in p or "-" in p for p in phones) >= 20


def test_beijing_is_written_three_ways(gs: GeneratedSet) -> None:
    cities = {str(r.row.get("城市", r.row.get("city", ""))) for r in gs.records()}
    assert {"北京", "北京市"} <= cities
    assert cities & {"Beijing", "beijing", "BEIJING"}


def test_pinyin_names_stand_for_hanzi_names(gs: GeneratedSet) -> None:
    by_id = {e.id: e for e in gs.entities}
    pinyin = [r for r in gs.records() if "pinyin_name" in r.dirt]
    assert len(pinyin) >= 20
    for r in pinyin:
        entity = by_id[r.entity]
        assert not entity.person.english and _HANZI.search(entity.person.full)
        assert not _HANZI.search(_name(r)) and _name(r).isascii()
        assert entity.person.surname_py in _name(r).lower()


def test_several_different_people_share_a_common_name_in_different_cities(gs: GeneratedSet) -> None:
    cities_by_name: dict[str, set[str]] = defaultdict(set)
    ids_by_name: dict[str, set[str]] = defaultdict(set)
    for e in gs.entities:
        if e.kind == "person":
            cities_by_name[e.person.full].add(e.city.name)
            ids_by_name[e.person.full].add(e.id)
    shared = [n for n, ids in ids_by_name.items() if len(ids) >= 3 and len(cities_by_name[n]) >= 3]
    assert len(shared) >= 2, shared
    assert {"张伟", "王芳"} & set(shared)


def test_common_names_are_guaranteed_even_in_a_small_set() -> None:
    small = generate(9, 60)
    ids_by_name: dict[str, set[str]] = defaultdict(set)
    for e in small.entities:
        if e.kind == "person":
            ids_by_name[e.person.full].add(e.id)
    assert max(len(ids) for ids in ids_by_name.values()) >= 3


def test_placeholder_mobile_is_used_by_at_least_three_entities(gs: GeneratedSet) -> None:
    users = {r.entity for r in gs.records() if _phone(r) == "13800000000"}
    assert len(users) >= 3


def test_a_switchboard_is_shared_by_different_people_of_one_company(gs: GeneratedSet) -> None:
    by_number: dict[str, set[str]] = defaultdict(set)
    for r in _records(gs, "crm_export"):
        if "switchboard" in r.dirt:
            digits = re.sub(r"\D", "", _phone(r).split("转")[0])
            by_number[digits].add(r.entity)
    assert any(len(ids) >= 2 for ids in by_number.values())


def test_info_mailbox_is_shared_by_different_people(gs: GeneratedSet) -> None:
    by_email: dict[str, set[str]] = defaultdict(set)
    for r in gs.records():
        email = str(r.row.get("邮箱", r.row.get("email", "")) or "")
        if email.startswith("info@"):
            by_email[email].add(r.entity)
    assert any(len(ids) >= 2 for ids in by_email.values())


def test_moved_person_shows_old_company_in_crm_and_new_one_in_webform(gs: GeneratedSet) -> None:
    moved = [e for e in gs.entities if len(e.jobs) > 1]
    assert moved
    for e in moved:
        crm = [r for r in _records(gs, "crm_export") if r.entity == e.id and "crm_reentry" not in r.dirt]
        web = [r for r in _records(gs, "webform") if r.entity == e.id]
        assert crm and web
        assert e.job_at(e.first_contact) is e.jobs[0]
        assert all(e.job_at(t) is e.jobs[-1] for t in (w.date() for w in e.plan.webform_times))


def test_changed_mobile_old_in_crm_new_later_and_email_still_links(gs: GeneratedSet) -> None:
    changed = [
        e for e in gs.entities if e.mobile_changed_on and not e.plan.placeholder_mobile and not e.plan.switchboard
    ]
    assert len(changed) >= 10
    for e in changed:
        old, new = e.mobiles
        crm_phones = {
            re.sub(r"\D", "", _phone(r).translate(_HALFWIDTH))
            for r in _records(gs, "crm_export")
            if r.entity == e.id and "crm_reentry" not in r.dirt
        }
        assert all(new not in p for p in crm_phones)
        for r in _records(gs, "webform"):
            if r.entity == e.id:
                assert old not in _phone(r)
                if "shared_info_email" not in r.dirt and r.row.get("email"):
                    assert e.email.split("@")[0] in str(r.row["email"]).lower()


def test_exact_duplicate_rows_repeat_the_key_and_the_row(gs: GeneratedSet) -> None:
    for table in gs.tables.values():
        first: dict[str, SourceRecord] = {}
        for r in table.records:
            if r.key in first:
                assert "exact_duplicate" in r.dirt and r.row == first[r.key].row
            first.setdefault(r.key, r)
