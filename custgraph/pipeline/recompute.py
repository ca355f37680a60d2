"""Recompute tags, lifecycle and rule-assigned owners as of a date: the use case behind
``custgraph recompute``, the ``recompute`` mutation, imports and addOrder / addInteraction.

Customers are read in batches (their facts in one statement), classified in pure Python
(custgraph/classification/evaluate.py) and only their differences are written: a customer whose
tags, stage and owners are already right is not written at all. A full run notes the last customer
id it finished on its ``RecomputeRun`` node after every batch, so a run stopped half-way and started
again with the same date and configuration continues where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from custgraph.classification import config
from custgraph.classification.evaluate import Change, classify, diff
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import classification as repo
from custgraph.graph.repositories import records as record_repo
from custgraph.graph.repositories.customer_filter import CustomerFilter, build
from custgraph.graph.repositories.customer_list import count_customers, forget_tag_degrees

BATCH = 1000  # customers per read and per write statement
BUSINESS_TZ = "Asia/Shanghai"  # the day "today" is, as for search-log ids (Settings.timezone)

Progress = Callable[[int], None]  # customers done since the last call


def today(tz: str = BUSINESS_TZ) -> date:
    return datetime.now(ZoneInfo(tz)).date()


async def classify_customers(
    graph: Graph,
    customer_ids: Sequence[str],
    *,
    as_of: date | None = None,
    classifier: config.Classifier | None = None,
) -> list[Change]:
    """Classify these customers as of ``as_of`` (default today) and write what changed; the changes.

    Called for the customers an import, an order or an interaction touched. Merged-away and unknown
    ids are skipped.
    """
    classifier = classifier or config.current()
    as_of = as_of or today()
    ids = sorted(set(customer_ids))
    changed: list[Change] = []
    for start in range(0, len(ids), BATCH):
        changed += await _classify_batch(graph, ids[start : start + BATCH], as_of, classifier)
    if changed:
        forget_tag_degrees()
    return changed


async def classify_records(graph: Graph, uids: Sequence[str]) -> list[Change]:
    """Classify the customers these records resolved to (the import run's hook, after each batch)."""
    placed = await record_repo.placements(graph, uids)
    return await classify_customers(graph, [p["customer_id"] for p in placed.values() if p.get("customer_id")])


async def _classify_batch(graph: Graph, ids: Sequence[str], as_of: date, classifier: config.Classifier) -> list[Change]:
    facts = await repo.read_facts(graph, ids)
    changes = [diff(f, classify(classifier.library, classifier.assignment, f, as_of)) for f in facts]
    changed = [c for c in changes if not c.empty]
    await repo.write_changes(graph, changed, as_of=as_of.isoformat())
    return changed


COUNTS = ("customers", "changed", "tags_added", "tags_removed", "lifecycle_changed", "owners_set", "owners_removed")


@dataclass
class RecomputeSummary:
    run_id: str
    as_of: str
    customers: int  # classified, this run and the stopped run it continued
    changed: int  # of which written
    tags_added: int
    tags_removed: int
    lifecycle_changed: int
    owners_set: int
    owners_removed: int
    resumed: bool
    seconds: float

    def details(self) -> dict[str, object]:
        """What the audit log keeps of a run."""
        return {k: v for k, v in asdict(self).items() if k not in ("run_id", "seconds")}

    def line(self) -> str:
        return (
            f"recompute {self.run_id} as of {self.as_of}: customers={self.customers} changed={self.changed} "
            f"tags_added={self.tags_added} tags_removed={self.tags_removed} "
            f"lifecycle_changed={self.lifecycle_changed} owners_set={self.owners_set} "
            f"owners_removed={self.owners_removed}{' (resumed)' if self.resumed else ''}"
        )


async def count_live(graph: Graph) -> int:
    """Live customers, what a full recompute goes through (for a progress bar's total)."""
    return await count_customers(graph, build(CustomerFilter()))


async def recompute_all(
    graph: Graph,
    *,
    as_of: date | None = None,
    classifier: config.Classifier | None = None,
    batch_size: int = BATCH,
    progress: Progress | None = None,
    by: str | None = None,
    resume: bool = True,
    stop_after: int | None = None,
) -> RecomputeSummary:
    """Every live customer, in id order, a batch at a time.

    ``resume``: continue a stopped run with the same date and configuration. ``stop_after``: stop
    (leaving the run resumable) after that many batches, as a killed process would.
    """
    classifier = classifier or config.current()
    as_of = as_of or today()
    started = time.perf_counter()
    found = await repo.unfinished_run(graph, as_of.isoformat(), classifier.digest) if resume else None
    run = found or repo.RecomputeRunNode(as_of=as_of.isoformat(), config=classifier.digest, by=by)
    if found is None:
        await repo.save_run(graph, run, new=True)
    elif progress is not None and run.customers:
        progress(run.customers)
    remaining = [cid for cid in await repo.live_ids(graph) if cid > run.after]
    batches = 0
    while stop_after is None or batches < stop_after:
        ids, remaining = remaining[:batch_size], remaining[batch_size:]
        if not ids:
            run.status, run.finished_at = "completed", repo.now()
            break
        changed = await _classify_batch(graph, ids, as_of, classifier)
        run.after = ids[-1]
        run.customers += len(ids)
        run.changed += len(changed)
        run.tags_added += sum(len(c.add_tags) for c in changed)
        run.tags_removed += sum(len(c.drop_tags) + len(c.drop_other_tags) for c in changed)
        run.lifecycle_changed += sum(1 for c in changed if c.lifecycle)
        run.owners_set += sum(len(c.add_owners) + len(c.update_owners) for c in changed)
        run.owners_removed += sum(len(c.drop_owners) for c in changed)
        await repo.save_run(graph, run)
        batches += 1
        if progress is not None:
            progress(len(ids))
    await repo.save_run(graph, run)
    forget_tag_degrees()
    return RecomputeSummary(
        run_id=run.id,
        **run.model_dump(include=set(COUNTS) | {"as_of"}),
        resumed=found is not None,
        seconds=round(time.perf_counter() - started, 3),
    )
