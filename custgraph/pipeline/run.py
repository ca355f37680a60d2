"""One import run: read files, store their records, resolve them, report.

Rows stream through in batches: each is read once (ingest/), its match record and blocking keys
derived once, stored idempotently (unchanged rows skipped) and resolved before the next batch, so a
run killed at any point and started again ends with every record stored once and resolved once.
The ImportRun node is the ledger. Memory holds a batch, plus the first rows kept to train on
(at most ``training.SAMPLE_NEW``), never the whole file.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import records as record_repo
from custgraph.graph.repositories import runs as run_repo
from custgraph.graph.repositories.resolution import drop_orphan_customers
from custgraph.graph.repositories.search_index import MergedKeys
from custgraph.graph.schema import ensure_schema
from custgraph.ingest.mapping import MappingProfile
from custgraph.ingest.models import IngestedRecord, RejectedRow
from custgraph.ingest.reading import iter_records
from custgraph.ingest.report import ImportReport
from custgraph.matching.blocking import blocking_keys
from custgraph.matching.engine import ResolutionResult
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.state import STATE_SIZE, EngineState
from custgraph.pipeline.recompute import classify_records
from custgraph.pipeline.resolve import (
    Batch,
    CandidateCache,
    ResolveSummary,
    decide,
    persist,
    prepare,
    sensitive_blocking,
)
from custgraph.pipeline.training import TrainingSample, train_for_import
from custgraph.private_files import private_dir
from custgraph.vocabulary import OUTCOMES

BATCH_ROWS = 5000

Progress = Callable[[int], None]


@dataclass
class ImportOptions:
    source: str
    kind: str = "customers"
    mapping: object | None = None  # a loaded MappingProfile
    sheet: str | None = None
    batch_rows: int = BATCH_ROWS
    train: bool = True  # re-estimate the matching model on this file and the graph before resolving
    # records the run's engine state keeps across batches (matching/state.py); None: a fresh engine
    # and a full read of the candidates per batch (the reference the kept state must equal)
    engine_state: int | None = STATE_SIZE


@dataclass
class ImportSummary:
    run_id: str
    rows: int = 0
    stored: Counter[str] = field(default_factory=Counter)  # created / changed / unchanged
    outcomes: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    follow_up: int = 0
    incomplete: int = 0
    issues: int = 0
    merges: int = 0
    review_pairs: int = 0
    report_json: Path | None = None
    report_csv: Path | None = None
    # where the run's time went (wall seconds per stage; ``decide`` overlaps the next batch's store, and
    # the first ``prepare`` includes training)
    # and how its candidates were had: read whole from the graph, or from the run's engine state
    seconds: Counter[str] = field(default_factory=Counter)
    candidates_read: int = 0
    candidates_kept: int = 0

    def stages_line(self) -> str:
        stages = " ".join(f"{name}={self.seconds[name]:.1f}s" for name in STAGES)
        return (
            f"stages: {stages}; candidates: {self.candidates_read} read whole, "
            f"{self.candidates_kept} from the run's memory"
        )

    def line(self) -> str:
        outcome = " ".join(f"{name}={self.outcomes.get(name, 0)}" for name in OUTCOMES)
        return (
            f"import {self.run_id}: rows={self.rows} {outcome} rejected={self.rejected} "
            f"created={self.stored.get('created', 0)} updated={self.stored.get('changed', 0)} "
            f"unchanged={self.stored.get('unchanged', 0)} incomplete={self.incomplete} "
            f"follow_up={self.follow_up} issues={self.issues}"
        )


STAGES = ("store", "prepare", "decide", "persist", "classify")


class _Timed:
    """Adds the wall seconds of a ``with`` block to one stage of a summary."""

    def __init__(self, summary: ImportSummary, stage: str) -> None:
        self.summary, self.stage = summary, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.summary.seconds[self.stage] += time.perf_counter() - self.started


def new_run_id() -> str:
    return "IR" + datetime.now(UTC).strftime("%Y%m%d%H%M%S") + secrets.token_hex(2)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


Item = tuple[IngestedRecord | RejectedRow, MatchRecord | None]


def _items(rows: Iterable[IngestedRecord | RejectedRow]) -> Iterator[Item]:
    """Each row with its match record, made once and carried through store, training and resolution."""
    for item in rows:
        if isinstance(item, IngestedRecord):
            yield item, MatchRecord(item.uid, item.source, item.fields)
        else:
            yield item, None


class Batches:
    """The rows of an import in batches, read once; what training needs is read ahead, bounded.

    Training wants up to ``SAMPLE_NEW`` records before the first batch is resolved, so when asked
    (``fill_sample``) the stream reads further batches into a queue that later iterations drain:
    memory holds at most the sample's rows, and no file is opened twice.
    """

    def __init__(self, items: Iterator[Item], size: int, sample: TrainingSample) -> None:
        self._items = items
        self.size = size
        self.sample = sample
        self._ahead: deque[list[Item]] = deque()

    def __iter__(self) -> Batches:
        return self

    def __next__(self) -> list[Item]:
        return self._ahead.popleft() if self._ahead else self._read()

    def _read(self) -> list[Item]:
        batch = list(islice(self._items, self.size))
        if not batch:
            raise StopIteration
        for _, match in batch:
            if match is not None:
                self.sample.add(match)
        return batch

    def fill_sample(self) -> None:
        while not self.sample.full:
            try:
                self._ahead.append(self._read())
            except StopIteration:
                return


class Model:
    """The match parameters of one run: trained once, lazily, when a batch first has something to
    resolve — a re-run that changes nothing resolves nothing, so it need not train."""

    def __init__(self, graph: Graph, rules: Rules, stored: object, *, batches: Batches | None = None) -> None:
        self.graph, self.rules, self.stored, self.batches = graph, rules, stored, batches
        self._params: list[object] = []

    async def params(self) -> object:
        if not self._params:
            fitted = None
            if self.batches is not None:
                self.batches.fill_sample()
                fitted = await train_for_import(self.graph, self.batches.sample.records, self.rules)
                self.batches.sample.close()
            self._params.append(fitted or self.stored)
        return self._params[0]


async def drop_orphans(graph: Graph) -> None:
    """Customers a killed or failed run created but never linked a record to.

    Each run notes on its ledger the customers its batch in flight creates (``Ledger``), so only
    those are checked: a run's start does not grow with the number of customers.
    """
    in_flight = await run_repo.unfinished_in_flight(graph)
    await drop_orphan_customers(graph, [cid for ids in in_flight.values() for cid in ids])
    await run_repo.clear_in_flight(graph, sorted(in_flight))


class Ledger:
    """Tells the run node which customers the batch in flight is creating, before it creates them;
    remembers the search keys the run has merged (a run's state that outlives one batch, bounded)."""

    def __init__(self, graph: Graph, run: run_repo.ImportRunNode) -> None:
        self.graph, self.run = graph, run
        self.merged_keys = MergedKeys()

    async def __call__(self, customer_ids: list[str]) -> None:
        self.run.customers_in_flight = list(customer_ids)
        await run_repo.mark_in_flight(self.graph, self.run.id, customer_ids)

    def settled(self) -> None:
        """The batch is done: its customers have their records (saved with the run's next save)."""
        self.run.customers_in_flight = []


def _write(
    rec: IngestedRecord, match: MatchRecord, rules: Rules, run_id: str, sensitive: frozenset[str]
) -> record_repo.RecordWrite:
    return record_repo.RecordWrite(
        uid=rec.uid,
        source=rec.source,
        source_key=rec.source_key,
        kind=rec.kind,
        row=rec.row,
        fields=rec.fields,
        raw=rec.raw,
        extra=rec.extra,
        status=rec.status,
        content_hash=rec.content_hash,
        # cached on the match record, which resolution reuses; sealed copies of the sensitive ones
        blocking=crypto.current().seal_keys(blocking_keys(match, rules), sensitive),
        run_id=run_id,
        missing=rec.missing,
    )


async def run_import(
    graph: Graph,
    paths: Sequence[Path],
    options: ImportOptions,
    rules: Rules,
    *,
    reports_dir: Path,
    progress: Progress | None = None,
    params: object = None,
) -> ImportSummary:
    """Import files into the graph and resolve what changed. Row problems go to the report."""
    crypto.current()  # no data key (production): fail before the run is recorded, not at its first batch
    blocking_names = [rule.name for rule in rules.blocking]
    await ensure_schema(graph, blocking_names)
    hashes = [file_hash(p) for p in paths]
    stale = await run_repo.interrupted_runs(graph, options.source, hashes)
    await run_repo.mark_interrupted(graph, stale)
    await drop_orphans(graph)
    run_id = new_run_id()
    run = run_repo.ImportRunNode(
        id=run_id,
        source=options.source,
        kind=options.kind,
        files=[str(p) for p in paths],
        file_hashes=hashes,
        started_at=run_repo.now(),
        resumed_from=stale[-1] if stale else None,
    )
    await run_repo.save_run(graph, run)
    summary = ImportSummary(run_id=run_id)
    report = ImportReport(run_id=run_id, source=options.source, files=[str(p) for p in paths])
    sample = TrainingSample() if options.train else TrainingSample(limit=0)
    rows = (
        item
        for path in paths
        for item in iter_records(
            path,
            source=options.source,
            kind=options.kind,
            mapping=options.mapping,
            sheet=options.sheet,
            report=report,
        )
    )
    batches = Batches(_items(rows), options.batch_rows, sample)
    model = Model(graph, rules, params, batches=batches if options.train else None)

    async def after_batch(rows: int) -> None:
        run.rows_done = summary.rows
        run.counts = _counts(summary)
        await run_repo.save_run(graph, run)
        if progress:
            progress(rows)

    try:
        importer = Importer(graph, rules, run, summary, report, model, after_batch, engine_state=options.engine_state)
        await importer.run_all(batches)
    except Exception as exc:
        run.status, run.error, run.finished_at = "failed", str(exc), run_repo.now()
        await run_repo.save_run(graph, run)
        raise
    private_dir(reports_dir)  # reports quote rejected values: owner-only, like the files in it
    summary.report_json = report.to_json(reports_dir / f"{run_id}.json")
    summary.report_csv = report.to_csv(reports_dir / f"{run_id}.csv")
    summary.issues = report.issue_count
    run.status, run.finished_at = "completed", run_repo.now()
    run.counts = _counts(summary)
    run.report_json, run.report_csv = str(summary.report_json), str(summary.report_csv)
    # the graph keeps the first issues; the report files hold them all
    run.issues = [issue.model_dump() for issue in report.ordered_issues(limit=run_repo.MAX_ISSUES_IN_GRAPH)]
    report.close()
    await run_repo.save_run(graph, run)
    return summary


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {
        "rows": summary.rows,
        "rejected": summary.rejected,
        "follow_up": summary.follow_up,
        "incomplete": summary.incomplete,
        "merges": summary.merges,
        "review_pairs": summary.review_pairs,
        **{f"stored_{k}": v for k, v in summary.stored.items()},
        **{k: summary.outcomes.get(k, 0) for k in OUTCOMES},
    }


@dataclass
class Staged:
    """A batch read and checked, its records ready to store (the last row of a key wins)."""

    rows: int
    rejected: int
    follow_up: int
    incomplete: int
    latest: dict[str, tuple[IngestedRecord, MatchRecord]]
    writes: list[record_repo.RecordWrite]


@dataclass
class Job:
    """A batch stored and prepared, waiting for the engine's decision and its write."""

    staged: Staged
    stored: record_repo.UpsertResult
    batch: Batch | None  # None: nothing to resolve

    @property
    def uids(self) -> set[str]:
        return set(self.staged.latest)


class Importer:
    """Runs batches through store -> prepare -> decide -> persist, one writer, the engine off its path.

    While the engine decides batch N (pure CPU, in a thread), the graph stores batch N+1: storing
    does not touch what batch N's decision depends on (its candidates were read already, and records
    stored but not yet resolved are no one's candidates). Batch N is persisted before batch N+1
    reads its candidates, so the result is the one batches one after another give. A batch that
    holds a key of the batch before it waits for it instead.
    """

    def __init__(
        self,
        graph: Graph,
        rules: Rules,
        run: run_repo.ImportRunNode,
        summary: ImportSummary,
        report: ImportReport,
        model: Model,
        after: Callable[[int], Awaitable[None]] | None = None,
        *,
        engine_state: int | None = STATE_SIZE,
    ) -> None:
        self.graph, self.rules, self.run, self.summary, self.report, self.model = (
            graph,
            rules,
            run,
            summary,
            report,
            model,
        )
        self.blocking_names = [rule.name for rule in rules.blocking]
        self.sensitive_blocking = sensitive_blocking(rules)
        # the run's batches meet the same existing records again: read, keyed and indexed once
        self.candidates = CandidateCache(EngineState(rules, engine_state)) if engine_state is not None else None
        self.ledger = Ledger(graph, run)
        self.after = after

    async def run_all(self, batches: Iterable[list[Item]]) -> None:
        waiting: Job | None = None
        for batch in batches:
            staged = self.stage(batch)
            if waiting is not None and waiting.batch is not None and not waiting.uids & set(staged.latest):
                decided = asyncio.ensure_future(asyncio.to_thread(self.decide, waiting.batch))
                try:
                    stored = await self.store(staged)
                except BaseException:
                    await asyncio.gather(decided, return_exceptions=True)
                    raise
                await self.finish(waiting, await decided)
            else:
                if waiting is not None:
                    await self.finish(waiting)
                stored = await self.store(staged)
            waiting = await self.prepare(staged, stored)
        if waiting is not None:
            await self.finish(waiting)

    def stage(self, batch: list[Item]) -> Staged:
        staged = Staged(rows=len(batch), rejected=0, follow_up=0, incomplete=0, latest={}, writes=[])
        for item, match in batch:
            self.report.add(item)
            if isinstance(item, RejectedRow) or match is None:
                staged.rejected += 1
                continue
            staged.follow_up += item.status == "follow_up"
            staged.incomplete += item.status == "incomplete"
            staged.latest[item.uid] = (item, match)  # a later row with the same key is the newer version
        staged.writes = [
            _write(rec, match, self.rules, self.run.id, self.sensitive_blocking)
            for rec, match in staged.latest.values()
        ]
        return staged

    def decide(self, batch: Batch) -> ResolutionResult:
        with _Timed(self.summary, "decide"):
            return decide(batch, self.rules)

    async def store(self, staged: Staged) -> record_repo.UpsertResult:
        with _Timed(self.summary, "store"):
            return await record_repo.upsert_records(self.graph, staged.writes, self.blocking_names)

    async def prepare(self, staged: Staged, stored: record_repo.UpsertResult) -> Job:
        if not stored.pending:
            return Job(staged, stored, None)
        with _Timed(self.summary, "prepare"):
            batch = await self._prepare(staged, stored)
        if self.candidates is not None:
            self.summary.candidates_read, self.summary.candidates_kept = self.candidates.reads, self.candidates.hits
        return Job(staged, stored, batch)

    async def _prepare(self, staged: Staged, stored: record_repo.UpsertResult) -> Batch:
        latest = staged.latest
        return await prepare(
            self.graph,
            [latest[uid][1].with_seq(stored.seqs[uid]) for uid in stored.pending],
            self.rules,
            previous=stored.previous,
            known=stored.existed,
            kinds={uid: latest[uid][0].kind for uid in stored.pending},
            identifier_counts=stored.identifier_counts,
            params=await self.model.params(),
            hashes=stored.hashes,
            cache=self.candidates,
        )

    async def finish(self, job: Job, result: ResolutionResult | None = None) -> None:
        resolved = ResolveSummary()
        if job.batch is not None:
            result = result if result is not None else self.decide(job.batch)
            with _Timed(self.summary, "persist"):
                resolved = await persist(
                    self.graph,
                    job.batch,
                    result,
                    self.rules,
                    before_create=self.ledger,
                    merged_keys=self.ledger.merged_keys,
                )
            if self.candidates is not None:
                self.candidates.keep_resolved(job.batch, result)
            with _Timed(self.summary, "classify"):
                await classify_records(self.graph, sorted(job.batch.uids))  # tags, stage, rule owners (issue 13)
        self.ledger.settled()
        summary, staged, stored = self.summary, job.staged, job.stored
        summary.rows += staged.rows
        summary.rejected += staged.rejected
        summary.follow_up += staged.follow_up
        summary.incomplete += staged.incomplete
        summary.stored.update(
            {"created": len(stored.created), "changed": len(stored.changed), "unchanged": len(stored.unchanged)}
        )
        summary.outcomes.update(resolved.outcomes)
        summary.merges += resolved.merges
        summary.review_pairs += resolved.review_pairs
        # unchanged rows keep their earlier outcome; count it so a re-run reports the same totals
        settled = [uid for uid in stored.unchanged if uid not in resolved.by_uid]
        summary.outcomes.update(stored.outcomes.get(uid, "unmatched") for uid in settled)
        if self.after is not None:
            await self.after(staged.rows)


@dataclass
class PostedResult:
    """What became of one record posted through the API."""

    index: int
    uid: str | None
    outcome: str | None  # matched / review / new / unmatched; None when rejected
    customer_id: str | None
    issues: list[dict[str, object]]


async def ingest_posted(
    graph: Graph,
    records: Sequence[object],
    *,
    source: str,
    kind: str,
    rules: Rules,
    params: object = None,
    mapping: MappingProfile | None = None,
) -> tuple[ImportSummary, list[PostedResult]]:
    """Ingest records posted through the API, logged as an import run like a file. ``mapping``: a
    MappingProfile for the records' keys (default: the synonym table recognises them)."""
    from custgraph.ingest.api_records import records_from_dicts

    crypto.current()
    blocking_names = [rule.name for rule in rules.blocking]
    await ensure_schema(graph, blocking_names)
    items = records_from_dicts(records, source=source, kind=kind, mapping=mapping)
    run_id = new_run_id()
    run = run_repo.ImportRunNode(id=run_id, source=source, kind=kind, files=["api"], started_at=run_repo.now())
    await run_repo.save_run(graph, run)
    summary = ImportSummary(run_id=run_id)
    report = ImportReport(run_id=run_id, source=source, files=["api"])

    await Importer(graph, rules, run, summary, report, Model(graph, rules, params)).run_all([list(_items(items))])
    uids = [item.uid for item in items if isinstance(item, IngestedRecord)]
    stored = await record_repo.placements(graph, uids)
    results = []
    for index, item in enumerate(items):
        issues = [issue.model_dump() for issue in item.issues]
        if isinstance(item, RejectedRow):
            results.append(PostedResult(index, None, None, None, issues))
            continue
        row = stored.get(item.uid, {})
        outcome = row.get("outcome")
        customer = row.get("customer_id") if outcome != "unmatched" else None
        results.append(PostedResult(index, item.uid, outcome, customer, issues))
    summary.issues = report.issue_count
    run.status, run.finished_at, run.rows_done = "completed", run_repo.now(), summary.rows
    run.counts = _counts(summary)
    run.issues = [issue.model_dump() for issue in report.ordered_issues(limit=run_repo.MAX_ISSUES_IN_GRAPH)]
    report.close()
    await run_repo.save_run(graph, run)
    return summary, results
