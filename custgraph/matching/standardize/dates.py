"""Dates -> ISO ``YYYY-MM-DD`` (and date-times -> ISO seconds).

Without a format the parser accepts the spellings found in Chinese and international spreadsheets; see
``docs/standardization.md`` for the list and for the rule on ambiguous ``xx/xx/yyyy`` dates.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from .errors import InvalidValue
from .text import clean_text, is_missing

# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29, so day 60 onwards lines up).
_EXCEL_EPOCH = date(1899, 12, 30)
# Serials outside this range (1954-10-03 .. 2119-01-10) are much more likely amounts or codes than dates.
EXCEL_SERIAL_MIN = 20000
EXCEL_SERIAL_MAX = 80000
# Birth dates and contact dates outside this window are typos (0024, 2204) or sentinel values.
MIN_YEAR = 1800
MAX_YEAR = 2199

# Optional time after a date: " 10:30", "T10:30:00.123", "日10时30分15秒"; then an optional UTC offset.
_TIME = (
    r"(?:(?:\s*T\s*|\s+|(?<=[日号]))(?P<H>[0-9]{1,2})[:时](?P<M>[0-9]{2})"
    r"(?:(?::|分)(?P<S>[0-9]{2})(?:[.,](?P<f>[0-9]{1,6})[0-9]*)?秒?|分)?)?"
)
_ZONE = r"\s*(?P<z>Z|[+-][0-9]{2}:?[0-9]{2})?"
_I = re.IGNORECASE
# 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日 / 5号, each optionally followed by a time.
_YMD = re.compile(
    r"(?P<y>[0-9]{4})\s*[-/.年]\s*(?P<m>[0-9]{1,2})\s*[-/.月]\s*(?P<d>[0-9]{1,2})\s*[日号]?" + _TIME + _ZONE,
    _I,
)
# 05/01/2024, 5-1-2024, 05.01.2024 (see _day_month for the order).
_DMY = re.compile(r"(?P<a>[0-9]{1,2})\s*[-/.]\s*(?P<b>[0-9]{1,2})\s*[-/.]\s*(?P<y>[0-9]{4})" + _TIME + _ZONE, _I)
# 20240105, 20240105103000, 20240105T1030.
_COMPACT = re.compile(
    r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})(?:T?(?P<H>[0-9]{2})(?P<M>[0-9]{2})(?P<S>[0-9]{2})?)?", _I
)
# An Excel serial typed or exported as text: "45296", "45296.5".
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")
# 5 Jan 2024, 5-Jan-2024, January 5, 2024.
_MONTH_NAME = r"(?P<mon>[a-z]{3,9})\.?"
_D_MON_Y = re.compile(r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?[\s-]*" + _MONTH_NAME + r"[\s,-]*(?P<y>[0-9]{4})" + _TIME, _I)
_MON_D_Y = re.compile(_MONTH_NAME + r"\s*(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?[\s,]*(?P<y>[0-9]{4})" + _TIME, _I)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_NOT_A_DATE = "not a recognised date"
_NOT_REAL = "not a real calendar date"


def _build(year: int, month: int, day: int) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(f"year is outside {MIN_YEAR}-{MAX_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue(_NOT_REAL) from None


def _day_month(a: int, b: int) -> tuple[int, int]:
    """Order of the two leading numbers in ``a/b/yyyy``.

    A value above 12 can only be the day, which settles it. When both could be a month (05/01/2024) the
    date is read day-first, the order used everywhere except the US; import mappings for US data pass
    ``fmt="%m/%d/%Y"``.
    """
    if a > 12:
        return a, b
    if b > 12:
        return b, a
    return a, b


def _clock(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if groups.get("H") is None:
        return None
    fraction = groups.get("f") or ""
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    zone = _zone(groups.get("z"))
    try:
        return time(int(groups["H"]), int(groups["M"]), int(groups.get("S") or 0), micro, tzinfo=zone)
    except ValueError:
        raise InvalidValue("not a real time of day") from None


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if offset >= timedelta(hours=24):
        raise InvalidValue("not a real time zone offset")
    return timezone(sign * offset)


def _from_serial(serial: float) -> tuple[date, time | None]:
    if not EXCEL_SERIAL_MIN <= serial < EXCEL_SERIAL_MAX + 1:
        raise InvalidValue("number is outside the Excel date range")
    days = int(serial)
    seconds = round((serial - days) * 86400)
    moment = datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=days, seconds=seconds)
    return moment.date(), (moment.time() if seconds else None)


def _from_number(raw: int | float | Decimal) -> tuple[date, time | None]:
    if not math.isfinite(raw):
        raise InvalidValue(_NOT_A_DATE)
    if raw == int(raw) and MIN_YEAR * 10000 + 101 <= raw <= MAX_YEAR * 10000 + 1231:  # 20240105 as a number
        return _parse_text(str(int(raw)))
    return _from_serial(float(raw))


def _parse_text(text: str) -> tuple[date, time | None]:
    if match := _YMD.fullmatch(text):
        found = _build(int(match["y"]), int(match["m"]), int(match["d"]))
    elif match := _DMY.fullmatch(text):
        day, month = _day_month(int(match["a"]), int(match["b"]))
        found = _build(int(match["y"]), month, day)
    elif match := _COMPACT.fullmatch(text):
        found = _build(int(match["y"]), int(match["m"]), int(match["d"]))
    elif _SERIAL.fullmatch(text):
        return _from_serial(float(text))
    elif (match := _D_MON_Y.fullmatch(text) or _MON_D_Y.fullmatch(text)) and match["mon"].lower() in _MONTHS:
        found = _build(int(match["y"]), _MONTHS[match["mon"].lower()], int(match["d"]))
    else:
        raise InvalidValue(_NOT_A_DATE)
    return found, _clock(match)


def _parse(raw: object, fmt: str | None) -> tuple[date, time | None] | None:
    if is_missing(raw):  # pandas hands over an empty cell as NaN
        return None
    if isinstance(raw, datetime):  # before date: datetime is a subclass of date
        return raw.date(), raw.timetz()
    if isinstance(raw, date):
        return raw, None
    if isinstance(raw, bool):
        raise InvalidValue(_NOT_A_DATE)
    if fmt is None and isinstance(raw, int | float | Decimal):
        return _from_number(raw)
    text = clean_text(raw)
    if text is None:
        return None
    if fmt is None:
        return _parse_text(text)
    if not fmt.isascii():  # the value went through NFKC, so the format must too
        fmt = unicodedata.normalize("NFKC", fmt)
    try:
        parsed = datetime.strptime(text, fmt)
    except ValueError:
        raise InvalidValue(f"date does not match the format {fmt}") from None
    _build(parsed.year, parsed.month, parsed.day)  # the year-range check
    return parsed.date(), (parsed.timetz() if parsed.time() != time() or parsed.tzinfo else None)


def standardize_date(raw: object, fmt: str | None = None) -> str | None:
    """A date in any supported spelling (or matching ``fmt``, a ``strptime`` format) -> ``YYYY-MM-DD``.

    A time part is ignored and no time-zone conversion happens: the calendar day written is the day kept.
    """
    parsed = _parse(raw, fmt)
    return None if parsed is None else parsed[0].isoformat()


def standardize_datetime(raw: object, fmt: str | None = None) -> str | None:
    """Like :func:`standardize_date` but keeps the time: ``YYYY-MM-DDTHH:MM:SS`` (+ offset if one was given).

    A date without a time becomes midnight.
    """
    parsed = _parse(raw, fmt)
    if parsed is None:
        return None
    day, clock = parsed
    moment = datetime.combine(day, (clock or time()).replace(microsecond=0))
    return moment.isoformat(timespec="seconds")


def parse_date(raw: object, fmt: str | None = None) -> date | None:
    """The same rules as :func:`standardize_date`, returning a :class:`datetime.date`."""
    parsed = _parse(raw, fmt)
    return None if parsed is None else parsed[0]
