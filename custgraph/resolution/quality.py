"""The periodic data-quality report (SPEC §2 "match quality", §6 "data-quality report").

- field failures: per field, the share of records where it was missing (the importer's 待补充 list,
  ``SourceRecord.missing``, whose labels such as ``mobile|email`` name a requirement any one of
  several fields satisfies) or failed standardization (an error issue on that field in the import
  run that wrote the record's current version);
- per source: how its records resolved, and the unmatched and review shares;
- completeness: per golden field, the share of active customers (not merged away, at least one
  record) that have it;
- recurring duplicates: customers merged more than once (including merges a split undid), review
  pairs flagged again by a later import or decided more than once, records re-imported with
  changes.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import quality as repo
from custgraph.graph.repositories.scope import EVERYTHING, Scope
from custgraph.pipeline.golden import PROFILE_FIELDS
from custgraph.vocabulary import OUTCOMES

TOP = 20  # how many examples each recurring list shows


@dataclass
class FieldFailure:
    field: str
    missing: int
    invalid: int
    failed: int  # records missing it or with an invalid value (a record counts once)
    rate: float  # failed / all records


@dataclass
class SourceQuality:
    source: str
    records: int
    matched: int = 0
    review: int = 0
    new: int = 0
    unmatched: int = 0
    pending: int = 0  # stored, not resolved yet (an import still running or killed)
    incomplete: int = 0  # records with at least one missing or invalid field
    unmatched_share: float = 0.0
    review_share: float = 0.0


@dataclass
class FieldCompleteness:
    field: str
    filled: int
    share: float


@dataclass
class RepeatedMerge:
    customer_id: str
    merges: int


@dataclass
class ChangedRecord:
    uid: str
    customer_id: str | None
    versions: int  # earlier versions kept in history_json


@dataclass
class Recurring:
    customers_merged_repeatedly: list[RepeatedMerge] = field(default_factory=list)
    reopened_reviews: int = 0
    reopened_review_keys: list[str] = field(default_factory=list)
    changed_records: int = 0
    changed_by_source: dict[str, int] = field(default_factory=dict)
    most_changed: list[ChangedRecord] = field(default_factory=list)


@dataclass
class QualityReport:
    generated_at: str
    records: int
    active_customers: int
    field_failures: list[FieldFailure]
    sources: list[SourceQuality]
    completeness: list[FieldCompleteness]
    recurring: Recurring

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


async def _invalid_fields(graph: Graph, scope: Scope) -> dict[str, set[str]]:
    """uid -> fields whose value the import that wrote the record's current version rejected."""
    reported: dict[tuple[str, str], set[str]] = defaultdict(set)  # (run, uid) -> fields
    for run_id, source, issues in await repo.run_issues(graph):
        for issue in issues:
            if issue.get("severity") == "error" and issue.get("field") and issue.get("source_key"):
                reported[(run_id, f"{source}|{issue['source_key']}")].add(str(issue["field"]))
    if not reported:
        return {}
    current = await repo.record_runs(graph, [uid for _, uid in reported], scope)
    out: dict[str, set[str]] = defaultdict(set)
    for (run_id, uid), fields in reported.items():
        if current.get(uid) == run_id:  # issues of a version since replaced no longer count
            out[uid] |= fields
    return out


async def _failures(graph: Graph, total: int, scope: Scope) -> tuple[list[FieldFailure], Counter[str]]:
    missing: dict[str, set[str]] = defaultdict(set)  # field -> uids
    source_of: dict[str, str] = {}
    for row in await repo.records_missing(graph, scope):
        source_of[row["uid"]] = row["source"]
        for label in row["missing"] or []:
            missing[str(label)].add(row["uid"])
    invalid: dict[str, set[str]] = defaultdict(set)
    for uid, names in (await _invalid_fields(graph, scope)).items():
        source_of.setdefault(uid, uid.split("|", 1)[0])
        for name in names:
            invalid[name].add(uid)
    failures = [
        FieldFailure(
            name,
            len(missing[name]),
            len(invalid[name]),
            len(missing[name] | invalid[name]),
            _share(len(missing[name] | invalid[name]), total),
        )
        for name in sorted(set(missing) | set(invalid))
    ]
    failures.sort(key=lambda f: (-f.rate, f.field))
    return failures, Counter(source_of.values())


def _sources(rows: list[dict[str, Any]], incomplete: Counter[str]) -> list[SourceQuality]:
    by_source: dict[str, SourceQuality] = {}
    for row in rows:
        sq = by_source.setdefault(row["source"], SourceQuality(row["source"], 0))
        n = int(row["n"])
        sq.records += n
        outcome = row["outcome"] if row["outcome"] in OUTCOMES else "pending"
        setattr(sq, outcome, getattr(sq, outcome) + n)
    for sq in by_source.values():
        sq.incomplete = incomplete.get(sq.source, 0)
        sq.unmatched_share = _share(sq.unmatched, sq.records)
        sq.review_share = _share(sq.review, sq.records)
    return sorted(by_source.values(), key=lambda s: s.source)


async def _recurring(graph: Graph, scope: Scope) -> Recurring:
    merges = Counter(await repo.merges_into(graph, scope))
    for survivor, absorbed in await repo.unmerges(graph, scope):
        merges[survivor] += len(absorbed)  # a merge a split undid still happened
    repeated = [RepeatedMerge(cid, n) for cid, n in merges.items() if n > 1]
    repeated.sort(key=lambda r: (-r.merges, r.customer_id))
    reopened = await repo.reflagged_reviews(graph, scope)
    changed_by_source, top = await repo.changed_records(graph, TOP, scope)
    most_changed = [ChangedRecord(r["uid"], r["customer_id"], len(json.loads(r["history_json"]))) for r in top]
    most_changed.sort(key=lambda c: (-c.versions, c.uid))
    return Recurring(
        customers_merged_repeatedly=repeated[:TOP],
        reopened_reviews=len(reopened),
        reopened_review_keys=[r["key"] for r in reopened[:TOP]],
        changed_records=sum(changed_by_source.values()),
        changed_by_source=dict(sorted(changed_by_source.items())),
        most_changed=most_changed,
    )


async def quality_report(graph: Graph, scope: Scope = EVERYTHING) -> QualityReport:
    """The report over what ``scope`` sees: the whole graph for an admin or the CLI, a manager's
    teams' customers and their records otherwise (graph/repositories/scope.py)."""
    sources_rows = await repo.outcomes_by_source(graph, scope)
    total = sum(int(r["n"]) for r in sources_rows)
    failures, incomplete = await _failures(graph, total, scope)
    sources = _sources(sources_rows, incomplete)
    counts = await repo.completeness(graph, PROFILE_FIELDS, scope)
    active = counts.pop("active", 0)
    completeness = [FieldCompleteness(f, counts.get(f, 0), _share(counts.get(f, 0), active)) for f in PROFILE_FIELDS]
    return QualityReport(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        records=total,
        active_customers=active,
        field_failures=failures,
        sources=sources,
        completeness=completeness,
        recurring=await _recurring(graph, scope),
    )


def render_text(report: QualityReport) -> str:
    lines = [
        f"data quality at {report.generated_at}: {report.records} records, {report.active_customers} active customers"
    ]
    lines.append("field failures (missing or failed standardization):")
    for f in report.field_failures or []:
        lines.append(f"  {f.field:<16} {f.rate:7.2%}  missing={f.missing} invalid={f.invalid}")
    if not report.field_failures:
        lines.append("  none")
    lines.append("per source:")
    for s in report.sources:
        lines.append(
            f"  {s.source:<16} records={s.records} matched={s.matched} review={s.review} new={s.new} "
            f"unmatched={s.unmatched} pending={s.pending} incomplete={s.incomplete} "
            f"unmatched_share={s.unmatched_share:.2%} review_share={s.review_share:.2%}"
        )
    lines.append("completeness over active customers:")
    for c in report.completeness:
        lines.append(f"  {c.field:<16} {c.share:7.2%}  ({c.filled})")
    r = report.recurring
    lines.append("recurring duplicates:")
    merged = ", ".join(f"{m.customer_id}x{m.merges}" for m in r.customers_merged_repeatedly) or "none"
    lines.append(f"  customers merged repeatedly: {merged}")
    lines.append(f"  review pairs reopened: {r.reopened_reviews}")
    lines.append(f"  records re-imported with changes: {r.changed_records}")
    return "\n".join(lines)
