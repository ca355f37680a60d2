"""The canonical fields: the single source of truth for what an imported row may carry, per kind."""

from __future__ import annotations

from typing import Literal, get_args

from custgraph import vocabulary

Kind = Literal["customers", "orders", "interactions"]
KINDS: tuple[str, ...] = get_args(Kind)

CUSTOMER_FIELDS: tuple[str, ...] = (
    "name",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "customer_type",
    "company",
    "title",
    *vocabulary.IDENTIFIER_FIELDS,
    "address",
    "address_number",
    "address_line1",
    "address_line2",
    "city",
    "region",
    "postal_code",
    "country",
    "industry",
    "channel",
    "owner",
    "first_contact",
    "last_contact",
    "total_amount",
    "order_count",
    "lifecycle",
    "tags",
    "notes",
    "special_needs",  # 特殊需求, beside the notes
    # a company customer's contact person (联系人): a person on the 360° view, not the customer's identity
    "contact_name",
    "contact_title",
    "contact_mobile",
    "contact_email",
    "consent_marketing",
    "consent_date",  # when the customer gave (or refused) marketing consent
)

# Order and interaction rows also describe the customer they belong to, so they carry every customer
# field. `customer_key` is the customer's own key in the same source (客户编号 in an order export): it lets
# the writer link the order to `source|customer_key` without any matching.
ORDER_FIELDS: tuple[str, ...] = (
    *CUSTOMER_FIELDS,
    "customer_key",
    "order_id",
    "order_date",
    "amount",
    "product",
)
INTERACTION_FIELDS: tuple[str, ...] = (
    *CUSTOMER_FIELDS,
    "customer_key",
    "interaction_id",
    "interaction_date",
    "interaction_type",
    "content",
    "satisfaction",
)

FIELDS_BY_KIND: dict[str, frozenset[str]] = {
    "customers": frozenset(CUSTOMER_FIELDS),
    "orders": frozenset(ORDER_FIELDS),
    "interactions": frozenset(INTERACTION_FIELDS),
}
ALL_FIELDS: frozenset[str] = frozenset().union(*FIELDS_BY_KIND.values())

# Fields taken as they are (trimmed), without a standardizer: references, not values to clean.
PLAIN_FIELDS: frozenset[str] = frozenset({"customer_key"})

# Date fields receive the native cell value (an Excel serial number or a datetime), not its text, so
# the standardizer can tell the serial 45292 from the compact date "20240105".
DATE_FIELDS = vocabulary.DATE_FIELDS

# The field whose column is the row key when no key column is named (orders: the order number).
KEY_FIELD_BY_KIND: dict[str, str | None] = {
    "customers": None,
    "orders": "order_id",
    "interactions": "interaction_id",
}

# A record with none of these (after standardization) and no name goes to the follow-up pool.
IDENTIFIER_FIELDS = vocabulary.IDENTIFIER_FIELDS
NAME_FIELDS: tuple[str, ...] = ("name", "first_name", "last_name", "company")

# Important non-key fields, per kind: (label shown in `missing`, fields any one of which satisfies it).
# Kept short on purpose: a list that flags almost every row as 待补充 tells the data steward nothing.
REQUIRED_BY_KIND: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "customers": (
        ("name", NAME_FIELDS),
        ("mobile|email", vocabulary.CONTACT_FIELDS),
        ("region", ("region", "city")),
    ),
    "orders": (
        ("order_date", ("order_date",)),
        ("amount", ("amount",)),
    ),
    "interactions": (
        ("interaction_date", ("interaction_date",)),
        ("interaction_type", ("interaction_type",)),
    ),
}


def fields_for(kind: str) -> frozenset[str]:
    """The canonical fields allowed for `kind`; ValueError names the known kinds."""
    try:
        return FIELDS_BY_KIND[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})") from None
