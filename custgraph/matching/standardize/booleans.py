"""Yes/no columns (consent_marketing) -> ``True`` / ``False``."""

from __future__ import annotations

from .vocab import lookup


def standardize_bool(raw: object) -> bool | None:
    """是/Y/true/1/同意/√ -> True; 否/N/false/0/不同意/× -> False; blank -> None.

    Blank stays None rather than False: for consent, "not recorded" and "refused" are different facts.
    """
    value = lookup("boolean", raw, "not a recognised yes/no value")
    return None if value is None else value == "true"
