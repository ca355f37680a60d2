"""The Starlette application: GraphQL at /graphql, health at /healthz, exports at /export/customers.

Composed explicitly; the lifespan owns the one async driver and hands it to requests through
``app.state``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

from cross_web import HTTPException  # the exception strawberry's view turns into an HTTP error
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import StrawberryGraphQLError
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log
from custgraph.graph.schema import ensure_schema
from custgraph.resolvers.context import Context
from custgraph.resolvers.identity import UnknownRole, identity_from_headers
from custgraph.schema import build_schema
from custgraph.service.export import export_customers
from custgraph.service.persisted_queries import PersistedQueryError, PersistedQueryStore
from custgraph.service.settings import Settings


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view plus the caller's identity in the context and persisted queries (APQ)."""

    def __init__(self, *args: Any, persisted: PersistedQueryStore, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persisted = persisted

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        state = request.app.state
        try:
            identity = identity_from_headers(request.headers, state.settings.default_role)
        except UnknownRole as exc:
            raise HTTPException(400, str(exc)) from None
        client = request.client.host if request.client else None
        return Context(
            graph=state.graph,
            settings=state.settings,
            user=identity.user,
            role=identity.role,
            request=request,
            ip=client,
        )

    def should_render_graphql_ide(self, request: Any) -> bool:
        # a GET carrying only a persisted-query hash is an API call, not a browser wanting GraphiQL
        return super().should_render_graphql_ide(request) and "extensions" not in request.query_params

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        data: GraphQLRequestData = kwargs["request_data"]
        try:
            query = self.persisted.resolve(data.query, data.extensions)
        except PersistedQueryError as exc:
            error = StrawberryGraphQLError(exc.message, extensions={"code": exc.code})
            return ExecutionResult(data=None, errors=[error])
        kwargs["request_data"] = dataclasses.replace(data, query=query)
        return await super().execute_single(*args, **kwargs)


async def healthz(request: Request) -> JSONResponse:
    graph: Graph = request.app.state.graph
    ok = await graph.ping()
    body = {"status": "ok" if ok else "unavailable", "graph": {"connected": ok, "server": graph.flavour}}
    return JSONResponse(body, status_code=200 if ok else 503)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = Graph.connect(settings.graph)
        await ensure_schema(graph)
        app.state.graph = graph
        app.state.settings = settings
        try:
            yield
        finally:
            await audit_log.flush(graph)  # the queued audit events of reads (graph/repositories/audit_log.py)
            await graph.close()

    graphql = GraphQLApp(
        build_schema(settings), graphql_ide="graphiql", persisted=PersistedQueryStore(settings.apq_cache_size)
    )
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
            )
        )
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/export/customers", export_customers, methods=["GET", "POST"]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
