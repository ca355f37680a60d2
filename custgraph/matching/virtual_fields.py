"""Virtual fields: values built from several canonical fields, usable wherever a field is named.

They smooth over the two ways sources carry a person's name: ``first_name``/``last_name`` columns
(Febrl, Western CRMs) or one ``name`` column (Chinese CRMs). ``given_name``/``family_name`` read the
columns when present and otherwise split ``name`` (张伟 -> 张 + 伟, 张先生 -> 张 only, "Wei Zhang" ->
Zhang + Wei), so both kinds of source compare on one footing; a swapped order is caught by the
``cross`` level, a spelling without spaces ("WangXiaojun") by ``full_name:pinyin``. A ``name`` that
is an organisation's (企业客户全称, "Acme Co., Ltd.") is no person name: it makes the record a company
(``party``) and stands in for a missing ``company`` column (``organization``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pypinyin import lazy_pinyin

from custgraph.matching.keys import has_han, looks_like_company, name_pinyin, party_of_value, split_person_name
from custgraph.matching.standardize.regions import city_from_address
from custgraph.matching.standardize.text import to_simplified


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _declared_party(fields: Mapping[str, Any]) -> str | None:
    declared = _text(fields, "customer_type")
    return party_of_value(declared) if declared else None


def _names_organisation(fields: Mapping[str, Any], name: str) -> bool:
    """A declared company's name is its own, whatever it looks like (华信供应链管理 is no 华 + 信供应链管理)."""
    return _declared_party(fields) == "company" or looks_like_company(name)


def _person_name(fields: Mapping[str, Any]) -> str | None:
    """The `name` column when it names a person (not an organisation)."""
    full = _text(fields, "name")
    return None if full is None or _names_organisation(fields, full) else full


def _name_parts(fields: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(given, family): the name columns when present, else `name` split by the standardizer."""
    first, last = _text(fields, "first_name"), _text(fields, "last_name")
    if first or last:
        return first, last
    full = _person_name(fields)
    if full is None:
        return None, None
    family, given = split_person_name(full)
    return given or None, family or None


def _party_of(fields: Mapping[str, Any]) -> str | None:
    declared = _declared_party(fields)
    if declared:
        return declared
    name = _text(fields, "name")
    if name and looks_like_company(name):
        return "company"
    if name or _text(fields, "first_name") or _text(fields, "last_name"):
        return "person"
    return None


def _organization(fields: Mapping[str, Any]) -> str | None:
    """The company column, else a name that is an organisation's (a company customer's own name)."""
    company = _text(fields, "company")
    if company:
        return company
    name = _text(fields, "name")
    return name if name and _names_organisation(fields, name) else None


def _city_of_address(fields: Mapping[str, Any]) -> str | None:
    address = _text(fields, "address")
    return city_from_address(address) if address else None


def _own_name(fields: Mapping[str, Any]) -> str | None:
    """A company customer's own name: its `name` (企业客户全称) before the company column, which
    exports fill with anything from the English name to a short brand."""
    name = _text(fields, "name")
    return name if name and _names_organisation(fields, name) else _text(fields, "company")


_NOT_LOWER_LETTER = re.compile(r"[^a-z]+")


def _syllables(part: str | None, *, family: bool) -> list[str]:
    """Pinyin syllables of a name part (建斌 -> jian, bin); a Latin part is one syllable."""
    if not part:
        return []
    if not has_han(part):
        return [_NOT_LOWER_LETTER.sub("", part.casefold())]
    if family:  # surname readings: 曾 zeng, 单 shan
        return [name_pinyin(part) or ""]
    return [_NOT_LOWER_LETTER.sub("", s.casefold()) for s in lazy_pinyin(to_simplified(part))]


def _email_handle(fields: Mapping[str, Any]) -> str | None:
    """The email's local part when it says more than its owner's name: ``lina67`` or ``dragonfly``,
    not ``na.li``, ``zhang_wei`` or ``guojb`` — those are the name again, and a common name makes a
    common local part, so agreeing on it across two mail domains is no evidence beyond the name."""
    email = _text(fields, "email")
    local = email.partition("@")[0].strip().casefold() if email and "@" in email else None
    if not local or any(c.isdigit() for c in local):
        return local or None
    given, family = _name_parts(fields)
    if not given and not family:
        return local
    g, f = _syllables(given, family=False), _syllables(family, family=True)
    given_full, family_full = "".join(g), "".join(f)
    initials, family_initial = "".join(s[:1] for s in g), family_full[:1]
    spelled = {
        family_full + given_full, given_full + family_full, family_full + initials, initials + family_full,
        family_initial + given_full, given_full + family_initial,
    }  # fmt: skip
    return None if _NOT_LOWER_LETTER.sub("", local) in spelled else local


def _join(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


VIRTUAL_FIELDS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "given_name": lambda f: _name_parts(f)[0],
    "family_name": lambda f: _name_parts(f)[1],
    "full_name": lambda f: _person_name(f) or _join(_text(f, "first_name"), _text(f, "last_name")),
    "party": _party_of,  # person / company: declared customer_type, else inferred from the name
    "company_party": lambda f: "company" if _party_of(f) == "company" else None,
    "company_self": lambda f: _own_name(f) if _party_of(f) == "company" else None,
    "organization": _organization,  # the company column, or a company customer's own name
    # the mobile, or its masked form (138****3378) when a source only shows that much
    "mobile_any": lambda f: _text(f, "mobile") or _text(f, "mobile_masked"),
    "email_handle": _email_handle,
    # the city column, else the city an address starts with (orders carry only an address)
    "city_any": lambda f: _text(f, "city") or _city_of_address(f),
    "full_address": lambda f: (
        _text(f, "address") or _join(_text(f, "address_number"), _text(f, "address_line1"), _text(f, "address_line2"))
    ),
}


def raw_value(fields: Mapping[str, Any], field: str) -> str | None:
    """A field's value as stripped text, or a virtual field; None when missing or empty."""
    virtual = VIRTUAL_FIELDS.get(field)
    if virtual is not None:
        return virtual(fields)
    return _text(fields, field)
