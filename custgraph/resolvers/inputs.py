"""Mutation inputs validated and standardized with pydantic before anything is written.

Values pass through the same standardizers as imported rows (matching/standardize), so a mobile typed
in the portal is stored exactly like one from a spreadsheet; a value they reject becomes a per-field
ValidationError for the client. Every string is bounded by its field's length in the one registry
(custgraph/bounds.py) that the import uses too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from custgraph.bounds import OWNER_MAX_LENGTH, TAG_PART_MAX_LENGTH, max_length
from custgraph.matching.standardize import (
    normalize_company,
    normalize_name,
    standardize_amount,
    standardize_customer_type,
    standardize_date,
    standardize_email,
    standardize_gender,
    standardize_lifecycle,
    standardize_mobile,
    standardize_phone,
    standardize_region,
    standardize_satisfaction,
)

MAX_NOTES = max_length("notes")
TAG_PART = re.compile(rf"^[^:\s][^:]{{0,{TAG_PART_MAX_LENGTH - 1}}}$")


def _text(field: str) -> Any:
    """An optional string no longer than ``field``'s registered length."""
    return Field(default=None, max_length=max_length(field))


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProfileInput(_Input):
    """Golden-record fields a person may set; None clears a field on update."""

    name: str | None = _text("name")
    customer_type: str | None = _text("customer_type")
    lifecycle: str | None = _text("lifecycle")
    gender: str | None = _text("gender")
    title: str | None = _text("title")
    mobile: str | None = _text("mobile")
    phone: str | None = _text("phone")
    email: str | None = _text("email")
    company: str | None = _text("company")
    industry: str | None = _text("industry")
    region: str | None = _text("region")
    city: str | None = _text("city")
    address: str | None = _text("address")
    country: str | None = _text("country")
    notes: str | None = _text("notes")
    special_needs: str | None = _text("special_needs")
    consent_marketing: bool | None = None
    first_contact: str | None = _text("first_contact")

    @field_validator("*", mode="after")
    @classmethod
    def _standardize(cls, value: Any, info: Any) -> Any:
        fn = STANDARDIZERS.get(info.field_name)
        return fn(value) if fn is not None and value not in (None, "") else value


STANDARDIZERS = {
    "name": normalize_name,
    "customer_type": standardize_customer_type,
    "lifecycle": standardize_lifecycle,
    "gender": standardize_gender,
    "mobile": standardize_mobile,
    "phone": standardize_phone,
    "email": standardize_email,
    "company": normalize_company,
    "region": standardize_region,
    "first_contact": standardize_date,
}


class TagInput(_Input):
    dimension: str = Field(default="custom")
    name: str

    @field_validator("dimension", "name")
    @classmethod
    def _part(cls, value: str) -> str:
        if not TAG_PART.match(value):
            raise ValueError(f"1-{TAG_PART_MAX_LENGTH} characters, no colon")
        return value

    @property
    def key(self) -> str:
        return f"{self.dimension}:{self.name}"


class CreateCustomerInput(ProfileInput):
    owners: list[Annotated[str, Field(max_length=OWNER_MAX_LENGTH)]] = Field(default_factory=list, max_length=10)
    channels: list[Annotated[str, Field(max_length=max_length("channel"))]] = Field(default_factory=list, max_length=10)
    tags: list[TagInput] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _named(self) -> CreateCustomerInput:
        if not self.name and not self.company:
            raise ValueError("a customer needs a name or a company")
        return self


class UpdateCustomerInput(ProfileInput):
    """Only the fields the client sent are changed (``model_fields_set``)."""


class InteractionInput(_Input):
    interaction_type: str = Field(min_length=1, max_length=max_length("interaction_type"))
    date: str | None = Field(default=None, max_length=max_length("interaction_date"), validate_default=True)  # today
    content: str | None = _text("content")
    satisfaction: float | None = None

    @field_validator("date")
    @classmethod
    def _date(cls, value: str | None) -> str:
        return standardize_date(value) or date.today().isoformat()

    @field_validator("satisfaction")
    @classmethod
    def _satisfaction(cls, value: float | None) -> float | None:
        if value is None:
            return None
        if not 1 <= value <= 5:
            raise ValueError("satisfaction is 1-5")
        return float(standardize_satisfaction(value) or value)


class OrderInput(_Input):
    order_id: str | None = Field(default=None, min_length=1, max_length=max_length("order_id"))
    date: str | None = Field(default=None, max_length=max_length("order_date"), validate_default=True)  # today
    amount: float  # finite and in range: standardize_amount checks both (custgraph/bounds.py)
    product: str | None = _text("product")

    @field_validator("date")
    @classmethod
    def _date(cls, value: str | None) -> str:
        return standardize_date(value) or date.today().isoformat()

    @field_validator("amount")
    @classmethod
    def _amount(cls, value: float) -> float:
        amount = standardize_amount(value)
        if amount is None:
            raise ValueError("amount is required")
        return float(amount)


class OwnersInput(_Input):
    owners: list[str] = Field(min_length=1, max_length=10)

    @field_validator("owners")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        names = sorted({v.strip() for v in value if v.strip()})
        if not names or any(len(n) > OWNER_MAX_LENGTH for n in names):
            raise ValueError(f"owner names are 1-{OWNER_MAX_LENGTH} characters")
        return names
