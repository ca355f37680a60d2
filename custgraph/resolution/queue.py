"""The review queue: pages of review items with both records and their per-field evidence."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass

from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.review import ReviewItemNode
from custgraph.graph.repositories.scope import EVERYTHING, Scope
from custgraph.matching.scoring import FieldEvidence
from custgraph.resolution import evidence as ev
from custgraph.resolution.errors import InvalidRequest

MAX_PAGE = 200
STATUSES = ("open", "decided", "lifted")


@dataclass
class ReviewView:
    item: ReviewItemNode
    record_a: SourceRecordNode | None
    record_b: SourceRecordNode | None
    evidence: list[FieldEvidence]  # value_a: evidence_uid's value; value_b: the other customer's
    evidence_uid: str | None  # the record that was being resolved when the pair was queued

    @property
    def same_customer(self) -> bool:
        a, b = self.record_a, self.record_b
        return bool(a and b and a.customer_id and a.customer_id == b.customer_id)


@dataclass
class ReviewPage:
    items: list[ReviewView]
    total: int
    end_cursor: str | None
    has_next: bool


def encode_cursor(item: ReviewItemNode) -> str:
    raw = json.dumps([item.score or 0.0, item.key], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_cursor(cursor: str) -> tuple[float, str]:
    try:
        score, key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return float(score), str(key)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidRequest(f"not a review cursor: {cursor!r}", field="after") from None


def _evidence_uid(item: ReviewItemNode, records: dict[str, SourceRecordNode]) -> str | None:
    """The record the matcher was resolving when it queued the pair: its values are value_a (the
    other side is the best value of the customer it was compared with, see ``uid_b``). Items
    written before ``evidence_uid`` was stored fall back to arrival order: the record being
    resolved always arrived later."""
    if item.evidence_uid is not None:
        return item.evidence_uid
    a, b = records.get(item.uid_a), records.get(item.uid_b)
    if a is None or b is None:
        return None
    return item.uid_a if (a.seq or 0) > (b.seq or 0) else item.uid_b


async def views(graph: Graph, items: Sequence[ReviewItemNode], scope: Scope = EVERYTHING) -> list[ReviewView]:
    uids = [u for i in items for u in (i.uid_a, i.uid_b)]
    records = await review_repo.records_by_uid(graph, uids, scope=scope)
    return [
        ReviewView(
            item,
            records.get(item.uid_a),
            records.get(item.uid_b),
            ev.informative(ev.parse(item.evidence_json)),
            _evidence_uid(item, records),
        )
        for item in items
    ]


async def review_queue(
    graph: Graph, *, first: int = 20, after: str | None = None, status: str | None = "open", scope: Scope = EVERYTHING
) -> ReviewPage:
    """Items with ``status`` (None: all) within ``scope`` (both records' customers), highest score
    first; ``after`` is a page's end cursor."""
    if status is not None and status not in STATUSES:
        raise InvalidRequest(f"status must be one of {', '.join(STATUSES)}", field="status")
    if not 1 <= first <= MAX_PAGE:
        raise InvalidRequest(f"first must be between 1 and {MAX_PAGE}", field="first")
    position = decode_cursor(after) if after else None
    items = await review_repo.list_items(graph, status=status, first=first + 1, after=position, scope=scope)
    has_next = len(items) > first
    items = items[:first]
    total = await review_repo.count_items(graph, status, scope=scope)
    end = encode_cursor(items[-1]) if items else None
    return ReviewPage(await views(graph, items, scope), total, end, has_next)


async def review_item(graph: Graph, key: str, scope: Scope = EVERYTHING) -> ReviewView | None:
    """The item, or None when there is none or it is outside ``scope`` (the two answer alike)."""
    item = (await review_repo.get_items(graph, [key], scope=scope)).get(key)
    return (await views(graph, [item], scope))[0] if item else None
