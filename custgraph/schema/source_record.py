"""One ingested row, with its provenance and how it was resolved."""

from __future__ import annotations

import json

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.models import SourceRecordNode


@strawberry.type(description="One row from one source, never deleted; the provenance of a customer's data.")
class SourceRecord:
    node: strawberry.Private[SourceRecordNode]

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

    @strawberry.field(description="Standardized canonical fields.")
    def fields(self) -> JSON:
        return json.loads(self.node.fields_json)

    @strawberry.field(description="The values as they were in the source.")
    def raw(self) -> JSON:
        return json.loads(self.node.raw_json)

    @strawberry.field(description="Source columns that map to no canonical field.")
    def extra(self) -> JSON:
        return json.loads(self.node.extra_json)

    @classmethod
    def from_record(cls, node: SourceRecordNode) -> SourceRecord:
        return cls(node=node)
