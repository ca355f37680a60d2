"""Reading the search log: an admin reads everyone's, a manager their team's, a rep their own
(the statement keeps to the caller's scope, graph/repositories/scope.py)."""

from __future__ import annotations

import re

from custgraph.graph.repositories import search_log as repo
from custgraph.graph.repositories.search_log import SearchLogEntry
from custgraph.resolvers import cursors
from custgraph.resolvers.context import Context
from custgraph.resolvers.errors import BadRequest

DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
LOG_CURSOR = "searchlog"


async def entries(
    context: Context,
    *,
    first: int,
    after: str | None,
    user: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
) -> tuple[list[SearchLogEntry], list[str], int, bool]:
    """(entries newest first, their cursors, total matching, has next page)."""
    first = cursors.check_first(first, context.settings.max_page_size)
    for name, value in (("since", since), ("until", until)):
        if value is not None and not DATE.match(value):
            raise BadRequest(f"{name} must be YYYY-MM-DD", argument=name)
    position = tuple(cursors.decode(after, LOG_CURSOR, 2)) if after else None
    filters = {"user": user, "kind": kind, "since": since, "until": until}
    total = await repo.count_entries(context.graph, scope=context.scope, **filters)
    found, has_next = await repo.list_entries(
        context.graph,
        first=first,
        scope=context.scope,
        after=position,  # type: ignore[arg-type]
        **filters,
    )
    return found, [cursors.encode(LOG_CURSOR, e.at, e.id) for e in found], total, has_next
