"""Gender -> ``"M"`` / ``"F"``."""

from __future__ import annotations

from .vocab import lookup


def standardize_gender(raw: object) -> str | None:
    """男/M/male/先生/1 -> ``"M"``; 女/F/female/女士/2 -> ``"F"``.

    Explicit "unknown" answers (未知, 保密, GB/T 2261.1 codes 0 and 9) are blank, not errors; anything else
    is rejected so that a shifted column (a phone number in the gender field) is reported.
    """
    value = lookup("gender", raw, "not a recognised gender (expected male or female)")
    return None if value == "unknown" else value
