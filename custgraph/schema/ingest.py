"""Records from other systems through the API, and the import-run ledger."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.runs import ImportRunNode
from custgraph.resolvers import ingest as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import MANAGERS, IsManager
from custgraph.resolvers.view import View
from custgraph.schema.errors import PermissionDenied, ValidationError


@strawberry.enum(description="What a posted record or an imported file holds.")
class RecordKind(Enum):
    CUSTOMERS = "customers"
    ORDERS = "orders"
    INTERACTIONS = "interactions"


@strawberry.type(description="One problem with one field of one row: the row still lands unless rejected.")
class RowIssue:
    row: int
    field: str
    value: str
    reason: str
    severity: str

    @classmethod
    def from_dict(cls, data: dict, view: View) -> RowIssue:
        """``view``: the rejected value and any server path as the caller may see them (Context.view)."""
        data = view.issue(data)
        return cls(
            row=int(data.get("row", 0)),
            field=str(data.get("field", "")),
            value=str(data.get("value", "")),
            reason=str(data.get("reason", "")),
            severity=str(data.get("severity", "error")),
        )


@strawberry.type(description="What became of one posted record.")
class PostedRecord:
    index: int = strawberry.field(description="0-based position in the posted list.")
    uid: str | None = strawberry.field(description="source|source_key; null when the record was rejected.")
    outcome: str | None = strawberry.field(description="matched, review, new or unmatched; null when rejected.")
    customer_id: strawberry.ID | None
    issues: list[RowIssue]


@strawberry.type
class IngestPayload:
    run_id: strawberry.ID
    summary: str = strawberry.field(description="The same summary line `custgraph import` prints.")
    records: list[PostedRecord]


IngestRecordsResult = Annotated[
    IngestPayload | ValidationError | PermissionDenied, strawberry.union("IngestRecordsResult")
]


@strawberry.type(description="One `custgraph import` (or one ingestRecords call): its files, counts and issues.")
class ImportRun:
    node: strawberry.Private[ImportRunNode]
    view: strawberry.Private[View]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field
    def source(self) -> str:
        return self.node.source

    @strawberry.field
    def kind(self) -> str:
        return self.node.kind

    @strawberry.field(description="The files imported (their names only, unless you are an admin).")
    def files(self) -> list[str]:
        return [self.view.path(f) or "" for f in self.node.files]

    @strawberry.field(description="running, completed, failed or interrupted (killed; a later run resumed it).")
    def status(self) -> str:
        return self.node.status

    @strawberry.field
    def started_at(self) -> str:
        return self.node.started_at

    @strawberry.field
    def finished_at(self) -> str | None:
        return self.node.finished_at

    @strawberry.field(description="rows, rejected, follow_up, matched, review, new, unmatched, ...")
    def counts(self) -> JSON:
        return self.node.counts

    @strawberry.field(description="Rejected or suspicious rows (the first 5000; the report files hold all).")
    def issues(self, first: int = 100) -> list[RowIssue]:
        return [RowIssue.from_dict(i, self.view) for i in self.node.issues[: max(0, first)]]

    @strawberry.field(description="The JSON report (its file name only, unless you are an admin).")
    def report_json(self) -> str | None:
        return self.view.path(self.node.report_json)

    @strawberry.field(description="The CSV report (its file name only, unless you are an admin).")
    def report_csv(self) -> str | None:
        return self.view.path(self.node.report_csv)


@strawberry.type
class ImportRunQuery:
    @strawberry.field(
        description="An import run by id (the id `custgraph import` prints); managers and admins.",
        permission_classes=[IsManager],
    )
    async def import_run(self, info: Info, id: strawberry.ID) -> ImportRun | None:  # noqa: A002
        node = await resolve.import_run(info, str(id))
        return ImportRun(node=node, view=info.context.view) if node else None


@strawberry.type
class IngestMutation:
    @strawberry.mutation(
        description="Ingest records from another system (a web form, an order system) through the import path: "
        "standardized, validated, stored as source records and resolved into customers."
    )
    async def ingest_records(
        self, info: Info, source: str, records: list[JSON], kind: RecordKind = RecordKind.CUSTOMERS
    ) -> IngestRecordsResult:
        if info.context.role not in MANAGERS:
            return PermissionDenied(message="only managers, admins and integrations may ingest records")
        if not source.strip():
            return ValidationError.single("source", "source must not be blank")
        if len(records) > resolve.MAX_POSTED:
            return ValidationError.single("records", f"at most {resolve.MAX_POSTED} records per call")
        summary, results = await resolve.ingest_records(info, source.strip(), kind.value, records)
        return IngestPayload(
            run_id=strawberry.ID(summary.run_id),
            summary=summary.line(),
            records=[
                PostedRecord(
                    index=r.index,
                    uid=r.uid,
                    outcome=r.outcome,
                    customer_id=strawberry.ID(r.customer_id) if r.customer_id else None,
                    issues=[RowIssue.from_dict(i, info.context.view) for i in r.issues],
                )
                for r in results
            ],
        )
