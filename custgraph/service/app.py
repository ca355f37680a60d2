"""The Starlette application: GraphQL at /graphql, health at /healthz, exports at /export/customers,
the web pages at /review, /customer/{id} and /quality (service/pages.py).

Composed explicitly; the lifespan owns the one async driver and hands it to requests through
``app.state``. Every route but /healthz and the pages' static shells is behind AuthMiddleware
(service/auth.py): a request reaches a route only with its caller authenticated.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Any

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

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log
from custgraph.graph.schema import ensure_schema
from custgraph.resolvers.audit_log import refused_login
from custgraph.resolvers.context import Context
from custgraph.resolvers.identity import principal_of
from custgraph.schema import build_schema
from custgraph.service import pages
from custgraph.service.auth import Authenticator, AuthMiddleware, on_refused
from custgraph.service.export import export_customers
from custgraph.service.limits import BodyLimitMiddleware, RateLimitMiddleware
from custgraph.service.persisted_queries import PersistedQueryError, PersistedQueryStore
from custgraph.service.settings import Settings


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view plus the caller's identity in the context and persisted queries (APQ)."""

    def __init__(self, *args: Any, persisted: PersistedQueryStore, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persisted = persisted

    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        state = request.app.state
        principal = principal_of(request)
        client = request.client.host if request.client else None
        return Context(
            graph=state.graph,
            settings=state.settings,
            user=principal.user,
            role=principal.role,
            teams=principal.teams,
            gateway=principal.gateway,
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
    # the data keys of national IDs and bank cards: production refuses to start without a key file
    crypto.install(crypto.load(settings.data_key_file, data_dir=settings.data_dir, production=settings.production))
    authenticator = Authenticator(settings)  # refuses JWT settings that can't work before serving anything
    on_refused(refused_login)  # every refused credential gets an audit entry (idempotent)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = Graph.connect(settings.graph)
        await ensure_schema(graph)
        app.state.graph = graph
        app.state.settings = settings
        app.state.authenticator = authenticator
        logging.getLogger("custgraph.auth").warning(authenticator.startup_message())
        try:
            yield
        finally:
            await audit_log.flush(graph)  # the queued audit events of reads (graph/repositories/audit_log.py)
            await graph.close()

    graphql = GraphQLApp(
        build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql else None,
        persisted=PersistedQueryStore(settings.apq_cache_size),
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
    # inside CORS: a 401 carries its headers
    middleware.append(Middleware(AuthMiddleware, authenticator=authenticator, is_open=pages.is_open))
    # the body cap before anything reads the body; the rate limit after authentication, per credential
    middleware.insert(0, Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes))
    if settings.rate_limit_per_minute > 0:
        middleware.append(
            Middleware(RateLimitMiddleware, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst)
        )
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/export/customers", export_customers, methods=["GET", "POST"]),
            *pages.routes(settings),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
