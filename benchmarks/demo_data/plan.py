"""Decides where each customer shows up, and which customers carry the shared-identifier traps."""

from __future__ import annotations

import random
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.entities import EXPORT_DAY, Entity

# (counts, weights) by lifecycle
_ORDERS = {
    "潜在": ((0, 1), (92, 8)),
    "成交": ((1, 2, 3, 4, 5, 6), (30, 28, 18, 12, 7, 5)),
    "沉默": ((0, 1, 2, 3), (10, 45, 30, 15)),
    "流失": ((0, 1, 2), (15, 55, 30)),
}
_INTERACTIONS = {
    "潜在": ((0, 1, 2), (50, 35, 15)),
    "成交": ((0, 1, 2, 3, 4), (25, 30, 25, 12, 8)),
    "沉默": ((0, 1, 2), (45, 40, 15)),
    "流失": ((0, 1, 2), (40, 40, 20)),
}


@dataclass(frozen=True)
class Reach:
    """How likely a customer is to be in the CRM export and to have filled in the web form."""

    crm_person: float = 0.7
    crm_company: float = 0.9
    webform_prospect: float = 0.5  # lifecycle 潜在
    webform_other: float = 0.22

    def __post_init__(self) -> None:
        for f in fields(self):
            if not 0.0 <= getattr(self, f.name) <= 1.0:
                raise ValueError(f"Reach.{f.name} must be a probability")


def _draw(rng: random.Random, table: dict[str, tuple[tuple[int, ...], tuple[int, ...]]], key: str) -> int:
    counts, weights = table[key]
    return rng.choices(counts, weights=weights)[0]


def last_change(entity: Entity) -> date | None:
    """The later of a mobile change and a move to a new employer."""
    moved = entity.jobs[-1].since if len(entity.jobs) > 1 else None
    changes = [d for d in (entity.mobile_changed_on, moved) if d]
    return max(changes) if changes else None


def _web_time(rng: random.Random, entity: Entity, after: date | None, first: bool) -> datetime:
    if first and after is None and entity.channel == "官网" and rng.random() < 0.5:
        day = entity.first_contact
    else:
        start = after + timedelta(days=1) if after else entity.first_contact - timedelta(days=30)
        day = start + timedelta(days=rng.randrange(max(1, (EXPORT_DAY - start).days)))
    return datetime.combine(day, time(rng.randrange(8, 24), rng.randrange(60), rng.randrange(60)))


def plan_sources(rng: random.Random, entity: Entity, sources: tuple[str, ...], reach: Reach) -> None:
    p = entity.plan
    p.in_crm = rng.random() < (reach.crm_company if entity.kind == "company" else reach.crm_person)
    p.n_orders = _draw(rng, _ORDERS, entity.lifecycle)
    p.n_interactions = _draw(rng, _INTERACTIONS, entity.lifecycle)
    n_web = 0
    if rng.random() < (reach.webform_prospect if entity.lifecycle == "潜在" else reach.webform_other):
        n_web = 2 if rng.random() < 0.1 else 1
    changed = last_change(entity)
    if changed:  # the CRM keeps the old state, a later web form shows the new one
        p.in_crm = True
        n_web = max(n_web, 1)
    p.webform_times = sorted(_web_time(rng, entity, changed, i == 0) for i in range(n_web))
    p.crm_reentry = bool(entity.mobile_changed_on and entity.national_id and rng.random() < 0.35)

    if "crm_export" not in sources:
        p.in_crm = p.crm_reentry = False
    if "orders" not in sources:
        p.n_orders = 0
    if "webform" not in sources:
        p.webform_times = []
    if "interactions" not in sources:
        p.n_interactions = 0
    if not (p.in_crm or p.n_orders or p.webform_times or p.n_interactions):
        first = sources[0]
        if first == "crm_export":
            p.in_crm = True
        elif first == "orders":
            p.n_orders = 1
        elif first == "webform":
            p.webform_times = [datetime.combine(entity.first_contact, time(10, 0))]
        else:
            p.n_interactions = 1


def set_traps(rng: random.Random, entities: list[Entity], dirt: DirtConfig) -> None:
    """Identifiers that several different customers share: placeholders, switchboards, info@ mailboxes."""
    persons = [e for e in entities if e.kind == "person"]
    candidates = [e for e in persons if e.plan.in_crm and not e.city.abroad]
    if dirt.placeholder_mobile > 0:
        k = min(len(candidates), max(3, round(dirt.placeholder_mobile * len(persons))))
        for e in rng.sample(candidates, k):
            e.plan.placeholder_mobile = True
    _share(
        rng,
        [e for e in persons if e.plan.in_crm and not e.plan.placeholder_mobile],
        dirt.shared_switchboard,
        "switchboard",
    )
    _share(rng, [e for e in persons if e.plan.in_crm or e.plan.webform_times], dirt.shared_info_email, "info_email")


def _share(rng: random.Random, people: list[Entity], rate: float, flag: str) -> None:
    """Flag 2-4 employees in a share `rate` of the companies that have several customers on file."""
    if rate <= 0:
        return
    staff_by_org: dict[str, list[Entity]] = {}
    for e in people:
        if e.jobs:
            staff_by_org.setdefault(e.jobs[0].org.id, []).append(e)
    multi = [staff for _, staff in sorted(staff_by_org.items()) if len(staff) >= 2]
    if not multi:
        return
    for staff in rng.sample(multi, max(1, round(rate * len(multi)))):
        for e in rng.sample(staff, rng.randint(2, min(4, len(staff)))):
            setattr(e.plan, flag, True)
