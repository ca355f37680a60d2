"""People: names, birthdays, mobiles and mailboxes, all unique where they must be."""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.demo_data import ids
from benchmarks.demo_data.entities import Org, PersonName
from benchmarks.demo_data.vocab_business import PERSONAL_EMAIL_DOMAINS
from benchmarks.demo_data.vocab_names import (
    ALIAS_FIRST,
    COMMON_NAMES,
    ENGLISH_FIRST,
    ENGLISH_LAST,
    GIVEN_GROUPS,
    SURNAMES,
)

GIVEN_PINYIN: dict[str, str] = {ch: py for group, py, _ in GIVEN_GROUPS for ch in group.replace("|", "")}
_SURNAME_PINYIN: dict[str, str] = {s: py for s, py, _ in SURNAMES}
_SURNAME_WEIGHTS = [w for _, _, w in SURNAMES]
_DOMAINS = [d for d, _ in PERSONAL_EMAIL_DOMAINS]
_DOMAIN_WEIGHTS = [w for _, w in PERSONAL_EMAIL_DOMAINS]


def _name_chars_for(gender: str) -> list[str]:
    """The characters names are drawn from, one homophone group at a time."""
    return [group.split("|")[0] for group, _, g in GIVEN_GROUPS if g in ("", gender)]


def chinese_name(rng: random.Random, gender: str) -> PersonName:
    """gender is "M" or "F"."""
    surname, surname_py, _ = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    groups = _name_chars_for(gender)
    chars: list[str] = []
    for _ in range(1 if rng.random() < 0.3 else 2):
        group = rng.choice(groups)
        ch = group[0] if rng.random() < 0.8 else rng.choice(group)
        if ch not in chars:
            chars.append(ch)
    given = "".join(chars)
    return PersonName(surname, given, surname_py, tuple(GIVEN_PINYIN[c] for c in given))


def common_name(index: int) -> tuple[PersonName, str]:
    """The index-th very common name and its gender (M/F)."""
    surname, given, gender = COMMON_NAMES[index % len(COMMON_NAMES)]
    return PersonName(surname, given, _SURNAME_PINYIN[surname], tuple(GIVEN_PINYIN[c] for c in given)), gender


def english_name(rng: random.Random) -> tuple[PersonName, str]:
    first, gender = rng.choice(ENGLISH_FIRST)
    return PersonName(rng.choice(ENGLISH_LAST), first, "", (), english=True), gender


def alias_for(rng: random.Random, name: PersonName, gender: str) -> str:
    return f"{rng.choice(ALIAS_FIRST[gender])} {name.surname_py.capitalize()}"


def birthday(rng: random.Random) -> date:
    return date(1962, 1, 1) + timedelta(days=rng.randrange(365 * 40))


def _ascii(text: str) -> str:
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


class Registry:
    """Hands out mobiles and mailboxes that no other customer has."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._mobiles: set[str] = set(ids.PLACEHOLDER_MOBILES)
        self._emails: set[str] = set()

    def mobile(self) -> str:
        while (m := ids.make_mobile(self._rng)) in self._mobiles:
            pass
        self._mobiles.add(m)
        return m

    def foreign_mobile(self, calling_code: str) -> str:
        while (m := ids.make_foreign_mobile(self._rng, calling_code)) in self._mobiles:
            pass
        self._mobiles.add(m)
        return m

    def _claim(self, local: str, domain: str) -> str:
        candidate = f"{local}@{domain}"
        while candidate in self._emails:
            candidate = f"{local}{self._rng.randrange(10, 1000)}@{domain}"
        self._emails.add(candidate)
        return candidate

    def personal_email(self, name: PersonName, birth: date) -> str:
        rng = self._rng
        if name.english:
            first, last = _ascii(name.given), _ascii(name.surname)
            local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}"])
            return self._claim(local, rng.choice(("gmail.com", "outlook.com", "hotmail.com", "yahoo.com")))
        domain = rng.choices(_DOMAINS, weights=_DOMAIN_WEIGHTS)[0]
        if domain == "qq.com" and rng.random() < 0.6:
            return self._claim(str(rng.randrange(10**7, 3 * 10**9)), domain)
        given = "".join(name.given_py)
        local = rng.choice(
            [
                f"{name.surname_py}{given}",
                f"{given}.{name.surname_py}",
                f"{name.surname_py}_{given}",
                f"{name.surname_py}{given}{birth:%y}",
                f"{name.surname_py}{given}{birth:%m%d}",
            ]
        )
        return self._claim(local, domain)

    def work_email(self, name: PersonName, org: Org) -> str:
        if name.english:
            local = f"{_ascii(name.given)}.{_ascii(name.surname)}"
        else:
            initials = "".join(p[0] for p in name.given_py)
            local = self._rng.choice(
                [
                    f"{name.surname_py}{initials}",
                    f"{''.join(name.given_py)}.{name.surname_py}",
                    f"{name.surname_py}.{''.join(name.given_py)}",
                ]
            )
        return self._claim(local, org.domain)
