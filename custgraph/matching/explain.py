"""Why a record went where it went: the rule, then each field's evidence, strongest first.

Works from a ``Resolution`` as the engine returns it, or from stored evidence dicts (what the graph
keeps on a SourceRecord), so an explanation can be rebuilt long after the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from custgraph.matching.engine import BELOW_REVIEW_RULE, NEW_RULE, UNMATCHED_RULE, Resolution, ReviewPair
from custgraph.matching.scoring import FS_RULE, MERGE_RULE, SEPARATE_RULE, FieldEvidence

RULE_TEXT = {
    FS_RULE: "probabilistic match (Fellegi-Sunter)",
    MERGE_RULE: "a reviewer decided these records are one customer",
    SEPARATE_RULE: "a reviewer decided these records are different customers",
    UNMATCHED_RULE: "no identifier and no name: sent to the unmatched pool",
    NEW_RULE: "no existing record shares a blocking key",
    BELOW_REVIEW_RULE: "candidates were found, none probable enough to review",
}


def _as_evidence(items: Iterable[FieldEvidence | Mapping[str, Any]]) -> list[FieldEvidence]:
    return [e if isinstance(e, FieldEvidence) else FieldEvidence.from_dict(e) for e in items]


def evidence_lines(evidence: Iterable[FieldEvidence | Mapping[str, Any]]) -> list[str]:
    """One line per compared field, strongest evidence first; missing fields summed up last."""
    items = _as_evidence(evidence)
    compared = sorted((e for e in items if e.level != "null"), key=lambda e: -abs(e.weight))
    lines = []
    for e in compared:
        sign = "+" if e.weight > 0 else "-" if e.weight < 0 else " "
        relation = "=" if e.value_a == e.value_b else "~" if e.weight > 0 else "≠"
        measure = f", {e.similarity:g}" if e.similarity is not None else ""
        lines.append(
            f"  {sign} {e.comparison}: {e.level} ({e.weight:+.1f}{measure})  {e.value_a} {relation} {e.value_b}"
        )
    missing = [e.comparison for e in items if e.level == "null" and (e.value_a or e.value_b)]
    if missing:
        lines.append(f"    not compared (missing on one side): {', '.join(missing)}")
    return lines


def explain(resolution: Resolution) -> str:
    """A record's resolution in plain words."""
    r = resolution
    rule = RULE_TEXT.get(r.rule, f"rule {r.rule}")
    if r.outcome == "unmatched":
        return f"{r.uid}: unmatched — {rule}."
    target = f"customer {r.customer_id}" if r.customer_id else "no customer"
    head = {
        "matched": f"{r.uid}: matched {target}",
        "review": f"{r.uid}: kept apart as {target}, queued for review",
        "new": f"{r.uid}: new {target}",
    }[r.outcome]
    if r.matched_uid is None:
        return f"{head} — {rule}."
    weight = f", weight {r.match_weight:+.1f}" if r.match_weight is not None else ""
    lines = [f"{head} — {rule}; probability {r.score:.4f}{weight}; closest record {r.matched_uid}"]
    return "\n".join(lines + evidence_lines(r.evidence))


def explain_pair(pair: ReviewPair) -> str:
    lines = [f"{pair.uid_a} vs {pair.uid_b}: probability {pair.score:.4f}"]
    return "\n".join(lines + evidence_lines(pair.evidence))


def evidence_to_dicts(evidence: Sequence[FieldEvidence]) -> list[dict[str, Any]]:
    """JSON-ready evidence, only the compared fields (what is worth storing)."""
    return [e.to_dict() for e in evidence if e.level != "null"]
