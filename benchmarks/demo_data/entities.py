"""The true world behind the sources: companies (orgs) and customers (entities), with their history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from benchmarks.demo_data.vocab_places import City

# The day the sources were exported; every generated date lies before it.
EXPORT_DAY = date(2025, 6, 30)
FIRST_DAY = date(2021, 1, 4)


@dataclass(frozen=True)
class Org:
    id: str
    brand: str
    brand_py: str
    sector: str
    sector_en: str
    industry: str
    city: City
    district: str
    division: str
    suffix: str  # 有限公司 | 股份有限公司
    city_in_parens: bool  # 华信科技(上海)有限公司 rather than 上海华信科技有限公司
    credit_code: str
    switchboard: str
    domain: str
    address: str

    @property
    def name(self) -> str:
        if self.city_in_parens:
            return f"{self.brand}{self.sector}({self.city.short}){self.suffix}"
        return f"{self.city.short}{self.brand}{self.sector}{self.suffix}"

    @property
    def name_en(self) -> str:
        brand = self.brand_py.capitalize()
        if self.city_in_parens:
            return f"{brand} {self.sector_en} ({self.city.en}) Co., Ltd."
        return f"{self.city.en} {brand} {self.sector_en} Co., Ltd."


@dataclass(frozen=True)
class PersonName:
    surname: str
    given: str
    surname_py: str  # "" for English names
    given_py: tuple[str, ...]
    english: bool = False

    @property
    def full(self) -> str:
        return f"{self.given} {self.surname}" if self.english else f"{self.surname}{self.given}"


@dataclass(frozen=True)
class Job:
    org: Org
    since: date
    email: str  # work mailbox at this employer


@dataclass
class Plan:
    """Where an entity shows up."""

    in_crm: bool = False
    crm_reentry: bool = False  # a second CRM entry made after the mobile changed
    n_orders: int = 0
    webform_times: list[datetime] = field(default_factory=list)
    n_interactions: int = 0
    placeholder_mobile: bool = False  # the CRM shows 13800000000 instead of the mobile
    switchboard: bool = False  # the CRM shows the employer's switchboard instead of the mobile
    info_email: bool = False  # the web form shows info@employer instead of the own email


@dataclass
class Entity:
    id: str
    kind: str  # "person" | "company"
    person: PersonName  # the customer, or a company's contact person
    gender: str  # 男 / 女
    city: City
    district: str
    address: str
    mobiles: tuple[str, ...]  # oldest first
    email: str
    owner: str
    channel: str
    lifecycle: str
    tags: tuple[str, ...]
    first_contact: date
    industry: str
    note: str
    org: Org | None = None  # a company customer's own company
    jobs: tuple[Job, ...] = ()  # a person's employers, oldest first
    national_id: str = ""
    alias: str = ""  # an English nickname (Emily for 陈美玲)
    mobile_changed_on: date | None = None
    plan: Plan = field(default_factory=Plan)

    @property
    def name(self) -> str:
        return self.org.name if self.org else self.person.full

    def mobile_at(self, day: date) -> str:
        if self.mobile_changed_on and day >= self.mobile_changed_on:
            return self.mobiles[-1]
        return self.mobiles[0]

    def job_at(self, day: date) -> Job | None:
        current = None
        for job in self.jobs:
            if job.since <= day or current is None:
                current = job
        return current

    def employer_at(self, day: date) -> Org | None:
        if self.org:
            return self.org
        job = self.job_at(day)
        return job.org if job else None


@dataclass(frozen=True)
class World:
    orgs: tuple[Org, ...]
    entities: tuple[Entity, ...]
