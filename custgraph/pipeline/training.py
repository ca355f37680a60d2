"""Estimate the matching model (Fellegi-Sunter m/u by EM) before an import resolves anything.

The model is trained on a sample of the incoming file plus a sample of the records already in the
graph, stored as the current MatchModel, and held fixed for the whole run, so that records resolved
one by one later (the API) get the same answers a batch would.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.resolution import sample_resolved, save_model
from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.reading import iter_records
from custgraph.matching.engine import train
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.pipeline.profiles import to_match_record

SAMPLE_NEW = 20_000
SAMPLE_EXISTING = 20_000
MIN_RECORDS = 1_000  # below this EM has too little to learn from: keep the stored model


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
    existing = [to_match_record(r) for r in await sample_resolved(graph, SAMPLE_EXISTING)]
    offset = max((r.seq for r in existing), default=0) + 1
    incoming = [MatchRecord(r.uid, r.source, r.fields, None, offset + r.seq) for r in _incoming(paths, options)]
    seen = {r.uid for r in existing}
    records = existing + [r for r in incoming if r.uid not in seen]
    if len(records) < MIN_RECORDS:
        return None
    params = train(records, rules).to_dict()
    await save_model(graph, params)
    return params
