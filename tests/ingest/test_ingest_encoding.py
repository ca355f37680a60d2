"""Encoding detection and delimiter sniffing for text exports."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from custgraph.ingest.csv_reader import sniff_delimiter
from custgraph.ingest.encoding import detect_encoding
from custgraph.ingest.readers import open_table

ROWS = "客户姓名,手机号,地区\n张三,13812345678,北京\n李四,13900000000,广东省\n"


def _write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rows(path: Path) -> tuple[list[str], list[list[object]]]:
    with open_table(path) as table:
        return table.headers, [cells for _, cells in table]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ROWS.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF8 + ROWS.encode("utf-8"), "utf-8-sig"),
        (ROWS.encode("gb18030"), "gb18030"),
        (ROWS.encode("gbk"), "gb18030"),  # GBK is a subset of GB18030
        (codecs.BOM_UTF16_LE + ROWS.encode("utf-16-le"), "utf-16"),
        (b"name,mobile\nann,1\n", "utf-8-sig"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16", "ascii"],
)
def test_detects_encoding(tmp_path: Path, data: bytes, expected: str) -> None:
    found = detect_encoding(_write(tmp_path, data))
    assert (found.name, found.replaced) == (expected, 0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_reads_the_same_rows_whatever_the_encoding(tmp_path: Path, encoding: str) -> None:
    headers, rows = _rows(_write(tmp_path, ROWS.encode(encoding)))
    assert headers == ["客户姓名", "手机号", "地区"]  # no BOM glued to the first header
    assert rows == [["张三", "13812345678", "北京"], ["李四", "13900000000", "广东省"]]


def test_invalid_bytes_in_utf8_are_replaced_with_a_warning(tmp_path: Path) -> None:
    body = ROWS * 20 + "王五,13700000000,上海\xff\n"
    data = body.encode("utf-8").replace("\xff".encode(), b"\xff")
    path = _write(tmp_path, data)
    found = detect_encoding(path)
    assert (found.name, found.replaced) == ("utf-8-sig", 1)
    with open_table(path) as table:
        rows = [cells for _, cells in table]
        assert [issue.severity for issue in table.issues] == ["warning"]
        assert "1 invalid byte sequence" in table.issues[0].reason
    assert rows[-1] == ["王五", "13700000000", "上海\ufffd"]
    assert rows[0] == ["张三", "13812345678", "北京"]  # the rest is read as UTF-8, not as GB18030 mojibake


def test_invalid_bytes_in_gb18030_are_replaced(tmp_path: Path) -> None:
    data = ROWS.encode("gb18030") + b"\xff\xff,1,2\n"
    found = detect_encoding(_write(tmp_path, data))
    assert found.name == "gb18030" and found.replaced > 0
    _, rows = _rows(tmp_path / "f.csv")
    assert rows[0] == ["张三", "13812345678", "北京"]


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("客户名单2024\n\n姓名;手机;备注\n张三;138;a,b\n李四;139;c\n", ";"),  # title line above the header
        ("name, mobile, note\nann, 1, x\n", ","),
        ("onlyonecolumn\nvalue\n", ","),
    ],
)
def test_sniffs_the_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected
