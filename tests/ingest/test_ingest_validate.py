"""Building blocks of record building: cell text, JSON-friendly values, the memo, the key index."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest

from custgraph.ingest.cells import cell_text
from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.validate import KeyIndex, Memo, content_hash, jsonable


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        ("  张三\u3000", "张三"),
        ("\u200b13812345678\ufeff", "13812345678"),  # zero-width characters pasted from the web
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),  # phone stored as a float: never "1.38e10"
        (2119, "2119"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (True, "true"),
        (datetime(2024, 1, 5), "2024-01-05"),
        (datetime(2024, 1, 5, 10, 30), "2024-01-05 10:30:00"),
        (date(2024, 1, 5), "2024-01-05"),
        (time(9, 5), "09:05:00"),
        (["vip", "华东"], '["vip","华东"]'),
    ],
)
def test_cell_text(cell: object, text: str) -> None:
    assert cell_text(cell) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", "x"),
        (None, None),
        (3, 3),
        (True, True),
        (Decimal("1234.50"), "1234.50"),
        (date(2024, 1, 5), "2024-01-05"),
        (("a", Decimal("1")), ["a", "1"]),
    ],
)
def test_jsonable(value: object, expected: object) -> None:
    assert jsonable(value) == expected


def test_content_hash_is_order_independent() -> None:
    assert content_hash({"a": 1, "b": "x"}, {"z": "1"}) == content_hash({"b": "x", "a": 1}, {"z": "1"})
    assert content_hash({"a": 1}, {}) != content_hash({"a": 2}, {})


def test_memo_remembers_repeating_values_and_copies_lists() -> None:
    memo = Memo()
    assert memo.get("北京") is None
    memo.put("北京", ("北京市", None))
    memo.put("vip,华东", (["vip", "华东"], None))
    assert memo.get("北京") == ("北京市", None)
    first, second = memo.get("vip,华东"), memo.get("vip,华东")
    assert first == second and first[0] is not second[0]  # type: ignore[index]


def test_memo_switches_itself_off_for_unique_values() -> None:
    memo = Memo()
    for n in range(Memo.SAMPLE):
        if memo.get(str(n)) is None:
            memo.put(str(n), (str(n), None))
    assert not memo.active and memo.get("1") is None


def _record(key: str, row: int, digest: str) -> IngestedRecord:
    return IngestedRecord.model_construct(source="s", source_key=key, row=row, content_hash=digest * 64)


def test_key_index() -> None:
    index = KeyIndex()
    assert index.check(_record("C1", 2, "a")) is None
    assert index.check(_record("C2", 3, "a")) is None
    assert index.check(_record("C1", 4, "a")) == (2, True)  # identical: skipped, row 2 stays the reference
    assert index.check(_record("C1", 5, "b")) == (2, False)  # changed: row 5 is now the reference
    assert index.check(_record("C1", 6, "b")) == (5, True)


def test_masked_mobile_is_kept_for_matching_only(tmp_path) -> None:
    from custgraph.ingest.reading import iter_records

    path = tmp_path / "orders.csv"
    path.write_text("订单号,客户姓名,手机号\nA1,张伟,138****5678\nA2,李娜,not a phone\n", encoding="utf-8")
    masked, broken = list(iter_records(path, source="shop", kind="orders"))
    assert masked.fields["mobile_masked"] == "138****5678" and "mobile" not in masked.fields
    assert [(i.field, i.severity) for i in masked.issues] == [("mobile", "warning")]
    assert "mobile_masked" not in broken.fields
    assert [(i.field, i.severity) for i in broken.issues] == [("mobile", "error")]
