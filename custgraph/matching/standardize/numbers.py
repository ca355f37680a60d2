"""Counts and scores: ``order_count`` as a whole number, ``satisfaction`` on a 1-5 or 0-10 scale."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from ._data import load_table
from .errors import InvalidValue
from .text import clean_text, drop_float_suffix, is_missing, to_simplified

_WHOLE = re.compile(r"[+-]?[0-9]+")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+")
_COUNTER = re.compile(r"\s*(?:次|个|单|笔|件|条|times?|orders?)$", re.IGNORECASE)
_SCORE = re.compile(r"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*(?:分|星|points?|pts?|stars?|/\s*(?:5|10))?", re.IGNORECASE)
_STARS = re.compile(r"(?P<full>★+)☆*")
SATISFACTION_MIN = 0
SATISFACTION_MAX = 10


def standardize_int(raw: object, *, min_value: int | None = 0) -> int | None:
    """A whole number: ``12``, ``12.0`` (Excel), ``"1,234"``, ``"１２"``, ``"12次"``.

    ``min_value`` (default 0: counts are never negative) may be None to allow any integer.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue("not a valid whole number")
    if isinstance(raw, float | Decimal):
        if not (raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)) or raw != int(raw):
            raise InvalidValue("not a whole number")
        value = int(raw)
    elif isinstance(raw, int):
        value = raw
    else:
        value = _parse_int(raw)
        if value is None:
            return None
    if min_value is not None and value < min_value:
        raise InvalidValue("must not be negative" if min_value == 0 else f"must be at least {min_value}")
    return value


def _parse_int(raw: object) -> int | None:
    text = clean_text(raw)
    if text is None:
        return None
    text = _COUNTER.sub("", drop_float_suffix(text))
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if _WHOLE.fullmatch(text):
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidValue("not a valid whole number") from None
    if not number.is_finite():
        raise InvalidValue("not a valid whole number")
    if number != number.to_integral_value():
        raise InvalidValue("not a whole number")
    return int(number)


@cache
def _satisfaction_words() -> dict[str, int]:
    words = load_table("std_values.yaml")["satisfaction_words"]
    if not all(isinstance(k, str) and isinstance(v, int) for k, v in words.items()):
        raise RuntimeError("std_values.yaml: satisfaction_words must map quoted words to integers")
    return dict(words)


def standardize_satisfaction(raw: object) -> int | float | None:
    """A satisfaction score kept on the scale it was given (1-5 or 0-10): ``4``, ``"4分"``, ``"★★★★☆"``,
    ``"8.5"``, ``"满意"`` (-> 4). Whole scores are ``int``, others ``float``; outside 0-10 is rejected.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue("not a valid satisfaction score")
    if isinstance(raw, int | float | Decimal):
        return _score(float(raw))
    text = clean_text(raw)
    if text is None:
        return None
    word = _satisfaction_words().get(to_simplified(text))
    if word is not None:
        return word
    if stars := _STARS.fullmatch(text):
        return _score(float(len(stars["full"])))
    match = _SCORE.fullmatch(text)
    if match is None:
        raise InvalidValue("not a valid satisfaction score")
    return _score(float(match["n"]))


def _score(value: float) -> int | float:
    if not math.isfinite(value) or not SATISFACTION_MIN <= value <= SATISFACTION_MAX:
        raise InvalidValue(f"satisfaction must be between {SATISFACTION_MIN} and {SATISFACTION_MAX}")
    return int(value) if value.is_integer() else value
