"""Pydantic models of the graph's nodes: what repositories take and return.

Node properties are flat scalars or lists (Neo4j has no map properties); nested data such as a
record's raw values is stored as JSON text in ``*_json`` properties.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from custgraph import crypto
from custgraph.vocabulary import IDENTIFIER_BY_FIELD


class Node(BaseModel):
    """A node with a label and a unique key property (see graph/schema.py)."""

    model_config = ConfigDict(extra="ignore")
    label: ClassVar[str]
    key_prop: ClassVar[str]

    def properties(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)

    @property
    def key_value(self) -> Any:
        return getattr(self, self.key_prop)


class CustomerNode(Node):
    label = "Customer"
    key_prop = "id"
    id: str
    name: str | None = None
    name_key: str | None = None
    customer_type: str | None = None  # person | company
    lifecycle: str | None = None  # prospect | customer | dormant | churned
    gender: str | None = None
    birth_date: str | None = None
    title: str | None = None
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    company: str | None = None
    industry: str | None = None
    region: str | None = None
    city: str | None = None
    address: str | None = None
    country: str | None = None
    first_contact: str | None = None
    last_contact: str | None = None
    total_amount: float | None = None
    order_count: int | None = None
    notes: str | None = None
    special_needs: str | None = None  # 特殊需求, at most 500 characters (custgraph/bounds.py)
    consent_marketing: bool | None = None
    consent_source: str | None = None  # the source the consent came from (an import source, or "api")
    consent_date: str | None = None  # YYYY-MM-DD, when the source gives it
    merged_into: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class SourceRecordNode(Node):
    label = "SourceRecord"
    key_prop = "uid"
    uid: str
    source: str
    source_key: str
    kind: str = "customers"
    row: int | None = None
    content_hash: str | None = None
    fields_json: str = "{}"
    raw_json: str = "{}"
    extra_json: str = "{}"
    status: str | None = None
    customer_id: str | None = None
    outcome: str | None = None
    run_id: str | None = None
    seq: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _reveal(cls, data: Any) -> Any:
        # every record read from the graph is made here: the one place its sensitive values are
        # decrypted (the view layer masks them per role)
        return crypto.current().reveal_props(data) if isinstance(data, dict) else data


class CompanyNode(Node):
    label = "Company"
    key_prop = "key"
    key: str  # the suffix-free matching key
    name: str | None = None
    credit_code: str | None = None
    industry: str | None = None


class ContactNode(Node):
    label = "Contact"
    key_prop = "id"
    id: str
    name: str | None = None
    title: str | None = None
    mobile: str | None = None
    email: str | None = None


class IdentifierNode(Node):
    key_prop = "value"
    value: str


class MobileNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["mobile"].label


class PhoneNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["phone"].label


class EmailNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["email"].label


class NationalIdNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["national_id"].label


class CreditCodeNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["credit_code"].label


class BankCardNode(IdentifierNode):
    label = IDENTIFIER_BY_FIELD["bank_card"].label  # value: an HMAC digest (custgraph/crypto.py)


class ChannelNode(Node):
    label = "Channel"
    key_prop = "name"
    name: str


class OwnerNode(Node):
    label = "Owner"
    key_prop = "name"
    name: str
    role: str | None = None


class TagNode(Node):
    label = "Tag"
    key_prop = "key"
    key: str  # "<dimension>:<name>"
    name: str
    dimension: str = "custom"


class InteractionNode(Node):
    label = "Interaction"
    key_prop = "uid"
    uid: str
    interaction_type: str | None = None
    interaction_date: str | None = None
    content: str | None = None
    satisfaction: float | None = None
    source: str | None = None


class OrderNode(Node):
    label = "Order"
    key_prop = "uid"
    uid: str
    order_id: str | None = None
    order_date: str | None = None
    amount: float | None = None
    product: str | None = None
    source: str | None = None


NODE_TYPES: tuple[type[Node], ...] = (
    CustomerNode,
    SourceRecordNode,
    CompanyNode,
    ContactNode,
    MobileNode,
    PhoneNode,
    EmailNode,
    NationalIdNode,
    CreditCodeNode,
    BankCardNode,
    ChannelNode,
    OwnerNode,
    TagNode,
    InteractionNode,
    OrderNode,
)
