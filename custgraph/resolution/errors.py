"""What a steward use case refuses, in words a person can act on."""

from __future__ import annotations


class ResolutionError(Exception):
    """A request the graph's current state does not allow; the message says why.

    ``field`` names the argument at fault (``uids``, ``decision`` ...) for a client to highlight."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ResolutionError):
    """No such review item, customer or record; ``id`` is what was asked for."""

    def __init__(self, message: str, *, id: str, field: str | None = None) -> None:  # noqa: A002
        super().__init__(message, field=field)
        self.id = id


class InvalidRequest(ResolutionError):
    """The request contradicts the graph (a record not in the customer, nothing to undo, ...)."""
