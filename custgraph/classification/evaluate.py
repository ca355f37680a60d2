"""Tags, lifecycle and rule-assigned owners of one customer as of a date D: pure functions over facts.

Windows include both ends: "orders in the 6 months up to D" counts orders dated D - 6 months through
D, so an order exactly 3 months before D is within "the last 3 months", and one exactly 30 days
before D is within "the last 30 days". Nothing dated after D counts, which is what makes a
recompute ``--as-of`` a past date reproducible.

Who owns a tag decides what recompute may touch: rules only add and remove their own tags. A tag a
person set (or the customer's records named) in an exclusive dimension holds that dimension: the
rules add no other tag there. ``settle`` is the one place that decides which tag an exclusive
dimension shows (a person's > the source records' > the rules'), and that a tag a person removed
stays away.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from custgraph.classification.assignment import AssignmentRules, RuleOwner, Subject, assign_owners
from custgraph.classification.facts import CustomerFacts, EdgeKind, TagFact
from custgraph.classification.library import Condition, Dimension, Matcher, TagLibrary
from custgraph.matching.standardize import city_region, region_area
from custgraph.matching.standardize.regions import find_province

CHINA = {"中国", "中华人民共和国", "china", "cn", "chn", "prc", "中國"}


@lru_cache(maxsize=1024)  # a recompute asks for the same few dates (one D, a few windows) per customer
def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter: 08-31 -> 02-29)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_start(condition: Condition, as_of: date) -> date | None:
    if condition.months is not None:
        return months_before(as_of, condition.months)
    if condition.days is not None:
        return as_of - timedelta(days=condition.days)
    return None


def _within(on: date | None, start: date | None, as_of: date, *, undated: bool) -> bool:
    """Dated on or before D and, with a window, on or after its start; an undated event counts only
    where no window is asked for (it happened, we do not know when)."""
    if on is None:
        return undated and start is None
    return on <= as_of and (start is None or on >= start)


def measure(condition: Condition, facts: CustomerFacts, as_of: date) -> float | None:
    """The metric's value for this customer, or None when it cannot be known (no tenure start)."""
    start = window_start(condition, as_of)
    metric = condition.metric
    if metric in ("orders", "spend", "monthly_spend"):
        orders = [o for o in facts.orders if _within(o.on, start, as_of, undated=True)]
        if metric == "orders":
            return float(len(orders))
        spend = sum(o.amount for o in orders)
        return spend / condition.months if metric == "monthly_spend" and condition.months else spend
    if metric == "interactions":
        return float(
            sum(
                1
                for i in facts.interactions
                if _within(i.on, start, as_of, undated=True) and (condition.type is None or i.type == condition.type)
            )
        )
    if metric == "touches":
        dated = [o.on for o in facts.orders] + [i.on for i in facts.interactions]
        return float(sum(1 for on in dated if _within(on, start, as_of, undated=True)))
    if metric == "marked_lost":
        return 1.0 if facts.marked_lost else 0.0
    raise ValueError(f"{metric} is measured by holds()")  # tenure_years compares dates, see _tenure_holds


def tenure_start(facts: CustomerFacts) -> date | None:
    """The first contact, else the earliest of the customer's first record and its orders."""
    if facts.first_contact is not None:
        return facts.first_contact
    dates = [d for d in [facts.created, *(o.on for o in facts.orders)] if d is not None]
    return min(dates) if dates else None


def _tenure_holds(condition: Condition, facts: CustomerFacts, as_of: date) -> bool:
    """Whole-year bounds compared as dates: "at least 1 year" is a start on or before D - 1 year."""
    start = tenure_start(facts)
    if start is None or start > as_of:
        return False

    def years_ago(n: float) -> date:
        return months_before(as_of, int(n) * 12)

    checks = (
        condition.min is None or start <= years_ago(condition.min),
        condition.max is None or start >= years_ago(condition.max),
        condition.above is None or start < years_ago(condition.above),
        condition.below is None or start > years_ago(condition.below),
    )
    return all(checks)


def holds(condition: Condition, facts: CustomerFacts, as_of: date) -> bool:
    if condition.metric == "tenure_years":
        return _tenure_holds(condition, facts, as_of)
    value = measure(condition, facts, as_of)
    if value is None:
        return False
    return (
        (condition.min is None or value >= condition.min)
        and (condition.max is None or value <= condition.max)
        and (condition.above is None or value > condition.above)
        and (condition.below is None or value < condition.below)
    )


def applies(matcher: Matcher, facts: CustomerFacts, as_of: date) -> bool:
    if not all(holds(c, facts, as_of) for c in matcher.all):
        return False
    return not matcher.any or any(holds(c, facts, as_of) for c in matcher.any)


def sales_area(facts: CustomerFacts) -> tuple[str | None, str | None]:
    """(sales area, province) from the region, else the city; 海外 handling is the library's."""
    return _sales_area(facts.region, facts.city, facts.country)


@lru_cache(maxsize=8192)  # few distinct places, looked up for every customer
def _sales_area(region: str | None, city: str | None, country: str | None) -> tuple[str | None, str | None]:
    for value in (region, city):
        if not value:
            continue
        province = find_province(value)
        if province is not None:
            return province.area, province.name
        in_city = city_region(value)
        if in_city is not None:
            return region_area(in_city), in_city
    if country and country.strip().casefold() not in CHINA:
        return "海外", None
    return None, None


def _profile_tag(dim: Dimension, facts: CustomerFacts) -> str | None:
    if dim.from_profile == "industry":
        name = (facts.industry or "").strip()
    else:
        area = sales_area(facts)[0]
        name = dim.areas.get(area, area) if area else ""
    if not name or ":" in name or not dim.allows(name):
        return None
    return name


def computed_tags(library: TagLibrary, facts: CustomerFacts, as_of: date) -> set[str]:
    """Every tag the rules give the customer, before what people set is taken into account."""
    keys: set[str] = set()
    for dim in library.dimensions:
        if dim.from_profile:
            name = _profile_tag(dim, facts)
            if name is not None:
                keys.add(f"{dim.name}:{name}")
            continue
        for tag in dim.tags:
            if applies(tag, facts, as_of):
                keys.add(f"{dim.name}:{tag.name}")
                if dim.exclusive:
                    break
    return keys


def lifecycle(library: TagLibrary, facts: CustomerFacts, as_of: date) -> str:
    for rule in library.lifecycle:
        if applies(rule, facts, as_of):
            return rule.stage
    raise AssertionError("the library's last lifecycle rule applies always")


@dataclass(frozen=True)
class Classification:
    tags: frozenset[str]  # the rule tags the customer should carry
    lifecycle: str
    owners: tuple[RuleOwner, ...]  # the rule-assigned owners it should have
    # tags of people or source records that must go: removed by a person, or outranked in their
    # exclusive dimension (``settle``)
    dropped: frozenset[str] = frozenset()


# Within an exclusive dimension a customer shows one tag: a person's beats one its source records
# name (an imported 高价值 beside a person's value:low), which beats the rules'.
PRECEDENCE: dict[EdgeKind, int] = {"manual": 0, "source": 1, "rule": 2}


def _dimension(key: str) -> str:
    return key.split(":", 1)[0]


def settle(library: TagLibrary, facts: CustomerFacts) -> tuple[set[str], set[str]]:
    """The tags of people and source records that stay, and those that go.

    A tag a person removed goes (a source record naming it again does not bring it back). In an
    exclusive dimension the first by ``PRECEDENCE`` stays; among equals the one added last, then the
    smallest key, so the answer never depends on the order edges are read in.
    """
    edges: list[TagFact] = sorted((t for t in facts.tags if t.kind != "rule"), key=lambda t: t.key)
    edges.sort(key=lambda t: t.at or "", reverse=True)  # stable sorts: latest first within a kind
    edges.sort(key=lambda t: PRECEDENCE[t.kind])
    kept: set[str] = set()
    dropped: set[str] = set()
    holder: dict[str, str] = {}
    for tag in edges:
        dimension = _dimension(tag.key)
        if tag.key in facts.removed or (library.exclusive(dimension) and holder.get(dimension, tag.key) != tag.key):
            dropped.add(tag.key)
            continue
        holder.setdefault(dimension, tag.key)
        kept.add(tag.key)
    return kept, dropped - kept


def classify(library: TagLibrary, rules: AssignmentRules, facts: CustomerFacts, as_of: date) -> Classification:
    kept, dropped = settle(library, facts)
    held = {_dimension(key) for key in kept if library.exclusive(_dimension(key))}
    tags = {
        k
        for k in computed_tags(library, facts, as_of)
        if _dimension(k) not in held and k not in facts.removed  # a person's removal holds until they add it
    }
    area, province = sales_area(facts)
    region = library.by_name.get("region")
    subject = Subject(
        area=region.areas.get(area, area) if region is not None and area else area,
        province=province,
        industry=facts.industry,
        tags=frozenset(tags | kept),
    )
    people = [o.name for o in facts.owners if o.kind != "rule"]
    owners = tuple(assign_owners(rules, subject, kept=people))
    return Classification(frozenset(tags), lifecycle(library, facts, as_of), owners, frozenset(dropped))


@dataclass
class Change:
    """What recompute writes for one customer; an empty change writes nothing."""

    id: str
    add_tags: list[str] = field(default_factory=list)
    drop_tags: list[str] = field(default_factory=list)  # rule tags
    drop_other_tags: list[str] = field(default_factory=list)  # people's or source records' tags (settle)
    lifecycle: str | None = None  # the new stage, when it changed
    add_owners: list[RuleOwner] = field(default_factory=list)
    update_owners: list[RuleOwner] = field(default_factory=list)  # rule owners whose roles or rules changed
    drop_owners: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        owners = self.add_owners or self.update_owners or self.drop_owners
        return not (self.add_tags or self.drop_tags or self.drop_other_tags or self.lifecycle or owners)


def diff(facts: CustomerFacts, wanted: Classification) -> Change:
    """Only what differs: rule tags and rule owners to add or drop, the stage if it moved."""
    present = {t.key for t in facts.tags}
    ruled = {t.key for t in facts.tags if t.kind == "rule"}
    change = Change(facts.id)
    change.add_tags = sorted(wanted.tags - present)
    change.drop_tags = sorted(ruled - wanted.tags)
    change.drop_other_tags = sorted(wanted.dropped & (present - ruled))
    if wanted.lifecycle != facts.lifecycle:
        change.lifecycle = wanted.lifecycle
    existing = {o.name: o for o in facts.owners}
    for owner in wanted.owners:
        had = existing.get(owner.name)
        if had is None:
            change.add_owners.append(owner)
        elif had.kind == "rule" and (had.role, had.rule) != (owner.role, owner.rule):
            change.update_owners.append(owner)
    wanted_names = {o.name for o in wanted.owners}
    change.drop_owners = sorted(o.name for o in facts.owners if o.kind == "rule" and o.name not in wanted_names)
    return change


def tag_parts(keys: Iterable[str]) -> list[tuple[str, str, str]]:
    """(key, dimension, name) of tag keys."""
    return [(key, *key.split(":", 1)) for key in keys]  # type: ignore[misc]
