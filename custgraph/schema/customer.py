"""The golden Customer: the 360° view."""

from __future__ import annotations

import strawberry

from custgraph.graph.models import CustomerNode
from custgraph.resolvers import customers as resolve
from custgraph.resolvers.context import Info
from custgraph.resolvers.view import View
from custgraph.schema.connections import Connection, connection
from custgraph.schema.refs import Channel, Company, ContactPerson, ContactPoint, Interaction, Order, Owner, Tag
from custgraph.schema.source_record import SourceRecord

DEFAULT_EDGE_PAGE = resolve.DEFAULT_EDGE_PAGE


@strawberry.type(description="Why two customers are related.")
class RelationReason:
    kind: str = strawberry.field(description="company, mobile, phone, email, national_id, credit_code or bank_card.")
    value: str = strawberry.field(description="The shared company or identifier (masked for some roles).")
    description: str


@strawberry.type(description="Another customer related to this one, and why.")
class RelatedCustomer:
    customer: Customer
    reasons: list[RelationReason]


NOT_PERSONAL = frozenset({"company", "credit_code"})  # a company's name and registration code


def _reason(kind: str, value: str, view: View) -> RelationReason:
    shown = value if kind in NOT_PERSONAL else str(view.value(kind, value))
    text = f"same company {shown}" if kind == "company" else f"shares {kind.replace('_', ' ')} {shown}"
    return RelationReason(kind=kind, value=shown, description=text)


@strawberry.federation.type(keys=["id"], description="One real person or company, resolved from source records.")
class Customer:
    node: strawberry.Private[CustomerNode]

    @strawberry.field(description="Stable customer id such as C000123; merged-away ids still resolve here.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.node.id)

    @strawberry.field(description="Masked (张* / *先生) for a person unless the role may see full values.")
    def name(self, info: Info) -> str | None:
        return info.context.view.name(self.node)

    @strawberry.field(description="person or company.")
    def customer_type(self) -> str | None:
        return self.node.customer_type

    @strawberry.field(description="prospect (潜在), customer (成交), dormant (沉默) or churned (流失).")
    def lifecycle(self) -> str | None:
        return self.node.lifecycle

    @strawberry.field
    def gender(self) -> str | None:
        return self.node.gender

    @strawberry.field(description="Job title.")
    def title(self) -> str | None:
        return self.node.title

    @strawberry.field(description="E.164; the middle four digits hidden unless the role may see full values.")
    def mobile(self, info: Info) -> str | None:
        return info.context.view.mobile(self.node.mobile)

    @strawberry.field(description="E.164; masked like mobile.")
    def phone(self, info: Info) -> str | None:
        return info.context.view.mobile(self.node.phone)

    @strawberry.field(description="Initial and domain only unless the role may see full values.")
    def email(self, info: Info) -> str | None:
        return info.context.view.email(self.node.email)

    @strawberry.field(description="Every mobile, phone and email known for the customer, golden first.")
    async def contacts(self, info: Info) -> list[ContactPoint]:
        return [
            ContactPoint(kind=c.kind, value=c.value, primary=primary, sources=c.sources)
            for c, primary in await resolve.contacts(info, self.node)
        ]

    @strawberry.field(description="A company customer's contact people (联系人): name, title, mobile, email.")
    async def contact_people(self, info: Info) -> list[ContactPerson]:
        view = info.context.view
        return [ContactPerson.from_record(n, view) for n in await resolve.people(info, self.node.id)]

    @strawberry.field(description="The company name as the golden record has it.")
    def company_name(self) -> str | None:
        return self.node.company

    @strawberry.field
    def industry(self) -> str | None:
        return self.node.industry

    @strawberry.field
    def region(self) -> str | None:
        return self.node.region

    @strawberry.field
    def city(self) -> str | None:
        return self.node.city

    @strawberry.field
    def address(self) -> str | None:
        return self.node.address

    @strawberry.field
    def country(self) -> str | None:
        return self.node.country

    @strawberry.field(description="Notes (备注).")
    def notes(self) -> str | None:
        return self.node.notes

    @strawberry.field(description="Special needs (特殊需求), at most 500 characters.")
    def special_needs(self) -> str | None:
        return self.node.special_needs

    @strawberry.field(description="Whether the customer consented to marketing use.")
    def consent_marketing(self) -> bool | None:
        return self.node.consent_marketing

    @strawberry.field(description="Where the consent answer came from: an import source, or api.")
    def consent_source(self) -> str | None:
        return self.node.consent_source

    @strawberry.field(description="When the consent was given or refused, YYYY-MM-DD (when known).")
    def consent_date(self) -> str | None:
        return self.node.consent_date

    @strawberry.field(description="First contact date, YYYY-MM-DD.")
    def first_contact(self) -> str | None:
        return self.node.first_contact

    @strawberry.field(description="Last interaction date, YYYY-MM-DD.")
    def last_contact(self) -> str | None:
        return self.node.last_contact

    @strawberry.field(description="Total transaction amount (yuan).")
    def total_amount(self) -> float | None:
        return self.node.total_amount

    @strawberry.field(description="Number of orders.")
    def order_count(self) -> int | None:
        return self.node.order_count

    @strawberry.field
    def created_at(self) -> str | None:
        return self.node.created_at

    @strawberry.field
    def updated_at(self) -> str | None:
        return self.node.updated_at

    @strawberry.field
    async def company(self, info: Info) -> Company | None:
        node = await resolve.company(info, self.node.id)
        return Company.from_record(node) if node else None

    @strawberry.field
    async def tags(self, info: Info) -> list[Tag]:
        return [Tag.from_record(n) for n in await resolve.tags(info, self.node.id)]

    @strawberry.field
    async def owners(self, info: Info) -> list[Owner]:
        return [Owner.from_record(n) for n in await resolve.owners(info, self.node.id)]

    @strawberry.field
    async def channels(self, info: Info) -> list[Channel]:
        return [Channel.from_record(n) for n in await resolve.channels(info, self.node.id)]

    @strawberry.field(description="Visits, calls, complaints and events, newest first.")
    async def interactions(
        self, info: Info, first: int = DEFAULT_EDGE_PAGE, after: str | None = None
    ) -> Connection[Interaction]:
        page = await resolve.edge_page(info, "interactions", self.node.id, first, after)
        return connection(
            [Interaction.from_record(p) for p in page.items],
            [resolve.edge_cursor(p) for p in page.positions],
            total=page.total,
            has_next=page.has_next,
            has_previous=after is not None,
        )

    @strawberry.field(description="Orders, newest first.")
    async def orders(self, info: Info, first: int = DEFAULT_EDGE_PAGE, after: str | None = None) -> Connection[Order]:
        page = await resolve.edge_page(info, "orders", self.node.id, first, after)
        return connection(
            [Order.from_record(p) for p in page.items],
            [resolve.edge_cursor(p) for p in page.positions],
            total=page.total,
            has_next=page.has_next,
            has_previous=after is not None,
        )

    @strawberry.field(description="Every source record resolved to this customer, with provenance and match.")
    async def source_records(self, info: Info) -> list[SourceRecord]:
        view = info.context.view
        return [
            SourceRecord.from_record(r.record, view, r.resolution)
            for r in await resolve.source_records(info, self.node.id)
        ]

    @strawberry.field(description="Customers at the same company or sharing a mobile, email or id number.")
    async def related_customers(self, info: Info) -> list[RelatedCustomer]:
        view = info.context.view
        return [
            RelatedCustomer(
                customer=Customer.from_record(r.customer),
                reasons=[_reason(x.kind, x.value, view) for x in r.reasons],
            )
            for r in await resolve.related(info, self.node.id)
        ]

    @classmethod
    def from_record(cls, node: CustomerNode) -> Customer:
        return cls(node=node)

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Customer | None:  # noqa: A002
        node = await resolve.customer_by_id(info, str(id))
        return cls.from_record(node) if node else None
