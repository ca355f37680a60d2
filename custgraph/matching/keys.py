"""Derived matching keys: transforms of a field value, and virtual fields built from several fields.

A level or a blocking rule names a value as ``field`` or ``field:transform`` (``given_name:pinyin``,
``birth_date:year``). Fields arrive already standardized; the transforms here only derive *matching*
keys (phonetic codes, pinyin, suffix-free company names), never display values. Every transform maps
a non-empty string to a string or None and is deterministic, so keys can be stored on a SourceRecord.

Virtual fields smooth over the two ways sources carry a person's name: ``first_name``/``last_name``
columns (Febrl, Western CRMs) or one ``name`` column (Chinese CRMs). ``given_name``/``family_name``
read the columns when present and otherwise split ``name`` (hanzi: a known compound or one-character
surname first; Latin: the last token is the family name), so both kinds of source compare on one
footing and a swapped order is caught by the ``cross`` level. A ``name`` that is an organisation's
(企业客户全称, "Acme Co., Ltd.") is no person name: it makes the record a company (``party``) and
becomes its ``organization``. A person's ``company`` column is their ``employer``: colleagues share
it, so it is compared apart from a company customer's own name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import opencc
from pypinyin import lazy_pinyin

Transform = Callable[[str], str | None]

_HAN = re.compile(r"[\u3400-\u9fff]")
_NON_WORD = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")
_t2s = opencc.OpenCC("t2s")

# Two-character surnames; any other hanzi name takes its first character as the surname.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木 独孤 南宫 西门 "
    "百里 呼延 澹台 万俟 闻人 赫连 申屠 钟离 宗政 濮阳 太叔 仲孙 单于 鲜于 东郭 南门".split()
)

# Legal-form words dropped from company names before comparing (the suffix-free key). The standardize
# package owns display normalization; this list only has to make keys of the same company agree.
_COMPANY_SUFFIXES = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司", "公司", "集团",
    "co ltd", "co., ltd", "company limited", "limited", "ltd", "inc", "corp", "corporation", "llc",
    "gmbh", "co", "group", "plc",
)  # fmt: skip
_COMPANY_SUFFIX_RE = re.compile(
    r"(?:\s*(?:" + "|".join(re.escape(s) for s in sorted(_COMPANY_SUFFIXES, key=len, reverse=True)) + r")\.?)+$"
)
_CITY_SUFFIX_RE = re.compile(r"(?:市|地区|自治州|盟|\s+city)$")
# Words that make a `name` an organisation rather than a person (企业客户全称 in a name column).
_ORG_WORDS = re.compile(
    r"公司|集团|有限|企业|工厂|厂$|商行|商店|门市|事务所|研究院|研究所|中心$|学校|大学|学院|医院|银行|协会|合作社|工作室"
    r"|\b(?:co|ltd|inc|corp|corporation|company|limited|llc|gmbh|plc|group|bank|university|school)\b",
    re.IGNORECASE,
)
# 张先生, 李女士, 王经理: a family name plus a form of address, common in call-center and visit logs.
_HONORIFIC = re.compile(r"(\w{1,2}?)(?:先生|女士|小姐|太太|老师|经理|总监|总|老板|师傅|医生|教授)")
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
        text = _t2s.convert(text)
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


def _name(value: str) -> str | None:
    return normalize_text(value) or None


def _nospace(value: str) -> str | None:
    return normalize_text(value).replace(" ", "") or None


def _sorted_tokens(value: str) -> str | None:
    tokens = sorted(_pinyin_tokens(value))
    return " ".join(tokens) or None


@lru_cache(maxsize=65536)
def _pinyin_tokens(value: str) -> tuple[str, ...]:
    """Hanzi become toneless pinyin syllables (one token per surname / given name part); Latin stays."""
    text = normalize_text(value)
    if not has_han(text):
        return tuple(text.split())
    if " " not in text and 2 <= len(text) <= 4:
        family, given = split_hanzi_name(text)
        return tuple(t for t in ("".join(lazy_pinyin(family)), "".join(lazy_pinyin(given))) if t)
    return tuple("".join(lazy_pinyin(part)) for part in text.split())


def _pinyin(value: str) -> str | None:
    """Pinyin with no spaces: 张伟 -> zhangwei, "Zhang Wei" -> zhangwei (hanzi vs pinyin spellings)."""
    return "".join(_pinyin_tokens(value)) or None


_SOUNDEX_CODES = {c: str(d) for d, letters in enumerate(
    ("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r")) for c in letters}  # fmt: skip


def _soundex(value: str) -> str | None:
    """American Soundex of the pinyin/Latin form; stable across most single-letter typos."""
    word = "".join(_pinyin_tokens(value))
    word = "".join(c for c in word if "a" <= c <= "z")
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


@lru_cache(maxsize=65536)
def company_key(value: str) -> str | None:
    """Suffix-free company key: 华为技术有限公司 -> 华为技术, "Acme Co., Ltd." -> acme."""
    text = unicodedata.normalize("NFKC", value).lower()
    if has_han(text):
        text = _t2s.convert(text)
    text = re.sub(r"[（(][^）)]*[）)]", " ", text)  # branch notes such as (北京)
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()
    text = _COMPANY_SUFFIX_RE.sub("", text).strip()
    return text.replace(" ", "") or None


def _city(value: str) -> str | None:
    text = _nospace(value)
    if not text:
        return None
    return _CITY_SUFFIX_RE.sub("", text) or text


def looks_like_company(value: str) -> bool:
    return _ORG_WORDS.search(unicodedata.normalize("NFKC", value)) is not None


def _party(value: str) -> str | None:
    """person / company from a customer-type value in either language."""
    return _PARTY.get(normalize_text(value).replace(" ", ""), None)


def _email_local(value: str) -> str | None:
    local, _, domain = value.strip().lower().partition("@")
    return local or None if domain else None


def _email_domain(value: str) -> str | None:
    _, _, domain = value.strip().lower().partition("@")
    return domain or None


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
    "company": company_key,
    "city": _city,
    "email_local": _email_local,
    "email_domain": _email_domain,
    "party": _party,
}


def split_hanzi_name(text: str) -> tuple[str, str]:
    """(family, given) of a hanzi name without spaces."""
    if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES:
        return text[:2], text[2:]
    return text[:1], text[1:]


def _text(fields: Mapping[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _name_parts(fields: Mapping[str, Any]) -> tuple[str | None, str | None]:
    first, last = _text(fields, "first_name"), _text(fields, "last_name")
    if first or last:
        return first, last
    full = _text(fields, "name")
    if not full or looks_like_company(full):
        return None, None
    norm = normalize_text(full)
    if has_han(norm) and " " not in norm:
        titled = _HONORIFIC.fullmatch(norm)
        if titled:  # 张先生 / 李经理: only the family name is known
            return None, titled.group(1)
        family, given = split_hanzi_name(norm)
        return given or None, family or None
    tokens = norm.split()
    if len(tokens) == 1:
        return tokens[0], None
    return " ".join(tokens[:-1]), tokens[-1]


def _join(*parts: str | None) -> str | None:
    return " ".join(p for p in parts if p) or None


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
    """The name of a company customer itself (its name column, else its company column)."""
    if _party_of(fields) != "company":
        return None
    return _text(fields, "name") or _text(fields, "company")


def _employer(fields: Mapping[str, Any]) -> str | None:
    """The company a person customer works for: shared with colleagues, so weaker evidence."""
    if _party_of(fields) == "company":
        return None
    return _text(fields, "company")


VIRTUAL_FIELDS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "given_name": lambda f: _name_parts(f)[0],
    "family_name": lambda f: _name_parts(f)[1],
    "full_name": lambda f: _text(f, "name") or _join(_text(f, "first_name"), _text(f, "last_name")),
    "party": _party_of,  # person / company: declared customer_type, else inferred from the name
    "organization": _organization,  # a company customer's own name
    "employer": _employer,  # a person customer's company
    "full_address": lambda f: _text(f, "address")
    or _join(_text(f, "address_number"), _text(f, "address_line1"), _text(f, "address_line2")),
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
