"""Phones and mobiles -> E.164 (custgraph.matching.standardize.phones)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.standardize import (
    InvalidValue,
    masked_mobile,
    phone_digits,
    standardize_mobile,
    standardize_phone,
)

FAST = settings(max_examples=200, deadline=None)
FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
# [0-9], not \d: hypothesis' \d also yields other scripts' digits.
MOBILES = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "+8613812345678"),
        ("+86 138 1234 5678", "+8613812345678"),
        ("+86-138-1234-5678", "+8613812345678"),
        ("0086 13812345678", "+8613812345678"),
        ("86 13812345678", "+8613812345678"),
        ("8613812345678", "+8613812345678"),
        ("(+86) 138 1234 5678", "+8613812345678"),
        ("138.1234.5678", "+8613812345678"),
        ("１３８１２３４５６７８", "+8613812345678"),
        ("＋８６ １３８ １２３４ ５６７８", "+8613812345678"),
        (13812345678, "+8613812345678"),
        (13812345678.0, "+8613812345678"),
        ("13812345678.0", "+8613812345678"),  # Excel float rendered as text
        ("1.3812345678E+10", "+8613812345678"),  # Excel scientific notation
        ("Tel: 13812345678", "+8613812345678"),
        ("14012345678", "+8614012345678"),  # a block phonenumbers' table does not list yet
        ("19912345678", "+8619912345678"),
        ("138.1234.0000", "+8613812340000"),  # not mistaken for Excel's "13812345678.0"
        ("1380000000\u0660", "+8613800000000"),  # phonenumbers reads other scripts' digits; output is ASCII
        ("010-12345678", "+861012345678"),  # company switchboard in the mobile column
        ("(010)12345678", "+861012345678"),
        ("010-12345678转123", "+861012345678"),  # extensions are dropped
        ("0755-12345678-8001", "+8675512345678"),
        ("+61 2 9876 5432", "+61298765432"),
        ("+1 650 253 0000", "+16502530000"),
    ],
)
def test_mobile_valid(raw: object, expected: str) -> None:
    assert standardize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["12345678901", "1381234567", "138123456789", "abc", "95588", "+86 12345", "07 52561123", True, 1.5],
)
def test_mobile_invalid(raw: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_mobile(raw)
    assert caught.value.reason == "not a valid mobile number"


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "无", "N/A", float("nan")])
def test_blank_phone_is_none(raw: object) -> None:
    assert standardize_mobile(raw) is None
    assert standardize_phone(raw) is None


def test_phone_reason_and_region() -> None:
    with pytest.raises(InvalidValue, match="not a valid phone number"):
        standardize_phone("12345")
    # An Australian number is only understood when the caller says where it is from.
    with pytest.raises(InvalidValue):
        standardize_phone("02 9876 5432")
    assert standardize_phone("02 9876 5432", "AU") == "+61298765432"
    assert standardize_phone("+61 2 9876 5432", None) == "+61298765432"
    with pytest.raises(InvalidValue):
        standardize_phone("13812345678", None)  # no region and no country code


def test_phone_digits() -> None:
    assert phone_digits("+86 138-1234-5678") == "8613812345678"
    assert phone_digits("１３８") == "138"
    assert phone_digits("13812345678.0") == "13812345678"
    assert phone_digits("n/a") is None


def _render(groups: list[str], separators: list[str]) -> str:
    return "".join(group + sep for group, sep in zip(groups, separators + [""], strict=True))


@FAST
@given(
    number=MOBILES,
    prefix=st.sampled_from(["", "+86", "+86 ", "+86-", "0086", "0086 ", "86", "86 ", "(+86) ", "(86)"]),
    separators=st.lists(st.sampled_from(["", " ", "-", ".", "  "]), min_size=2, max_size=2),
    full_width=st.booleans(),
    padding=st.sampled_from(["", " ", "\t", "\u3000"]),
)
def test_any_formatting_of_a_cn_mobile_gives_one_e164(
    number: str, prefix: str, separators: list[str], full_width: bool, padding: str
) -> None:
    text = padding + prefix + _render([number[:3], number[3:7], number[7:]], separators) + padding
    if full_width:
        text = text.translate(FULL_WIDTH)
    assert standardize_mobile(text) == "+86" + number
    assert standardize_phone(text) == "+86" + number


@FAST
@given(number=MOBILES, as_float=st.booleans())
def test_excel_numeric_mobiles(number: str, as_float: bool) -> None:
    raw: object = float(number) if as_float else int(number)
    assert standardize_mobile(raw) == "+86" + number
    assert standardize_mobile(number + ".0") == "+86" + number


@FAST
@given(number=st.from_regex(r"1[3-9][0-9]{8}|1[3-9][0-9]{10}|1[0-2][0-9]{9}", fullmatch=True))
def test_wrong_length_or_prefix_is_not_a_mobile(number: str) -> None:
    with pytest.raises(InvalidValue):
        standardize_mobile(number)


@FAST
@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        result = standardize_phone(text)
    except InvalidValue:
        return
    assert result is None or (result.startswith("+") and result[1:].isdigit())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138****5678", "138****5678"),
        ("+86 138-****-5678", "138****5678"),
        ("138xxxx5678", "138****5678"),
        ("１３８＊＊＊＊５６７８", "138****5678"),
        ("13812345678", None),  # a full number is not masked
        ("010****1234", None),  # only mobiles: a masked landline says too little
        ("138***5678", None),
        (None, None),
    ],
)
def test_masked_mobile(raw: object, expected: str | None) -> None:
    assert masked_mobile(raw) == expected
