"""GraphQL inputs for customer lists; each converts to the pydantic filter graph/ executes."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from pydantic import ValidationError as PydanticValidationError

from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder, SortField
from custgraph.resolvers.errors import BadRequest

CustomerSortField = strawberry.enum(SortField, name="CustomerSortField", description="Sortable fields.")


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Tag keys (dimension:name, e.g. value:high); the conditions combine with AND.")
class TagConditionInput:
    all: list[str] | None = strawberry.field(default=None, description="Has every one of these tags.")
    any: list[str] | None = strawberry.field(default=None, description="Has at least one of these tags.")
    none: list[str] | None = strawberry.field(default=None, description="Has none of these tags.")


@strawberry.input(description="Has a tag in this dimension (with one of these names, when given).")
class TagDimensionInput:
    dimension: str
    names: list[str] | None = None


@strawberry.input(description="Inclusive YYYY-MM-DD bounds; leave one out for an open range.")
class DateRangeInput:
    from_: str | None = strawberry.field(default=None, name="from")
    to: str | None = None


@strawberry.input(description="Inclusive bounds; leave one out for an open range.")
class NumberRangeInput:
    min: float | None = None
    max: float | None = None


@strawberry.input(description="Conditions combine with AND; a list in one condition means any of its values.")
class CustomerFilterInput:
    tags: TagConditionInput | None = None
    tag_dimensions: list[TagDimensionInput] | None = None
    industry: list[str] | None = None
    region: list[str] | None = None
    lifecycle: list[str] | None = None
    customer_type: list[str] | None = None
    owner: list[str] | None = strawberry.field(default=None, description="Owned by any of these owners.")
    channel: list[str] | None = strawberry.field(default=None, description="Came from any of these channels.")
    first_contact: DateRangeInput | None = None
    last_interaction: DateRangeInput | None = None
    total_amount: NumberRangeInput | None = None
    order_count: NumberRangeInput | None = None
    consent_marketing: bool | None = strawberry.field(
        default=None, description="Consented to marketing (true) or refused it (false). Purpose marketing implies true."
    )


@strawberry.input(description="Sort order; ties are always broken by customer id in the same direction.")
class CustomerOrderInput:
    field: CustomerSortField = SortField.ID  # type: ignore[valid-type]
    direction: SortDirection = SortDirection.ASC


def plain(value: Any) -> Any:
    """A strawberry input as plain dicts and lists, leaving out what the client did not send."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        return {name: plain(item) for name, item in items if item is not None}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def to_filter(flt: CustomerFilterInput | dict[str, Any] | None) -> CustomerFilter:
    """The pydantic filter; invalid conditions (a bad date, min > max) are a clear client error."""
    try:
        if isinstance(flt, dict):
            return CustomerFilter.model_validate(flt)
        return CustomerFilter.model_validate(plain(flt) if flt is not None else {})
    except PydanticValidationError as exc:
        raise BadRequest(f"invalid filter: {_summary(exc)}", argument="filter") from None


def to_order(order: CustomerOrderInput | dict[str, Any] | None) -> CustomerOrder:
    try:
        if isinstance(order, dict):
            return CustomerOrder.model_validate(order)
        if order is None:
            return CustomerOrder()
        return CustomerOrder(field=SortField(order.field), descending=order.direction == SortDirection.DESC)
    except (PydanticValidationError, ValueError) as exc:
        raise BadRequest(f"invalid orderBy: {exc}", argument="orderBy") from None


def _summary(exc: PydanticValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {str(err['msg']).removeprefix('Value error, ')}"
        for err in exc.errors()
    )
