"""Who is calling: X-User / X-Role headers (resolvers/identity.py)."""

from __future__ import annotations

import pytest

from custgraph.resolvers.identity import Identity, UnknownRole, identity_from_headers


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, Identity("anonymous", "admin")),
        ({"x-user": "li.si", "x-role": "Rep"}, Identity("li.si", "rep")),
        ({"x-user": "%E5%91%A8%E6%99%93%E6%98%8E", "x-role": "manager"}, Identity("周晓明", "manager")),
        ({"x-user": "周晓明".encode().decode("latin-1")}, Identity("周晓明", "admin")),  # raw UTF-8 bytes
        ({"x-user": "  ", "x-role": " "}, Identity("anonymous", "admin")),
    ],
)
def test_identity(headers: dict[str, str], expected: Identity) -> None:
    assert identity_from_headers(headers, "admin") == expected


def test_unknown_roles_are_refused() -> None:
    with pytest.raises(UnknownRole, match="unknown role 'root'"):
        identity_from_headers({"x-role": "root"}, "rep")
