"""Reading stored match evidence back: parse, orient, keep what is informative, describe."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

from custgraph.matching.scoring import FieldEvidence

_KEYS = {f.name for f in dataclasses.fields(FieldEvidence)}


def parse(evidence_json: str | None) -> list[FieldEvidence]:
    """The stored evidence list; unknown keys (a newer writer) are ignored rather than fatal."""
    items = json.loads(evidence_json or "[]")
    return [FieldEvidence.from_dict({k: v for k, v in item.items() if k in _KEYS}) for item in items]


def informative(evidence: Sequence[FieldEvidence]) -> list[FieldEvidence]:
    """Drop comparisons where neither record had a value: they say nothing about the pair."""
    return [e for e in evidence if e.value_a is not None or e.value_b is not None]


def describe(e: FieldEvidence) -> str:
    """``mobile exact (+23.25)``: the comparison, the level it landed in and its weight in bits."""
    return f"{e.comparison} {e.level} ({e.weight:+.2f})"


def strongest(evidence: Sequence[FieldEvidence], count: int = 3) -> list[FieldEvidence]:
    """The comparisons that moved the score most, strongest first (ties in rules order)."""
    moved = [e for e in evidence if e.weight]
    return sorted(moved, key=lambda e: -abs(e.weight))[:count]
