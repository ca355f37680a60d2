"""Keyword search: blocking keys find the candidates in the graph, the scorer ranks them."""

from __future__ import annotations

from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import search_index
from custgraph.resolvers import audit, cursors
from custgraph.resolvers.context import Context
from custgraph.resolvers.customer_list import check_purpose
from custgraph.resolvers.errors import BadRequest
from custgraph.search import scorer
from custgraph.search.keys import query_keys

MAX_QUERY = 100


async def search(
    context: Context, query: str, *, first: int, purpose: str | None
) -> list[tuple[CustomerNode, scorer.Score]]:
    """The best ``first`` customers for ``query`` (name, id, mobile, email, company), best first; logged."""
    first = cursors.check_first(first, context.settings.max_page_size)
    purpose = check_purpose(purpose)
    text = query.strip()
    if not text:
        raise BadRequest("query is empty", argument="query")
    if len(text) > MAX_QUERY:
        raise BadRequest(f"query is limited to {MAX_QUERY} characters", argument="query")
    candidates = await search_index.candidates(
        context.graph, query_keys(text), limit=context.settings.search_candidates, scope=context.scope
    )
    ranked = scorer.rank(text, candidates, first)
    await audit.log(context, kind="search", result_count=len(ranked), query=text, purpose=purpose)
    return [(CustomerNode.model_validate(props), score) for props, score in ranked]
