"""Turn a cell value, as a reader produced it, into the text a user would see in the cell."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

# str.strip() with no argument misses zero-width characters that web forms and Word paste into cells,
# and the NUL bytes some exporters pad fields with.
_STRIP = (
    "\x00 \t\r\n\x0b\x0c\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff"
)

# Floats above this are not exact integers any more; print them as floats rather than invent digits.
_EXACT_FLOAT_INT = 2**53


def cell_text(value: object) -> str:
    """Text of a cell, trimmed. Never scientific notation for whole numbers: a phone number stored as the
    number 13812345678 (or 1.3812345678E10) reads back as "13812345678", a postcode 2119 as "2119"."""
    if type(value) is str:  # the common case first: every CSV cell
        return value.strip(_STRIP)
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) <= _EXACT_FLOAT_INT:
            return str(int(value))
        return repr(value)  # shortest text that round-trips: 0.1 stays "0.1"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, list | dict):  # JSON Lines values
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value).strip(_STRIP)


def is_blank_row(cells: list[object]) -> bool:
    return all(not cell_text(cell) for cell in cells)
