"""Errors a client is meant to read: GraphQLErrors with a code, never masked in production.

Anything else raised in a resolver is an internal error, which MaskErrors hides in production.
"""

from __future__ import annotations

from graphql import GraphQLError


class PublicError(GraphQLError):
    code = "BAD_REQUEST"

    def __init__(self, message: str, **extensions: object) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class BadRequest(PublicError):
    code = "BAD_REQUEST"


class Forbidden(PublicError):
    code = "FORBIDDEN"


class NotFound(PublicError):
    code = "NOT_FOUND"


def is_public(error: GraphQLError) -> bool:
    """Validation errors (no original error) and PublicErrors are shown as they are."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)
