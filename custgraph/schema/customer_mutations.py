"""Customer mutations. Each returns a union: its payload, or ValidationError / NotFoundError /
PermissionDenied — ask for ``__typename`` and spread the members you handle."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

import strawberry

from custgraph.graph.models import CustomerNode
from custgraph.resolvers import customer_mutations as resolve
from custgraph.resolvers.context import Info
from custgraph.schema.customer import Customer
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError
from custgraph.schema.refs import Interaction, Order


def sent(value: Any) -> dict[str, Any]:
    """The fields of an input the client sent (explicit nulls included, omitted fields left out)."""
    result: dict[str, Any] = {}
    for item in dataclasses.fields(value):
        field_value = getattr(value, item.name)
        if field_value is strawberry.UNSET:
            continue
        if isinstance(field_value, list):
            field_value = [sent(v) if dataclasses.is_dataclass(v) else v for v in field_value]
        result[item.name] = field_value
    return result


@strawberry.input(description="A tag: dimension (default custom) and name; its key is dimension:name.")
class TagInput:
    name: str
    dimension: str = "custom"


@strawberry.input
class CustomerProfileFields:
    """Profile fields shared by create and update. Standardized like imported data; null clears on update."""

    name: str | None = strawberry.UNSET
    customer_type: str | None = strawberry.field(default=strawberry.UNSET, description="person or company.")
    lifecycle: str | None = strawberry.field(default=strawberry.UNSET, description="潜在/成交/沉默/流失 …")
    gender: str | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    mobile: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    company: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    region: str | None = strawberry.UNSET
    city: str | None = strawberry.UNSET
    address: str | None = strawberry.UNSET
    country: str | None = strawberry.UNSET
    notes: str | None = strawberry.field(default=strawberry.UNSET, description="At most 500 characters.")
    special_needs: str | None = strawberry.field(
        default=strawberry.UNSET, description="Special needs (特殊需求), at most 500 characters."
    )
    consent_marketing: bool | None = strawberry.UNSET
    first_contact: str | None = strawberry.UNSET


@strawberry.input(description="A new customer: a name or a company, plus any profile fields.")
class CreateCustomerInput(CustomerProfileFields):
    owners: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Owner names; a rep's new customer is always their own."
    )
    channels: list[str] | None = strawberry.UNSET
    tags: list[TagInput] | None = strawberry.UNSET


@strawberry.input(description="Only the fields you send are changed.")
class UpdateCustomerInput(CustomerProfileFields):
    pass


@strawberry.input
class InteractionInput:
    interaction_type: str = strawberry.field(
        description="visit, call, email, complaint, satisfaction, event or other, or a Chinese word for one "
        "(拜访, 电话回访, 投诉, 满意度回访, 展会 ...); stored as the type."
    )
    date: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM-DD; default today.")
    content: str | None = strawberry.UNSET
    satisfaction: float | None = strawberry.field(default=strawberry.UNSET, description="1-5.")


@strawberry.input
class OrderInput:
    amount: float = strawberry.field(description="Yuan, not negative.")
    order_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="Your order number; sending the same one again changes nothing."
    )
    date: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM-DD; default today.")
    product: str | None = strawberry.UNSET


@strawberry.type
class CustomerPayload:
    customer: Customer
    outcome: str | None = strawberry.field(
        default=None,
        description="createCustomer only: created (a new customer), matched (the details are an existing "
        "customer's: that one is returned, nothing is duplicated) or review (new, and queued for a steward "
        "as a possible duplicate). Null for the other mutations.",
    )


@strawberry.type
class InteractionPayload:
    customer: Customer
    interaction: Interaction


@strawberry.type
class OrderPayload:
    customer: Customer
    order: Order
    counted: bool = strawberry.field(description="False when the order id was already recorded.")


Refusals = ValidationError | NotFoundError | PermissionDenied
CreateCustomerResult = Annotated[CustomerPayload | Refusals, strawberry.union("CreateCustomerResult")]
UpdateCustomerResult = Annotated[CustomerPayload | Refusals, strawberry.union("UpdateCustomerResult")]
AddInteractionResult = Annotated[InteractionPayload | Refusals, strawberry.union("AddInteractionResult")]
AddOrderResult = Annotated[OrderPayload | Refusals, strawberry.union("AddOrderResult")]
AddTagsResult = Annotated[CustomerPayload | Refusals, strawberry.union("AddTagsResult")]
RemoveTagsResult = Annotated[CustomerPayload | Refusals, strawberry.union("RemoveTagsResult")]
AssignOwnersResult = Annotated[CustomerPayload | Refusals, strawberry.union("AssignOwnersResult")]


def _customer(result: CustomerNode | Any) -> Any:
    """A changed customer as its payload; a refusal as it is."""
    if isinstance(result, CustomerNode):
        return CustomerPayload(customer=Customer.from_record(result))
    return result


@strawberry.type
class CustomerMutation:
    @strawberry.mutation(
        description="Create a customer by hand: the input is a record of the api source, matched like an "
        "imported row first, so details of an existing customer return that customer (outcome matched)."
    )
    async def create_customer(
        self,
        info: Info,
        input: CreateCustomerInput,  # noqa: A002
    ) -> CreateCustomerResult:
        result = await resolve.create_customer(info.context, sent(input))
        if isinstance(result, resolve.Created):
            return CustomerPayload(customer=Customer.from_record(result.customer), outcome=result.outcome)
        return result

    @strawberry.mutation(description="Change profile fields of a customer you may edit.")
    async def update_customer(
        self,
        info: Info,
        id: strawberry.ID,
        input: UpdateCustomerInput,  # noqa: A002
    ) -> UpdateCustomerResult:
        return _customer(await resolve.update_customer(info.context, str(id), sent(input)))

    @strawberry.mutation(description="Record a visit, call, complaint or event; widens the contact dates.")
    async def add_interaction(
        self,
        info: Info,
        customer_id: strawberry.ID,
        input: InteractionInput,  # noqa: A002
    ) -> AddInteractionResult:
        result = await resolve.add_interaction(info.context, str(customer_id), sent(input))
        if isinstance(result, tuple):
            node, interaction = result
            return InteractionPayload(
                customer=Customer.from_record(node), interaction=Interaction.from_record(interaction)
            )
        return result

    @strawberry.mutation(description="Record an order; adds to the total and order count once per order id.")
    async def add_order(
        self,
        info: Info,
        customer_id: strawberry.ID,
        input: OrderInput,  # noqa: A002
    ) -> AddOrderResult:
        result = await resolve.add_order(info.context, str(customer_id), sent(input))
        if isinstance(result, tuple):
            node, order, counted = result
            customer = Customer.from_record(node)
            return OrderPayload(customer=customer, order=Order.from_record(order), counted=counted)
        return result

    @strawberry.mutation(description="Tag a customer (the tags survive re-resolution).")
    async def add_tags(self, info: Info, customer_id: strawberry.ID, tags: list[TagInput]) -> AddTagsResult:
        return _customer(await resolve.add_tags(info.context, str(customer_id), [sent(t) for t in tags]))

    @strawberry.mutation(description="Remove tags by key (dimension:name).")
    async def remove_tags(self, info: Info, customer_id: strawberry.ID, keys: list[str]) -> RemoveTagsResult:
        return _customer(await resolve.remove_tags(info.context, str(customer_id), keys))

    @strawberry.mutation(description="Assign owners (managers and admins); replace=true drops the others.")
    async def assign_owners(
        self, info: Info, customer_id: strawberry.ID, owners: list[str], replace: bool = False
    ) -> AssignOwnersResult:
        return _customer(await resolve.assign_owners(info.context, str(customer_id), owners, replace=replace))
