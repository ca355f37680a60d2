"""What a steward action changed, and the profile refresh every action ends with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories.merges import MergeEventNode
from custgraph.matching.rules import Rules
from custgraph.pipeline.golden import PROFILE_FIELDS
from custgraph.pipeline.profiles import refresh_profiles
from custgraph.pipeline.recompute import classify_customers

ChangeKind = Literal["merge", "unmerge", "split", "none"]


@dataclass
class Change:
    kind: ChangeKind
    customers: list[str]  # the live customers the action left behind, the kept one first
    event: MergeEventNode | None = None
    message: str = ""
    separated_pairs: int = 0  # SEPARATE decisions written so re-resolution keeps the parts apart
    lifted_pairs: int = 0  # SEPARATE decisions lifted by a merge
    notes: list[str] = field(default_factory=list)


async def refresh(graph: Graph, customer_ids: Sequence[str], rules: Rules, *, shrunk: Sequence[str] = ()) -> None:
    """Recompute golden profiles, then tags, stage and rule owners. Customers that lost records are
    cleared first: refresh_profiles only sets the fields that have a value, so a field only the
    departed records had would stay."""
    if shrunk:
        await merge_repo.clear_profiles(graph, sorted(set(shrunk)), PROFILE_FIELDS)
    await refresh_profiles(graph, sorted(set(customer_ids)), rules)
    await classify_customers(graph, customer_ids)
