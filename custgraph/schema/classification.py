"""The recompute mutation: tags, lifecycle and rule-assigned owners of every customer as of a date."""

from __future__ import annotations

from typing import Annotated

import strawberry

from custgraph.pipeline.recompute import COUNTS, RecomputeSummary
from custgraph.resolvers import recompute as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.errors import PermissionDenied, ValidationError


@strawberry.type(description="What a recompute did; a run stopped half-way is continued by the next one.")
class RecomputeRun:
    run_id: str
    as_of: str
    customers: int = strawberry.field(description="Customers classified.")
    changed: int = strawberry.field(description="Customers whose tags, stage or rule owners changed (written).")
    tags_added: int
    tags_removed: int
    lifecycle_changed: int
    owners_set: int
    owners_removed: int
    resumed: bool

    @classmethod
    def from_summary(cls, s: RecomputeSummary) -> RecomputeRun:
        return cls(run_id=s.run_id, as_of=s.as_of, resumed=s.resumed, **{name: getattr(s, name) for name in COUNTS})


RecomputeResult = Annotated[RecomputeRun | ValidationError | PermissionDenied, strawberry.union("RecomputeResult")]


@strawberry.type
class ClassificationMutation:
    @strawberry.mutation(
        description="Admins: recompute every customer's tags, lifecycle and rule-assigned owners as of asOf "
        "(YYYY-MM-DD, default today) with the tag library and assignment rules in force; writes only changes."
    )
    async def recompute(self, info: Info, as_of: str | None = None) -> RecomputeResult:
        result = await resolve.recompute(info.context, as_of)
        return RecomputeRun.from_summary(result) if isinstance(result, RecomputeSummary) else result
