"""Shared cleaning: blanks, placeholders, NFKC and whitespace (custgraph.matching.standardize.text)."""

from datetime import date
from decimal import Decimal

import pytest

from custgraph.matching.standardize import clean_text, standardize_text
from custgraph.matching.standardize.text import has_cjk, remove_cjk_spaces, strip_accents, to_simplified


@pytest.mark.parametrize(
    "raw",
    [None, "", "   ", "\t\n", "\u3000", "-", "--", "—", "/", "N/A", "n/a", "NA", "null", "None", "nan",
     "#N/A", "无", "暂无", "待补充", "未填写", "不详", "無", "暫無", "待補充", float("nan"), Decimal("NaN")],
)  # fmt: skip
def test_blank_and_placeholder_values_are_none(raw: object) -> None:
    assert clean_text(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  hello   world ", "hello world"),
        ("ＡＢＣ　１２３", "ABC 123"),  # full-width letters, digits and ideographic space
        ("a\u200bb\ufeff", "ab"),  # zero-width space and BOM are invisible, not content
        ("line1\nline2\r\n", "line1 line2"),
        ("（北京）", "(北京)"),
        ("mitchell", "mitchell"),  # case is never touched
        ("wallaby place", "wallaby place"),
        (12, "12"),
        (12.0, "12"),  # Excel stores whole numbers as floats
        (12.5, "12.5"),
        (Decimal("7.0"), "7"),
        (True, "true"),
        (date(2024, 1, 5), "2024-01-05"),
        ("无锡", "无锡"),  # a real value that merely starts with a placeholder character
        ("0", "0"),
    ],
)
def test_clean_text(raw: object, expected: str) -> None:
    assert clean_text(raw) == expected
    assert standardize_text(raw) == expected


def test_cjk_helpers() -> None:
    assert has_cjk("abc张") and not has_cjk("abc")
    assert to_simplified("臺灣 張三") == "台湾 张三"
    assert to_simplified("Taiwan") == "Taiwan"
    assert remove_cjk_spaces("张 三 Tom Lee") == "张三 Tom Lee"
    assert strip_accents("Zürich José") == "Zurich Jose"
