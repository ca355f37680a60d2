"""Keyword search: blocking keys find the candidates in the graph, the scorer ranks them."""

from __future__ import annotations

from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import search_index
from custgraph.matching.standardize import InvalidValue, standardize_bank_card, standardize_national_id
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
    """The best ``first`` customers for ``query`` (name, id, mobile, email, company, national ID or bank
    card), best first; logged. A national ID or bank card matches exactly, before any keyword hit."""
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
    exact = await search_index.identifier_hits(context.graph, sensitive_values(text), limit=first, scope=context.scope)
    seen = {props["id"] for _, props in exact}
    ranked = [(props, scorer.Score(1.0, name)) for name, props in exact]
    ranked += [(props, score) for props, score in scorer.rank(text, candidates, first) if props["id"] not in seen]
    ranked = ranked[:first]
    await audit.log(context, kind="search", result_count=len(ranked), query=text, purpose=purpose)
    return [(CustomerNode.model_validate(props), score) for props, score in ranked]


def sensitive_values(text: str) -> dict[str, str]:
    """The query as a national ID (a Chinese one: 15 or 18 characters, checksum valid) and as a bank card
    (12-19 digits), where it can be one: looked up by digest, never stored or compared in plaintext."""
    out: dict[str, str] = {}
    try:
        nid = standardize_national_id(text)
        if nid and len(nid) in (15, 18) and nid[:15].isdigit():
            out["national_id"] = nid
    except InvalidValue:
        pass
    try:
        card = standardize_bank_card(text)
        if card and len(card) >= 16:  # shorter digit runs are phone numbers and fragments
            out["bank_card"] = card
    except InvalidValue:
        pass
    return out
