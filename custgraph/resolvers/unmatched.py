"""The unmatched pool: records with no identifier and no name, which belong to no customer.

Stewards (managers and admins) list and correct it. A pool record has no customer, hence no owner
and no team, so the customer scope (graph/repositories/scope.py) has nothing to restrict: a manager
sees the whole pool, as they see the rejected rows of an import run. What a record becomes once
corrected is scoped again: the customer it joins is shown only if the caller sees that customer.
Values go through the caller's View like every source record (schema/source_record.py).
"""

from __future__ import annotations

from typing import Any

from custgraph import crypto
from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories import audit_log as audit_log_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories import unmatched as repo
from custgraph.graph.repositories.resolution import load_model
from custgraph.pipeline.rematch import Rematched, RematchRefused, rematch
from custgraph.resolvers import audit_log, cursors
from custgraph.resolvers.context import Info
from custgraph.resolvers.ingest import rules_for
from custgraph.resolvers.permissions import MANAGERS
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError

CURSOR = "unmatched"
STEWARD_ONLY = "only managers and admins may see or correct the unmatched pool"


async def unmatched_records(
    info: Info, source: str | None, first: int, after: str | None
) -> tuple[list[SourceRecordNode], list[str], int, bool]:
    """(a page of the pool in uid order, its cursors, the pool's size, whether more follow)."""
    ctx = info.context
    first = cursors.check_first(first, ctx.settings.max_page_size)
    position = cursors.decode(after, CURSOR, 2) if after else None
    if position is not None and position[0] != source:
        raise cursors.BadRequest("cursor does not belong to this list or sort order", argument="after")
    last_uid = str(position[1]) if position is not None else None
    total = await repo.count_unmatched(ctx.graph, source=source)
    page, more = await repo.list_unmatched(ctx.graph, source=source, first=first, after=last_uid)
    return page, [cursors.encode(CURSOR, source, n.uid) for n in page], total, more


async def rematch_record(
    info: Info, uid: str, fields: dict[str, Any]
) -> tuple[Rematched, SourceRecordNode | None] | ValidationError | NotFoundError | PermissionDenied:
    """Correct a pool record and match it again: (what happened, the record as the caller may see it
    now: None when it joined a customer outside their scope)."""
    ctx = info.context
    if ctx.role not in MANAGERS:
        return PermissionDenied(message=STEWARD_ONLY)
    if not isinstance(fields, dict):
        return ValidationError.single("fields", "fields must be a JSON object of field: value")
    node = await repo.get_unmatched(ctx.graph, uid)
    if node is None:
        return NotFoundError(message=f"no record {uid} in the unmatched pool", id=uid)
    try:
        done = await rematch(
            ctx.graph, node, fields, rules=rules_for(ctx.settings.rules_path), params=await load_model(ctx.graph)
        )
    except RematchRefused as exc:
        return ValidationError.single(exc.field, str(exc))
    ring = crypto.current()  # the entry keeps values the way the record stores them
    after = {"fields": ring.seal_fields(done.after), "run": done.run_id, "outcome": done.outcome}
    entry = audit_log.event(ctx, "rematch", uid, before={"fields": ring.seal_fields(done.before)}, after=after)
    await audit_log_repo.record(ctx.graph, [entry])
    if done.outcome == repo.UNMATCHED:
        return done, await repo.get_unmatched(ctx.graph, uid)
    seen = await review_repo.records_by_uid(ctx.graph, [uid], scope=ctx.scope)
    if uid not in seen:
        done.customer_id = None  # a customer outside the caller's scope reads as none
    return done, seen.get(uid)
