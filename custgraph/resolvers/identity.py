"""Who is calling: the principal of a request, as custgraph/service/auth.py authenticated it.

Everything downstream sees only the principal's user, role and teams. Headers grant nothing by
themselves: ``X-User`` is read only on a request authenticated with a gateway key (auth.py), and
``X-Role`` never. HTTP headers carry Latin-1 only, so a gateway names a user such as 周晓明
percent-encoded as UTF-8 (``%E5%91%A8%E6%99%93%E6%98%8E``, ``encodeURIComponent`` in a browser);
raw UTF-8 bytes are accepted too (``header_text``).

In production, ``_service { sdl }`` (Apollo Federation's schema fetch) answers only a gateway key or
an admin (``ServiceSdlGuard``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import FieldNode, FragmentSpreadNode, GraphQLError, InlineFragmentNode, OperationType
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension

from custgraph.vocabulary import ROLES, Role

__all__ = ["ROLES", "USER_HEADER", "Principal", "ServiceSdlGuard", "header_text", "principal_of"]

USER_HEADER = "x-user"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``method`` says how: ``api_key``, ``jwt``, ``gateway`` (a gateway key naming a user in X-User) or
    ``local`` (an anonymous loopback request in development). ``gateway`` is true for any request
    authenticated with a gateway key. ``credential`` names the credential (``key:<name>``,
    ``jwt:<user>``, ``local:<ip>``), for per-credential limits.
    """

    user: str
    role: Role
    teams: tuple[str, ...] = ()
    method: str = "api_key"
    gateway: bool = False
    key: str | None = None
    credential: str = ""


def header_text(value: str | None) -> str:
    """A header value as text: raw UTF-8 bytes (which Starlette reads as latin-1) or percent-encoded."""
    if not value:
        return ""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    return unquote(value).strip()


def principal_of(request: Any) -> Principal:
    """The principal auth.AuthMiddleware left on the request; a request it did not see has none."""
    principal = getattr(getattr(request, "state", None), "principal", None)
    if not isinstance(principal, Principal):
        raise LookupError("the request was not authenticated (is AuthMiddleware installed?)")
    return principal


def _root_fields(selections: Any, fragments: dict[str, Any]) -> Iterator[str]:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
            yield from _root_fields(fragments[selection.name.value].selection_set, fragments)


class ServiceSdlGuard(SchemaExtension):
    """Refuses a query selecting ``_service`` unless the caller is an admin or came with a gateway key."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        caller = context.context
        if document is not None and context.result is None and not _may_read_sdl(caller):
            operation = get_operation_ast(document, context.operation_name)
            if operation is not None and operation.operation == OperationType.QUERY:
                fragments = {d.name.value: d for d in document.definitions if hasattr(d, "type_condition")}
                if "_service" in set(_root_fields(operation.selection_set, fragments)):
                    error = GraphQLError(
                        "_service is served only to a gateway key or an admin", extensions={"code": "FORBIDDEN"}
                    )
                    context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


def _may_read_sdl(caller: Any) -> bool:
    return getattr(caller, "role", None) == "admin" or bool(getattr(caller, "gateway", False))
