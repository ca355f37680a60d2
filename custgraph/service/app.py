"""The Starlette application: GraphQL at /graphql, health at /healthz.

Composed explicitly; the lifespan owns the one async driver and hands it to requests through
``app.state``.
"""

from __future__ import annotations

import contextlib
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

from custgraph.graph.connection import Graph
from custgraph.graph.schema import ensure_schema
from custgraph.resolvers.context import Context
from custgraph.schema import schema
from custgraph.service.settings import Settings


class GraphQLApp(GraphQL[Context, None]):
    async def get_context(self, request: Request | WebSocket, response: Any = None) -> Context:
        state = request.app.state
        return Context(graph=state.graph, settings=state.settings, request=request)


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
            await graph.close()

    graphql = GraphQLApp(schema, graphql_ide="graphiql")
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
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
