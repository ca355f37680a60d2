"""The recompute mutation: admins recompute every customer as of a date (the CLI's use case)."""

from __future__ import annotations

from datetime import date

from custgraph.graph.repositories import audit_log as audit_repo
from custgraph.pipeline.recompute import RecomputeSummary, recompute_all, today
from custgraph.resolvers.audit_log import event
from custgraph.resolvers.context import Context
from custgraph.schema.errors import PermissionDenied, ValidationError


async def recompute(context: Context, as_of: str | None) -> RecomputeSummary | ValidationError | PermissionDenied:
    if context.role != "admin":
        return PermissionDenied(message="only admins recompute every customer")
    try:
        day = date.fromisoformat(as_of) if as_of else today(context.settings.timezone)
    except ValueError:
        return ValidationError.single("asOf", "a date is YYYY-MM-DD")
    summary = await recompute_all(context.graph, as_of=day, by=context.user)
    context.loaders.clear()
    await audit_repo.record(context.graph, [event(context, "recompute", summary.run_id, after=summary.details())])
    return summary
