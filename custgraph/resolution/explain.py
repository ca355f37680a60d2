"""Why a customer is what it is: for each record, how it got here; for each field, which record won.

Everything comes from what resolution stored (RESOLVED_TO's rule, score, matched record and
per-field evidence, the moves of merges and splits) plus survivorship recomputed with the rules in
force, so the explanation never re-scores pairs: it shows what was decided, not what would be.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories import customers as customer_repo
from custgraph.graph.repositories import explain as explain_repo
from custgraph.graph.repositories import merges as merge_repo
from custgraph.graph.repositories import review as review_repo
from custgraph.graph.repositories.explain import AttachedRecord, ResolvedLink
from custgraph.graph.repositories.merges import Absorbed, MergeEventNode
from custgraph.graph.repositories.scope import EVERYTHING, Scope
from custgraph.matching.engine import BELOW_REVIEW_RULE, NEW_RULE
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.scoring import FS_RULE, MERGE_RULE, FieldEvidence
from custgraph.matching.survivorship import survivors
from custgraph.resolution import evidence as ev


@dataclass
class RecordExplanation:
    record: SourceRecordNode
    link: ResolvedLink
    evidence: list[FieldEvidence]  # value_a: this record, value_b: the matched record
    matched: SourceRecordNode | None
    summary: str

    @property
    def fields(self) -> dict[str, Any]:
        return dict(json.loads(self.record.fields_json or "{}"))


@dataclass
class GoldenField:
    field: str
    value: str
    policy: str
    from_uid: str


@dataclass
class CustomerExplanation:
    requested_id: str
    customer_id: str
    records: list[RecordExplanation]
    golden: list[GoldenField]
    absorbed: list[Absorbed] = field(default_factory=list)  # customers merged into this one
    events: list[MergeEventNode] = field(default_factory=list)  # steward actions, oldest first


def _label(node: SourceRecordNode | None, uid: str | None) -> str:
    if node is None:
        return uid or "another record"
    name = json.loads(node.fields_json or "{}").get("name")
    return f"{node.uid} ({name})" if name else node.uid


def _how_matched(link: ResolvedLink, matched: str, evidence: list[FieldEvidence]) -> str:
    rule, score = link.rule or "?", link.score or 0.0
    if link.outcome == "review":
        return f"started this customer; it looked like {matched} (p={score:.2f}), so the pair went to review"
    if link.outcome != "matched":
        if rule == NEW_RULE:
            return "started this customer: no earlier record shared a blocking key with it"
        if rule == BELOW_REVIEW_RULE:
            return "started this customer: records shared a blocking key, none scored into the review band"
        return f"started this customer ({rule})"
    if rule == MERGE_RULE:
        return f"matched {matched} by a steward's MERGE decision"
    reasons = ", ".join(ev.describe(e) for e in ev.strongest(evidence))
    how = "by match probability" if rule == FS_RULE else f"by rule {rule}"
    return f"matched {matched} {how} (p={score:.4f})" + (f": {reasons}" if reasons else "")


def _moves(link: ResolvedLink, events: dict[str, MergeEventNode]) -> str:
    event = events.get(link.event_id or "")
    who = f" by {event.by} ({event.id})" if event else ""
    if event is not None and event.kind == "unmerge":
        return f"; returned here from {link.split_from} when that merge was undone{who}"
    if event is not None and event.kind == "split":
        return f"; split out of {link.split_from}{who}"
    if link.moved_path:
        return f"; moved here from {link.moved_path[-1]} when that customer was merged into this one{who}"
    return ""


def _explain_record(
    attached: AttachedRecord,
    matched: dict[str, SourceRecordNode],
    events: dict[str, MergeEventNode],
    scoped: bool = False,
) -> RecordExplanation:
    link = attached.link
    evidence = ev.informative(ev.parse(link.evidence_json))
    other = matched.get(link.matched_uid or "")
    if scoped and link.matched_uid and other is None:
        # the matched record now belongs to a customer outside the caller's scope: neither its uid
        # nor its values are this customer's to show
        evidence = [dataclasses.replace(e, value_b=None, uid_b=None) for e in evidence]
        link = link.model_copy(update={"matched_uid": None})
    summary = _how_matched(link, _label(other, link.matched_uid), evidence) + _moves(link, events)
    return RecordExplanation(attached.record, link, evidence, other, summary)


def golden_fields(records: list[SourceRecordNode], rules: Rules) -> list[GoldenField]:
    recs = [
        MatchRecord(uid=r.uid, source=r.source, fields=json.loads(r.fields_json or "{}"), seq=r.seq or 0)
        for r in records
    ]
    policy = rules.survivorship.policy
    chosen = sorted(survivors(recs, rules).items())
    return [GoldenField(name, str(value), policy(name), uid) for name, (value, uid) in chosen]


async def explain_customer(
    graph: Graph, customer_id: str, rules: Rules, scope: Scope = EVERYTHING
) -> CustomerExplanation | None:
    """None when no such customer, or when ``scope`` does not see it (the two answer alike); a
    merged-away id is explained as the customer it lives on in."""
    customer = await customer_repo.get_customer(graph, customer_id, scope=scope)
    if customer is None:
        return None
    attached = await explain_repo.attached_records(graph, customer.id)
    matched_uids = [a.link.matched_uid for a in attached if a.link.matched_uid]
    matched = await review_repo.records_by_uid(graph, matched_uids, scope=scope) if matched_uids else {}
    events = await merge_repo.events_of(graph, customer.id)
    by_id = {e.id: e for e in events}
    return CustomerExplanation(
        requested_id=customer_id,
        customer_id=customer.id,
        records=[_explain_record(a, matched, by_id, not scope.everything) for a in attached],
        golden=golden_fields([a.record for a in attached], rules),
        absorbed=await merge_repo.absorbed_into(graph, customer.id),
        events=events,
    )


def render_text(explanation: CustomerExplanation) -> str:
    """The explanation as the CLI prints it."""
    ex = explanation
    head = ex.customer_id if ex.requested_id == ex.customer_id else f"{ex.requested_id} -> {ex.customer_id}"
    lines = [f"customer {head}: {len(ex.records)} record(s)"]
    for a in ex.absorbed:
        by = f", by {a.by}" if a.by else ""
        lines.append(f"  absorbed {a.id} at {a.at or '?'} ({a.reason or '?'}{by})")
    for rec in ex.records:
        link = rec.link
        score = f" / p={link.score:.4f}" if link.score else ""
        lines.append(f"- {rec.record.uid} [{link.outcome or '?'} / {link.rule or '?'}{score}]")
        lines.append(f"    {rec.summary}")
        for e in rec.evidence:
            sim = f" sim={e.similarity:.3f}" if e.similarity is not None else ""
            values = f"{e.value_a!s} | {e.value_b!s}"
            lines.append(f"    {e.comparison:<14} {e.level:<22} {e.weight:+8.2f}{sim}  {values}")
    if ex.golden:
        lines.append("golden fields (policy, from record):")
        for g in ex.golden:
            lines.append(f"  {g.field:<14} {g.value}  ({g.policy}, {g.from_uid})")
    for event in ex.events:
        undone = f", undone by {event.undone_event}" if event.undone_event else ""
        note = f": {event.note}" if event.note else ""
        lines.append(f"event {event.id} {event.kind} by {event.by} at {event.at}{undone}{note}")
    return "\n".join(lines)


def to_dict(explanation: CustomerExplanation) -> dict[str, Any]:
    """JSON-friendly form (the CLI's --json)."""
    ex = explanation
    return {
        "requested_id": ex.requested_id,
        "customer_id": ex.customer_id,
        "absorbed": [a.model_dump() for a in ex.absorbed],
        "records": [
            {
                "uid": r.record.uid,
                "source": r.record.source,
                "source_key": r.record.source_key,
                "fields": r.fields,
                **r.link.model_dump(exclude={"evidence_json"}),
                "summary": r.summary,
                "evidence": [e.to_dict() for e in r.evidence],
            }
            for r in ex.records
        ],
        "golden": [vars(g) for g in ex.golden],
        "events": [e.model_dump() for e in ex.events],
    }
