"""Dates -> ISO YYYY-MM-DD (custgraph.matching.standardize.dates)."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.standardize import InvalidValue, parse_date, standardize_date, standardize_datetime

FAST = settings(max_examples=200, deadline=None)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
EXCEL_EPOCH = date(1899, 12, 30)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-05", "2024-01-05"),
        ("2024/1/5", "2024-01-05"),
        ("2024.1.5", "2024-01-05"),
        ("2024-1-5", "2024-01-05"),
        ("20240105", "2024-01-05"),
        ("2024年1月5日", "2024-01-05"),
        ("2024年1月5号", "2024-01-05"),
        ("2024 年 01 月 05 日", "2024-01-05"),
        ("２０２４年１月５日", "2024-01-05"),
        ("05/01/2024", "2024-01-05"),  # ambiguous: day first
        ("5.1.2024", "2024-01-05"),
        ("13/01/2024", "2024-01-13"),  # first number > 12: it is the day
        ("01/13/2024", "2024-01-13"),  # second number > 12: month first (US export)
        ("5 Jan 2024", "2024-01-05"),
        ("5-Jan-2024", "2024-01-05"),
        ("January 5, 2024", "2024-01-05"),
        ("Sept 30 2024", "2024-09-30"),
        (45296, "2024-01-05"),  # Excel serial
        (45296.0, "2024-01-05"),
        ("45296", "2024-01-05"),
        ("45296.75", "2024-01-05"),
        (Decimal("45296"), "2024-01-05"),
        (20240105, "2024-01-05"),  # yyyymmdd typed into a number cell
        (date(2024, 1, 5), "2024-01-05"),
        (datetime(2024, 1, 5, 23, 59), "2024-01-05"),
        ("2024-01-05 10:30:00", "2024-01-05"),
        ("2024-01-05T10:30:00", "2024-01-05"),
        ("2024-01-05T23:30:00-05:00", "2024-01-05"),  # the calendar day written, no zone conversion
        ("2024年1月5日 10:30", "2024-01-05"),
        ("2024-02-29", "2024-02-29"),
        ("1800-01-01", "1800-01-01"),
        ("2199-12-31", "2199-12-31"),
    ],
)
def test_date_valid(raw: object, expected: str) -> None:
    assert standardize_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2024-13-01", "not a real calendar date"),
        ("2024-02-30", "not a real calendar date"),
        ("2023-02-29", "not a real calendar date"),
        ("31/04/2024", "not a real calendar date"),
        ("13/13/2024", "not a real calendar date"),
        ("2024-00-10", "not a real calendar date"),
        ("0024-01-05", "year is outside 1800-2199"),
        ("2204-01-05", "year is outside 1800-2199"),
        ("abc", "not a recognised date"),
        ("2024-01", "not a recognised date"),  # incomplete: never guess a day
        ("24/1/5", "not a recognised date"),  # two-digit years are ambiguous
        ("Foo 5 2024", "not a recognised date"),
        ("99999", "number is outside the Excel date range"),
        (12, "number is outside the Excel date range"),
        (1.5, "number is outside the Excel date range"),
        (float("inf"), "not a recognised date"),
        (True, "not a recognised date"),
        ("2024-01-05 25:00", "not a real time of day"),
    ],
)
def test_date_invalid(raw: object, reason: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_date(raw)
    assert caught.value.reason == reason


@pytest.mark.parametrize("raw", [None, "", " ", "-", "无", "待补充", float("nan")])
def test_blank_date_is_none(raw: object) -> None:
    assert standardize_date(raw) is None
    assert standardize_datetime(raw) is None


@pytest.mark.parametrize(
    ("raw", "fmt", "expected"),
    [
        ("01/05/2024", "%m/%d/%Y", "2024-01-05"),  # the format overrides the day-first rule
        ("05/01/2024", "%d/%m/%Y", "2024-01-05"),
        ("2024年01月05日", "%Y年%m月%d日", "2024-01-05"),
        ("２０２４年０１月０５日", "%Y年%m月%d日", "2024-01-05"),
        (20240105, "%Y%m%d", "2024-01-05"),
        (date(2024, 1, 5), "%d/%m/%Y", "2024-01-05"),  # a real date object needs no format
    ],
)
def test_date_with_format(raw: object, fmt: str, expected: str) -> None:
    assert standardize_date(raw, fmt) == expected


def test_date_format_mismatch_is_reported() -> None:
    with pytest.raises(InvalidValue, match="does not match the format %m/%d/%Y"):
        standardize_date("2024-01-05", "%m/%d/%Y")
    with pytest.raises(InvalidValue, match="year is outside"):
        standardize_date("01/05/0024", "%m/%d/%Y")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-05 10:30:00", "2024-01-05T10:30:00"),
        ("2024-01-05 10:30", "2024-01-05T10:30:00"),
        ("2024/1/5 9:05:07.123456", "2024-01-05T09:05:07"),
        ("2024-01-05T10:30:00Z", "2024-01-05T10:30:00+00:00"),
        ("2024-01-05T10:30:00+0800", "2024-01-05T10:30:00+08:00"),
        ("2024年1月5日10时30分", "2024-01-05T10:30:00"),
        ("2024年1月5日 10时30分15秒", "2024-01-05T10:30:15"),
        ("2024-01-05", "2024-01-05T00:00:00"),
        ("20240105103000", "2024-01-05T10:30:00"),
        (45296.5, "2024-01-05T12:00:00"),
        (datetime(2024, 1, 5, 10, 30, 15, 999), "2024-01-05T10:30:15"),
        (datetime(2024, 1, 5, 10, 30, tzinfo=timezone(timedelta(hours=8))), "2024-01-05T10:30:00+08:00"),
        ("2024-01-05 10:30", "2024-01-05T10:30:00"),
    ],
)
def test_datetime(raw: object, expected: str) -> None:
    assert standardize_datetime(raw) == expected


def test_parse_date_returns_a_date() -> None:
    assert parse_date("2024年1月5日") == date(2024, 1, 5)
    assert parse_date(None) is None


def _excel_serial(day: date) -> int:
    return (day - EXCEL_EPOCH).days


RENDERINGS: list[Callable[[date], object]] = [
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}号",
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",  # day-first always reads back correctly
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: d.strftime("%d %b %Y"),
    lambda d: d.strftime("%B %d, %Y"),
    lambda d: f"{d.isoformat()} 08:15:00",
    lambda d: f"{d.isoformat()}T08:15:00+08:00",
    lambda d: datetime.combine(d, time(8, 15)),
    lambda d: d,
    lambda d: int(d.strftime("%Y%m%d")),
]


@FAST
@given(
    day=st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)),
    render=st.sampled_from(RENDERINGS),
    full_width=st.booleans(),
    padding=st.sampled_from(["", " ", "\u3000", "\t"]),
)
def test_any_supported_rendering_round_trips(
    day: date, render: Callable[[date], object], full_width: bool, padding: str
) -> None:
    raw = render(day)
    if isinstance(raw, str):
        raw = padding + (raw.translate(FULL_WIDTH) if full_width else raw) + padding
    assert standardize_date(raw) == day.isoformat()


@FAST
@given(day=st.dates(min_value=date(1954, 10, 3), max_value=date(2119, 1, 9)), as_text=st.booleans())
def test_excel_serials_round_trip(day: date, as_text: bool) -> None:
    serial = _excel_serial(day)
    assert 20000 <= serial <= 80000
    assert standardize_date(str(serial) if as_text else float(serial)) == day.isoformat()


@FAST
@given(
    year=st.integers(1800, 2199),
    month=st.integers(1, 12),
    day=st.integers(29, 35),
    render=st.sampled_from(["{y}-{m}-{d}", "{y}年{m}月{d}日", "{d}/{m}/{y}"]),
)
def test_days_past_the_end_of_the_month_are_rejected(year: int, month: int, day: int, render: str) -> None:
    try:
        date(year, month, day)
    except ValueError:
        with pytest.raises(InvalidValue, match="not a real calendar date"):
            standardize_date(render.format(y=year, m=month, d=day))
    else:
        assert standardize_date(render.format(y=year, m=month, d=day)) == f"{year:04d}-{month:02d}-{day:02d}"


@FAST
@given(st.text(max_size=30))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        result = standardize_date(text)
    except InvalidValue:
        return
    assert result is None or date.fromisoformat(result)
