"""Who is calling (resolvers/identity.py): the principal a request carries, and the X-User text a
gateway sends. The authentication itself is tested through the app in tests/service/test_auth.py."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from custgraph.resolvers.identity import Principal, header_text, principal_of


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("li.si", "li.si"),
        ("%E5%91%A8%E6%99%93%E6%98%8E", "周晓明"),  # percent-encoded UTF-8 (encodeURIComponent)
        ("周晓明".encode().decode("latin-1"), "周晓明"),  # raw UTF-8 bytes, as Starlette reads them
        ("  ", ""),
        (None, ""),
    ],
)
def test_header_text(value: str | None, expected: str) -> None:
    assert header_text(value) == expected


def test_the_principal_is_read_from_the_request_state() -> None:
    principal = Principal(user="周晓明", role="rep", teams=("华东",))
    assert principal_of(SimpleNamespace(state=SimpleNamespace(principal=principal))) is principal
    with pytest.raises(LookupError):
        principal_of(SimpleNamespace(state=SimpleNamespace()))
