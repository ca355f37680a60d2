"""How big a value may be: the one registry of field lengths and amount ranges.

Every path that stores a value takes its bound from here: the API's pydantic inputs
(resolvers/inputs.py), the import's row builder (ingest/validate.py, where an oversized cell is a row
error and never a stored value) and the amount standardizer (matching/standardize/amounts.py). Like
``vocabulary``, it imports nothing from the rest of the package, so any layer may depend on it.
"""

from __future__ import annotations

from decimal import Decimal

# Longest text, in characters, of each canonical field (ingest/fields.py) as read or sent; the import
# measures the cell text before standardizing it. Free text is generous, codes and numbers are tight.
FIELD_MAX_LENGTH: dict[str, int] = {
    # who
    "name": 100,
    "first_name": 50,
    "last_name": 50,
    "gender": 20,
    "birth_date": 40,
    "customer_type": 20,
    "company": 200,
    "title": 100,
    # identifiers: formatted numbers (spaces, dashes, +86) fit easily
    "mobile": 40,
    "phone": 40,
    "email": 254,  # RFC 5321's longest path
    "national_id": 40,
    "credit_code": 40,
    "bank_card": 40,
    # where
    "address": 300,
    "address_number": 50,
    "address_line1": 300,
    "address_line2": 300,
    "city": 100,
    "region": 100,
    "postal_code": 20,
    "country": 100,
    # relationship
    "industry": 100,
    "channel": 100,
    "owner": 100,
    "first_contact": 40,
    "last_contact": 40,
    "total_amount": 40,
    "order_count": 10,  # digits of a count: no 64-bit overflow in the graph
    "lifecycle": 40,
    "tags": 500,  # a list of tags in one cell
    "notes": 500,  # 备注: SPEC §3 (≤ 500 characters)
    "special_needs": 500,  # 特殊需求: SPEC §3 (≤ 500 characters)
    "contact_name": 100,  # a company customer's contact person
    "contact_title": 100,
    "contact_mobile": 40,
    "contact_email": 254,
    "consent_marketing": 20,
    "consent_date": 40,
    # orders and interactions
    "customer_key": 100,
    "order_id": 100,
    "order_date": 40,
    "amount": 40,
    "product": 200,
    "interaction_id": 100,
    "interaction_date": 40,
    "interaction_type": 50,
    "content": 2000,
    "satisfaction": 20,
}
# An unmapped column (kept as an extra) or a field the registry does not list.
DEFAULT_MAX_LENGTH = 1000
# The longest string any API argument may carry: a GraphQL-wide backstop, twice the longest field, so
# a value a little over its field's length still reaches the input's own check (a typed error naming it).
MAX_TEXT = 2 * max(FIELD_MAX_LENGTH.values())
# A tag's dimension or name, and an owner's name (not canonical fields, but stored all the same).
TAG_PART_MAX_LENGTH = 50
OWNER_MAX_LENGTH = FIELD_MAX_LENGTH["owner"]

# Money in yuan: non-negative (amounts.py) and at most a trillion; 1e308 is no order.
MAX_AMOUNT = Decimal("1e12")


def max_length(field: str) -> int:
    """The longest text ``field`` may hold."""
    return FIELD_MAX_LENGTH.get(field, DEFAULT_MAX_LENGTH)


def oversized(limit: int, length: int) -> str:
    """The reason given for a text of ``length`` characters where ``limit`` is the most."""
    return f"longer than {limit} characters ({length}): not stored"
