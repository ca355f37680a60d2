"""Small types hanging off a customer: company, tag, owner, channel, interaction, order, contact."""

from __future__ import annotations

from typing import Any

import strawberry

from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    ContactNode,
    InteractionNode,
    OrderNode,
    OwnerNode,
    TagNode,
)
from custgraph.resolvers.view import View
from custgraph.vocabulary import interaction_label


@strawberry.type(description="A company (organisation), keyed by its suffix-free matching key.")
class Company:
    key: str
    name: str | None
    credit_code: str | None
    industry: str | None

    @classmethod
    def from_record(cls, node: CompanyNode) -> Company:
        return cls(key=node.key, name=node.name, credit_code=node.credit_code, industry=node.industry)


@strawberry.type(description="A tag from the tag library, within a dimension such as industry or value.")
class Tag:
    key: str
    name: str
    dimension: str

    @classmethod
    def from_record(cls, node: TagNode) -> Tag:
        return cls(key=node.key, name=node.name, dimension=node.dimension)


@strawberry.type(description="A sales or service owner responsible for customers.")
class Owner:
    name: str
    role: str | None

    @classmethod
    def from_record(cls, node: OwnerNode) -> Owner:
        return cls(name=node.name, role=node.role)


@strawberry.type(description="A channel a customer came from (web form, trade fair, referral, ...).")
class Channel:
    name: str

    @classmethod
    def from_record(cls, node: ChannelNode) -> Channel:
        return cls(name=node.name)


@strawberry.type(description="A visit, call, complaint or event attendance.")
class Interaction:
    uid: str
    interaction_type: str | None = strawberry.field(
        description="visit, call, email, complaint, satisfaction, event or other (older records may hold free text)."
    )
    date: str | None = strawberry.field(description="YYYY-MM-DD.")
    content: str | None
    satisfaction: float | None = strawberry.field(description="1-5, when the interaction was rated.")
    source: str | None

    @strawberry.field(description="The type's Chinese name to display: 拜访, 电话, 邮件, 投诉, 满意度回访, 活动, 其他.")
    def interaction_label(self) -> str | None:
        return interaction_label(self.interaction_type)

    @classmethod
    def from_record(cls, props: dict[str, Any]) -> Interaction:
        node = InteractionNode.model_validate(props)
        return cls(
            uid=node.uid,
            interaction_type=node.interaction_type,
            date=node.interaction_date,
            content=node.content,
            satisfaction=node.satisfaction,
            source=node.source,
        )


@strawberry.type(description="An order; its amount is part of the customer's total.")
class Order:
    uid: str
    order_id: str | None
    date: str | None = strawberry.field(description="YYYY-MM-DD.")
    amount: float | None
    product: str | None
    source: str | None

    @classmethod
    def from_record(cls, props: dict[str, Any]) -> Order:
        node = OrderNode.model_validate(props)
        return cls(
            uid=node.uid,
            order_id=node.order_id,
            date=node.order_date,
            amount=node.amount,
            product=node.product,
            source=node.source,
        )


@strawberry.type(description="A way to reach the customer, from the golden record or any source record.")
class ContactPoint:
    kind: str = strawberry.field(description="mobile, phone or email.")
    value: str = strawberry.field(description="Masked unless the caller's role may see full values.")
    primary: bool = strawberry.field(description="True for the golden record's value.")
    sources: list[str] = strawberry.field(description="The sources whose records carry it.")


@strawberry.type(description="A person to talk to at a company customer (联系人), from the customer's records.")
class ContactPerson:
    name: str | None = strawberry.field(description="Masked like a customer's name unless the role may see it.")
    title: str | None = strawberry.field(description="Job title (职位).")
    mobile: str | None = strawberry.field(description="E.164; masked like the customer's mobile.")
    email: str | None = strawberry.field(description="Masked like the customer's email.")

    @classmethod
    def from_record(cls, node: ContactNode, view: View) -> ContactPerson:
        shown = view.contact_person(node)
        return cls(name=shown.name, title=shown.title, mobile=shown.mobile, email=shown.email)
