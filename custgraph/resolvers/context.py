"""The per-request context: the graph, the settings, the caller and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import strawberry

from custgraph.graph.connection import Graph
from custgraph.resolvers.loaders import Loaders
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
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders.create(self.graph, owner=self.scope_owner)

    @property
    def scope_owner(self) -> str | None:
        """A rep sees only the customers they own; None means every customer."""
        return self.user if self.role == "rep" else None

    @property
    def full_values(self) -> bool:
        """Whether personal data is shown unmasked to this caller."""
        return self.role in self.settings.full_value_roles


Info = strawberry.Info[Context, Any]
