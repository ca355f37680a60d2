"""What classification knows about one customer: plain values graph/ reads in batches.

Rules are evaluated over these facts only (custgraph/classification/evaluate.py), so every rule can be
tested without a graph, and a recompute as of the same date over the same facts gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# Who put an edge there: a person (addTags, assignOwners), the classification rules, or the
# customer's source records (rebuilt on every re-resolution).
EdgeKind = Literal["manual", "rule", "source"]


def parse_date(value: object) -> date | None:
    """``2024-03-15`` (or a longer ISO timestamp) as a date; None when absent or unreadable."""
    if value is None:
        return None
    text = str(value)[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class OrderFact:
    on: date | None
    amount: float = 0.0


@dataclass(frozen=True)
class InteractionFact:
    on: date | None
    type: str | None  # the vocabulary's type (vocabulary.interaction_type)


@dataclass(frozen=True)
class TagFact:
    key: str  # dimension:name
    kind: EdgeKind
    at: str | None = None  # when it was added (ISO timestamp; source edges may have none)


@dataclass(frozen=True)
class OwnerFact:
    name: str
    kind: EdgeKind
    role: str | None = None  # rule-assigned owners: the role(s) they hold, comma-separated
    rule: str | None = None  # rule-assigned owners: the rule(s) that assigned them


@dataclass
class CustomerFacts:
    id: str
    industry: str | None = None
    region: str | None = None
    city: str | None = None
    country: str | None = None
    first_contact: date | None = None
    created: date | None = None  # when the customer was first recorded
    lifecycle: str | None = None  # as stored now
    marked_lost: bool = False  # a person set the lifecycle to churned
    orders: list[OrderFact] = field(default_factory=list)
    interactions: list[InteractionFact] = field(default_factory=list)
    tags: list[TagFact] = field(default_factory=list)
    # keys of the tags a person removed (an ``UNTAGGED`` edge with who and when): absent until a
    # person adds them again, whatever the rules or the source records say
    removed: frozenset[str] = frozenset()
    owners: list[OwnerFact] = field(default_factory=list)
