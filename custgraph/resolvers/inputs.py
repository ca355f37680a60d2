"""Mutation inputs validated and standardized with pydantic before anything is written.

Values pass through the same standardizers as imported rows (matching/standardize), so a mobile typed
in the portal is stored exactly like one from a spreadsheet; a value they reject becomes a per-field
ValidationError for the client.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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

MAX_NOTES = 500
TAG_PART = re.compile(r"^[^:\s][^:]{0,49}$")


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProfileInput(_Input):
    """Golden-record fields a person may set; None clears a field on update."""

    name: str | None = Field(default=None, max_length=100)
    customer_type: str | None = None
    lifecycle: str | None = None
    gender: str | None = None
    title: str | None = Field(default=None, max_length=100)
    mobile: str | None = None
    phone: str | None = None
    email: str | None = None
    company: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    region: str | None = None
    city: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    country: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=MAX_NOTES)
    consent_marketing: bool | None = None
    first_contact: str | None = None

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
            raise ValueError("1-50 characters, no colon")
        return value

    @property
    def key(self) -> str:
        return f"{self.dimension}:{self.name}"


class CreateCustomerInput(ProfileInput):
    owners: list[str] = Field(default_factory=list, max_length=10)
    channels: list[str] = Field(default_factory=list, max_length=10)
    tags: list[TagInput] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _named(self) -> CreateCustomerInput:
        if not self.name and not self.company:
            raise ValueError("a customer needs a name or a company")
        return self


class UpdateCustomerInput(ProfileInput):
    """Only the fields the client sent are changed (``model_fields_set``)."""


class InteractionInput(_Input):
    interaction_type: str = Field(min_length=1, max_length=50)
    date: str | None = Field(default=None, validate_default=True)  # default: today
    content: str | None = Field(default=None, max_length=2000)
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
    order_id: str | None = Field(default=None, min_length=1, max_length=100)
    date: str | None = Field(default=None, validate_default=True)  # default: today
    amount: float
    product: str | None = Field(default=None, max_length=200)

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
        if not names or any(len(n) > 100 for n in names):
            raise ValueError("owner names are 1-100 characters")
        return names
