"""One ingested row, with its provenance and how it was resolved."""

from __future__ import annotations

import json
from typing import Any

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.models import SourceRecordNode
from custgraph.graph.repositories.customer_edges import Resolution
from custgraph.resolvers.view import View


@strawberry.type(description="Why a source record belongs to its customer: the matcher's decision.")
class MatchExplanation:
    score: float | None = strawberry.field(description="Match score, 0-1 (1 for a new customer).")
    rule: str | None = strawberry.field(description="The rule or band that decided, e.g. mobile_exact.")
    outcome: str | None = strawberry.field(description="matched, review, new or unmatched.")
    evidence: JSON | None = strawberry.field(description="Per-field comparison levels and weights.")
    matched_uid: str | None = strawberry.field(description="The record it was matched against.")
    resolved_at: str | None
    moved_from: str | None = strawberry.field(description="The customer id it belonged to before a merge.")

    @classmethod
    def from_record(cls, resolution: Resolution, view: View) -> MatchExplanation:
        return cls(
            score=resolution.score,
            rule=resolution.rule,
            outcome=resolution.outcome,
            evidence=view.evidence(resolution.evidence),  # compared values, masked like the fields
            matched_uid=resolution.matched_uid,
            resolved_at=resolution.at,
            moved_from=resolution.moved_from,
        )


@strawberry.type(description="One row from one source, never deleted; the provenance of a customer's data.")
class SourceRecord:
    node: strawberry.Private[SourceRecordNode]
    view: strawberry.Private[View]
    resolution_: strawberry.Private[Resolution | None] = None

    @strawberry.field(description="Source name and source key joined by '|'.")
    def uid(self) -> str:
        return self.node.uid

    @strawberry.field
    def source(self) -> str:
        return self.node.source

    @strawberry.field
    def source_key(self) -> str:
        return self.node.source_key

    @strawberry.field(description="customers, orders or interactions.")
    def kind(self) -> str:
        return self.node.kind

    @strawberry.field(description="Row number in the source file (header = 1).")
    def row(self) -> int | None:
        return self.node.row

    @strawberry.field(description="matched, review, new or unmatched.")
    def outcome(self) -> str | None:
        return self.node.outcome

    @strawberry.field(description="How the record was matched to its customer, when it was resolved.")
    def resolution(self) -> MatchExplanation | None:
        return MatchExplanation.from_record(self.resolution_, self.view) if self.resolution_ else None

    @strawberry.field(description="Standardized canonical fields (personal ones masked for some roles).")
    def fields(self) -> JSON:
        return self._json(self.node.fields_json)

    @strawberry.field(description="The values as they were in the source (personal ones masked as above).")
    def raw(self) -> JSON:
        return self._json(self.node.raw_json)

    @strawberry.field(description="Source columns that map to no canonical field.")
    def extra(self) -> JSON:
        return self._json(self.node.extra_json)

    def _json(self, text: str) -> Any:
        return self.view.values(json.loads(text))

    @classmethod
    def from_record(cls, node: SourceRecordNode, view: View, resolution: Resolution | None = None) -> SourceRecord:
        """``view``: how the caller sees personal values (Context.view)."""
        return cls(node=node, view=view, resolution_=resolution)
