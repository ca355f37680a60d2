"""Customer type -> ``"person"`` / ``"company"``."""

from __future__ import annotations

from .vocab import lookup

CUSTOMER_TYPES = ("person", "company")


def standardize_customer_type(raw: object) -> str | None:
    """个人/individual/b2c -> ``"person"``; 企业/公司/organization/b2b -> ``"company"``."""
    return lookup("customer_type", raw, "not a recognised customer type (expected person or company)")
