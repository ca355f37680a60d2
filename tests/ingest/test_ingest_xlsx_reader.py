"""The xlsx reader: typed cells, sheets, merged cells, header search."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from custgraph.ingest import xlsx_reader
from custgraph.ingest.errors import IngestError
from custgraph.ingest.readers import open_table
from custgraph.ingest.reading import iter_records


def _book(tmp_path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "客户"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    path = tmp_path / "f.xlsx"
    wb.save(path)
    return path


def _read(path: Path, **kw: object) -> tuple[list[str], list[tuple[int, list[object]]]]:
    with open_table(path, **kw) as table:  # type: ignore[arg-type]
        return table.headers, list(table)  # type: ignore[arg-type]


def test_reads_typed_cells(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["姓名", "手机号", "邮编", "出生日期", "金额"],
            ["张三", 13812345678, 2119, datetime(1990, 1, 5), 12.5],
        ],
    )
    headers, rows = _read(path)
    assert headers == ["姓名", "手机号", "邮编", "出生日期", "金额"]
    assert rows == [(2, ["张三", 13812345678, 2119, datetime(1990, 1, 5), 12.5])]


def test_numbers_become_the_text_a_user_sees(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["客户编号", "姓名", "手机号", "邮编", "出生日期", "累计金额"],
            [1001, "张三", 13812345678, 2119, datetime(1990, 1, 5), 12.5],
            [1002.0, "李四", 1.3912345678e10, 200, date(1985, 3, 1), 0.1],
        ],
    )
    records = list(iter_records(path, source="x"))
    assert [r.source_key for r in records] == ["1001", "1002"]
    assert records[0].raw["mobile"] == "13812345678"
    assert records[1].raw["mobile"] == "13912345678"  # a float cell, never "1.39e10"
    assert records[0].raw["postal_code"] == "2119"
    assert records[0].raw["birth_date"] == "1990-01-05"
    assert records[0].fields["birth_date"] == "1990-01-05"
    assert records[1].raw["total_amount"] == "0.1"


def test_an_excel_serial_in_a_date_column_is_a_date_and_nonsense_is_an_issue(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["姓名", "手机号", "出生日期"],
            ["张三", 13812345678, 32878],  # 1990-01-05 as a plain number
            ["李四", 13912345678, -1],
        ],
    )
    ok, bad = iter_records(path, source="x")
    assert ok.fields["birth_date"] == "1990-01-05" and not ok.issues
    assert "birth_date" not in bad.fields and bad.raw["birth_date"] == "-1"
    assert [(i.field, i.value, i.severity) for i in bad.issues] == [("birth_date", "-1", "error")]


def test_picks_the_named_sheet_or_the_first(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["说明"])
    second = wb.create_sheet("名单")
    second.append(["姓名", "手机"])
    second.append(["张三", "138"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    assert _read(path)[0] == ["说明"]
    assert _read(path, sheet="名单") == (["姓名", "手机"], [(2, ["张三", "138"])])
    with pytest.raises(IngestError, match="no sheet named 'nope'.*'名单'"):
        open_table(path, sheet="nope")


def test_title_rows_and_empty_rows(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["客户名单2024"],
            [],
            ["客户姓名 ", "手机号", "地区"],
            ["张三", "138", "北京"],
            [],
            [None, None, None],
            ["李四", "139", "上海"],
        ],
        merges=("A1:C1",),
    )
    with open_table(path) as table:
        assert (table.header_row, table.headers) == (3, ["客户姓名", "手机号", "地区"])
        rows = list(table)
    assert rows[0] == (4, ["张三", "138", "北京"])
    assert rows[-1] == (7, ["李四", "139", "上海"])
    assert all(not any(cells) for _, cells in rows[1:-1])


def test_merged_cells_in_a_two_row_header(tmp_path: Path) -> None:
    # 姓名 merged down over two rows; 联系方式 merged across its two sub-headers.
    path = _book(
        tmp_path,
        [
            ["姓名", "联系方式", None, "地区"],
            [None, "手机", "邮箱", None],
            ["张三", "13812345678", "zs@x.cn", "北京"],
        ],
        merges=("A1:A2", "B1:C1", "D1:D2"),
    )
    with open_table(path) as table:
        assert table.headers == ["姓名", "手机", "邮箱", "地区"]
        assert table.header_row == 2
        assert list(table) == [(3, ["张三", "13812345678", "zs@x.cn", "北京"])]


def test_a_header_merged_across_columns_without_sub_headers(tmp_path: Path) -> None:
    path = _book(tmp_path, [["姓名", "电话", None], ["张三", "138", "010-1234"]], merges=("B1:C1",))
    headers, _ = _read(path)
    assert headers == ["姓名", "电话", "电话_2"]


def test_merged_data_cells_fill_down_their_own_column_only(tmp_path: Path) -> None:
    path = _book(
        tmp_path,
        [
            ["地区", "姓名", "备注", "标签"],
            ["北京", "张三", "跨两列", None],
            [None, "李四", "x", "y"],
            [None, "王五", None, None],
            ["上海", "赵六", None, None],
        ],
        merges=("A2:A4", "C2:D2"),
    )
    _, rows = _read(path)
    width = 4  # read-only rows end at their last stored cell
    assert [cells + [None] * (width - len(cells)) for _, cells in rows] == [
        ["北京", "张三", "跨两列", None],  # the across merge stays in its first column
        ["北京", "李四", "x", "y"],
        ["北京", "王五", None, None],
        ["上海", "赵六", None, None],
    ]


def test_merge_scan_across_chunk_boundaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(
        tmp_path, [["地区", "姓名"], ["北京", "张三"], [None, "李四"], ["上海", "王五"]], merges=("A2:A3", "A4:B4")
    )
    monkeypatch.setattr(xlsx_reader, "_SCAN_CHUNK", 7)  # every tag is cut somewhere
    with open_table(path) as table:
        assert sorted(table._merges) == [(2, 1, 3, 1), (4, 1, 4, 2)]  # type: ignore[attr-defined]


def test_wrong_dimension_tag_does_not_truncate(tmp_path: Path) -> None:
    import zipfile

    path = _book(tmp_path, [["姓名", "手机"], ["张三", "138"], ["李四", "139"]])
    fixed = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(fixed, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
            dst.writestr(item, data)
    assert _read(fixed) == (["姓名", "手机"], [(2, ["张三", "138"]), (3, ["李四", "139"])])
