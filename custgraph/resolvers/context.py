"""The per-request context: the graph, the caller and (later) per-request DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry

from custgraph.graph.connection import Graph
from custgraph.service.settings import Settings


@dataclass
class Context:
    graph: Graph
    settings: Settings
    user: str = "anonymous"
    role: str = "admin"
    request: Any = None


Info = strawberry.Info[Context, Any]
