"""Loading of the YAML tables shipped in ``custgraph/data`` (matching logic kept as data)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def load_table(name: str) -> dict[str, Any]:
    """Parse ``custgraph/data/<name>`` once per process; callers must treat the result as read-only."""
    text = resources.files("custgraph").joinpath("data", name).read_text(encoding="utf-8")
    table = yaml.safe_load(text)
    if not isinstance(table, dict):
        raise RuntimeError(f"custgraph/data/{name} must hold a mapping at the top level")
    return table


def string_list(table: dict[str, Any], key: str, *, source: str) -> list[str]:
    """A list of strings from a table, failing at load time (not at match time) on a bad entry.

    YAML 1.1 silently turns unquoted ``no``/``yes``/``on`` into booleans, so every entry is checked.
    """
    values = table.get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RuntimeError(f"{source}: '{key}' must be a list of quoted strings")
    return values
