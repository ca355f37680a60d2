"""Relay-style connections: ``edges { cursor node }``, ``pageInfo`` and ``totalCount``.

Generic over the node type; strawberry names ``Connection[Customer]`` ``CustomerConnection``.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

T = TypeVar("T")


@strawberry.type(description="Where a page sits in its list. Cursors are opaque: pass endCursor as `after`.")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many items the whole list has, over all pages.")

    @strawberry.field(description="The nodes of the edges, for clients that need no cursors.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(nodes: list[T], cursors: list[str], *, total: int, has_next: bool, has_previous: bool) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=n) for n, c in zip(nodes, cursors, strict=True)],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        total_count=total,
    )
