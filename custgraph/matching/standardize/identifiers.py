"""Registered identifiers with check characters: the national ID number (居民身份证号码, GB 11643-1999) and
the unified social credit code (统一社会信用代码, GB 32100-2015). Generators for valid values are here too,
so test data and the validators can never disagree.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import InvalidValue
from .text import clean_text, drop_float_suffix, is_missing

# --- national ID -------------------------------------------------------------------------------------------

# ISO 7064 MOD 11-2: weight of position i is 2**(17-i) mod 11; the remainder indexes _ID_CHECK.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CN_ID18 = re.compile(r"[0-9]{17}.")  # 17 digits + anything: a Chinese ID, valid or not
_CN_ID15 = re.compile(r"[0-9]{15}")
_OTHER_ID = re.compile(r"[0-9A-Z]{4,20}")
_SEPARATORS = re.compile(r"[\s\-]")
# How Excel displays a long number ("1.10105E+17"); "1E5" alone is a plausible passport number.
_SCIENTIFIC = re.compile(r"[0-9]\.[0-9]+E\+[0-9]{1,2}", re.IGNORECASE)
_MIN_BIRTH_YEAR = 1850
_LOST_DIGITS = "national ID was stored as a number and lost digits; format the column as text"


def national_id_check_char(body17: str) -> str:
    """The 18th character of a national ID number whose first 17 digits are ``body17``."""
    if len(body17) != 17 or not body17.isascii() or not body17.isdigit():
        raise ValueError("body17 must be 17 ASCII digits")
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def _birth_date(yyyymmdd: str) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        raise InvalidValue("national ID contains an impossible birth date") from None
    if born.year < _MIN_BIRTH_YEAR or born > date.today():
        raise InvalidValue("national ID contains an impossible birth date")
    return born


def _id_text(raw: object) -> str | None:
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue("not a valid national ID")
    if isinstance(raw, float) and (not raw.is_integer() or abs(raw) >= 1e15):
        # A float holds 15-16 significant digits; an 18-digit ID has already been rounded.
        raise InvalidValue(_LOST_DIGITS if raw.is_integer() else "not a valid national ID")
    text = clean_text(raw)
    if text is None:
        return None
    if _SCIENTIFIC.fullmatch(text):
        raise InvalidValue(_LOST_DIGITS)
    return _SEPARATORS.sub("", drop_float_suffix(text)).upper()


def standardize_national_id(raw: object) -> str | None:
    """A national ID number, upper-case, without spaces or dashes.

    - 18 characters starting with 17 digits: a Chinese ID; the MOD 11-2 check character and the birth
      date must be valid.
    - 15 digits: an old (pre-1999) Chinese ID; its ``YYMMDD`` birth date (19YY) must be valid.
    - Anything else of 4-20 letters and digits (a passport, a foreign ID such as ``1804974``) is kept
      as it is, only upper-cased: those have no checksum we could verify, so they are never rejected.
    """
    text = _id_text(raw)
    if text is None:
        return None
    if len(text) == 18 and _CN_ID18.fullmatch(text):
        if national_id_check_char(text[:17]) != text[17]:
            raise InvalidValue("national ID checksum failed")
        _birth_date(text[6:14])
        return text
    if _CN_ID15.fullmatch(text):
        _birth_date("19" + text[6:12])
        return text
    if not text.isascii() or not text.isalnum():
        raise InvalidValue("national ID must contain only letters and digits")
    if not _OTHER_ID.fullmatch(text):
        raise InvalidValue("national ID must have 4 to 20 letters or digits")
    return text


def _chinese_id(raw: object) -> str | None:
    """The standardized value if it is a Chinese ID (18 or 15 digits), else None."""
    text = standardize_national_id(raw)
    if text is None or len(text) not in (15, 18) or not text[:15].isdigit():
        return None
    return text


def upgrade_national_id(raw: object) -> str | None:
    """A 15-digit ID in its 18-digit form (``19`` inserted, check character added); 18-digit IDs as they are.

    Both forms of one person's ID then compare equal. None for foreign IDs.
    """
    text = _chinese_id(raw)
    if text is None or len(text) == 18:
        return text
    body = text[:6] + "19" + text[6:]
    return body + national_id_check_char(body)


def national_id_birth_date(raw: object) -> str | None:
    """``YYYY-MM-DD`` from a Chinese ID; None for foreign IDs."""
    text = upgrade_national_id(raw)
    return None if text is None else _birth_date(text[6:14]).isoformat()


def national_id_gender(raw: object) -> str | None:
    """``"M"``/``"F"`` from the parity of a Chinese ID's sequence number (odd = male); None if foreign."""
    text = upgrade_national_id(raw)
    return None if text is None else ("M" if int(text[16]) % 2 else "F")


def make_national_id(region_code: str | int, birth_date: date | str, seq: int) -> str:
    """A valid 18-character ID: 6-digit region code, birth date, 3-digit sequence (odd = male), check.

    Raises ValueError for arguments that cannot form a valid ID.
    """
    region = str(region_code)
    if len(region) != 6 or not region.isdigit():
        raise ValueError("region_code must be 6 digits")
    born = date.fromisoformat(birth_date) if isinstance(birth_date, str) else birth_date
    if not 0 <= seq <= 999:
        raise ValueError("seq must be 0..999")
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + national_id_check_char(body)


# --- unified social credit code ----------------------------------------------------------------------------

# The code's alphabet leaves out I, O, S, V and Z, which read like 1, 0, 5, U and 2.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_VALUE = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(body17: str) -> str:
    """The 18th character of a credit code whose first 17 characters are ``body17`` (GB 32100-2015)."""
    if len(body17) != 17 or any(char not in _CC_VALUE for char in body17):
        raise ValueError(f"body17 must be 17 characters from {CREDIT_CODE_ALPHABET}")
    total = sum(_CC_VALUE[char] * weight for char, weight in zip(body17, _CC_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def standardize_credit_code(raw: object) -> str | None:
    """An 18-character unified social credit code, upper-case, check character verified.

    Only the GB 32100 check character is verified, not the embedded organization code's own check digit.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool | int | float):  # 18 characters never survive as a number
        raise InvalidValue("credit code must have 18 characters")
    text = clean_text(raw)
    if text is None:
        return None
    text = _SEPARATORS.sub("", text).upper()
    if len(text) != 18:
        raise InvalidValue("credit code must have 18 characters")
    if any(char not in _CC_VALUE for char in text):
        raise InvalidValue("credit code contains a character it cannot contain (I, O, S, V, Z or a symbol)")
    if credit_code_check_char(text[:17]) != text[17]:
        raise InvalidValue("credit code checksum failed")
    return text


def make_credit_code(body17: str) -> str:
    """A valid credit code: ``body17`` (17 characters of the code's alphabet) plus its check character."""
    return body17 + credit_code_check_char(body17)


# --- bank card ---------------------------------------------------------------------------------------------

_CARD_DIGITS = re.compile(r"[0-9]{12,19}")


def standardize_bank_card(raw: object) -> str | None:
    """A bank card number (银行卡号): its 12-19 digits, spaces and dashes removed.

    No Luhn check: some older domestic cards do not carry one, and a wrong digit is still worth
    keeping for the data steward (the card is never matched fuzzily)."""
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue("not a valid bank card number")
    if isinstance(raw, float) and (not raw.is_integer() or abs(raw) >= 1e15):
        raise InvalidValue("bank card number was stored as a number and lost digits; format the column as text")
    text = _SEPARATORS.sub("", drop_float_suffix(clean_text(raw) or ""))
    if not text:
        return None
    if not _CARD_DIGITS.fullmatch(text):
        raise InvalidValue("bank card number must have 12 to 19 digits")
    return text
