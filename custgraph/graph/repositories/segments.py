"""Segments: named customer filters shared by everyone (制造业 × value:high × risk:churn).

Unlike a saved search, which is one user's, a segment is the company's: one per name, saved again to
change its filter. Its count and customers are computed live, within each caller's scope.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from custgraph.graph.connection import Graph

NAMED = "MATCH (s:Segment) WHERE s.name = $name RETURN properties(s) AS props"
CREATE = "CREATE (s:Segment {id: $id}) SET s += $props RETURN properties(s) AS props"
UPDATE = "MATCH (s:Segment {id: $id}) SET s += $props RETURN properties(s) AS props"
ALL = "MATCH (s:Segment) RETURN properties(s) AS props ORDER BY s.name, s.id"
GET = "MATCH (s:Segment {id: $id}) RETURN properties(s) AS props"


class SegmentNode(BaseModel):
    id: str
    name: str
    filter: dict[str, Any]  # CustomerFilter as camelCase JSON (customer_filter.CustomerFilter.to_json_dict)
    created_by: str
    created_at: str
    updated_by: str | None = None
    updated_at: str | None = None

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> SegmentNode:
        return cls(
            id=props["id"],
            name=props["name"],
            filter=json.loads(props.get("filter_json") or "{}"),
            created_by=props["created_by"],
            created_at=props["created_at"],
            updated_by=props.get("updated_by"),
            updated_at=props.get("updated_at"),
        )


async def save_segment(graph: Graph, *, name: str, filter: dict[str, Any], by: str) -> SegmentNode:  # noqa: A002
    """Create the segment, or give the one of this name the new filter."""
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    text = json.dumps(filter, ensure_ascii=False, sort_keys=True)
    found = await graph.read(NAMED, name=name)
    if found:
        props = {"filter_json": text, "updated_by": by, "updated_at": stamp}
        rows = await graph.write(UPDATE, id=found[0]["props"]["id"], props=props)
    else:
        props = {"name": name, "filter_json": text, "created_by": by, "created_at": stamp}
        rows = await graph.write(CREATE, id=f"SG{uuid.uuid4().hex[:16]}", props=props)
    return SegmentNode.from_props(rows[0]["props"])


async def all_segments(graph: Graph) -> list[SegmentNode]:
    return [SegmentNode.from_props(row["props"]) for row in await graph.read(ALL)]


async def get_segment(graph: Graph, segment_id: str) -> SegmentNode | None:
    rows = await graph.read(GET, id=segment_id)
    return SegmentNode.from_props(rows[0]["props"]) if rows else None
