"""Writing the search log for list, search, saved-search and export calls; each also gets an audit-log
entry (resolvers/audit_log.py) whose target is the search-log id.

The log keeps what was asked, not the identifiers asked for: a mobile, national ID, bank card or email
in the query text or the conditions is stored masked (resolvers/view.py, the masks a non-admin sees),
so the log never holds in plaintext what the graph itself encrypts or the API masks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from custgraph.graph.repositories.search_log import log_search
from custgraph.resolvers import audit_log
from custgraph.resolvers.context import Context
from custgraph.resolvers.view import mask_text, mask_values


def local_now(timezone: str) -> datetime:
    """Now in the business's time zone: the search-log id names that day."""
    return datetime.now(ZoneInfo(timezone))


async def log(
    context: Context,
    *,
    kind: str,
    result_count: int,
    filter: dict[str, Any] | None = None,  # noqa: A002 - the log's own word
    query: str | None = None,
    purpose: str | None = None,
) -> str:
    log_id = await log_search(
        context.graph,
        kind=kind,
        user=context.user,
        role=context.role,
        ip=context.ip,
        at=local_now(context.settings.timezone),
        result_count=result_count,
        filter=mask_values(filter) if filter is not None else None,
        query=mask_text(query) if query else query,
        purpose=purpose,
    )
    await audit_log.searched(context, kind, log_id, result_count=result_count, purpose=purpose)
    return log_id
