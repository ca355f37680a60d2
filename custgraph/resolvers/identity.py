"""Who is calling: the user and role of a request.

For now they come from the ``X-User`` and ``X-Role`` headers, which a trusted gateway or portal sets
(the service must not be exposed to browsers that could set them themselves). HTTP headers are
ASCII, so a user name such as 周晓明 is sent percent-encoded as UTF-8 (``%E5%91%A8%E6%99%93%E6%98%8E``,
``encodeURIComponent`` in a browser); raw UTF-8 bytes are accepted too. A JWT can replace this
later: verify ``Authorization: Bearer …`` with PyJWT here and read the same two claims; nothing else
changes, because everything downstream sees only (user, role).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

ROLES = ("rep", "manager", "admin")
USER_HEADER = "x-user"
ROLE_HEADER = "x-role"
ANONYMOUS = "anonymous"


class UnknownRole(ValueError):
    """The X-Role header names no role."""


@dataclass(frozen=True)
class Identity:
    user: str
    role: str


def header_text(value: str | None) -> str:
    """A header value as text: raw UTF-8 bytes (which Starlette reads as latin-1) or percent-encoded."""
    if not value:
        return ""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    return unquote(value).strip()


def identity_from_headers(headers: Mapping[str, str], default_role: str) -> Identity:
    user = header_text(headers.get(USER_HEADER)) or ANONYMOUS
    role = (headers.get(ROLE_HEADER) or "").strip().lower() or default_role
    if role not in ROLES:
        raise UnknownRole(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return Identity(user=user, role=role)
