"""Correct a record of the unmatched pool and match it again, through the import path.

A record in the pool is turned back into the row it came from (``record_row``: its key, the cells of
its mapped fields as read, its unmapped columns), the corrections are laid over it, and the row goes
through the same use case as records posted to ``ingestRecords`` (``ingest_posted``): standardized,
validated, stored under the same uid (its earlier version kept in the record's history) and resolved.
The spreadsheet export of the pool (service/cli_resolution.py) writes the same rows, so an import of
the corrected file takes the same way.

A correction is checked like an import cell before anything is written: an unknown field, a value of
the wrong shape or a value its standardizer refuses is a ``RematchRefused`` naming the field and why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode
from custgraph.ingest.api_records import records_from_dicts
from custgraph.ingest.fields import CUSTOMER_FIELDS, FIELDS_BY_KIND
from custgraph.ingest.mapping import ColumnSpec, MappingProfile
from custgraph.ingest.models import IngestedRecord
from custgraph.matching.rules import Rules
from custgraph.pipeline.run import ingest_posted

KEY_COLUMN = "source_key"  # the import's synonym table reads this header as the row key


class RematchRefused(ValueError):
    """A correction that would not make a valid record: nothing was written."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass
class Rematched:
    uid: str
    run_id: str
    outcome: str  # matched / review / new / unmatched
    customer_id: str | None
    before: dict[str, Any]  # the corrected fields' earlier cells (absent: was empty)
    after: dict[str, Any]  # their new cells (None: cleared)


def record_row(node: SourceRecordNode) -> dict[str, Any]:
    """The row a record was read from, as column -> cell: the key, each mapped field's cell text
    (under the field's canonical name) and the unmapped columns under their own headers."""
    raw: dict[str, Any] = json.loads(node.raw_json or "{}")
    extra: dict[str, Any] = json.loads(node.extra_json or "{}")
    row: dict[str, Any] = {KEY_COLUMN: node.source_key}
    row.update((header, value) for header, value in extra.items() if header not in raw and header != KEY_COLUMN)
    row.update(raw)
    return row


def field_columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The canonical fields the rows carry, in the registry's order (ingest/fields.py), then those of
    orders and interactions."""
    present = {name for row in rows for name in row}
    ordered = [*CUSTOMER_FIELDS, *sorted(FIELDS_BY_KIND["orders"] | FIELDS_BY_KIND["interactions"])]
    return list(dict.fromkeys(f for f in ordered if f in present))


def row_mapping(row: Mapping[str, Any], kind: str) -> MappingProfile:
    """Each canonical column to its field, the key column as the key; other columns stay extras."""
    allowed = FIELDS_BY_KIND[kind]
    return MappingProfile(key=KEY_COLUMN, columns={name: ColumnSpec(field=name) for name in row if name in allowed})


def _cell(field: str, value: Any) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value  # tags
    raise RematchRefused(field, "expected text, a number, true/false, a list of texts or null")


def corrected_row(node: SourceRecordNode, corrections: Mapping[str, Any]) -> tuple[dict[str, Any], dict, dict]:
    """(the corrected row, the corrected fields' earlier cells, their new cells)."""
    allowed = FIELDS_BY_KIND.get(node.kind, FIELDS_BY_KIND["customers"])
    if not corrections:
        raise RematchRefused("fields", "give at least one field to correct")
    row = record_row(node)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, value in corrections.items():
        if field not in allowed:
            raise RematchRefused(field, f"not a field of a {node.kind} record (see docs/ingestion.md)")
        value = _cell(field, value)
        before[field] = row.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            row.pop(field, None)
            after[field] = None
        else:
            row[field] = value
            after[field] = value
    return row, before, after


def check_row(node: SourceRecordNode, row: Mapping[str, Any], corrected: Iterable[str]) -> None:
    """Validate the row as an import would; a corrected field the import refuses is a RematchRefused."""
    [item] = records_from_dicts([row], source=node.source, kind=node.kind, mapping=row_mapping(row, node.kind))
    wanted = set(corrected)
    for issue in item.issues:
        if issue.severity == "error" and (issue.field in wanted or not isinstance(item, IngestedRecord)):
            raise RematchRefused(issue.field or "fields", issue.reason)


async def rematch(
    graph: Graph,
    node: SourceRecordNode,
    corrections: Mapping[str, Any],
    *,
    rules: Rules,
    params: object = None,
) -> Rematched:
    """Correct ``node`` (a record of the pool) and resolve it again; RematchRefused changes nothing."""
    row, before, after = corrected_row(node, corrections)
    check_row(node, row, corrections)
    summary, [posted] = await ingest_posted(
        graph,
        [row],
        source=node.source,
        kind=node.kind,
        rules=rules,
        params=params,
        mapping=row_mapping(row, node.kind),
    )
    assert posted.uid == node.uid, (posted.uid, node.uid)  # the key column keeps the record's identity
    return Rematched(
        uid=node.uid,
        run_id=summary.run_id,
        outcome=posted.outcome or "unmatched",
        customer_id=posted.customer_id,
        before=before,
        after=after,
    )
