"""Why a customer is what it is: per record, how it got there; per golden field, which record won."""

from __future__ import annotations

import json

import strawberry
from strawberry.scalars import JSON

from custgraph.resolution.explain import CustomerExplanation as Explanation
from custgraph.resolution.explain import GoldenField as GoldenFieldData
from custgraph.resolution.explain import RecordExplanation as RecordData
from custgraph.resolvers import review as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.permissions import IsManager
from custgraph.resolvers.view import View
from custgraph.schema.review import Evidence, MergeEvent
from custgraph.schema.source_record import SourceRecord


@strawberry.type(description="How one source record came to belong to the customer.")
class RecordExplanation:
    data: strawberry.Private[RecordData]

    @strawberry.field
    def uid(self) -> str:
        return self.data.record.uid

    @strawberry.field
    def source(self) -> str:
        return self.data.record.source

    @strawberry.field
    def source_key(self) -> str:
        return self.data.record.source_key

    @strawberry.field(description="The record's standardized fields.")
    def fields(self, info: Info) -> JSON:
        return info.context.view.values(self.data.fields)

    @strawberry.field(description="matched, review or new, as resolution decided.")
    def outcome(self) -> str | None:
        return self.data.link.outcome

    @strawberry.field(description="What decided: a combination rule, fellegi_sunter, decision_merge ...")
    def rule(self) -> str | None:
        return self.data.link.rule

    @strawberry.field(description="Match probability against the matched record (0 when none).")
    def score(self) -> float | None:
        return self.data.link.score

    @strawberry.field(description="The record it scored best against.")
    def matched_uid(self) -> str | None:
        return self.data.link.matched_uid

    @strawberry.field
    def matched_record(self, info: Info) -> SourceRecord | None:
        node = self.data.matched
        return SourceRecord.from_record(node, info.context.view) if node else None

    @strawberry.field(description="Per-field levels and weights; valueA is this record's value.")
    def evidence(self, info: Info) -> list[Evidence]:
        return [Evidence.from_record(e, info.context.view) for e in self.data.evidence]

    @strawberry.field(description="The customers it was merged away from, oldest first.")
    def moved_path(self) -> list[str]:
        return self.data.link.moved_path

    @strawberry.field(description="The customer a split took it out of.")
    def split_from(self) -> str | None:
        return self.data.link.split_from

    @strawberry.field(description="The steward action that last moved it.")
    def event_id(self) -> str | None:
        return self.data.link.event_id

    @strawberry.field(description="One sentence: why this record is here.")
    def summary(self, info: Info) -> str:
        # the sentence quotes the matched record's name: masked like the record itself
        matched = self.data.matched
        known = [*self.data.fields.items(), *(json.loads(matched.fields_json or "{}").items() if matched else ())]
        return info.context.view.text(self.data.summary, known) or ""


@strawberry.type(description="Which record a golden field's value came from, under which policy.")
class GoldenField:
    field: str
    value: str
    policy: str
    from_uid: str

    @classmethod
    def from_record(cls, g: GoldenFieldData, view: View) -> GoldenField:
        value = str(view.value(g.field, g.value))
        return cls(field=g.field, value=value, policy=g.policy, from_uid=g.from_uid)


@strawberry.type(description="A customer merged into this one.")
class AbsorbedCustomer:
    id: str
    at: str | None
    reason: str | None
    by: str | None
    event_id: str | None


@strawberry.type(description="Why a customer holds the records it holds and shows the values it shows.")
class CustomerExplanation:
    data: strawberry.Private[Explanation]

    @strawberry.field(description="The id asked for; a merged-away id is explained as its survivor.")
    def requested_id(self) -> strawberry.ID:
        return strawberry.ID(self.data.requested_id)

    @strawberry.field
    def customer_id(self) -> strawberry.ID:
        return strawberry.ID(self.data.customer_id)

    @strawberry.field
    def records(self) -> list[RecordExplanation]:
        return [RecordExplanation(data=r) for r in self.data.records]

    @strawberry.field
    def golden_fields(self, info: Info) -> list[GoldenField]:
        return [GoldenField.from_record(g, info.context.view) for g in self.data.golden]

    @strawberry.field
    def absorbed(self) -> list[AbsorbedCustomer]:
        return [
            AbsorbedCustomer(id=a.id, at=a.at, reason=a.reason, by=a.by, event_id=a.event_id)
            for a in self.data.absorbed
        ]

    @strawberry.field(description="Steward merges, unmerges and splits involving this customer.")
    def events(self) -> list[MergeEvent]:
        return [MergeEvent.from_record(e) for e in self.data.events]


@strawberry.type
class ExplainQuery:
    @strawberry.field(
        description="Why this customer is what it is: per record the rule, fields compared, levels and "
        "weights and the record it matched; per golden field the record it came from.",
        permission_classes=[IsManager],
    )
    async def explain_customer(self, info: Info, id: strawberry.ID) -> CustomerExplanation | None:  # noqa: A002
        data = await resolve.explain_customer(info, str(id))
        return CustomerExplanation(data=data) if data else None
