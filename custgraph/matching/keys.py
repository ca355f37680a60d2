"""Derived matching keys: transforms of a field value, and virtual fields built from several fields.

A level or a blocking rule names a value as ``field`` or ``field:transform`` (``given_name:pinyin``,
``birth_date:year``). Fields arrive already standardized; the transforms here only derive *matching*
keys (pinyin, phonetic codes, suffix-free company names), never display values, and reuse the
standardize package's keys (name_key, name_pinyin, company_key, city_key) so ingest and matching agree.
Every transform maps a non-empty string to a string or None and is deterministic, so keys can be
stored on a SourceRecord.

Virtual fields smooth over the two ways sources carry a person's name: ``first_name``/``last_name``
columns (Febrl, Western CRMs) or one ``name`` column (Chinese CRMs). ``given_name``/``family_name``
read the columns when present and otherwise split ``name`` (张伟 -> 张 + 伟, 张先生 -> 张 only,
"Wei Zhang" -> Zhang + Wei), so both kinds of source compare on one footing; a swapped order is
caught by the ``cross`` level, a spelling without spaces ("WangXiaojun") by ``full_name:pinyin``.
A ``name`` that is an organisation's (企业客户全称, "Acme Co., Ltd.") is no person name: it makes the
record a company (``party``) and stands in for a missing ``company`` column (``organization``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from custgraph.matching.standardize import (
    city_key,
    company_core_without_region,
    company_key,
    name_key,
    name_pinyin,
    split_person_name,
)
from custgraph.matching.standardize.text import to_simplified

Transform = Callable[[str], str | None]

_HAN = re.compile(r"[\u3400-\u9fff]")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")
_NOT_LETTER = re.compile(r"[^a-z]+")
# Words that make a `name` an organisation rather than a person (企业客户全称 in a name column).
_ORG_WORDS = re.compile(
    r"公司|集团|有限|企业|工厂|厂$|商行|商店|门市|事务所|研究院|研究所|中心$|学校|大学|学院|医院|银行|协会"
    r"|合作社|工作室|\b(?:co|ltd|inc|corp|corporation|company|limited|llc|gmbh|plc|group|bank|university)\b",
    re.IGNORECASE,
)
_PARTY = {
    "person": "person", "individual": "person", "personal": "person", "个人": "person", "自然人": "person",
    "company": "company", "organization": "company", "organisation": "company", "business": "company",
    "enterprise": "company", "corporate": "company", "企业": "company", "公司": "company", "单位": "company",
    "机构": "company", "组织": "company",
}  # fmt: skip


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


@lru_cache(maxsize=65536)
def normalize_text(value: str) -> str:
    """NFKC (full-width to half-width), lower case, traditional to simplified, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", value).lower()
    if has_han(text):
        text = to_simplified(text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def _name(value: str) -> str | None:
    """A name's matching key: simplified, lower-cased, honorifics dropped (张先生 -> 张)."""
    return name_key(value) or normalize_text(value) or None


def _nospace(value: str) -> str | None:
    return normalize_text(value).replace(" ", "") or None


def _pinyin(value: str) -> str | None:
    """Pinyin letters, no spaces: 张伟 / "Zhang Wei" / ZhangWei -> zhangwei (hanzi vs pinyin spellings)."""
    return name_pinyin(value)


@lru_cache(maxsize=65536)
def _pinyin_tokens(value: str) -> tuple[str, ...]:
    """One token per name part, in pinyin for hanzi: 张伟 -> (zhang, wei), "Wei Zhang" -> (wei, zhang)."""
    family, given = split_person_name(value)
    if family is None and given is None:
        return ()
    if has_han(value):
        return tuple(p for p in (name_pinyin(family or ""), name_pinyin(given or "")) if p)
    return tuple((name_key(value) or "").split())


def _sorted_tokens(value: str) -> str | None:
    """Name parts in sorted order: "Wei Zhang", 张伟 and "Zhang Wei" share the key "wei zhang"."""
    return " ".join(sorted(_pinyin_tokens(value))) or None


_SOUNDEX_CODES = {c: str(d) for d, letters in enumerate(
    ("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r")) for c in letters}  # fmt: skip


@lru_cache(maxsize=65536)
def _soundex(value: str) -> str | None:
    """American Soundex of the pinyin/Latin form; stable across most single-letter typos."""
    word = _NOT_LETTER.sub("", name_pinyin(value) or "")
    if not word:
        return None
    code, last = [word[0]], _SOUNDEX_CODES.get(word[0], "")
    for c in word[1:]:
        d = _SOUNDEX_CODES.get(c, "")
        if d and d != "0" and d != last:
            code.append(d)
        if c not in "hw":  # h and w do not separate two equal codes
            last = d
    return ("".join(code) + "000")[:4]


def _initial(value: str) -> str | None:
    text = _nospace(value)
    return text[0] if text else None


def _digits(value: str) -> str | None:
    return _NON_DIGIT.sub("", value) or None


def _sorted_chars(value: str) -> str | None:
    """Characters in sorted order: an id with two digits swapped keeps its key (4137877 / 4137787)."""
    text = value.strip().lower()
    return "".join(sorted(text)) or None


def _year(value: str) -> str | None:
    year = value.strip()[:4]
    return year if len(year) == 4 and year.isdigit() else None


def _month_day(value: str) -> str | None:
    text = value.strip()
    return text[5:10] if len(text) == 10 else None


def _company(value: str) -> str | None:
    """Suffix-free company key: 华为技术有限公司 -> 华为技术, "Acme Co., Ltd." -> acme."""
    return company_key(value)


def _company_core(value: str) -> str | None:
    """Company key without place names: 上海永泰网络科技 -> 永泰网络科技."""
    return company_core_without_region(company_key(value))


@lru_cache(maxsize=65536)
def _company_letters(value: str) -> str | None:
    """The company key in Latin letters (hanzi as pinyin): compares 新锐网络 with "Xinrui Network"."""
    key = company_key(value)
    if not key:
        return None
    letters = "".join(lazy_pinyin(key)) if has_han(key) else key
    return _NOT_LETTER.sub("", letters.lower()) or None


def _city(value: str) -> str | None:
    return city_key(value) or _nospace(value)


def _city_pinyin(value: str) -> str | None:
    """Pinyin of the city key: 广州市 and guangzhou agree."""
    key = _city(value)
    return name_pinyin(key) if key else None


def _mask_key(value: str) -> str | None:
    """First three and last four digits of a (possibly masked) 11-digit mobile: 138****3378 -> 1383378."""
    chars = [c for c in value if c.isdigit() or c == "*"][-11:]
    if len(chars) != 11 or "*" in chars[:3] or "*" in chars[-4:]:
        return None
    return "".join(chars[:3] + chars[-4:])


def _email_local(value: str) -> str | None:
    local, _, domain = value.strip().lower().partition("@")
    return local or None if domain else None


def _email_domain(value: str) -> str | None:
    _, _, domain = value.strip().lower().partition("@")
    return domain or None


def looks_like_company(value: str) -> bool:
    return _ORG_WORDS.search(unicodedata.normalize("NFKC", value)) is not None


def _party(value: str) -> str | None:
    """person / company from a customer-type value in either language."""
    return _PARTY.get(normalize_text(value).replace(" ", ""))


TRANSFORMS: dict[str, Transform] = {
    "raw": lambda v: v.strip() or None,
    "name": _name,
    "nospace": _nospace,
    "sorted_tokens": _sorted_tokens,
    "pinyin": _pinyin,
    "soundex": _soundex,
    "initial": _initial,
    "digits": _digits,
    "sorted_chars": _sorted_chars,
    "year": _year,
    "month_day": _month_day,
    "company": _company,
    "company_core": _company_core,
    "company_letters": _company_letters,
    "city": _city,
    "city_pinyin": _city_pinyin,
    "mask_key": _mask_key,
    "email_local": _email_local,
    "email_domain": _email_domain,
    "party": _party,
}


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _person_name(fields: Mapping[str, Any]) -> str | None:
    """The `name` column when it names a person (not an organisation)."""
    full = _text(fields, "name")
    return None if full is None or looks_like_company(full) else full


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
    declared = _text(fields, "customer_type")
    if declared and _party(declared):
        return _party(declared)
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
    return name if name and looks_like_company(name) else None


def _join(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


VIRTUAL_FIELDS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "given_name": lambda f: _name_parts(f)[0],
    "family_name": lambda f: _name_parts(f)[1],
    "full_name": lambda f: _person_name(f) or _join(_text(f, "first_name"), _text(f, "last_name")),
    "party": _party_of,  # person / company: declared customer_type, else inferred from the name
    "company_party": lambda f: "company" if _party_of(f) == "company" else None,
    "company_self": lambda f: _organization(f) if _party_of(f) == "company" else None,
    "organization": _organization,  # the company column, or a company customer's own name
    # the mobile, or its masked form (138****3378) when a source only shows that much
    "mobile_any": lambda f: _text(f, "mobile") or _text(f, "mobile_masked"),
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


def parse_key_spec(spec: str) -> tuple[str, str]:
    """'field' or 'field:transform' -> (field, transform)."""
    field, _, transform = spec.partition(":")
    return field.strip(), (transform.strip() or "raw")


def check_transform(transform: str) -> str:
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown transform {transform!r}; known: {', '.join(sorted(TRANSFORMS))}")
    return transform
