"""Small identifier helpers for test data: mobiles, national IDs (GB 11643), credit codes (GB 32100).

Private to the generator on purpose; the matcher validates with its own standardizers.
"""

from __future__ import annotations

import random
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Prefixes of mainland mobile numbers actually in use.
MOBILE_PREFIXES: tuple[str, ...] = (
    *(f"13{d}" for d in "0123456789"),
    *(f"15{d}" for d in "012356789"),
    "166",
    "171",
    "173",
    *(f"17{d}" for d in "5678"),
    *(f"18{d}" for d in "0123456789"),
    "191",
    "193",
    "195",
    "198",
    "199",
)
PLACEHOLDER_MOBILES = ("13800000000", "13888888888")


def national_id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def national_id_valid(value: str) -> bool:
    v = value.strip().upper()
    return len(v) == 18 and v[:17].isdigit() and national_id_check(v[:17]) == v[17]


def make_national_id(rng: random.Random, division: str, birth: date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{division}{birth:%Y%m%d}{seq:03d}"
    return body + national_id_check(body)


def credit_code_check(first17: str) -> str:
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def credit_code_valid(value: str) -> bool:
    v = value.strip().upper()
    return len(v) == 18 and all(c in _USCC_CHARSET for c in v) and credit_code_check(v[:17]) == v[17]


def make_credit_code(rng: random.Random, division: str) -> str:
    """91 (工商, 企业) + division + 9-character organization code (GB 11714) + check character."""
    org8 = "".join(rng.choice("0123456789") for _ in range(8))
    c9 = 11 - sum(int(c) * w for c, w in zip(org8, _ORG_WEIGHTS, strict=True)) % 11
    org9 = org8 + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    body = f"91{division}{org9}"
    return body + credit_code_check(body)


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _valid(e164: str) -> bool:
    import phonenumbers  # the allocation tables know which local lengths and blocks exist

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def make_landline(rng: random.Random, area_code: str) -> str:
    """A switchboard number such as 010-68881234, valid for its area code (7 or 8 local digits)."""
    number = ""
    for _ in range(50):
        digits = 7 if len(area_code) == 4 and rng.random() < 0.3 else 8
        local = f"{rng.choice('568')}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"
        number = f"{area_code}-{local}"
        if _valid(f"+86{area_code[1:]}{local}"):
            break
    return number


def make_foreign_mobile(rng: random.Random, calling_code: str) -> str:
    """A valid E.164 mobile for a customer abroad."""
    number = ""
    for _ in range(50):
        if calling_code == "1":
            number = f"+1415{rng.randrange(200, 1000)}{rng.randrange(10**4):04d}"
        elif calling_code == "44":
            number = f"+447{rng.choice('459')}{rng.randrange(10**8):08d}"
        else:
            first = rng.choice("569") if calling_code == "852" else rng.choice("89")
            number = f"+{calling_code}{first}{rng.randrange(10**7):07d}"
        if _valid(number):
            break
    return number
