"""The unmatched pool: records the matcher could place nowhere, listed and corrected by stewards."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.resolvers import unmatched as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import IsManager
from custgraph.schema.connections import Connection, connection
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError
from custgraph.schema.source_record import SourceRecord


@strawberry.type(description="What a corrected record became when it was matched again.")
class RematchPayload:
    record: SourceRecord | None = strawberry.field(
        description="The record now; null when it joined a customer outside your scope."
    )
    outcome: str = strawberry.field(description="matched, review, new or unmatched (still nothing to match on).")
    customer_id: strawberry.ID | None = strawberry.field(
        description="The customer it belongs to now (null: still unmatched, or outside your scope)."
    )
    run_id: strawberry.ID = strawberry.field(description="The import run that stored and resolved it.")


RematchRecordResult = Annotated[
    RematchPayload | ValidationError | NotFoundError | PermissionDenied, strawberry.union("RematchRecordResult")
]


@strawberry.type
class UnmatchedQuery:
    @strawberry.field(
        description="The unmatched pool: records with no identifier and no name, in uid order (managers and "
        "admins). `source` keeps one source's records.",
        permission_classes=[IsManager],
    )
    async def unmatched_records(
        self,
        info: Info,
        # named in Python apart from its API name: strawberry's permission extension takes `source`
        source_name: Annotated[str | None, strawberry.argument(name="source")] = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[SourceRecord]:
        page, cursors, total, more = await resolve.unmatched_records(info, source_name, first, after)
        return connection(
            [SourceRecord.from_record(n, info.context.view) for n in page],
            cursors,
            total=total,
            has_next=more,
            has_previous=after is not None,
        )


@strawberry.type
class UnmatchedMutation:
    @strawberry.mutation(
        description='Correct fields of a record in the unmatched pool (`{"mobile": "138..."}`; null clears '
        "one) and match it again through the import path. Values are checked like import cells."
    )
    async def rematch_record(self, info: Info, uid: str, fields: JSON) -> RematchRecordResult:
        done = await resolve.rematch_record(info, uid, fields)
        if not isinstance(done, tuple):
            return done
        result, node = done
        return RematchPayload(
            record=SourceRecord.from_record(node, info.context.view) if node else None,
            outcome=result.outcome,
            customer_id=strawberry.ID(result.customer_id) if result.customer_id else None,
            run_id=strawberry.ID(result.run_id),
        )
