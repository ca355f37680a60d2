"""Lifecycle status -> ``prospect`` / ``customer`` / ``dormant`` / ``churned`` (潜在 / 成交 / 沉默 / 流失)."""

from __future__ import annotations

from .vocab import lookup

LIFECYCLE_STAGES = ("prospect", "customer", "dormant", "churned")


def standardize_lifecycle(raw: object) -> str | None:
    """潜在/prospect -> ``prospect``, 成交/active -> ``customer``, 沉默 -> ``dormant``, 流失 -> ``churned``.

    Unknown statuses are rejected: each stage drives tags and reports, so a guess would mislead them.
    """
    return lookup("lifecycle", raw, "not a recognised lifecycle status")
