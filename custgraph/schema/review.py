"""The review queue, steward decisions, merges and splits."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from custgraph.graph.repositories.merges import MergeEventNode
from custgraph.matching.scoring import FieldEvidence
from custgraph.resolution.changes import Change
from custgraph.resolution.decide import Decided
from custgraph.resolution.queue import ReviewPage, ReviewView
from custgraph.resolvers import review as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import IsManager
from custgraph.resolvers.view import View
from custgraph.schema.customer import Customer
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError
from custgraph.schema.source_record import SourceRecord


@strawberry.enum(description="A steward's verdict on a pair of records.")
class ReviewDecision(Enum):
    MERGE = "MERGE"
    SEPARATE = "SEPARATE"


@strawberry.enum(description="Which review items to list.")
class ReviewStatus(Enum):
    OPEN = "open"
    DECIDED = "decided"
    LIFTED = "lifted"
    ALL = "all"


@strawberry.type(name="FieldEvidence", description="What one comparison contributed to a pair's score.")
class Evidence:
    comparison: str
    field: str
    level: str = strawberry.field(description="The level the pair landed in: exact, pinyin, ratio>=0.9 ...")
    weight: float = strawberry.field(description="log2 Bayes factor added to the match weight (0: none).")
    value_a: str | None
    value_b: str | None
    similarity: float | None = strawberry.field(description="The number behind a fuzzy level, if any.")
    compared_with: str | None = strawberry.field(description="The record whose value is valueB, when known.")

    @classmethod
    def from_record(cls, e: FieldEvidence, view: View) -> Evidence:
        """``view``: personal values shown the way the caller sees them everywhere (Context.view)."""
        a, b = view.value(e.field, e.value_a), view.value(e.field, e.value_b)
        return cls(
            comparison=e.comparison,
            field=e.field,
            level=e.level,
            weight=e.weight,
            value_a=a,
            value_b=b,
            similarity=e.similarity,
            compared_with=e.uid_b,
        )


@strawberry.type(description="A steward action on customers (merge, unmerge or split), with provenance.")
class MergeEvent:
    node: strawberry.Private[MergeEventNode]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field(description="merge, unmerge or split.")
    def kind(self) -> str:
        return self.node.kind

    @strawberry.field(description="Who acted.")
    def by(self) -> str:
        return self.node.by

    @strawberry.field(description="When, ISO 8601 UTC.")
    def at(self) -> str:
        return self.node.at

    @strawberry.field(description="review (a review decision) or split.")
    def reason(self) -> str:
        return self.node.reason

    @strawberry.field
    def note(self) -> str | None:
        return self.node.note

    @strawberry.field(description="merge: the customer kept; unmerge and split: the customer split.")
    def survivor(self) -> str | None:
        return self.node.survivor

    @strawberry.field(description="merge: the customer merged away; unmerge: the customers restored.")
    def absorbed(self) -> list[str]:
        return self.node.absorbed

    @strawberry.field(description="split: the new customers.")
    def created(self) -> list[str]:
        return self.node.created

    @strawberry.field(description="The records that moved.")
    def record_uids(self) -> list[str]:
        return self.node.record_uids

    @strawberry.field
    def review_key(self) -> str | None:
        return self.node.review_key

    @strawberry.field(description="Set when a later split undid this merge.")
    def undone_by_event(self) -> str | None:
        return self.node.undone_event

    @classmethod
    def from_record(cls, node: MergeEventNode) -> MergeEvent:
        return cls(node=node)


@strawberry.type(description="A pair of records the matcher was unsure about.")
class ReviewItem:
    view: strawberry.Private[ReviewView]

    @strawberry.field(description="The two record uids joined by '||'.")
    def key(self) -> strawberry.ID:
        return strawberry.ID(self.view.item.key)

    @strawberry.field(description="Match probability of the pair when it was queued.")
    def score(self) -> float | None:
        return self.view.item.score

    @strawberry.field(description="open, decided or lifted (a decision a later merge overrode).")
    def status(self) -> str:
        return self.view.item.status

    @strawberry.field
    def decision(self) -> ReviewDecision | None:
        d = self.view.item.decision
        return ReviewDecision(d) if d else None

    @strawberry.field
    def decided_by(self) -> str | None:
        return self.view.item.decided_by

    @strawberry.field
    def decided_at(self) -> str | None:
        return self.view.item.decided_at

    @strawberry.field
    def note(self) -> str | None:
        return self.view.item.note

    @strawberry.field(description="How many resolutions flagged this pair (more than one: it keeps coming).")
    def times_flagged(self) -> int:
        return self.view.item.times_flagged or 0

    @strawberry.field
    def record_a(self, info: Info) -> SourceRecord | None:
        node = self.view.record_a
        return SourceRecord.from_record(node, info.context.view) if node else None

    @strawberry.field
    def record_b(self, info: Info) -> SourceRecord | None:
        node = self.view.record_b
        return SourceRecord.from_record(node, info.context.view) if node else None

    @strawberry.field(description="The customer record A is in now.")
    def customer_a(self) -> str | None:
        return self.view.record_a.customer_id if self.view.record_a else None

    @strawberry.field(description="The customer record B is in now.")
    def customer_b(self) -> str | None:
        return self.view.record_b.customer_id if self.view.record_b else None

    @strawberry.field(description="Both records are in one customer already.")
    def same_customer(self) -> bool:
        return self.view.same_customer

    @strawberry.field(
        description="Per-field evidence: valueA is evidenceUid's value, valueB the value of the customer it "
        "was compared with (from record comparedWith). Fields neither side has are left out."
    )
    def evidence(self, info: Info) -> list[Evidence]:
        return [Evidence.from_record(e, info.context.view) for e in self.view.evidence]

    @strawberry.field(description="The record that was being resolved when the pair was queued.")
    def evidence_uid(self) -> str | None:
        return self.view.evidence_uid

    @strawberry.field(description="Earlier decisions on this pair, oldest first.")
    def history(self) -> JSON:
        return self.view.item.history

    @strawberry.field
    def created_at(self) -> str | None:
        return self.view.item.created_at

    @classmethod
    def from_record(cls, view: ReviewView) -> ReviewItem:
        return cls(view=view)


@strawberry.type(description="One page of the review queue, highest score first.")
class ReviewItemConnection:
    nodes: list[ReviewItem]
    total_count: int
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool

    @classmethod
    def from_record(cls, page: ReviewPage) -> ReviewItemConnection:
        return cls(
            nodes=[ReviewItem.from_record(v) for v in page.items],
            total_count=page.total,
            end_cursor=page.end_cursor,
            has_next_page=page.has_next,
        )


@strawberry.type(description="What a decision, merge or split changed.")
class CustomerChange:
    kind: str = strawberry.field(description="merge, unmerge, split or none.")
    message: str
    customers: list[Customer] = strawberry.field(description="The live customers involved, kept one first.")
    event: MergeEvent | None
    separated_pairs: int = strawberry.field(description="SEPARATE decisions written to keep the parts apart.")
    lifted_pairs: int = strawberry.field(description="Earlier SEPARATE decisions a merge overrode.")
    notes: list[str]

    @classmethod
    async def build(cls, info: Info, change: Change) -> CustomerChange:
        nodes = await resolve.customers(info, change.customers)
        return cls(
            kind=change.kind,
            message=change.message,
            customers=[Customer.from_record(n) for n in nodes],
            event=MergeEvent.from_record(change.event) if change.event else None,
            separated_pairs=change.separated_pairs,
            lifted_pairs=change.lifted_pairs,
            notes=change.notes,
        )


@strawberry.type
class DecideReviewPayload:
    item: ReviewItem
    change: CustomerChange

    @classmethod
    async def build(cls, info: Info, decided: Decided) -> DecideReviewPayload:
        view = await resolve.review_item(info, decided.item.key)
        assert view is not None  # it was just written
        return cls(item=ReviewItem.from_record(view), change=await CustomerChange.build(info, decided.change))


Refusals = ValidationError | NotFoundError | PermissionDenied
DecideReviewResult = Annotated[DecideReviewPayload | Refusals, strawberry.union("DecideReviewResult")]
UndoReviewDecisionResult = Annotated[DecideReviewPayload | Refusals, strawberry.union("UndoReviewDecisionResult")]
SplitCustomerResult = Annotated[CustomerChange | Refusals, strawberry.union("SplitCustomerResult")]
SplitRecordsResult = Annotated[CustomerChange | Refusals, strawberry.union("SplitRecordsResult")]


@strawberry.type
class ReviewQuery:
    @strawberry.field(
        description="Review pairs with both records and per-field evidence, highest score first.",
        permission_classes=[IsManager],
    )
    async def review_queue(
        self, info: Info, first: int = 20, after: str | None = None, status: ReviewStatus = ReviewStatus.OPEN
    ) -> ReviewItemConnection:
        wanted = None if status is ReviewStatus.ALL else status.value
        return ReviewItemConnection.from_record(await resolve.review_queue(info, first, after, wanted))

    @strawberry.field(description="One review item by key.", permission_classes=[IsManager])
    async def review_item(self, info: Info, key: strawberry.ID) -> ReviewItem | None:
        view = await resolve.review_item(info, str(key))
        return ReviewItem.from_record(view) if view else None


@strawberry.type
class ReviewMutation:
    """Steward mutations (managers and admins). Each returns a union: its payload, or ValidationError
    / NotFoundError / PermissionDenied, like every mutation of the API."""

    @strawberry.mutation(
        description="Decide a review pair. MERGE joins the two records' customers (the older id survives); "
        "SEPARATE moves the later record out if they share a customer. Every later resolution honours it.",
    )
    async def decide_review(
        self, info: Info, key: strawberry.ID, decision: ReviewDecision, note: str | None = None
    ) -> DecideReviewResult:
        decided = await resolve.decide_review(info, str(key), decision.value, note)
        if not isinstance(decided, Decided):
            return decided
        return await DecideReviewPayload.build(info, decided)

    @strawberry.mutation(
        description="Take back the decision on a review pair: the customers are as before it (a merge's "
        "absorbed customer restored with its records, orders and interactions, the SEPARATE decisions it "
        "lifted back; a record a SEPARATE moved out back in its customer), the decision is forgotten and the "
        "pair is open in the queue again. Refused when a later decision, merge or split built on it.",
    )
    async def undo_review_decision(
        self, info: Info, key: strawberry.ID, note: str | None = None
    ) -> UndoReviewDecisionResult:
        undone = await resolve.undo_review_decision(info, str(key), note)
        if not isinstance(undone, Decided):
            return undone
        return await DecideReviewPayload.build(info, undone)

    @strawberry.mutation(
        description="Undo the merges into this customer: the customers merged into it come back, with their "
        "records; the parts are kept apart from then on.",
    )
    async def split_customer(
        self,
        info: Info,
        id: strawberry.ID,
        note: str | None = None,  # noqa: A002
    ) -> SplitCustomerResult:
        change = await resolve.split_customer(info, str(id), note)
        return await CustomerChange.build(info, change) if isinstance(change, Change) else change

    @strawberry.mutation(
        description="Move these records of a customer to a new customer, kept apart from the others from now on.",
    )
    async def split_records(
        self, info: Info, customer_id: strawberry.ID, uids: list[str], note: str | None = None
    ) -> SplitRecordsResult:
        change = await resolve.split_records(info, str(customer_id), uids, note)
        return await CustomerChange.build(info, change) if isinstance(change, Change) else change
