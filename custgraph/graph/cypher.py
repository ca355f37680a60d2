"""Small builders for Cypher whose labels or property names vary.

Values always travel as ``$params``; labels, relationship types and property names come from
allow-lists (the node models and schema.py) and are checked here before they reach a query.
"""

from __future__ import annotations

from custgraph.graph.schema import UNIQUE_KEYS, _ident
from custgraph.vocabulary import IDENTIFIERS

RELATIONSHIPS = frozenset(
    {
        *(identifier.rel for identifier in IDENTIFIERS),
        "RESOLVED_TO",
        "WORKS_AT",
        "HAS_CONTACT",
        "OWNED_BY",
        "CAME_FROM",
        "TAGGED",
        "UNTAGGED",
        "HAD",
        "PLACED",
        "MERGED_INTO",
        "ABOUT",
    }
)


def label(name: str) -> str:
    if name not in UNIQUE_KEYS:
        raise ValueError(f"unknown label {name!r}")
    return _ident(name)


def rel_type(name: str) -> str:
    if name not in RELATIONSHIPS:
        raise ValueError(f"unknown relationship type {name!r}")
    return _ident(name)


def upsert_nodes(node_label: str) -> str:
    key = UNIQUE_KEYS[node_label]
    return (
        f"UNWIND $rows AS row MERGE (n:{label(node_label)} {{{_ident(key)}: row.key}}) "
        "SET n += row.props RETURN count(n) AS n"
    )


def get_node(node_label: str) -> str:
    key = UNIQUE_KEYS[node_label]
    return f"MATCH (n:{label(node_label)} {{{_ident(key)}: $key}}) RETURN properties(n) AS props"


def merge_relationships(from_label: str, rel: str, to_label: str) -> str:
    """Rows: {a: from-key, b: to-key, props: {...}}. Both ends must exist already."""
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{label(from_label)} {{{_ident(UNIQUE_KEYS[from_label])}: row.a}}) "
        f"MATCH (b:{label(to_label)} {{{_ident(UNIQUE_KEYS[to_label])}: row.b}}) "
        f"MERGE (a)-[r:{rel_type(rel)}]->(b) SET r += row.props RETURN count(r) AS n"
    )
