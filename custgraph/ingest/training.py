"""Estimate the matching model (Fellegi-Sunter m/u by EM) before an import resolves anything.

The model is trained on a sample of the incoming file plus a sample of the records already in the
graph, stored as the current MatchModel, and held fixed for the whole run, so that records resolved
one by one later (the API) get the same answers a batch would.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.resolution import save_model
from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.reading import iter_records
from custgraph.matching.engine import train
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules

SAMPLE_NEW = 20_000
SAMPLE_EXISTING = 20_000
MIN_RECORDS = 1_000  # below this EM has too little to learn from: keep the stored model

SAMPLE_EXISTING_QUERY = """
MATCH (s:SourceRecord) WHERE s.outcome IS NOT NULL
RETURN s.uid AS uid, s.source AS source, s.fields_json AS fields_json, s.customer_id AS customer_id, s.seq AS seq
LIMIT $limit
"""


def _incoming(paths: Sequence[Path], options: Any) -> list[MatchRecord]:
    sample: list[MatchRecord] = []
    for path in paths:
        items = iter_records(
            path, source=options.source, kind=options.kind, mapping=options.mapping, sheet=options.sheet
        )
        for item in islice(items, SAMPLE_NEW - len(sample)):
            if isinstance(item, IngestedRecord):
                sample.append(MatchRecord(item.uid, item.source, item.fields, None, len(sample)))
        if len(sample) >= SAMPLE_NEW:
            break
    return sample


async def train_for_import(graph: Graph, paths: Sequence[Path], options: Any, rules: Rules) -> dict[str, Any] | None:
    """Train on this import and what the graph holds; None when there is too little to learn from."""
    rows = await graph.read(SAMPLE_EXISTING_QUERY, limit=SAMPLE_EXISTING)
    existing = [
        MatchRecord(r["uid"], r["source"], json.loads(r["fields_json"] or "{}"), r["customer_id"], int(r["seq"] or 0))
        for r in rows
    ]
    offset = max((r.seq for r in existing), default=0) + 1
    incoming = [MatchRecord(r.uid, r.source, r.fields, None, offset + r.seq) for r in _incoming(paths, options)]
    seen = {r.uid for r in existing}
    records = existing + [r for r in incoming if r.uid not in seen]
    if len(records) < MIN_RECORDS:
        return None
    params = train(records, rules).to_dict()
    await save_model(graph, params)
    return params
