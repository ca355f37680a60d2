"""How errors reach the server log: a refused request is one line, an internal error a traceback.

Strawberry logs every error with its traceback, so each refused request (a permission, a bound, an
invalid input) wrote dozens of lines, some quoting what the client sent: a mobile in an invalid
variable, a name in a filter. A refusal is the client's business, not a fault of ours, so it gets
one WARNING line naming the operation, the field path and the error code, never the message (which
may quote a personal value). Internal errors (resolvers/errors.py ``is_public`` false) keep the
traceback: they are bugs to fix.
"""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError, OperationDefinitionNode
from strawberry.types import ExecutionContext

from custgraph.resolvers.errors import is_public

log = logging.getLogger("custgraph.refused")


def refusal_line(error: GraphQLError, execution_context: ExecutionContext | None) -> str:
    """``query Customers at customers.edges: BAD_REQUEST`` and nothing the client sent."""
    operation = "operation"
    if execution_context is not None:
        document = execution_context.graphql_document
        definitions = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)] if document else []
        if definitions:
            kind = definitions[0].operation.value
            # names are the client's, but a name is an identifier, never a value: keep it short anyway
            name = execution_context.operation_name or (definitions[0].name.value if definitions[0].name else "")
            operation = f"{kind} {name[:60]}".strip()
    path = ".".join(str(part) for part in error.path or ()) or "-"
    code = (error.extensions or {}).get("code") or ("INVALID_QUERY" if error.original_error is None else "REFUSED")
    return f"refused {operation} at {path}: {code}"


class Schema(strawberry.federation.Schema):
    """The federation schema with refusals logged as one line each."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        internal: list[GraphQLError] = []
        for error in errors:
            if is_public(error):
                log.warning(refusal_line(error, execution_context))
            else:
                internal.append(error)
        if internal:
            super().process_errors(internal, execution_context)

