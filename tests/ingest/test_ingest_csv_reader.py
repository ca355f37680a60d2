"""The CSV reader and the header search shared by all readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from custgraph.ingest.errors import IngestError
from custgraph.ingest.readers import open_table
from custgraph.ingest.table import BadRow


def _csv(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_header_and_rows_with_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'name,mobile,notes\nann,1,"two\nlines"\n\nbob,2,x\n')
    with open_table(path) as table:
        assert table.format == "csv" and table.header_row == 1
        assert table.headers == ["name", "mobile", "notes"]
        # A quoted line break stays in its row; the blank line is row 3, as Excel numbers it.
        assert list(table) == [(2, ["ann", "1", "two\nlines"]), (3, []), (4, ["bob", "2", "x"])]


def test_title_rows_above_the_header_are_skipped_with_a_warning(tmp_path: Path) -> None:
    path = _csv(tmp_path, "客户名单2024\n导出日期：2024-06-01\n\n客户姓名,手机号,地区\n张三,138,北京\n")
    with open_table(path) as table:
        assert table.header_row == 4
        assert table.headers == ["客户姓名", "手机号", "地区"]
        assert list(table) == [(5, ["张三", "138", "北京"])]
        assert [i.reason for i in table.issues] == ["header found on row 4; rows above it were skipped: 1, 2"]


def test_without_a_recognisable_header_the_first_row_is_the_header(tmp_path: Path) -> None:
    path = _csv(tmp_path, "\n\nfoo,bar\n1,2\n")
    with open_table(path) as table:
        assert (table.header_row, table.headers) == (3, ["foo", "bar"])
        assert list(table) == [(4, ["1", "2"])]
        assert table.issues == []


def test_header_search_stops_after_ten_rows(tmp_path: Path) -> None:
    lines = [f"title {n}" for n in range(12)] + ["name,mobile", "ann,1"]
    with open_table(_csv(tmp_path, "\n".join(lines) + "\n")) as table:
        assert table.header_row == 1  # the real header is too far down: the first row is taken
        assert len(list(table)) == 13


def test_duplicated_and_blank_headers_get_unique_names(tmp_path: Path) -> None:
    path = _csv(tmp_path, "姓名,手机,备注,备注,,备注\n张三,1,a,b,c,d\n")
    with open_table(path) as table:
        assert table.headers == ["姓名", "手机", "备注", "备注_2", "column_5", "备注_3"]
        assert [(i.field, i.severity) for i in table.issues] == [("备注_2", "warning"), ("备注_3", "warning")]


def test_header_and_cell_whitespace_is_trimmed(tmp_path: Path) -> None:
    path = _csv(tmp_path, " 姓名 ,手机号\u3000,邮箱\t\n 张三 , 138 ,a@b.c\n")
    with open_table(path) as table:
        assert table.headers == ["姓名", "手机号", "邮箱"]
        # skipinitialspace drops leading blanks; the rest is trimmed when records are built.
        assert list(table) == [(2, ["张三 ", "138 ", "a@b.c"])]


def test_febrl_style_values_padded_with_a_space(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'rec_id, given_name, surname, postcode\nrec-1-org, kayla, "o\'brien, jr", 2119\n')
    with open_table(path) as table:
        assert table.headers == ["rec_id", "given_name", "surname", "postcode"]
        assert list(table) == [(2, ["rec-1-org", "kayla", "o'brien, jr", "2119"])]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_one_hundred_columns(tmp_path: Path, delimiter: str) -> None:
    headers = ["姓名", "手机"] + [f"c{n}" for n in range(98)]
    row = ["张三", "13812345678"] + [str(n) for n in range(98)]
    path = _csv(tmp_path, delimiter.join(headers) + "\n" + delimiter.join(row) + "\n")
    with open_table(path) as table:
        assert table.headers == headers
        assert list(table) == [(2, row)]


def test_an_unreadable_record_is_a_bad_row_not_a_crash(tmp_path: Path) -> None:
    import csv

    limit = csv.field_size_limit()
    path = _csv(tmp_path, "name,notes\nann," + "x" * (limit + 10) + "\nbob,ok\n")
    with open_table(path) as table:
        rows = list(table)
    assert isinstance(rows[0][1], BadRow) and "field larger than field limit" in rows[0][1].reason
    assert rows[-1][1] == ["bob", "ok"]


def test_empty_file(tmp_path: Path) -> None:
    with open_table(_csv(tmp_path, "")) as table:
        assert (table.headers, list(table)) == ([], [])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "old .xls format is not supported"),
        ("data.pdf", b"%PDF", "unsupported file type '.pdf'"),
        ("broken.xlsx", b"not a zip", "not a readable .xlsx workbook"),
    ],
)
def test_unreadable_files_raise_ingest_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        open_table(path)


def test_missing_file_raises_ingest_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file"):
        open_table(tmp_path / "nope.csv")
