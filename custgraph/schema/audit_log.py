"""The audit log (审计日志): who did what, when, from where; for admins and auditors."""

from __future__ import annotations

import json

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.audit_log import AuditEvent as Event
from custgraph.resolvers import audit_log as resolve
from custgraph.resolvers.audit_log import IsAuditor
from custgraph.resolvers.context import Info
from custgraph.resolvers.view import View
from custgraph.schema.connections import Connection, connection


@strawberry.type(description="One audited action. Entries are never changed or deleted.")
class AuditEvent:
    id: strawberry.ID
    at: str = strawberry.field(description="When, ISO 8601 in UTC, to the microsecond.")
    user: str = strawberry.field(description="Who: the user, or cli:ACCOUNT for a command line action.")
    ip: str | None = strawberry.field(description="The client's IP address, when it came over HTTP.")
    action: str = strawberry.field(
        description="view, search, search.list, search.saved, export, create, edit, edit.interaction, edit.order, "
        "tag.add, tag.remove, owner.assign, merge, split, review.decide, review.undo, import, rematch, recompute, "
        "segment.save or login.refused."
    )
    target: str | None = strawberry.field(
        description="What it acted on: a customer id, a search-log id (RX...), an import run, a review item."
    )
    before: JSON | None = strawberry.field(description="An edit: the changed values before it.")
    after: JSON | None = strawberry.field(description="An edit: the changed values after it; else the details.")

    @classmethod
    def from_record(cls, e: Event, view: View) -> AuditEvent:
        """The personal values an edit's before/after hold are shown the way the caller's role sees
        them anywhere else (an auditor reviews who did what, not the customers' data)."""
        return cls(
            id=strawberry.ID(e.id),
            at=e.at,
            user=e.user,
            ip=e.ip,
            action=e.action,
            target=e.target,
            before=view.values(json.loads(e.before)) if e.before else None,
            after=view.values(json.loads(e.after)) if e.after else None,
        )


@strawberry.input(description="Conditions on the audit log; all given ones must hold.")
class AuditLogFilter:
    user: str | None = None
    action: str | None = strawberry.field(
        default=None, description="Part of an action name: 'view' finds every 360° view, 'tag' every tag change."
    )
    target: str | None = None
    since: str | None = strawberry.field(
        default=None, description="From (inclusive): YYYY-MM-DD (the business time zone) or an ISO 8601 time."
    )
    until: str | None = strawberry.field(
        default=None, description="To (inclusive): YYYY-MM-DD (the whole day) or an ISO 8601 time."
    )


@strawberry.type
class AuditLogQuery:
    @strawberry.field(
        permission_classes=[IsAuditor], description="The audit log, newest first (admins and auditors only)."
    )
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,  # noqa: A002 - the argument's name in the API
        first: int = 50,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        conditions = strawberry.asdict(filter) if filter is not None else {}
        found, cursors, total, has_next = await resolve.entries(info.context, conditions, first=first, after=after)
        return connection(
            [AuditEvent.from_record(e, info.context.view) for e in found],
            cursors,
            total=total,
            has_next=has_next,
            has_previous=after is not None,
        )
