"""National ID numbers and unified social credit codes (custgraph.matching.standardize.identifiers)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.standardize import (
    InvalidValue,
    credit_code_check_char,
    make_credit_code,
    make_national_id,
    national_id_birth_date,
    national_id_check_char,
    national_id_gender,
    standardize_credit_code,
    standardize_national_id,
    upgrade_national_id,
)
from custgraph.matching.standardize.identifiers import CREDIT_CODE_ALPHABET

FAST = settings(max_examples=200, deadline=None)
LOST_DIGITS = "national ID was stored as a number and lost digits; format the column as text"
BAD_CHARACTER = "credit code contains a character it cannot contain (I, O, S, V, Z or a symbol)"
ID_CHECK_CHARS = "0123456789X"

# Published examples, checked independently of our generator.
GB11643_EXAMPLES = ["11010519491231002X", "440524188001010014"]
REAL_CREDIT_CODES = ["914403001922038216", "91440300708461136T", "91330100716105852F"]


@pytest.mark.parametrize("value", GB11643_EXAMPLES)
def test_published_national_ids_validate(value: str) -> None:
    assert standardize_national_id(value) == value
    assert national_id_check_char(value[:17]) == value[17]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        ("110105 19491231 002X", "11010519491231002X"),
        ("110105-19491231-002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("110105491231002", "110105491231002"),  # old 15-digit ID
        (110105491231002, "110105491231002"),
        (110105491231002.0, "110105491231002"),
        ("1804974", "1804974"),  # Febrl-style foreign ID number: kept
        (1804974, "1804974"),
        ("1804974.0", "1804974"),
        ("E12345678", "E12345678"),  # passport
        ("e1234-5678", "E12345678"),
        ("1234", "1234"),
        ("12345678901234567890", "12345678901234567890"),
        ("0E00", "0E00"),  # looks like scientific notation, but Excel never writes it so
        ("1E12345", "1E12345"),
        ("1234567890123456", "1234567890123456"),  # 16 digits is not a Chinese format: kept
    ],
)
def test_national_id_valid(raw: object, expected: str) -> None:
    assert standardize_national_id(raw) == expected


def _with_check(body17: str) -> str:
    return body17 + national_id_check_char(body17)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("110105194912310021", "national ID checksum failed"),
        ("11010519491231002A", "national ID checksum failed"),
        (_with_check("11010519491331002"), "national ID contains an impossible birth date"),  # month 13
        (_with_check("11010519490230002"), "national ID contains an impossible birth date"),  # Feb 30
        (_with_check("11010517991231002"), "national ID contains an impossible birth date"),  # 1799
        (_with_check("11010529991231002"), "national ID contains an impossible birth date"),  # future
        ("110105491331002", "national ID contains an impossible birth date"),  # 15-digit, month 13
        ("12#4", "national ID must contain only letters and digits"),
        ("张三1234", "national ID must contain only letters and digits"),
        ("123", "national ID must have 4 to 20 letters or digits"),
        ("123456789012345678901", "national ID must have 4 to 20 letters or digits"),
        (1.1010519491231002e17, LOST_DIGITS),
        ("1.10105E+17", LOST_DIGITS),
        (True, "not a valid national ID"),
    ],
)
def test_national_id_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_national_id(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize("raw", [None, "", " ", "-", "无"])
def test_blank_identifiers_are_none(raw: object) -> None:
    assert standardize_national_id(raw) is None
    assert standardize_credit_code(raw) is None


def test_national_id_helpers() -> None:
    assert national_id_birth_date("11010519491231002X") == "1949-12-31"
    assert national_id_gender("11010519491231002X") == "F"  # sequence 002: even
    assert national_id_gender("440524188001010014") == "M"  # sequence 001: odd
    assert national_id_birth_date("110105491231002") == "1949-12-31"
    assert upgrade_national_id("110105491231002") == "11010519491231002X"
    assert upgrade_national_id("11010519491231002X") == "11010519491231002X"
    for foreign in ("1804974", None, "-"):
        assert national_id_birth_date(foreign) is None
        assert national_id_gender(foreign) is None
        assert upgrade_national_id(foreign) is None


def test_make_national_id_rejects_bad_arguments() -> None:
    assert make_national_id("110105", "1949-12-31", 2) == "11010519491231002X"
    assert make_national_id(110105, date(1949, 12, 31), 2) == "11010519491231002X"
    with pytest.raises(ValueError):
        make_national_id("11010", date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_national_id("110105", date(1990, 1, 1), 1000)
    with pytest.raises(ValueError):
        national_id_check_char("1234")


@pytest.mark.parametrize("value", REAL_CREDIT_CODES)
def test_real_credit_codes_validate(value: str) -> None:
    assert standardize_credit_code(value) == value
    assert standardize_credit_code(value.lower()) == value
    assert standardize_credit_code(" " + value[:6] + " " + value[6:] + " ") == value


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("914403001922038217", "credit code checksum failed"),
        ("91440300192203821", "credit code must have 18 characters"),
        ("9144030019220382160", "credit code must have 18 characters"),
        (914403001922038216, "credit code must have 18 characters"),
        ("91440300192203821I", BAD_CHARACTER),
        ("9144030019220382O6", BAD_CHARACTER),
        ("91440300#922038216", BAD_CHARACTER),
    ],
)
def test_credit_code_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_credit_code(raw)
    assert caught.value.reason == reason


def test_credit_code_alphabet_and_generator_arguments() -> None:
    assert len(CREDIT_CODE_ALPHABET) == 31
    assert not set("IOSVZ") & set(CREDIT_CODE_ALPHABET)
    with pytest.raises(ValueError):
        make_credit_code("9144030019220382")  # 16 characters
    with pytest.raises(ValueError):
        credit_code_check_char("91440300192203821I"[:16] + "I")


# --- properties -----------------------------------------------------------------------------------------

regions = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
sequences = st.integers(0, 999)


@FAST
@given(region=regions, born=births, seq=sequences)
def test_generated_national_ids_validate_and_decode(region: str, born: date, seq: int) -> None:
    value = make_national_id(region, born, seq)
    assert standardize_national_id(value) == value
    assert standardize_national_id(value.lower()) == value
    assert standardize_national_id(f"{value[:6]} {value[6:14]} {value[14:]}") == value
    assert national_id_birth_date(value) == born.isoformat()
    assert national_id_gender(value) == ("M" if seq % 2 else "F")


def _iso7064_mod11_2(body17: str) -> str:
    """The check character computed from the standard's formula, independently of the module's tables."""
    total = sum(int(digit) * pow(2, 17 - i, 11) for i, digit in enumerate(body17))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


@FAST
@given(body=st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_national_id_check_char_matches_the_iso7064_formula(body: str) -> None:
    assert national_id_check_char(body) == _iso7064_mod11_2(body)


@FAST
@given(region=regions, born=births, seq=sequences, data=st.data())
def test_any_other_national_id_check_char_fails(region: str, born: date, seq: int, data: st.DataObject) -> None:
    value = make_national_id(region, born, seq)
    wrong = data.draw(st.sampled_from([c for c in ID_CHECK_CHARS if c != value[-1]]))
    with pytest.raises(InvalidValue, match="national ID checksum failed"):
        standardize_national_id(value[:-1] + wrong)


@FAST
@given(region=regions, born=births, seq=sequences, data=st.data())
def test_any_single_digit_typo_in_a_national_id_fails(region: str, born: date, seq: int, data: st.DataObject) -> None:
    value = make_national_id(region, born, seq)
    position = data.draw(st.integers(0, 16))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != value[position]]))
    with pytest.raises(InvalidValue, match="national ID checksum failed"):
        standardize_national_id(value[:position] + digit + value[position + 1 :])


@FAST
@given(region=regions, born=st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), seq=sequences)
def test_old_15_digit_ids_upgrade_to_the_18_digit_id(region: str, born: date, seq: int) -> None:
    value = make_national_id(region, born, seq)
    old = value[:6] + value[8:17]
    assert standardize_national_id(old) == old
    assert upgrade_national_id(old) == value
    assert national_id_birth_date(old) == born.isoformat()


@FAST
@given(st.from_regex(r"[0-9A-Za-z]{4,20}", fullmatch=True))
def test_foreign_ids_are_never_rejected(value: str) -> None:
    if len(value) in (15, 18) and value[:15].isdigit():
        return  # Chinese formats are checked, covered above
    assert standardize_national_id(value) == value.upper()


credit_bodies = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


@FAST
@given(body=credit_bodies)
def test_generated_credit_codes_validate(body: str) -> None:
    value = make_credit_code(body)
    assert value[:17] == body
    assert standardize_credit_code(value) == value
    assert standardize_credit_code(value.lower()) == value


@FAST
@given(body=credit_bodies, data=st.data())
def test_any_single_character_change_of_a_credit_code_fails(body: str, data: st.DataObject) -> None:
    value = make_credit_code(body)
    position = data.draw(st.integers(0, 17))
    char = data.draw(st.sampled_from([c for c in CREDIT_CODE_ALPHABET if c != value[position]]))
    with pytest.raises(InvalidValue, match="credit code checksum failed"):
        standardize_credit_code(value[:position] + char + value[position + 1 :])


@FAST
@given(st.text(max_size=25))
def test_arbitrary_text_never_crashes(text: str) -> None:
    for standardize in (standardize_national_id, standardize_credit_code):
        try:
            result = standardize(text)
        except InvalidValue:
            continue
        assert result is None or (result.isascii() and result.isalnum())
