"""The JSON Lines reader: one object per line; a broken line is a rejected row."""

from __future__ import annotations

import json
from pathlib import Path

from custgraph.ingest.models import IngestedRecord, RejectedRow
from custgraph.ingest.readers import open_table
from custgraph.ingest.reading import iter_records
from custgraph.ingest.table import BadRow


def _jsonl(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_columns_are_all_keys_in_first_seen_order(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path,
        [
            json.dumps({"name": "ann", "mobile": 13812345678}),
            json.dumps({"name": "bob", "email": "b@x.cn", "contact": {"wechat": "bob1"}}),
        ],
    )
    with open_table(path) as table:
        assert (table.format, table.header_row) == ("jsonl", 0)
        assert table.headers == ["name", "mobile", "email", "contact.wechat"]
        assert list(table) == [
            (1, ["ann", 13812345678, None, None]),
            (2, ["bob", None, "b@x.cn", "bob1"]),
        ]


def test_a_broken_line_is_a_rejected_row_and_reading_goes_on(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path,
        [
            json.dumps({"id": "1", "name": "张三", "mobile": "13812345678"}, ensure_ascii=False),
            '{"id": "2", "name": ',
            "[1, 2]",
            "",
            json.dumps({"id": "3", "name": "李四", "tags": ["vip", "华东"]}, ensure_ascii=False),
        ],
    )
    with open_table(path) as table:
        kinds = [type(cells).__name__ for _, cells in table]
    assert kinds == ["list", "BadRow", "BadRow", "list", "list"]

    items = list(iter_records(path, source="web"))
    assert [type(i) for i in items] == [IngestedRecord, RejectedRow, RejectedRow, IngestedRecord]
    broken, not_object = items[1], items[2]
    assert isinstance(broken, RejectedRow) and broken.row == 2
    assert broken.issues[0].reason.startswith("invalid JSON")
    assert isinstance(not_object, RejectedRow)
    assert "not a JSON object but a list" in not_object.issues[0].reason
    last = items[3]
    assert isinstance(last, IngestedRecord)
    assert (last.source_key, last.row) == ("3", 5)
    assert last.raw["tags"] == '["vip","华东"]'  # the cell text; the list itself went to the standardizer
    assert last.fields["tags"] == ["vip", "华东"]


def test_bad_row_reason_is_one_line() -> None:
    from custgraph.ingest.jsonl_reader import _parse

    parsed = _parse('{"a": 1,}')
    assert isinstance(parsed, BadRow) and "\n" not in parsed.reason


def test_gb18030_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "gb.jsonl"
    line = json.dumps({"姓名": "张三", "手机": "13812345678"}, ensure_ascii=False)
    path.write_bytes(line.encode("gb18030"))
    (record,) = iter_records(path, source="web")
    assert isinstance(record, IngestedRecord)
    assert record.raw == {"name": "张三", "mobile": "13812345678"}
