"""The per-request context: the graph, the settings, the caller and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.scope import Scope
from custgraph.resolvers.loaders import Loaders
from custgraph.resolvers.view import View
from custgraph.service.settings import Settings


@dataclass
class Context:
    graph: Graph
    settings: Settings
    user: str = "anonymous"
    role: str = "admin"  # rep | manager | admin | auditor (service/auth.py authenticates the request)
    teams: tuple[str, ...] = ()  # the user's teams (a manager sees the customers of their teams' users)
    gateway: bool = False  # the request came with a gateway key (resolvers/identity.py)
    request: Any = None
    ip: str | None = None
    scope: Scope = field(init=False)  # the customers this caller sees (graph/repositories/scope.py)
    view: View = field(init=False)  # how this caller sees personal values (resolvers/view.py)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.scope = Scope(self.role, self.user, tuple(self.teams))
        self.view = View.of(self.role, self.settings.full_value_roles)
        self.loaders = Loaders.create(self.graph, scope=self.scope)

    @property
    def full_values(self) -> bool:
        """Whether personal data is shown unmasked to this caller."""
        return self.view.full


Info = strawberry.Info[Context, Any]
