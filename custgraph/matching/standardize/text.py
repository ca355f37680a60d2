"""Shared text cleaning: blank detection, NFKC, whitespace, CJK detection, traditional -> simplified.

Every other standardizer starts from :func:`clean_text`, so "blank" means the same thing for all fields.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from custgraph.vocabulary import HAN_RANGE, has_han

from ._data import load_table, string_list

# Zero-width characters and the BOM survive NFKC but break equality; soft hyphen likewise.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_WHITESPACE = re.compile(r"\s+")
CJK_RANGE = HAN_RANGE
_CJK_GAP = re.compile(f"(?<=[{CJK_RANGE}]) (?=[{CJK_RANGE}])")
# A whole number that Excel or pandas rendered as a float: "13812345678.0". Exactly one zero: a dotted
# phone number such as "138.1234.0000" must not lose its last group.
_FLOAT_INTEGER = re.compile(r"^([0-9]+)\.0$")
_LONGEST_CJK_PLACEHOLDER = 4


@cache
def _placeholders() -> frozenset[str]:
    return frozenset(string_list(load_table("std_values.yaml"), "placeholders", source="std_values.yaml"))


def is_placeholder(text: str) -> bool:
    """True for already-cleaned text that only says "no value" (``-``, ``N/A``, ``无``, ``待补充`` ...)."""
    folded = text.casefold()
    if folded in _placeholders():
        return True
    # Traditional spellings (無, 暫無) of the short CJK placeholders; longer text cannot be one.
    return len(text) <= _LONGEST_CJK_PLACEHOLDER and has_cjk(text) and to_simplified(text) in _placeholders()


def scalar_to_text(raw: object) -> str:
    """Render a non-string cell value as text the way a person would have typed it.

    Whole floats lose their ``.0`` because spreadsheets store every number as a float.
    """
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, Decimal):
        return str(int(raw)) if raw.is_finite() and raw == raw.to_integral_value() else str(raw)
    if isinstance(raw, datetime | date | time):
        return raw.isoformat()
    return str(raw)


def is_missing(raw: object) -> bool:
    """None, NaN (pandas' empty cell) or a NaN Decimal."""
    if raw is None:
        return True
    if isinstance(raw, float):
        return math.isnan(raw)
    return isinstance(raw, Decimal) and raw.is_nan()


def clean_text(raw: object) -> str | None:
    """NFKC (full-width -> half-width), drop invisible characters, collapse whitespace, strip.

    Returns None for missing, empty and placeholder values.
    """
    if is_missing(raw):
        return None
    text = scalar_to_text(raw)
    if not text.isascii():  # NFKC is the identity on ASCII; skip the work for the common case
        text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = _WHITESPACE.sub(" ", text).strip()
    if not text or is_placeholder(text):
        return None
    return text


def drop_float_suffix(text: str) -> str:
    """``"13812345678.0"`` -> ``"13812345678"``: undo Excel turning a code into a float."""
    match = _FLOAT_INTEGER.match(text)
    return match.group(1) if match else text


has_cjk = has_han


@cache
def _t2s() -> Any:
    # Building the converter loads dictionaries from disk; do it once per process, and only if needed.
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese; text without CJK characters is returned untouched."""
    if not has_cjk(text):
        return text
    return str(_t2s().convert(text))


def remove_cjk_spaces(text: str) -> str:
    """``"张  三"`` -> ``"张三"``: spaces between two CJK characters are padding, not content."""
    if " " not in text or not has_cjk(text):
        return text
    return _CJK_GAP.sub("", text)


def standardize_text(raw: object) -> str | None:
    """Generic text field: whitespace-normalized, full-width -> half-width, otherwise as given."""
    return clean_text(raw)


def strip_accents(text: str) -> str:
    """``"Zürich"`` -> ``"Zurich"``: matching keys ignore diacritics (CJK is unaffected)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
