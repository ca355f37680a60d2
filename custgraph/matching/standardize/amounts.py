"""Money amounts -> non-negative :class:`~decimal.Decimal` in yuan (CNY)."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from custgraph.bounds import MAX_AMOUNT

from .errors import InvalidValue
from .text import clean_text, is_missing

# CNY markers are dropped. Any other currency is an error rather than a silent mis-statement: there is no
# currency field next to the amount, so "$100" cannot be stored as 100.
_CNY = re.compile(r"人民币|rmb|cny|[¥元圆]", re.IGNORECASE)
_FOREIGN = re.compile(r"[$€£₩]|usd|hkd|eur|gbp|jpy|aud|美元|港币|港元|欧元|英镑|日元", re.IGNORECASE)
# Chinese and shorthand magnitudes: 1.5万 = 15000, 3k = 3000 ("w" is the pinyin shorthand for 万).
_MULTIPLIERS = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1_000, "k": 1_000, "百万": 1_000_000}
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>[0-9][0-9,]*)?(?P<frac>\.[0-9]*)?(?P<mult>百万|万|亿|千|[kw])?", re.IGNORECASE
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_NEGATIVE = "amount must not be negative"
_INVALID = "not a valid amount"
_TOO_LARGE = f"amount must be at most {MAX_AMOUNT:,.0f}"


def _from_number(raw: int | float | Decimal) -> Decimal:
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise InvalidValue(_INVALID)
        value = Decimal(repr(raw))  # repr is the shortest round-trip form: 0.1 stays 0.1
    else:
        value = Decimal(raw)
        if not value.is_finite():
            raise InvalidValue(_INVALID)
    return _non_negative(value)


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise InvalidValue(_NEGATIVE)
    return _in_range(value.copy_abs())  # -0 -> 0


def _in_range(value: Decimal) -> Decimal:
    # one bound for the API and the import (custgraph/bounds.py); 1e308 would make every total infinite
    if value > MAX_AMOUNT:
        raise InvalidValue(_TOO_LARGE)
    return value


def standardize_amount(raw: object) -> Decimal | None:
    """``"¥1,234.50"`` -> ``Decimal("1234.50")``; ``"1.5万元"`` -> ``Decimal("15000.0")``.

    Commas must group thousands (``1,234``); ``1,5`` is rejected because it may be a decimal comma.
    Accounting negatives ``(100)`` and ``-100`` are rejected: amounts are non-negative by the spec.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(_INVALID)
    if isinstance(raw, int | float | Decimal):
        return _from_number(raw)
    text = clean_text(raw)
    if text is None:
        return None
    if _FOREIGN.search(text):
        raise InvalidValue("amount is in a currency other than CNY")
    text = _CNY.sub("", text).replace(" ", "").replace("\u2212", "-")  # U+2212 MINUS SIGN survives NFKC
    if text.startswith("(") and text.endswith(")"):
        raise InvalidValue(_NEGATIVE)
    match = _NUMBER.fullmatch(text)
    if not match or not (match["int"] or (match["frac"] and len(match["frac"]) > 1)):
        raise InvalidValue(_INVALID)
    whole = match["int"] or "0"
    if "," in whole:
        if not _GROUPED.fullmatch(whole):
            raise InvalidValue("digit grouping is ambiguous; use 1,234.56 or 1234.56")
        whole = whole.replace(",", "")
    try:
        value = Decimal(whole + (match["frac"] or ""))
    except InvalidOperation:
        raise InvalidValue(_INVALID) from None
    if match["mult"]:
        value *= _MULTIPLIERS[match["mult"].lower()]
    if match["sign"] == "-" and value:
        raise InvalidValue(_NEGATIVE)
    return _in_range(value)
