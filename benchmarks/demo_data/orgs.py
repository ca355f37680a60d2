"""Companies: unique names, credit codes, switchboards, mail domains and office addresses."""

from __future__ import annotations

import random

from benchmarks.demo_data import ids
from benchmarks.demo_data.entities import Org
from benchmarks.demo_data.vocab_business import BRANDS, SECTORS
from benchmarks.demo_data.vocab_places import CITIES, OFFICE_BUILDINGS, ROADS, City

_CITY_WEIGHTS = [c.weight for c in CITIES]


def pick_city(rng: random.Random) -> City:
    return rng.choices(CITIES, weights=_CITY_WEIGHTS)[0]


def street(rng: random.Random) -> str:
    return f"{rng.choice(ROADS)}{rng.randrange(1, 999)}号"


def full_place(city: City, district: str) -> str:
    """北京市朝阳区 / 广东省广州市天河区."""
    head = city.name if city.municipality else f"{city.province}{city.name}"
    return head + district


def make_orgs(rng: random.Random, count: int) -> list[Org]:
    orgs: list[Org] = []
    used_names: set[tuple[str, str, str]] = set()
    used_domains: set[str] = set()
    while len(orgs) < count:
        brand, brand_py = rng.choice(BRANDS)
        sector, sector_en, industry = rng.choice(SECTORS)
        city = pick_city(rng)
        if (brand, sector, city.name) in used_names:
            continue
        used_names.add((brand, sector, city.name))
        district, division = rng.choice(city.districts)
        domain = _domain(rng, brand_py, sector_en, city, used_domains)
        building = f"{brand}{rng.choice(OFFICE_BUILDINGS)}"
        floor = rng.randrange(2, 32)
        room = f"{floor}层{floor:d}{rng.randrange(1, 20):02d}室"
        orgs.append(
            Org(
                id=f"O{len(orgs) + 1:05d}",
                brand=brand,
                brand_py=brand_py,
                sector=sector,
                sector_en=sector_en,
                industry=industry,
                city=city,
                district=district,
                division=division,
                suffix="股份有限公司" if rng.random() < 0.15 else "有限公司",
                city_in_parens=rng.random() < 0.25,
                credit_code=ids.make_credit_code(rng, division),
                switchboard=ids.make_landline(rng, city.area_code),
                domain=domain,
                address=f"{full_place(city, district)}{street(rng)}{building}{room}",
            )
        )
    return orgs


def _domain(rng: random.Random, brand_py: str, sector_en: str, city: City, used: set[str]) -> str:
    word = sector_en.split()[0].lower()[:4]
    tld = rng.choice([".com", ".com", ".cn", ".com.cn"])
    for candidate in (f"{brand_py}{tld}", f"{brand_py}{word}{tld}", f"{brand_py}-{city.en.lower()[:2]}{tld}"):
        if candidate not in used:
            used.add(candidate)
            return candidate
    n = 2
    while (candidate := f"{brand_py}{word}{n}{tld}") in used:
        n += 1
    used.add(candidate)
    return candidate
