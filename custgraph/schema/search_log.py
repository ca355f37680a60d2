"""The search log (检索记录): every list, search, saved-search run and export.

An admin reads everyone's entries, a manager their team's, a rep their own; keywords that quote a
mobile, email or id number are masked like those fields (resolvers/view.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.search_log import SearchLogEntry as Entry
from custgraph.resolvers import search_log as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import SeesCustomers
from custgraph.resolvers.view import View
from custgraph.schema.connections import Connection, connection


@strawberry.type(description="One logged search: RX + yyyymmdd + a per-day sequence.")
class SearchLogEntry:
    id: strawberry.ID
    kind: str = strawberry.field(description="list, search, saved_search or export.")
    filter: JSON | None = strawberry.field(description="The conditions, as CustomerFilterInput JSON.")
    query: str | None = strawberry.field(description="The keyword of a search.")
    user: str
    role: str | None
    ip: str | None
    at: str = strawberry.field(description="When, ISO 8601 with the business time zone's offset.")
    result_count: int
    purpose: str | None

    @classmethod
    def from_record(cls, entry: Entry, view: View) -> SearchLogEntry:
        return cls(
            id=strawberry.ID(entry.id),
            kind=entry.kind,
            filter=entry.filter,
            query=view.text(entry.query),
            user=entry.user,
            role=entry.role,
            ip=entry.ip,
            at=entry.at,
            result_count=entry.result_count,
            purpose=entry.purpose,
        )


@strawberry.type
class SearchLogQuery:
    @strawberry.field(
        permission_classes=[SeesCustomers],
        description="The search log, newest first: everyone's for an admin, the team's for a manager, "
        "one's own for a rep.",
    )
    async def search_log(
        self,
        info: Info,
        user: str | None = None,
        kind: str | None = None,
        since: Annotated[str | None, strawberry.argument(description="First day, YYYY-MM-DD.")] = None,
        until: Annotated[str | None, strawberry.argument(description="Last day, YYYY-MM-DD.")] = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[SearchLogEntry]:
        found, cursors, total, has_next = await resolve.entries(
            info.context, first=first, after=after, user=user, kind=kind, since=since, until=until
        )
        return connection(
            [SearchLogEntry.from_record(e, info.context.view) for e in found],
            cursors,
            total=total,
            has_next=has_next,
            has_previous=after is not None,
        )
