"""Saved searches ("quick templates", 快捷模板): a named customer filter and sort order, per user."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from custgraph.graph.connection import Graph

CREATE = """
CREATE (s:SavedSearch {id: $id})
SET s += $props
RETURN properties(s) AS props
"""

OF_USER = "MATCH (s:SavedSearch {user: $user}) RETURN properties(s) AS props ORDER BY s.name, s.id"
GET = "MATCH (s:SavedSearch {id: $id}) RETURN properties(s) AS props"
NAMED = "MATCH (s:SavedSearch {user: $user}) WHERE s.name = $name RETURN s.id AS id"
DELETE = "MATCH (s:SavedSearch {id: $id}) DETACH DELETE s"


class SavedSearchNode(BaseModel):
    id: str
    user: str
    name: str
    filter: dict[str, Any]  # CustomerFilter as camelCase JSON (customer_filter.CustomerFilter.to_json_dict)
    order: dict[str, Any] | None = None
    created_at: str

    @classmethod
    def from_props(cls, props: dict[str, Any]) -> SavedSearchNode:
        return cls(
            id=props["id"],
            user=props["user"],
            name=props["name"],
            created_at=props["created_at"],
            filter=json.loads(props.get("filter_json") or "{}"),
            order=json.loads(props["order_json"]) if props.get("order_json") else None,
        )


async def create_saved_search(
    graph: Graph,
    *,
    user: str,
    name: str,
    filter: dict[str, Any],
    order: dict[str, Any] | None,  # noqa: A002
) -> SavedSearchNode:
    props = {
        "user": user,
        "name": name,
        "filter_json": json.dumps(filter, ensure_ascii=False, sort_keys=True),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if order is not None:
        props["order_json"] = json.dumps(order, sort_keys=True)
    rows = await graph.write(CREATE, id=f"SS{uuid.uuid4().hex[:16]}", props=props)
    return SavedSearchNode.from_props(rows[0]["props"])


async def saved_searches_of(graph: Graph, user: str) -> list[SavedSearchNode]:
    return [SavedSearchNode.from_props(row["props"]) for row in await graph.read(OF_USER, user=user)]


async def get_saved_search(graph: Graph, search_id: str) -> SavedSearchNode | None:
    rows = await graph.read(GET, id=search_id)
    return SavedSearchNode.from_props(rows[0]["props"]) if rows else None


async def name_taken(graph: Graph, user: str, name: str) -> bool:
    return bool(await graph.read(NAMED, user=user, name=name))


async def delete_saved_search(graph: Graph, search_id: str) -> None:
    await graph.write(DELETE, id=search_id)
