"""Estimate the matching model (Fellegi-Sunter m/u by EM) before an import resolves anything.

The model is trained on the first records the import reads (kept as they stream by: no file is
read twice) plus a sample of the records already in the graph, stored as the current MatchModel,
and held fixed for the whole run, so that records resolved one by one later (the API) get the same
answers a batch would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.resolution import sample_resolved, save_model
from custgraph.matching.engine import train
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.pipeline.profiles import to_match_record

SAMPLE_NEW = 20_000
SAMPLE_EXISTING = 20_000
MIN_RECORDS = 1_000  # below this EM has too little to learn from: keep the stored model


class TrainingSample:
    """The first ``limit`` records an import reads, in reading order (seq 0, 1, ...)."""

    def __init__(self, limit: int = SAMPLE_NEW) -> None:
        self.limit = limit
        self.records: list[MatchRecord] = []

    @property
    def full(self) -> bool:
        return len(self.records) >= self.limit

    def add(self, record: MatchRecord) -> None:
        if not self.full:
            self.records.append(record.with_seq(len(self.records)))

    def close(self) -> None:
        """Trained: keep nothing more."""
        self.records, self.limit = [], 0


async def train_for_import(graph: Graph, incoming: Sequence[MatchRecord], rules: Rules) -> dict[str, Any] | None:
    """Train on this import's sample and what the graph holds; None when there is too little to learn from."""
    existing = [to_match_record(r) for r in await sample_resolved(graph, SAMPLE_EXISTING)]
    offset = max((r.seq for r in existing), default=0) + 1
    seen = {r.uid for r in existing}
    records = existing + [r.with_seq(offset + r.seq) for r in incoming if r.uid not in seen]
    if len(records) < MIN_RECORDS:
        return None
    params = train(records, rules).to_dict()
    await save_model(graph, params)
    return params
