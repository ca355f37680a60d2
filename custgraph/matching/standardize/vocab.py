"""Lookup of enumerated values (gender, customer type, lifecycle, yes/no) in ``std_values.yaml``."""

from __future__ import annotations

from functools import cache

from ._data import load_table, string_list
from .errors import InvalidValue
from .text import clean_text, to_simplified

_SOURCE = "std_values.yaml"
_FOLD_TRIM = " .。!！"


def fold(text: str) -> str:
    """The form in which a value is compared with a vocabulary: simplified, case-folded, no end dots."""
    return to_simplified(text).casefold().strip(_FOLD_TRIM)


@cache
def vocabulary(section: str) -> dict[str, str]:
    """``{folded spelling: canonical value}`` for one section; a spelling under two values fails at load."""
    table = load_table(_SOURCE)[section]
    index: dict[str, str] = {}
    for canonical in table:
        for spelling in string_list(table, canonical, source=f"{_SOURCE} {section}"):
            if index.setdefault(fold(spelling), canonical) != canonical:
                raise RuntimeError(f"{_SOURCE}: '{spelling}' is listed under two {section} values")
    return index


def lookup(section: str, raw: object, reason: str) -> str | None:
    """The canonical value ``raw`` spells in ``section``; None if blank; InvalidValue(reason) if unknown."""
    text = clean_text(raw)
    if text is None:
        return None
    canonical = vocabulary(section).get(fold(text))
    if canonical is None:
        raise InvalidValue(reason)
    return canonical
