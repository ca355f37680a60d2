"""Mapping files: validation errors, resolution against headers, synonym detection, key choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from custgraph.ingest.errors import IngestError, MappingError
from custgraph.ingest.mapping import (
    ColumnSpec,
    MappingProfile,
    dump_mapping,
    load_mapping,
    parse_mapping,
    resolve_mapping,
)
from custgraph.ingest.reading import iter_records

GOOD = """\
source: crm_2024
key: 客户编号
columns:
  客户姓名: name
  手机号: mobile
  出生日期: {field: birth_date, format: "%Y%m%d"}
"""


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_mapping_file(tmp_path: Path) -> None:
    profile = load_mapping(_yaml(tmp_path, GOOD))
    assert profile.source == "crm_2024" and profile.key == "客户编号"
    assert profile.columns == {
        "客户姓名": ColumnSpec(field="name"),
        "手机号": ColumnSpec(field="mobile"),
        "出生日期": ColumnSpec(field="birth_date", format="%Y%m%d"),
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns:\n  手机号: mobil\n", r"columns\.手机号\.field: unknown canonical field 'mobil' \(did you"),
        ("columns:\n  a: {field: name, fmt: x}\n", r"columns\.a\.fmt: Extra inputs are not permitted"),
        ("columns:\n  a: name\n  b: name\n", r"field 'name' is mapped twice: from 'a' and 'b'"),
        ("kind: customers\ncolumns:\n  单号: order_id\n", r"not fields of customers: '单号' -> order_id"),
        ("kind: leads\ncolumns:\n  a: name\n", r"kind: Input should be 'customers', 'orders' or 'inter"),
        ("source: x\n", r"columns: Field required"),
        ("colums:\n  a: name\n", r"colums: Extra inputs are not permitted"),
        ("- a\n- b\n", r"a mapping needs 'columns:'"),
        ("columns: [a, b\n", r"not valid YAML at line 2, column 1: expected ',' or ']'"),
        ("columns:\n  a: 5\n", r"columns: column 'a': expected a field name or \{field: ..., format: ...\}"),
    ],
)
def test_mapping_errors_are_one_clear_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message) as info:
        load_mapping(_yaml(tmp_path, text))
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("m.yaml: ")


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot read the mapping"):
        load_mapping(tmp_path / "absent.yaml")


def test_mapping_error_is_an_ingest_error() -> None:
    assert issubclass(MappingError, IngestError)


def test_resolves_columns_by_exact_or_normalised_header() -> None:
    profile = parse_mapping({"key": "客户编号", "columns": {"客户姓名": "name", "E-mail": "email"}})
    resolved = resolve_mapping(["客户编号", "客户姓名", "EMAIL", "备注"], profile, "customers")
    assert [(r.index, r.header, r.field) for r in resolved.rules] == [
        (1, "客户姓名", "name"),
        (2, "EMAIL", "email"),
    ]
    assert (resolved.key_index, resolved.key_header) == (0, "客户编号")
    assert resolved.extras == [(3, "备注")]  # a profile maps only what it names
    assert resolved.by_index[2].field == "email"


def test_a_mapped_column_missing_from_the_file_is_a_bad_mapping() -> None:
    profile = parse_mapping({"key": "客户编号", "columns": {"客户姓名": "name", "出生日期": "birth_date"}})
    message = r"not in the file: '出生日期' \(headers: '客户编号', '客户姓名'\)"
    with pytest.raises(MappingError, match=message):
        resolve_mapping(["客户编号", "客户姓名"], profile, "customers")


def test_a_missing_key_column_is_a_bad_mapping() -> None:
    profile = parse_mapping({"key": "编号", "columns": {"姓名": "name"}})
    with pytest.raises(MappingError, match="not in the file: '编号'"):
        resolve_mapping(["姓名"], profile, "customers")


def test_a_field_of_another_kind_is_a_bad_mapping() -> None:
    profile = parse_mapping({"columns": {"订单号": "order_id"}})
    # The order number is the key of an order.
    assert resolve_mapping(["订单号"], profile, "orders").key_header == "订单号"
    with pytest.raises(MappingError, match="not fields of customers"):
        resolve_mapping(["订单号"], profile, "customers")


def test_auto_detect_adds_synonyms_to_a_profile() -> None:
    profile = parse_mapping({"auto_detect": True, "columns": {"联系人": "owner"}})
    resolved = resolve_mapping(["联系人", "客户编号", "手机", "备注", "其他"], profile, "customers")
    assert {r.header: r.field for r in resolved.rules} == {
        "联系人": "owner",
        "手机": "mobile",
        "备注": "notes",
    }
    assert resolved.key_header == "客户编号"
    assert resolved.extras == [(4, "其他")]


def test_without_a_profile_headers_come_from_synonyms() -> None:
    headers = ["客户编号", "客户姓名 ", "手机号", "手机", "订单号", "自定义字段"]
    resolved = resolve_mapping(headers, None, "customers")
    assert {r.header: r.field for r in resolved.rules} == {"客户姓名 ": "name", "手机号": "mobile"}
    assert resolved.key_header == "客户编号"
    assert [h for _, h in resolved.extras] == ["手机", "订单号", "自定义字段"]  # kept, never dropped
    reasons = [issue.reason for issue in resolved.issues]
    assert any("'手机' also means mobile" in r for r in reasons)
    assert any("'订单号' (order_id) are not customers fields" in r and "--kind" in r for r in reasons)


@pytest.mark.parametrize(
    ("headers", "kind", "key", "fields"),
    [
        (["客户编号", "编号", "姓名"], "customers", "客户编号", {"name"}),
        (["ID", "姓名"], "customers", "ID", {"name"}),
        (["订单号", "客户编号", "金额"], "orders", "订单号", {"order_id", "customer_key", "amount"}),
        (["编号", "客户编号", "金额"], "orders", "编号", {"customer_key", "amount"}),
        (["工单号", "客户ID", "内容"], "interactions", "工单号", {"interaction_id", "customer_key", "content"}),
        (["姓名", "手机"], "customers", None, {"name", "mobile"}),
    ],
)
def test_key_column_per_kind(headers: list[str], kind: str, key: str | None, fields: set[str]) -> None:
    resolved = resolve_mapping(headers, None, kind)
    assert resolved.key_header == key
    assert {r.field for r in resolved.rules} == fields
    if key is None:
        assert any("no key column" in issue.reason for issue in resolved.issues)


def test_unknown_kind() -> None:
    with pytest.raises(MappingError, match="unknown kind 'leads'"):
        resolve_mapping(["姓名"], None, "leads")


def test_mapping_finds_the_header_row_holding_all_its_columns(tmp_path: Path) -> None:
    # Without the mapping, the first row would look like a header (姓名 and 手机 are synonyms).
    path = tmp_path / "f.csv"
    path.write_text("姓名,手机\n\n会员,电话,生日\n张三,13812345678,19900105\n", encoding="utf-8")
    profile = parse_mapping(
        {"columns": {"会员": "name", "电话": "mobile", "生日": {"field": "birth_date", "format": "%Y%m%d"}}}
    )
    (record,) = iter_records(path, source="s", mapping=profile)
    assert record.row == 4
    assert record.fields["birth_date"] == "1990-01-05"
    assert record.raw == {"name": "张三", "mobile": "13812345678", "birth_date": "19900105"}


def test_resolved_mapping_round_trips_as_a_profile(tmp_path: Path) -> None:
    resolved = resolve_mapping(["客户编号", "姓名", "手机"], None, "customers")
    profile = resolved.to_profile("crm")
    dump_mapping(profile, tmp_path / "saved.yaml")
    again = load_mapping(tmp_path / "saved.yaml")
    assert again == profile
    columns = {"姓名": ColumnSpec(field="name"), "手机": ColumnSpec(field="mobile")}
    assert again == MappingProfile(source="crm", kind="customers", key="客户编号", columns=columns)
