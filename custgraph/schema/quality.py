"""The data-quality report: match failures per field and source, completeness, recurring duplicates."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from custgraph.resolution import quality as data
from custgraph.resolvers import review as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import IsManager


@strawberry.type(description="Records where a field was missing (待补充) or failed standardization.")
class FieldFailure:
    field: str = strawberry.field(description="A field, or a requirement label such as mobile|email.")
    missing: int
    invalid: int
    failed: int = strawberry.field(description="Records missing it or with an invalid value, each once.")
    rate: float = strawberry.field(description="failed / all records.")


@strawberry.type(description="How one source's records resolved.")
class SourceQuality:
    source: str
    records: int
    matched: int
    review: int
    new: int
    unmatched: int
    pending: int
    incomplete: int
    unmatched_share: float
    review_share: float


@strawberry.type(description="Share of active customers with a golden field set.")
class FieldCompleteness:
    field: str
    filled: int
    share: float


@strawberry.type
class RepeatedMerge:
    customer_id: str
    merges: int


@strawberry.type
class ChangedRecord:
    uid: str
    customer_id: str | None
    versions: int


@strawberry.type(description="Duplicates that keep coming back.")
class RecurringDuplicates:
    customers_merged_repeatedly: list[RepeatedMerge]
    reopened_reviews: int = strawberry.field(description="Pairs flagged by several imports, or re-decided.")
    reopened_review_keys: list[str]
    changed_records: int = strawberry.field(description="Records re-imported with changes.")
    changed_by_source: JSON
    most_changed: list[ChangedRecord]


@strawberry.type(description="The periodic data-quality report.")
class QualityReport:
    generated_at: str
    records: int
    active_customers: int
    field_failures: list[FieldFailure]
    sources: list[SourceQuality]
    completeness: list[FieldCompleteness]
    recurring: RecurringDuplicates

    @classmethod
    def from_record(cls, r: data.QualityReport) -> QualityReport:
        rec = r.recurring
        return cls(
            generated_at=r.generated_at,
            records=r.records,
            active_customers=r.active_customers,
            field_failures=[FieldFailure(**vars(f)) for f in r.field_failures],
            sources=[SourceQuality(**vars(s)) for s in r.sources],
            completeness=[FieldCompleteness(**vars(c)) for c in r.completeness],
            recurring=RecurringDuplicates(
                customers_merged_repeatedly=[RepeatedMerge(**vars(m)) for m in rec.customers_merged_repeatedly],
                reopened_reviews=rec.reopened_reviews,
                reopened_review_keys=rec.reopened_review_keys,
                changed_records=rec.changed_records,
                changed_by_source=rec.changed_by_source,
                most_changed=[ChangedRecord(**vars(c)) for c in rec.most_changed],
            ),
        )


@strawberry.type
class QualityQuery:
    @strawberry.field(
        description="Match failure rates per field and source, completeness, recurring duplicates.",
        permission_classes=[IsManager],
    )
    async def quality_report(self, info: Info) -> QualityReport:
        return QualityReport.from_record(await resolve.quality_report(info))
