"""Resolvers for records posted through the API and for import runs: thin calls into pipeline/ and graph/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from custgraph.graph.repositories import audit_log as audit_log_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.resolution import load_model
from custgraph.graph.repositories.runs import ImportRunNode, get_run
from custgraph.matching.rules import Rules, load_rules
from custgraph.pipeline.run import ImportSummary, PostedResult, ingest_posted
from custgraph.resolvers import audit_log
from custgraph.resolvers.context import Info

MAX_POSTED = 1000  # a bigger load belongs in a file and `custgraph import`


@lru_cache(maxsize=4)
def rules_for(path: Path | None) -> Rules:
    return load_rules(path)


async def ingest_records(
    info: Info, source: str, kind: str, records: list[Any]
) -> tuple[ImportSummary, list[PostedResult]]:
    context = info.context
    summary, results = await ingest_posted(
        context.graph,
        records,
        source=source,
        kind=kind,
        rules=rules_for(context.settings.rules_path),
        params=await load_model(context.graph),
    )
    entry = audit_log.import_event(context.user, context.ip, summary, source, kind, [])
    await audit_log_repo.record(context.graph, [entry])
    return summary, results


async def import_run(info: Info, run_id: str) -> ImportRunNode | None:
    """The run; for a caller who does not see every customer, without the issues of rows whose record
    now belongs to a customer outside their scope (a rejected row belongs to none and stays)."""
    context = info.context
    run = await get_run(context.graph, run_id)
    if run is None or context.scope.everything:
        return run
    # the issues are one JSON property of the run: the graph decides which of their records the
    # caller sees (scoped read), and the issues of the others are left out
    uids = {f"{run.source}|{i['source_key']}" for i in run.issues if i.get("source_key")}
    stored = await review_repo.records_by_uid(context.graph, sorted(uids)) if uids else {}
    seen = await review_repo.records_by_uid(context.graph, sorted(stored), scope=context.scope) if stored else {}
    hidden = stored.keys() - seen.keys()
    issues = [i for i in run.issues if f"{run.source}|{i.get('source_key')}" not in hidden]
    return run.model_copy(update={"issues": issues})
