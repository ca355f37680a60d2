"""Dispatch from canonical field name to standardizer (the table import code goes through)."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType

from custgraph.vocabulary import DATE_FIELDS, interaction_type

from .amounts import standardize_amount
from .booleans import standardize_bool
from .companies import normalize_company
from .customer_types import standardize_customer_type
from .dates import standardize_date
from .emails import standardize_email
from .gender import standardize_gender
from .identifiers import standardize_bank_card, standardize_credit_code, standardize_national_id
from .lifecycle import standardize_lifecycle
from .names import normalize_name
from .numbers import standardize_int, standardize_satisfaction
from .owners import standardize_owners
from .phones import standardize_mobile, standardize_phone
from .postal import standardize_postal_code
from .regions import standardize_city, standardize_region
from .tags import standardize_tags
from .text import standardize_text

_STANDARDIZERS: MappingProxyType[str, Callable[[object], object | None]] = MappingProxyType(
    {
        "name": normalize_name,
        "first_name": normalize_name,
        "last_name": normalize_name,
        "gender": standardize_gender,
        "customer_type": standardize_customer_type,
        "company": normalize_company,
        "mobile": standardize_mobile,
        "phone": standardize_phone,
        "email": standardize_email,
        "contact_name": normalize_name,
        "contact_mobile": standardize_mobile,
        "contact_email": standardize_email,
        "national_id": standardize_national_id,
        "credit_code": standardize_credit_code,
        "bank_card": standardize_bank_card,
        "city": standardize_city,
        "region": standardize_region,
        "postal_code": standardize_postal_code,
        "total_amount": standardize_amount,
        "amount": standardize_amount,
        "order_count": standardize_int,
        "lifecycle": standardize_lifecycle,
        "owner": standardize_owners,
        "tags": standardize_tags,
        "consent_marketing": standardize_bool,
        "satisfaction": standardize_satisfaction,
        # a vocabulary (custgraph/vocabulary.py): 电话回访 -> call, 展会 -> event, anything else -> other
        "interaction_type": lambda raw: interaction_type(standardize_text(raw)),
    }
)

STANDARDIZED_FIELDS: frozenset[str] = frozenset(_STANDARDIZERS) | DATE_FIELDS

# The canonical fields that are plain text (whitespace-normalized only). Listed so that a test can check
# that every canonical field is covered; any other (extra) column is treated the same way.
TEXT_FIELDS: frozenset[str] = frozenset(
    {
        "title", "address", "address_number", "address_line1", "address_line2", "country", "industry",
        "channel", "notes", "special_needs", "contact_title",
        "order_id", "product", "interaction_id", "content",
    }
)  # fmt: skip


def standardize_field(field: str, raw: object, *, fmt: str | None = None) -> object | None:
    """Standardize one canonical field's raw value.

    Returns None when ``raw`` is blank/None/whitespace or a placeholder (``-``, ``N/A``, ``无``, ``待补充``).
    Raises :class:`InvalidValue` when the value is present but unusable. ``fmt`` is a ``strptime`` format
    used by date fields and ignored by the others. Fields without a specific standardizer (and unknown
    extra columns) get whitespace-normalized text.
    """
    if field in DATE_FIELDS:
        return standardize_date(raw, fmt)
    return _STANDARDIZERS.get(field, standardize_text)(raw)
