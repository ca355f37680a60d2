"""The audit log from the API's side: who the actor is, the events of reads, and reading the log.

Resolvers call the helpers here instead of building events themselves, so every entry names the
caller the same way (user, client IP). Reading the log is for admins and auditors only.
"""

from __future__ import annotations

import getpass
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from strawberry.permission import BasePermission

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log as repo
from custgraph.graph.repositories.audit_log import AuditEvent
from custgraph.resolvers import cursors
from custgraph.resolvers.context import Context
from custgraph.resolvers.errors import BadRequest

if TYPE_CHECKING:
    from custgraph.pipeline.run import ImportSummary
    from custgraph.resolution.changes import Change

AUDIT_CURSOR = "audit"
AUDIT_READERS = frozenset({"admin", "auditor"})
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_FILTER_TEXT = 200
# the search log's kinds -> audit actions (every list, search, saved-search run and export)
SEARCH_ACTIONS = {"list": "search.list", "search": "search", "saved_search": "search.saved", "export": "export"}


class IsAuditor(BasePermission):
    message = "only admins and auditors may read the audit log"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return info.context.role in AUDIT_READERS


def cli_user() -> str:
    """Who runs a command line action: the operating-system account, marked as such."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "cli:unknown"


def event(
    context: Context, action: str, target: str | None = None, *, before: Any = None, after: Any = None
) -> AuditEvent:
    return repo.event(action, user=context.user, ip=context.ip, target=target, before=before, after=after)


def audited(context: Context, action: str) -> repo.Audited:
    """The entry a customer change writes in its own transaction (graph/repositories/customer_writes.py)."""
    return repo.Audited(action, context.user, context.ip)


def steward_events(
    user: str,
    ip: str | None,
    change: Change,
    *,
    review_key: str | None = None,
    decision: str | None = None,
    note: str | None = None,
    review_action: str = "review.decide",
) -> list[AuditEvent]:
    """A review decision (or its undo, ``review.undo``) and the merge or split it made, or a split
    asked for directly."""
    found: list[AuditEvent] = []
    if review_key is not None:
        details = {"decision": decision, "note": note, "change": change.kind, "customers": change.customers}
        found.append(repo.event(review_action, user=user, ip=ip, target=review_key, after=details))
    made = change.event
    if made is not None and change.kind == "merge":
        before = {"customers": [made.survivor, *made.absorbed]}
        after = {"customer": made.survivor, "absorbed": made.absorbed, "event": made.id, "records": made.record_uids}
        found.append(repo.event("merge", user=user, ip=ip, target=made.survivor, before=before, after=after))
    elif made is not None and change.kind in ("split", "unmerge"):
        after = {"kind": change.kind, "customers": change.customers, "event": made.id, "records": made.record_uids}
        before = {"customers": [made.survivor]}
        found.append(repo.event("split", user=user, ip=ip, target=made.survivor, before=before, after=after))
    return found


def import_event(
    user: str, ip: str | None, summary: ImportSummary, source: str, kind: str, files: list[str]
) -> AuditEvent:
    """An import (a file run or records posted to ingestRecords); the target is its ImportRun id."""
    details = {"source": source, "kind": kind, "files": files, "rows": summary.rows, "rejected": summary.rejected}
    return repo.event("import", user=user, ip=ip, target=summary.run_id, after=details)


class RefusedRequest(Protocol):
    """What service/auth.py hands its refused-request hooks (``Refusal``)."""

    reason: str
    ip: str | None
    path: str
    method: str
    claimed_user: str | None


async def refused_login(refusal: RefusedRequest, graph: Graph | None) -> None:
    """A refused credential (service/auth.py ``on_refused`` hook): who it claimed to be, from where, why.

    Queued like a read: a flood of bad credentials costs one write per batch, not one per request.
    """
    if graph is None:  # refused while the service starts: there is no graph to write to yet
        return
    details = {"reason": refusal.reason, "method": refusal.method}
    entry = repo.event(
        "login.refused", user=refusal.claimed_user or "anonymous", ip=refusal.ip, target=refusal.path, after=details
    )
    await repo.enqueue(graph, entry)


async def viewed(context: Context, customer_id: str) -> None:
    """A 360° view of one customer (queued: the view's own statement stays a pure read)."""
    await repo.enqueue(context.graph, event(context, "view", customer_id))


async def searched(context: Context, kind: str, log_id: str, *, result_count: int, purpose: str | None) -> None:
    """A list, search, saved-search run or export; the target is its search-log id (RX...), where the
    conditions are kept (stored the way the fields they name are)."""
    details = {"result_count": result_count, **({"purpose": purpose} if purpose else {})}
    await repo.enqueue(context.graph, event(context, SEARCH_ACTIONS.get(kind, "search"), log_id, after=details))


def _moment(name: str, value: str, timezone: str, *, end: bool) -> str:
    """A filter bound as stored text. A date is a whole day in the business time zone (``until``
    includes it); a datetime without an offset is in that zone too; ``until`` is inclusive."""
    zone = ZoneInfo(timezone)
    try:
        if DATE.match(value):
            moment = datetime.fromisoformat(value).replace(tzinfo=zone)
            return repo.utc_text(moment + timedelta(days=1) if end else moment)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} must be YYYY-MM-DD or an ISO 8601 date and time", argument=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return repo.utc_text(moment + timedelta(microseconds=1) if end else moment)


def filters(context: Context, flt: dict[str, Any]) -> dict[str, Any]:
    """The repository filters of an auditLog filter input (user, action, target, since, until)."""
    for name in ("user", "action", "target"):
        value = flt.get(name)
        if value is not None and len(value) > MAX_FILTER_TEXT:
            raise BadRequest(f"{name} is limited to {MAX_FILTER_TEXT} characters", argument=name)
    found: dict[str, Any] = {"user": flt.get("user"), "target": flt.get("target")}
    if flt.get("action") is not None:
        # no known action matches: keep an impossible condition rather than dropping the filter
        found["actions"] = repo.matching_actions(flt["action"]) or [flt["action"]]
    timezone = context.settings.timezone
    if flt.get("since") is not None:
        found["since"] = _moment("since", flt["since"], timezone, end=False)
    if flt.get("until") is not None:
        found["until"] = _moment("until", flt["until"], timezone, end=True)
    return found


async def entries(
    context: Context, flt: dict[str, Any], *, first: int, after: str | None
) -> tuple[list[AuditEvent], list[str], int, bool]:
    """(events newest first, their cursors, total matching, has next page)."""
    first = cursors.check_first(first, context.settings.max_page_size)
    position = tuple(cursors.decode(after, AUDIT_CURSOR, 2)) if after else None
    found_filters = filters(context, flt)
    # what this process queued (a view a moment ago) is in the log before it is read
    await repo.flush(context.graph)
    total = await repo.count_events(context.graph, **found_filters)
    found, has_next = await repo.list_events(context.graph, first=first, after=position, **found_filters)  # type: ignore[arg-type]
    return found, [cursors.encode(AUDIT_CURSOR, e.at, e.id) for e in found], total, has_next
