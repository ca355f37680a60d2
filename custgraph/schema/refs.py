"""Small types hanging off a customer: company, tag, owner, channel."""

from __future__ import annotations

import strawberry

from custgraph.graph.models import ChannelNode, CompanyNode, OwnerNode, TagNode


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
