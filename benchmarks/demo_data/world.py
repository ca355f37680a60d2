"""Builds the true world: companies, customers, their history, and the traps that make matching hard."""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.demo_data import ids
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.entities import EXPORT_DAY, FIRST_DAY, Entity, Job, Org, PersonName, World
from benchmarks.demo_data.orgs import full_place, make_orgs, pick_city, street
from benchmarks.demo_data.people import Registry, alias_for, birthday, chinese_name, common_name, english_name
from benchmarks.demo_data.plan import Reach, plan_sources, set_traps
from benchmarks.demo_data.vocab_business import (
    CHANNELS,
    LIFECYCLES,
    NOTES,
    OWNERS,
    SECTORS,
    TAGS_BY_LIFECYCLE,
)
from benchmarks.demo_data.vocab_places import ABROAD, HOMES, City

_LAST_FIRST_CONTACT = date(2025, 3, 31)


def build_world(
    rng: random.Random,
    n_entities: int,
    dirt: DirtConfig,
    *,
    sources: tuple[str, ...],
    company_share: float,
    english_share: float,
    reach: Reach,
) -> World:
    n_company = round(n_entities * company_share)
    n_person = n_entities - n_company
    orgs = make_orgs(rng, n_company + max(3, n_person // 4))
    registry = Registry(rng)
    # Employers: a few companies employ many customers (switchboard and info@ traps need that).
    employer_weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(orgs))]
    rng.shuffle(employer_weights)

    kinds = _person_kinds(rng, n_person, dirt, english_share)
    common_cities: dict[int, list[str]] = {}
    entities: list[Entity] = []
    for kind in kinds:
        entities.append(_person(rng, registry, kind, orgs, employer_weights, dirt, common_cities))
    for org in orgs[:n_company]:
        entities.append(_company(rng, registry, org))
    rng.shuffle(entities)
    for i, entity in enumerate(entities, start=1):
        entity.id = f"E{i:05d}"
        plan_sources(rng, entity, sources, reach)
    set_traps(rng, entities, dirt)
    return World(orgs=tuple(orgs), entities=tuple(entities))


def _person_kinds(rng: random.Random, n_person: int, dirt: DirtConfig, english_share: float) -> list[str]:
    n_english = round(n_person * english_share)
    n_common = max(3, round(n_person * dirt.common_name)) if dirt.common_name > 0 and n_person >= 10 else 0
    groups = max(1, n_common // 3)
    kinds = ["english"] * n_english + [f"common:{i % groups}" for i in range(n_common)]
    kinds += ["chinese"] * max(0, n_person - len(kinds))
    rng.shuffle(kinds)
    return kinds


def _first_contact(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((_LAST_FIRST_CONTACT - FIRST_DAY).days))


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _home(rng: random.Random, city: City, district: str) -> str:
    if city.abroad:
        road = rng.choice(["King Street", "Harbour Road", "Market Street"])
        return f"{rng.randrange(1, 300)} {road}, {city.en}"
    flat = f"{rng.randrange(1, 30)}栋{rng.randrange(1, 5)}单元{rng.randrange(1, 30)}{rng.randrange(1, 5):02d}"
    return f"{full_place(city, district)}{street(rng)}{rng.choice(HOMES)}{flat}"


def _commercial(rng: random.Random, entity: Entity) -> None:
    """Lifecycle, tags, owner, channel and note: what a CRM keeps about any customer."""
    entity.lifecycle = rng.choices([s for s, _ in LIFECYCLES], weights=[w for _, w in LIFECYCLES])[0]
    pool = TAGS_BY_LIFECYCLE[entity.lifecycle]
    entity.tags = tuple(rng.sample(pool, k=rng.randrange(0, min(3, len(pool)) + 1)))
    entity.owner = rng.choice(OWNERS[entity.city.region])
    entity.channel = rng.choice(CHANNELS)
    entity.note = rng.choice(NOTES) if rng.random() < 0.35 else ""


def _blank_entity(kind: str, person: PersonName, gender: str, city: City, district: str) -> Entity:
    return Entity(
        id="",
        kind=kind,
        person=person,
        gender=gender,
        city=city,
        district=district,
        address="",
        mobiles=(),
        email="",
        owner="",
        channel="",
        lifecycle="",
        tags=(),
        first_contact=FIRST_DAY,
        industry="",
        note="",
    )


def _person(
    rng: random.Random,
    registry: Registry,
    kind: str,
    orgs: list[Org],
    employer_weights: list[float],
    dirt: DirtConfig,
    common_cities: dict[int, list[str]],
) -> Entity:
    employer = rng.choices(orgs, weights=employer_weights)[0] if rng.random() < 0.6 else None
    city = employer.city if employer and rng.random() < 0.8 else pick_city(rng)
    if kind == "english":
        name, g = english_name(rng)
        if rng.random() < 0.5:
            city = rng.choices(ABROAD, weights=[c.weight for c in ABROAD])[0]
            employer = None
    elif kind.startswith("common:"):
        group = int(kind.split(":")[1])
        name, g = common_name(group)
        city = _distinct_city(rng, city, common_cities.setdefault(group, []))
    else:
        g = rng.choice("MF")
        name = chinese_name(rng, g)
    district, division = rng.choice(city.districts)
    e = _blank_entity("person", name, "男" if g == "M" else "女", city, district)
    e.first_contact = _first_contact(rng)
    _commercial(rng, e)
    birth = birthday(rng)
    if not name.english:
        born_in = division if rng.random() < 0.7 else rng.choice(pick_city(rng).districts)[1]
        e.national_id = ids.make_national_id(rng, born_in, birth, g == "M")
        if rng.random() < dirt.english_alias_holders:
            e.alias = alias_for(rng, name, g)
    e.mobiles = (registry.foreign_mobile(city.calling_code) if city.abroad else registry.mobile(),)
    e.email = registry.personal_email(name, birth)
    e.address = _home(rng, city, district)
    if employer:
        since = e.first_contact - timedelta(days=rng.randrange(30, 2500))
        e.jobs = (Job(employer, since, registry.work_email(name, employer)),)
        if rng.random() < dirt.moved_company and len(orgs) > 1:
            new_org = rng.choice([o for o in orgs if o is not employer])
            moved = _between(rng, e.first_contact + timedelta(days=45), EXPORT_DAY - timedelta(days=40))
            e.jobs += (Job(new_org, moved, registry.work_email(name, new_org)),)
    e.industry = employer.industry if employer else (rng.choice(SECTORS)[2] if rng.random() < 0.4 else "")
    if not city.abroad and rng.random() < dirt.changed_mobile:
        e.mobiles += (registry.mobile(),)
        e.mobile_changed_on = _between(rng, e.first_contact + timedelta(days=45), EXPORT_DAY - timedelta(days=40))
    return e


def _distinct_city(rng: random.Random, city: City, used: list[str]) -> City:
    """Different customers who share a very common name live in different cities."""
    for _ in range(30):
        if city.name not in used:
            break
        city = pick_city(rng)
    used.append(city.name)
    return city


def _company(rng: random.Random, registry: Registry, org: Org) -> Entity:
    if rng.random() < 0.06:
        contact, g = english_name(rng)
    else:
        g = rng.choice("MF")
        contact = chinese_name(rng, g)
    e = _blank_entity("company", contact, "男" if g == "M" else "女", org.city, org.district)
    e.org = org
    e.first_contact = _first_contact(rng)
    _commercial(rng, e)
    e.address = org.address
    e.industry = org.industry
    e.mobiles = (registry.mobile(),)
    e.email = registry.work_email(contact, org) if rng.random() < 0.7 else f"sales@{org.domain}"
    return e
