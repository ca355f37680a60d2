"""Dirtier: writes true values into one source the way that source gets them wrong, and notes each dirt."""

from __future__ import annotations

import random
from datetime import date, datetime

from benchmarks.demo_data import spellings as sp
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.entities import Entity, Org
from benchmarks.demo_data.ids import PLACEHOLDER_MOBILES
from benchmarks.demo_data.vocab_business import CHANNEL_VARIANTS, INDUSTRY_VARIANTS, LIFECYCLE_VARIANTS
from benchmarks.demo_data.vocab_places import City

_ID_DIGITS = "0123456789"
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BLANKS = ("", "", "", "-", "无", "待补充", "N/A")
_LABEL_VARIANTS = {**INDUSTRY_VARIANTS, **CHANNEL_VARIANTS, **LIFECYCLE_VARIANTS}


class Dirtier:
    def __init__(self, rng: random.Random, dirt: DirtConfig, source: str) -> None:
        self.rng = rng
        self.dirt = dirt
        self.source = source
        self.tags: list[str] = []

    def begin(self) -> None:
        self.tags = []

    def tag(self, name: str) -> None:
        if name not in self.tags:
            self.tags.append(name)

    def hit(self, kind: str) -> bool:
        return self.rng.random() < self.dirt.rate(kind, self.source)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def hit_scaled(self, kind: str, factor: float) -> bool:
        return self.rng.random() < min(1.0, self.dirt.rate(kind, self.source) * factor)

    def _spelt(self, original: str, spelt: tuple[str, str]) -> str:
        text, kind = spelt
        if text == original:  # e.g. no traditional form exists: nothing was changed
            return original
        self.tag(kind)
        return text

    def blank_or(self, value: str) -> str:
        """An optional field: sometimes left empty or filled with 无 / 待补充 / -."""
        if value and self.hit("missing_field"):
            self.tag("missing_field")
            return self.rng.choice(_BLANKS)
        return value

    # ---- names

    def person_name(self, e: Entity, *, alias_ok: bool = False) -> str:
        name = e.person
        if alias_ok and e.alias and self.hit("english_alias"):
            self.tag("english_alias")
            return e.alias
        if name.english:
            if self.hit("pinyin_name"):
                self.tag("english_name_variant")
                return sp.english_form(self.rng, name)
            return name.full
        if self.hit("pinyin_name"):
            self.tag("pinyin_name")
            return sp.pinyin_form(self.rng, name)
        text = name.full
        if self.hit("name_typo") and (typo := sp.typo_name(self.rng, name)):
            self.tag("name_typo")
            text = typo
        if self.hit("honorific"):
            self.tag("honorific")
            return sp.honorific(name, e.gender == "男")
        if self.hit("traditional") and (trad := sp.traditional(text)) != text:
            self.tag("traditional_chars")
            text = trad
        if self.hit("name_spacing"):
            self.tag("name_spacing")
            text = sp.spaced_name(self.rng, text)
        return text

    def company(self, org: Org, *, english_ok: bool = True) -> str:
        if self.hit("company_variant"):
            return self._spelt(org.name, sp.company_form(self.rng, org, english=english_ok))
        return org.name

    # ---- contacts

    def mobile(self, number: str, *, as_number_ok: bool = False) -> str | int:
        if len(number) == 11 and self.hit("masked_mobile"):
            self.tag("masked_mobile")
            return f"{number[:3]}****{number[7:]}"
        if self.hit("phone_format"):
            return self._spelt(number, sp.phone_form(self.rng, number))
        if as_number_ok and number.isdigit() and self.hit("excel_number_cells"):
            self.tag("mobile_as_number")
            return int(number)
        return number

    def placeholder(self) -> str:
        self.tag("placeholder_mobile")
        return PLACEHOLDER_MOBILES[0] if self.chance(0.85) else PLACEHOLDER_MOBILES[1]

    def switchboard(self, org: Org, *, own: bool = False) -> str:
        """The company's landline: its own number for a company, a shared one for an employee."""
        self.tag("company_landline" if own else "switchboard")
        return sp.landline_form(self.rng, org.switchboard)

    def email(self, address: str) -> str:
        if address and self.hit("email_format"):
            return self._spelt(address, sp.email_form(self.rng, address))
        return address

    def info_email(self, org: Org) -> str:
        self.tag("shared_info_email")
        return f"info@{org.domain}"

    # ---- places

    def city(self, city: City, district: str) -> str:
        if city.abroad:  # written in English, as the customer's own address has it
            return city.en
        if self.hit("region_variant"):
            return self._spelt(city.name, sp.city_form(self.rng, city, district))
        return city.name

    def province(self, city: City) -> str:
        if not city.abroad and self.hit("region_variant"):
            self.tag("region_short")
            return city.province_short
        return city.province

    def address(self, address: str, city: City) -> str:
        if self.hit("region_variant"):
            return self._spelt(address, sp.address_form(self.rng, address, city))
        return address

    # ---- identifiers

    def national_id(self, value: str) -> str:
        if self.hit("id_typo"):
            self.tag("invalid_national_id")
            return sp.mistype(self.rng, value, _ID_DIGITS)
        if value.endswith("X") and self.hit_scaled("id_typo", 20):
            self.tag("id_lowercase_x")
            return value[:-1] + "x"
        return value

    def credit_code(self, value: str) -> str:
        if self.hit("id_typo"):
            self.tag("invalid_credit_code")
            return sp.mistype(self.rng, value, _USCC_CHARSET)
        if self.hit_scaled("id_typo", 3):
            self.tag("credit_code_lowercase")
            return value.lower()
        return value

    # ---- labels, dates and amounts

    def label(self, value: str) -> str:
        """Industry, channel or lifecycle written in a non-canonical way."""
        variants = _LABEL_VARIANTS.get(value)
        if variants and self.hit("industry_variant"):
            self.tag("label_variant")
            return self.rng.choice(variants)
        return value

    def date(self, day: date, *, cell_ok: bool = False) -> str | date:
        if self.hit("date_format"):
            self.tag("date_format")
            return sp.date_form(self.rng, day)
        return day if cell_ok else day.isoformat()

    def moment(self, when: datetime) -> str:
        if self.hit("date_format"):
            self.tag("date_format")
            return sp.datetime_form(self.rng, when)
        return f"{when:%Y-%m-%d %H:%M:%S}"

    def amount(self, yuan: int) -> str:
        if self.hit("amount_format"):
            self.tag("amount_format")
            return sp.amount_form(self.rng, yuan)
        return f"{yuan:.2f}"
