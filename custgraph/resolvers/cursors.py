"""Opaque pagination cursors and page-size checks shared by every connection.

A cursor is base64url JSON ``[kind, ...position]``: ``kind`` names what it pages (and, for customer
lists, the sort order), so a cursor from one list is refused by another instead of silently
returning the wrong page.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from custgraph.resolvers.errors import BadRequest


def encode(kind: str, *position: Any) -> str:
    raw = json.dumps([kind, *position], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


def decode(cursor: str, kind: str, size: int) -> list[Any]:
    """The ``size`` position values of a cursor made by ``encode(kind, ...)``."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error):
        raise BadRequest("invalid cursor", argument="after") from None
    if not isinstance(value, list) or len(value) != size + 1 or value[0] != kind:
        raise BadRequest("cursor does not belong to this list or sort order", argument="after")
    return value[1:]


def check_first(first: int, maximum: int) -> int:
    if first < 0 or first > maximum:
        raise BadRequest(f"first must be between 0 and {maximum}", argument="first")
    return first
