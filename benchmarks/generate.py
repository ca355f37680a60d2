"""Deterministic generator of Chinese customer records with duplicates and realistic namesakes.

    .venv/bin/python benchmarks/generate.py --n 100000 --dup-rate 0.3 --namesake-rate 0.05 --seed 1 --out DIR

``--n`` counts **records** (rows over all sources), not people: ``--n 1000000`` is the issue's "1M records".
The number of true customers (entities) follows from ``--dup-rate``, the share of records that repeat an
entity already written: entities ≈ n × (1 - dup-rate).

Who the people are:
- names drawn by real frequency (benchmarks/zh_vocab.py: ~400 surnames weighted 王 7.1%, 李 7.0%, 张 6.7%
  ... with a long tail; common one- and two-character given names by share, then a composed long tail),
  so same-name, same-city different people come at the rate they come in real data, and their number
  grows with the square of the data, not linearly;
- ``--namesake-rate``: on top of that, this share of entities are planted namesakes: the full name and
  city of a recent entity that is not itself planted (so a natural entity gets rate / (1 - rate) twins
  on average), another mobile, email and birthday, and in 30% of cases the same employer
  (the trap "namesakes carried over the threshold by a shared company or a rare given name");
- one mobile each (15% have a second one), a personal email for 70%, a birthday, a city, an employer
  for 35%. Mobiles and emails are unique per entity.

How the records differ (per record, whichever source): the name in traditional characters (OpenCC),
in pinyin (Zhang Wei / zhangwei / ZHANG Wei), title only (陈女士), an input-method homophone (张玮), a
dropped or swapped character, spaced (张 伟); the mobile missing, the person's second mobile, a
mistyped digit, formatting dirt (+86, 0086, spaces, dashes, full-width digits); upper-case or padded
emails; 北京 vs 北京市 vs 北京北京 vs Beijing; company names with and without city and suffix; dates in
four formats. The dirt tags of each record are in truth.csv.

Sources, each with its own key, columns and container, so that ``custgraph import`` is exercised:
- ``crm_export``: a CRM export, CSV in UTF-8 with BOM, Chinese headers (客户编号 ...);
- ``store_members``: a store membership list, CSV in GB18030 (``--legacy-format xlsx`` for an .xlsx);
- ``webform``: a web form, JSONL; a visitor who skipped a field sends no key for it.

Files written to ``--out``:
- the source files (``--max-rows-per-file`` splits each into parts: crm_export_001.csv ...);
- ``mappings/<source>.yaml``: the mapping profile to import each with (``custgraph import FILE --mapping``);
- ``truth.csv``: source,source_key,entity,dirt (the input of shared/checks/pair_f1.py);
- ``flat/<source>.csv`` (with ``--flat``): the same records in one flat UTF-8 CSV per source with the same
  columns for every source (unique_id,source,source_key,name,gender,mobile,email,birth_date,province,city,
  company) and the same raw values, which both our engine (``mappings/flat.yaml``) and Splink read;
- ``manifest.json``: the parameters, the files and their row counts, entity and namesake counts.

Everything streams: records go to disk through a bounded shuffle buffer per source (which spreads an
entity's records over the file), so memory stays flat in ``--n`` except for one small counter per
entity (the namesake statistics). The same arguments give byte-identical files.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import functools
import io
import itertools
import json
import random
import sys
import zipfile
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import zh_vocab as vocab

GENERATOR_VERSION = 1
FLAT_COLUMNS = (
    "unique_id",
    "source",
    "source_key",
    "name",
    "gender",
    "mobile",
    "email",
    "birth_date",
    "province",
    "city",
    "company",
)
MAX_EXTRA_RECORDS = 8  # an entity has at most 1 + this many records

# --- the sources ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    name: str
    kind: str
    fmt: str  # csv / jsonl / xlsx
    encoding: str  # for csv
    key: str  # the key column
    key_format: str
    columns: tuple[tuple[str, str], ...]  # (source column, flat field); "" = not a matching field
    share: float  # of all records
    presence: dict[str, float]  # P(field written), given the entity has it


CRM = Source(
    name="crm_export",
    kind="customers",
    fmt="csv",
    encoding="utf-8-sig",
    key="客户编号",
    key_format="KH{:08d}",
    columns=(
        ("客户姓名", "name"),
        ("性别", "gender"),
        ("手机号", "mobile"),
        ("邮箱", "email"),
        ("出生日期", "birth_date"),
        ("省份", "province"),
        ("城市", "city"),
        ("公司名称", "company"),
        ("首次接触日期", "first_contact"),
    ),
    share=0.5,
    presence={
        "name": 0.99,
        "gender": 0.5,
        "mobile": 0.9,
        "email": 0.7,
        "birth_date": 0.3,
        "province": 0.7,
        "city": 0.9,
        "company": 0.8,
    },
)
STORE = Source(
    name="store_members",
    kind="customers",
    fmt="csv",
    encoding="gb18030",
    key="会员卡号",
    key_format="VIP{:09d}",
    columns=(
        ("姓名", "name"),
        ("手机", "mobile"),
        ("生日", "birth_date"),
        ("城市", "city"),
        ("注册日期", "first_contact"),
        ("积分", "points"),
    ),
    share=0.25,
    presence={"name": 0.98, "mobile": 0.95, "birth_date": 0.6, "city": 0.8},
)
WEBFORM = Source(
    name="webform",
    kind="customers",
    fmt="jsonl",
    encoding="utf-8",
    key="id",
    key_format="wf-{:08d}",
    columns=(
        ("name", "name"),
        ("mobile", "mobile"),
        ("email", "email"),
        ("company", "company"),
        ("city", "city"),
        ("submitted_at", "last_contact"),
        ("message", "notes"),
    ),
    share=0.25,
    presence={"name": 0.97, "mobile": 0.75, "email": 0.85, "company": 0.5, "city": 0.6},
)
SOURCES: dict[str, Source] = {s.name: s for s in (CRM, STORE, WEBFORM)}
MAPPED = {
    "name",
    "gender",
    "mobile",
    "email",
    "birth_date",
    "province",
    "city",
    "company",
    "first_contact",
    "last_contact",
    "notes",
}
CANONICAL = {"province": "region"}  # flat field -> the project's canonical field, where they differ

# Per-record variation rates. Each applies to any record (a singleton too: CRMs hold 陈女士 rows).
RATES: dict[str, float] = {
    "name_traditional": 0.03,
    "name_pinyin": 0.03,
    "name_title_only": 0.03,
    "name_homophone": 0.03,
    "name_char_typo": 0.01,  # a given-name character dropped, or the two swapped
    "name_spaced": 0.02,
    "second_mobile": 0.5,  # of the records of an entity that has one
    "mobile_typo": 0.005,
    "mobile_format": 0.4,
    "email_case": 0.12,
    "email_space": 0.04,
    "email_fullwidth_at": 0.02,
    "birth_date_typo": 0.01,
    "city_traditional": 0.02,
    "city_english": 0.03,
    "city_with_province": 0.08,
    "city_short": 0.45,  # 北京 rather than 北京市
    "company_variant": 0.5,
}
WEB_PINYIN = 0.08  # web form visitors type pinyin more often
EMPLOYED = 0.35
HAS_EMAIL = 0.7
HAS_SECOND_MOBILE = 0.15
NAMESAKE_SAME_COMPANY = 0.3
RECENT_ENTITIES = 20_000  # planted namesakes copy one of these
MAX_TWINS = 3


# --- sampling helpers -----------------------------------------------------------------------------


class Weighted:
    """rng.choices for a fixed table, by bisection on precomputed cumulative weights."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class GivenSampler:
    def __init__(self, gender: str) -> None:
        names = vocab.given_names(gender)
        self.head = Weighted([n for n, _ in names.head], [p for _, p in names.head])
        self.head_total = sum(p for _, p in names.head)
        self.single_tail = names.single_tail
        self.pool = Weighted(names.pool, names.pool_weights)

    def pick(self, rng: random.Random) -> str:
        u = rng.random()
        if u < self.head_total:
            return self.head.pick(rng)
        first = self.pool.pick(rng)
        if u < self.head_total + self.single_tail:
            return first
        second = self.pool.pick(rng)
        while second == first:
            second = self.pool.pick(rng)
        return first + second


@functools.cache
def _pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(ch))


@functools.cache
def surname_pinyin(surname: str) -> str:
    return vocab.SURNAME_READINGS.get(surname) or "".join(_pinyin(c) for c in surname)


@functools.cache
def given_pinyin(given: str) -> str:
    return "".join(_pinyin(c) for c in given)


@functools.cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


_HOMOPHONE_OF: dict[str, str] = {}
for _group in vocab.HOMOPHONES:
    for _ch in _group:
        _HOMOPHONE_OF.setdefault(_ch, _group)
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _bijection(rng: random.Random, modulus: int) -> tuple[int, int]:
    """(a, b) with a coprime to modulus (10^k or 9·10^k): i -> (a·i + b) mod modulus is one-to-one."""
    while True:
        a = rng.randrange(modulus // 7, modulus) | 1
        if a % 5 and a % 3:
            return a, rng.randrange(modulus)


# --- the world ------------------------------------------------------------------------------------


@dataclass
class Company:
    name: str  # 广州华信科技有限公司
    brand: str
    sector: str
    city: vocab.City


@dataclass
class Entity:
    index: int
    id: str
    surname: str
    given: str
    gender: str  # M / F
    birth: date
    city: vocab.City
    mobile: str
    mobile2: str | None
    email: str | None
    company: Company | None
    planted_namesake: bool = False
    twins: int = 0  # planted namesakes of this entity

    @property
    def name(self) -> str:
        return self.surname + self.given


class World:
    """Makes entities one after the other; all state is bounded except the namesake counter."""

    def __init__(self, seed: int, namesake_rate: float, expected_entities: int) -> None:
        self.rng = random.Random(f"{seed}:world")
        self.namesake_rate = namesake_rate
        surnames = vocab.surname_weights()
        self.surnames = Weighted([s for s, _ in surnames], [w for _, w in surnames])
        self.given = {"M": GivenSampler("M"), "F": GivenSampler("F")}
        self.cities = Weighted(vocab.CITIES, [c.weight for c in vocab.CITIES])
        self.domains = Weighted([d for d, _ in vocab.EMAIL_DOMAINS], [w for _, w in vocab.EMAIL_DOMAINS])
        self.mobile_map = _bijection(self.rng, 10**8)
        self.email_map = _bijection(self.rng, 10**7)
        self.qq_map = _bijection(self.rng, 9 * 10**8)
        self.companies = self._companies(max(20, expected_entities // 30))
        self.employers = Weighted(self.companies, [1.0 / (r + 2) for r in range(len(self.companies))])
        self.recent: deque[Entity] = deque(maxlen=RECENT_ENTITIES)
        self.name_city: Counter[int] = Counter()  # hash((name, city)) -> entities
        self.planted = 0
        self.count = 0

    def _companies(self, count: int) -> list[Company]:
        rng, seen, out = self.rng, set(), []
        for _ in range(count):
            brand, sector, city = rng.choice(vocab.BRANDS), rng.choice(vocab.SECTORS), self.cities.pick(rng)
            name = f"{city.short}{brand}{sector}有限公司"
            n = 2
            while name in seen:
                name = f"{city.short}{brand}{sector}{n}有限公司"  # rare: 广州华信科技2有限公司 reads odd, stays unique
                n += 1
            seen.add(name)
            out.append(Company(name, brand, sector, city))
        return out

    def _mobile(self, i: int) -> str:
        a, b = self.mobile_map
        return self.rng.choice(vocab.MOBILE_PREFIXES) + f"{(a * i + b) % 10**8:08d}"

    def _email(self, i: int, surname: str, given: str, birth: date) -> str:
        rng = self.rng
        domain = self.domains.pick(rng)
        if domain == "qq.com" and rng.random() < 0.6:
            a, b = self.qq_map
            return f"{10**8 + (a * i + b) % (9 * 10**8)}@qq.com"
        a, b = self.email_map
        tag = (a * i + b) % 10**7
        sp, gp = surname_pinyin(surname), given_pinyin(given)
        local = rng.choice((f"{sp}{gp}", f"{gp}.{sp}", f"{sp}_{gp}", f"{sp}{gp}{birth:%y}"))
        return f"{local}{tag}@{domain}"

    def next(self) -> Entity:
        rng, i = self.rng, self.count
        self.count += 1
        gender = "M" if rng.random() < 0.5 else "F"
        birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        company = self.employers.pick(rng) if rng.random() < EMPLOYED else None
        twin = None
        if self.recent and rng.random() < self.namesake_rate:
            for _ in range(4):  # at most MAX_TWINS planted namesakes per natural entity
                candidate = self.recent[rng.randrange(len(self.recent))]
                if candidate.twins < MAX_TWINS:
                    twin = candidate
                    break
        planted = twin is not None
        if twin is not None:
            twin.twins += 1
            surname, given, gender, city = twin.surname, twin.given, twin.gender, twin.city
            if twin.company is not None and rng.random() < NAMESAKE_SAME_COMPANY:
                company = twin.company
            self.planted += 1
        else:
            surname, given = self.surnames.pick(rng), self.given[gender].pick(rng)
            city = company.city if company is not None and rng.random() < 0.8 else self.cities.pick(rng)
        mobile2 = None
        if rng.random() < HAS_SECOND_MOBILE:
            # indexes 5e7.. never meet a first mobile's; scattered by 7919 (coprime to 5e7) so that the
            # two numbers of one person share no digits by construction (i + 5e7 kept the last seven)
            a, b = self.mobile_map
            j = 5 * 10**7 + (i * 7919) % (5 * 10**7)
            mobile2 = rng.choice(vocab.MOBILE_PREFIXES) + f"{(a * j + b) % 10**8:08d}"
        email = self._email(i, surname, given, birth) if rng.random() < HAS_EMAIL else None
        entity = Entity(
            index=i,
            id=f"E{i + 1:07d}",
            surname=surname,
            given=given,
            gender=gender,
            birth=birth,
            city=city,
            mobile=self._mobile(i),
            mobile2=mobile2,
            email=email,
            company=company,
            planted_namesake=planted,
        )
        if not planted:  # namesakes are planted on natural entities only: no snowballing 40 twins of one name
            self.recent.append(entity)
        self.name_city[hash((entity.name, city.name))] += 1
        return entity

    def namesake_stats(self) -> dict[str, int]:
        people = sum(k for k in self.name_city.values() if k > 1)
        pairs = sum(k * (k - 1) // 2 for k in self.name_city.values())
        return {"namesake_people": people, "namesake_pairs": pairs, "planted_namesakes": self.planted}


# --- how one record writes an entity --------------------------------------------------------------


class Renderer:
    def __init__(self, seed: int, rates: dict[str, float]) -> None:
        self.rng = random.Random(f"{seed}:records")
        self.rates = rates

    def record(self, e: Entity, source: Source) -> tuple[dict[str, str], list[str]]:
        """The flat fields of one record of ``e`` in ``source`` (raw, dirty values) and its dirt tags."""
        rng, p = self.rng, source.presence
        dirt: list[str] = []
        row: dict[str, str] = {}
        if rng.random() < p.get("name", 0):
            row["name"] = self._name(e, source, dirt)
        else:
            dirt.append("no_name")
        if rng.random() < p.get("gender", 0):
            row["gender"] = (("男", "女") if rng.random() < 0.8 else ("M", "F"))[e.gender == "F"]
        if rng.random() < p.get("mobile", 0):
            row["mobile"] = self._mobile(e, dirt)
        else:
            dirt.append("no_mobile")
        if e.email and rng.random() < p.get("email", 0):
            row["email"] = self._email(e.email, dirt)
        if rng.random() < p.get("birth_date", 0):
            row["birth_date"] = self._date(e.birth, dirt, typo=True)
        if rng.random() < p.get("province", 0):
            row["province"] = e.city.province if rng.random() < 0.6 else e.city.province_short
        if rng.random() < p.get("city", 0):
            row["city"] = self._city(e.city, dirt)
        if e.company is not None and rng.random() < p.get("company", 0):
            row["company"] = self._company(e.company, dirt)
        return row, dirt

    def _name(self, e: Entity, source: Source, dirt: list[str]) -> str:
        rng, r = self.rng, self.rates
        u = rng.random()
        pinyin = WEB_PINYIN if source is WEBFORM else r["name_pinyin"]
        cuts = itertools.accumulate(
            (
                r["name_title_only"],
                pinyin,
                r["name_traditional"],
                r["name_homophone"],
                r["name_char_typo"],
                r["name_spaced"],
            )
        )
        kinds = ("title_only", "pinyin", "traditional", "homophone", "char_typo", "spaced")
        kind = next((k for k, cut in zip(kinds, cuts, strict=True) if u < cut), None)
        name = e.name
        if kind == "title_only":
            name = e.surname + ("先生" if e.gender == "M" else "女士")
        elif kind == "pinyin":
            sp = surname_pinyin(e.surname).capitalize()
            gp = given_pinyin(e.given).capitalize()
            name = rng.choice((f"{sp} {gp}", f"{sp}{gp}".lower(), f"{gp} {sp}", f"{sp.upper()} {gp}", f"{sp}{gp}"))
        elif kind == "traditional":
            name = traditional(name)
            if name == e.name:
                kind = None  # no character differs (王芳): not dirt
        elif kind == "homophone":
            options = [
                name[:i] + alt + name[i + 1 :]
                for i, ch in enumerate(name)
                for alt in _HOMOPHONE_OF.get(ch, "")
                if alt != ch and not (i < len(e.surname) and len(e.surname) > 1)
            ]
            if options:
                name = rng.choice(options)
            else:
                kind = None
        elif kind == "char_typo":
            if len(e.given) == 2:
                name = e.surname + (e.given[::-1] if rng.random() < 0.5 else e.given[rng.randrange(2)])
            else:
                kind = None
        elif kind == "spaced":
            name = rng.choice((f"{e.surname} {e.given}", f"{e.surname}\u3000{e.given}", f" {name} "))
        if kind:
            dirt.append(f"name_{kind}")
        return name

    def _mobile(self, e: Entity, dirt: list[str]) -> str:
        rng, r = self.rng, self.rates
        number = e.mobile
        if e.mobile2 and rng.random() < r["second_mobile"]:
            number = e.mobile2
            dirt.append("second_mobile")
        if rng.random() < r["mobile_typo"]:
            i = rng.randrange(3, 11)
            number = number[:i] + rng.choice([d for d in "0123456789" if d != number[i]]) + number[i + 1 :]
            dirt.append("mobile_typo")
        if rng.random() < r["mobile_format"]:
            m = number
            number = rng.choice(
                (
                    f"+86 {m}",
                    f"+86{m}",
                    f"+86-{m[:3]}-{m[3:7]}-{m[7:]}",
                    f"0086{m}",
                    f"86{m}",
                    f"{m[:3]} {m[3:7]} {m[7:]}",
                    f"{m[:3]}-{m[3:7]}-{m[7:]}",
                    m.translate(_FULLWIDTH),
                    f" {m} ",
                )
            )
            dirt.append("mobile_format")
        return number

    def _email(self, email: str, dirt: list[str]) -> str:
        rng, r = self.rng, self.rates
        u = rng.random()
        if u < r["email_case"]:
            dirt.append("email_case")
            local, domain = email.split("@")
            return rng.choice((email.upper(), f"{local.capitalize()}@{domain}", f"{local}@{domain.upper()}"))
        if u < r["email_case"] + r["email_space"]:
            dirt.append("email_space")
            return rng.choice((f" {email}", f"{email} ", f"{email}\u3000"))
        if u < r["email_case"] + r["email_space"] + r["email_fullwidth_at"]:
            dirt.append("email_fullwidth_at")
            return email.replace("@", "＠")
        return email

    def _date(self, day: date, dirt: list[str] | None = None, typo: bool = False) -> str:
        rng = self.rng
        if typo and dirt is not None and rng.random() < self.rates["birth_date_typo"]:
            dirt.append("birth_date_typo")
            day = (
                day.replace(day=day.day % 28 + 1)
                if rng.random() < 0.5
                else date(day.year + 1, day.month, min(day.day, 28))
            )
        fmt = rng.random()
        if fmt < 0.55:
            return day.isoformat()
        if fmt < 0.75:
            return f"{day.year}/{day.month}/{day.day}"
        if fmt < 0.9:
            return f"{day.year}年{day.month}月{day.day}日"
        return f"{day:%Y%m%d}"

    def _city(self, city: vocab.City, dirt: list[str]) -> str:
        rng, r = self.rng, self.rates
        u = rng.random()
        cut = itertools.accumulate((r["city_traditional"], r["city_english"], r["city_with_province"], r["city_short"]))
        kind = next(
            (k for k, c in zip(("traditional", "english", "with_province", "short"), cut, strict=False) if u < c), ""
        )
        if kind == "traditional":
            text = traditional(city.name)
            if text == city.name:
                kind, text = "", city.name
        elif kind == "english":
            text = rng.choice((city.en, city.en.upper(), city.en.lower()))
        elif kind == "with_province":
            text = (
                city.short
                if city.municipality
                else rng.choice((city.province_short + city.short, city.province + city.name))
            )
        elif kind == "short":
            text = city.short
        else:
            text = city.name
        if kind and kind != "short":
            dirt.append(f"city_{kind}")
        return text

    def _company(self, company: Company, dirt: list[str]) -> str:
        rng = self.rng
        if rng.random() >= self.rates["company_variant"]:
            return company.name
        dirt.append("company_variant")
        core = company.name.removeprefix(company.city.short)
        return rng.choice(
            (
                core,  # 华信科技有限公司
                core.removesuffix("有限公司"),  # 华信科技
                company.name.replace("有限公司", "有限责任公司"),
                f"{company.city.short}{core.removesuffix('有限公司')}",
                traditional(company.name),
            )
        )

    def extras(self, source: Source) -> dict[str, str]:
        """Columns that are not matching evidence: contact dates, points, a message."""
        rng = self.rng
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        if source is WEBFORM:
            moment = datetime(day.year, day.month, day.day, rng.randrange(8, 23), rng.randrange(60))
            message = rng.choice(("", "", "想了解产品价格", "请尽快联系我", "咨询售后服务", "需要报价单"))
            return {"last_contact": f"{moment:%Y-%m-%dT%H:%M:%S}+08:00", "notes": message}
        if source is STORE:
            return {"first_contact": self._date(day), "points": str(rng.randrange(0, 20000))}
        return {"first_contact": self._date(day)}


# --- writing --------------------------------------------------------------------------------------


class Sink:
    """One source: a shuffle buffer, then its files (split every ``max_rows`` rows), the flat file, truth."""

    def __init__(self, gen: Generator, source: Source) -> None:
        self.gen, self.source = gen, source
        self.buffer: list[tuple[Entity, dict[str, str], list[str], dict[str, str]]] = []
        self.rows = 0
        self.files: list[dict[str, Any]] = []
        self._handle: Any = None
        self._writer: Any = None
        self._xlsx: Any = None
        self._part_rows = 0
        self.flat = None
        if gen.flat:
            path = gen.out / "flat" / f"{source.name}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            self._flat_handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self.flat = csv.writer(self._flat_handle, lineterminator="\n")
            self.flat.writerow(FLAT_COLUMNS)
            self.flat_path = path

    @property
    def fmt(self) -> str:
        return self.gen.legacy_format if self.source is STORE else self.source.fmt

    def push(self, item: tuple) -> None:
        self.buffer.append(item)
        if len(self.buffer) > self.gen.buffer_rows:
            self._emit(self._pop())

    def _pop(self) -> tuple:
        buf, i = self.buffer, self.gen.shuffle.randrange(len(self.buffer))
        buf[i], buf[-1] = buf[-1], buf[i]
        return buf.pop()

    def close(self) -> None:
        while self.buffer:
            self._emit(self._pop())
        self._close_part()
        if self.flat is not None:
            self._flat_handle.close()

    def _open_part(self) -> None:
        split = self.gen.max_rows_per_file
        stem = f"{self.source.name}_{len(self.files) + 1:03d}" if split else self.source.name
        path = self.gen.out / f"{stem}.{self.fmt}"
        header = [self.source.key, *(c for c, _ in self.source.columns)]
        if self.fmt == "csv":
            self._handle = open(path, "w", encoding=self.source.encoding, newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle)  # CRLF line ends, as Excel writes them
            self._writer.writerow(header)
        elif self.fmt == "jsonl":
            self._handle = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        else:
            from openpyxl import Workbook

            self._xlsx = Workbook(write_only=True)
            sheet = self._xlsx.create_sheet("会员列表")
            sheet.append(header)
            self._writer = sheet
        self.files.append(
            {
                "path": path.name,
                "source": self.source.name,
                "kind": self.source.kind,
                "format": self.fmt,
                "encoding": self.source.encoding if self.fmt == "csv" else None,
                "mapping": f"mappings/{self.source.name}.yaml",
                "rows": 0,
            }
        )
        self._part_rows = 0

    def _close_part(self) -> None:
        if self._xlsx is not None:
            buffer = io.BytesIO()
            self._xlsx.properties.creator = "benchmarks/generate.py"
            self._xlsx.properties.created = datetime(2025, 6, 30, 18, 0, 0)
            self._xlsx.save(buffer)
            (self.gen.out / self.files[-1]["path"]).write_bytes(_reproducible_zip(buffer.getvalue()))
            self._xlsx = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _emit(self, item: tuple) -> None:
        entity, row, dirt, extras = item
        split = self.gen.max_rows_per_file
        if (self._handle is None and self._xlsx is None) or (split and self._part_rows >= split):
            self._close_part()
            self._open_part()
        self.rows += 1
        self._part_rows += 1
        self.files[-1]["rows"] += 1
        key = self.source.key_format.format(self.rows)
        values = {**row, **extras}
        if self.fmt == "jsonl":
            obj = {self.source.key: key}
            obj.update({c: values[f] for c, f in self.source.columns if values.get(f)})
            self._handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            cells = [key, *(values.get(f, "") for _, f in self.source.columns)]
            if self._xlsx is not None:
                self._writer.append([c or None for c in cells])
            else:
                self._writer.writerow(cells)
        if self.flat is not None:
            flat = {"unique_id": f"{self.source.name}|{key}", "source": self.source.name, "source_key": key, **row}
            self.flat.writerow([flat.get(c, "") for c in FLAT_COLUMNS])
        self.gen.truth.writerow((self.source.name, key, entity.id, "|".join(dirt)))


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps, so an .xlsx is byte-for-byte reproducible."""
    out = io.BytesIO()
    fixed_time = (2025, 6, 30, 18, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2025-06-30T18:00:00Z\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=fixed_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()


@dataclass
class Generator:
    n: int
    out: Path
    dup_rate: float = 0.3
    namesake_rate: float = 0.05
    seed: int = 1
    sources: tuple[str, ...] = ("crm_export", "store_members", "webform")
    legacy_format: str = "csv"
    max_rows_per_file: int = 0
    flat: bool = False
    buffer_rows: int = 50_000
    rates: dict[str, float] = field(default_factory=lambda: dict(RATES))

    def run(self) -> dict[str, Any]:
        if not 0 <= self.dup_rate < 1 or not 0 <= self.namesake_rate <= 1:
            raise ValueError("--dup-rate must be in [0, 1) and --namesake-rate in [0, 1]")
        self.out.mkdir(parents=True, exist_ok=True)
        chosen = [SOURCES[name] for name in self.sources]
        world = World(self.seed, self.namesake_rate, int(self.n * (1 - self.dup_rate)) + 1)
        render = Renderer(self.seed, self.rates)
        pick_source = Weighted(chosen, [s.share for s in chosen])
        records_rng = random.Random(f"{self.seed}:records-per-entity")
        self.shuffle = random.Random(f"{self.seed}:shuffle")
        with open(self.out / "truth.csv", "w", encoding="utf-8", newline="") as truth_handle:
            self.truth = csv.writer(truth_handle, lineterminator="\n")
            self.truth.writerow(("source", "source_key", "entity", "dirt"))
            sinks = {s.name: Sink(self, s) for s in chosen}
            written = 0
            while written < self.n:
                entity = world.next()
                k = 1
                while k <= MAX_EXTRA_RECORDS and records_rng.random() < self.dup_rate:
                    k += 1
                for _ in range(min(k, self.n - written)):
                    source = pick_source.pick(records_rng)
                    row, dirt = render.record(entity, source)
                    sinks[source.name].push((entity, row, dirt, render.extras(source)))
                    written += 1
            for sink in sinks.values():
                sink.close()
        self._write_mappings(chosen)
        manifest = {
            "generator": "benchmarks/generate.py",
            "version": GENERATOR_VERSION,
            "records": written,
            "n_counts": "records",
            "entities": world.count,
            "params": {
                "n": self.n,
                "dup_rate": self.dup_rate,
                "namesake_rate": self.namesake_rate,
                "seed": self.seed,
                "sources": list(self.sources),
                "legacy_format": self.legacy_format,
                "max_rows_per_file": self.max_rows_per_file,
                "buffer_rows": self.buffer_rows,
            },
            "duplicate_records": written - world.count,
            **world.namesake_stats(),
            "files": [f for sink in sinks.values() for f in sink.files],
            "flat": [{"path": f"flat/{s.name}.csv", "source": s.name, "rows": sinks[s.name].rows} for s in chosen]
            if self.flat
            else [],
            "flat_mapping": "mappings/flat.yaml",
            "truth": "truth.csv",
            "rates": self.rates,
        }
        (self.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        return manifest

    def _write_mappings(self, chosen: list[Source]) -> None:
        folder = self.out / "mappings"
        folder.mkdir(exist_ok=True)
        for s in chosen:
            lines = [
                f"# {s.name}: written by benchmarks/generate.py",
                f"source: {s.name}",
                f"kind: {s.kind}",
                f"key: {s.key}",
                "columns:",
            ]
            lines += [f"  {c}: {CANONICAL.get(f, f)}" for c, f in s.columns if f in MAPPED]
            (folder / f"{s.name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        flat = [
            "# flat/<source>.csv: pass the source name (--source / source=)",
            "kind: customers",
            "key: source_key",
            "columns:",
        ]
        flat += [f"  {c}: {CANONICAL.get(c, c)}" for c in FLAT_COLUMNS[3:]]
        (folder / "flat.yaml").write_text("\n".join(flat) + "\n", encoding="utf-8")


def load_truth(path: Path) -> dict[str, str]:
    """truth.csv as uid ("source|source_key") -> entity."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {f"{r['source']}|{r['source_key']}": r["entity"] for r in csv.DictReader(handle)}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="records to write, over all sources (not people)")
    parser.add_argument("--dup-rate", type=float, default=0.3, help="share of records repeating an entity")
    parser.add_argument("--namesake-rate", type=float, default=0.05, help="share of entities planted as namesakes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sources", default=",".join(SOURCES), help=f"comma-separated, from {', '.join(SOURCES)}")
    parser.add_argument(
        "--legacy-format",
        choices=("csv", "xlsx"),
        default="csv",
        help="store_members as a GB18030 CSV (default) or an .xlsx",
    )
    parser.add_argument("--max-rows-per-file", type=int, default=0, help="split each source into parts (0: don't)")
    parser.add_argument("--flat", action="store_true", help="also write flat/<source>.csv (for vs_splink)")
    parser.add_argument("--buffer-rows", type=int, default=50_000, help="shuffle buffer per source")
    parser.add_argument("--rates", type=Path, help="JSON object overriding variation rates (see RATES)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rates = dict(RATES)
    if args.rates:
        overrides = json.loads(args.rates.read_text(encoding="utf-8"))
        unknown = set(overrides) - set(RATES)
        if unknown:
            raise SystemExit(f"unknown rates: {', '.join(sorted(unknown))}")
        rates.update(overrides)
    gen = Generator(
        n=args.n,
        out=args.out,
        dup_rate=args.dup_rate,
        namesake_rate=args.namesake_rate,
        seed=args.seed,
        sources=tuple(s.strip() for s in args.sources.split(",") if s.strip()),
        legacy_format=args.legacy_format,
        max_rows_per_file=args.max_rows_per_file,
        flat=args.flat,
        buffer_rows=args.buffer_rows,
        rates=rates,
    )
    manifest = gen.run()
    summary = {k: v for k, v in manifest.items() if k not in ("files", "flat", "rates")}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
