"""Uniqueness constraints and indexes, created idempotently at start-up.

Every MERGE in graph/ is on one of these keys (ArcadeDB and Neo4j both need the constraint for
MERGE to be safe under concurrency). The statements use Neo4j 5 syntax, which ArcadeDB accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from custgraph.graph.connection import Graph
from custgraph.vocabulary import IDENTIFIERS

# label -> unique key property
UNIQUE_KEYS: dict[str, str] = {
    "Customer": "id",
    "SourceRecord": "uid",
    "Company": "key",
    "Contact": "id",
    **{identifier.label: "value" for identifier in IDENTIFIERS},
    "Channel": "name",
    "Owner": "name",
    "Tag": "key",
    "Interaction": "uid",
    "Order": "uid",
    "ImportRun": "id",
    "ReviewItem": "key",
    "MatchModel": "name",
    "Sequence": "name",
    "MergeEvent": "id",
    # the GraphQL API: keyword-search blocking keys, saved searches ("quick templates"), the search log
    "SearchKey": "key",
    "SavedSearch": "id",
    "SearchLog": "id",
    # the audit log (graph/repositories/audit_log.py): append-only, one node per audited action
    "AuditEvent": "id",
    # who may call the API (graph/repositories/users.py, api_keys.py)
    "User": "name",
    "ApiKey": "name",
}

# (label, property) range indexes for frequent look-ups and filters
INDEXES: list[tuple[str, str]] = [
    ("Customer", "name"),
    ("Customer", "name_key"),
    ("Customer", "merged_into"),
    ("SourceRecord", "source"),
    ("SourceRecord", "customer_id"),
    ("SourceRecord", "outcome"),
    ("SourceRecord", "run_id"),
    ("ReviewItem", "status"),
    # remembered decisions of the records an import re-resolves (resolution.decisions_for)
    ("ReviewItem", "uid_a"),
    ("ReviewItem", "uid_b"),
    # each import's start looks up the unfinished runs (graph/repositories/runs.py)
    ("ImportRun", "status"),
    # customer list filters and sort keys (graph/repositories/customer_filter.py)
    ("Customer", "industry"),
    ("Customer", "region"),
    ("Customer", "lifecycle"),
    ("Customer", "first_contact"),
    ("Customer", "last_contact"),
    ("Customer", "total_amount"),
    ("Customer", "order_count"),
    ("SavedSearch", "user"),
    ("SearchLog", "user"),
    ("SearchLog", "at"),
    # the auditLog filters and its (at, id) order
    ("AuditEvent", "at"),
    ("AuditEvent", "user"),
    ("AuditEvent", "action"),
    ("AuditEvent", "target"),
    # each request presenting an API key looks it up by its hash
    ("ApiKey", "key_hash"),
]

IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    """Labels and properties can't be parameters; allow-list them and quote in backticks."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return f"`{name}`"


def constraint_statements() -> list[str]:
    return [
        f"CREATE CONSTRAINT {label.lower()}_{key}_unique IF NOT EXISTS "
        f"FOR (n:{_ident(label)}) REQUIRE n.{_ident(key)} IS UNIQUE"
        for label, key in UNIQUE_KEYS.items()
    ]


def index_statements(extra: Iterable[tuple[str, str]] = ()) -> list[str]:
    return [
        f"CREATE INDEX {label.lower()}_{prop}_idx IF NOT EXISTS FOR (n:{_ident(label)}) ON (n.{_ident(prop)})"
        for label, prop in [*INDEXES, *extra]
    ]


def blocking_property(rule_name: str) -> str:
    """The SourceRecord property that holds one blocking key (see matching/blocking.py)."""
    prop = f"bk_{rule_name}"
    _ident(prop)
    return prop


async def ensure_schema(graph: Graph, blocking_rules: Iterable[str] = ()) -> None:
    """Create every constraint and index; running it again changes nothing, and on the same connection
    sends nothing (the statements it already ran are remembered there)."""
    extra = [("SourceRecord", blocking_property(name)) for name in blocking_rules]
    for statement in [*constraint_statements(), *index_statements(extra)]:
        if statement in graph.schema_ensured:
            continue
        await graph.write(statement)
        graph.schema_ensured.add(statement)


async def existing_constraints(graph: Graph) -> set[tuple[str, str]]:
    rows = await graph.read("SHOW CONSTRAINTS")
    found: set[tuple[str, str]] = set()
    for row in rows:
        labels, props = row.get("labelsOrTypes") or [], row.get("properties") or []
        if labels and props:
            found.add((labels[0], props[0]))
    return found
