"""Opaque cursors and page sizes."""

from __future__ import annotations

import pytest

from custgraph.resolvers import cursors
from custgraph.resolvers.errors import BadRequest


def test_round_trip_keeps_values_and_types() -> None:
    cursor = cursors.encode("customers:TOTAL_AMOUNT:desc", 120000.0, "C000001")
    assert cursors.decode(cursor, "customers:TOTAL_AMOUNT:desc", 2) == [120000.0, "C000001"]
    unicode = cursors.encode("customers:NAME:asc", "张伟", "C000001")
    assert cursors.decode(unicode, "customers:NAME:asc", 2) == ["张伟", "C000001"]


@pytest.mark.parametrize(
    ("cursor", "message"),
    [
        ("!!!", "invalid cursor"),
        (cursors.encode("edge", "2024-01-01", "x"), "cursor does not belong to this list or sort order"),
        (cursors.encode("customers:ID:asc", "C1"), "cursor does not belong to this list or sort order"),
    ],
)
def test_foreign_or_broken_cursors_are_refused(cursor: str, message: str) -> None:
    with pytest.raises(BadRequest, match=message):
        cursors.decode(cursor, "customers:ID:asc", 2)


@pytest.mark.parametrize(("first", "ok"), [(-1, False), (0, True), (100, True), (101, False)])
def test_page_size_bounds(first: int, ok: bool) -> None:
    if ok:
        assert cursors.check_first(first, 100) == first
    else:
        with pytest.raises(BadRequest, match="first must be between 0 and 100"):
            cursors.check_first(first, 100)
