"""Transforms: matching keys derived from one field value (pinyin, Soundex, suffix-free company).

A level or a blocking rule names a value as ``field`` or ``field:transform`` (``given_name:pinyin``,
``birth_date:year``). Fields arrive already standardized; the transforms here only derive *matching*
keys, never display values, and reuse the standardize package's keys (name_key, name_pinyin,
company_key, city_key) so ingest and matching agree. Every transform maps a non-empty string to a
string or None and is deterministic, so keys can be stored on a SourceRecord.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from pypinyin import lazy_pinyin

from custgraph.matching.standardize import (
    city_key,
    company_core_without_region,
    company_key,
    name_key,
)
from custgraph.matching.standardize import name_pinyin as _name_pinyin
from custgraph.matching.standardize import split_person_name as _split_person_name
from custgraph.matching.standardize._data import load_table, string_list
from custgraph.matching.standardize.names import has_cjk_honorific, has_compound_surname
from custgraph.matching.standardize.regions import find_province
from custgraph.matching.standardize.text import to_simplified
from custgraph.vocabulary import HAN_RUN, has_han

Transform = Callable[[str], str | None]

_BRACKETS_SPACES = re.compile(r"[\s()\[\]（）【】]+")
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
# Names repeat across records, and their parts far more: the standardizer's name functions are
# remembered per value here (given_name, family_name, full_name and email_handle all split one name).
MEMO_SIZE = 1 << 18
split_person_name = lru_cache(maxsize=MEMO_SIZE)(_split_person_name)
name_pinyin = lru_cache(maxsize=MEMO_SIZE)(_name_pinyin)

_PARTY = {
    "person": "person", "individual": "person", "personal": "person", "个人": "person", "自然人": "person",
    "company": "company", "organization": "company", "organisation": "company", "business": "company",
    "enterprise": "company", "corporate": "company", "企业": "company", "公司": "company", "单位": "company",
    "机构": "company", "组织": "company",
}  # fmt: skip


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
    """City key; a city that is a province of its own goes by its Chinese short name in any
    spelling (Beijing, 北京市 -> 北京; Hong Kong, HK, 香港 -> 香港), since pinyin cannot join 香港 and Hong Kong."""
    province = find_province(value)
    if province is not None and province.name.endswith(("市", "特别行政区")):
        return province.short
    return city_key(value) or _nospace(value)


def _city_pinyin(value: str) -> str | None:
    """Pinyin of the city key: 广州市 and guangzhou agree. Read as a place, not a person's name:
    pypinyin's phrase readings give 厦门 xiamen, 长沙 changsha, 佛山 foshan (not the surname 长 zhang)."""
    key = _city(value)
    if not key:
        return None
    if not has_han(key):
        return key
    return _NOT_LETTER.sub("", "".join(lazy_pinyin(to_simplified(key))).casefold()) or None


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


@lru_cache(maxsize=1)
def _personal_mail_domains() -> frozenset[str]:
    table = load_table("std_mail_providers.yaml")
    return frozenset(string_list(table, "personal_mail_domains", source="std_mail_providers.yaml"))


def _personal_email(value: str) -> str | None:
    """The mailbox when it is at a public provider (qq.com, 163.com, gmail.com): a person's own, not
    a work one. Two different work and personal mailboxes are one person as often as not."""
    text = value.strip().lower()
    return text if text.partition("@")[2] in _personal_mail_domains() else None


@lru_cache(maxsize=1)
def _trade_word_end() -> re.Pattern[str]:
    table = load_table("std_company_suffixes.yaml")
    words = sorted(string_list(table, "cjk_trade_words", source="std_company_suffixes.yaml"), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + ")$")


@lru_cache(maxsize=65536)
def looks_like_company(value: str) -> bool:
    """An organisation's name rather than a person's: a legal form or organisation word (公司, Ltd),
    or, for a han-only name, a length or a trade-word ending no person name has (华盛教育科技, 永泰服饰)."""
    text = unicodedata.normalize("NFKC", value)
    if _ORG_WORDS.search(text):
        return True
    core = _BRACKETS_SPACES.sub("", text)  # 新华软件(北京) reads 新华软件北京
    if not HAN_RUN.fullmatch(core) or has_cjk_honorific(core):
        return False
    if len(core) >= 5:
        return True
    # 永泰服饰 is a company; 司马文化 is a person with a compound surname
    return len(core) == 4 and not has_compound_surname(core) and _trade_word_end().search(core) is not None


_CN_MOBILE = re.compile(r"^\+861[3-9][0-9]{9}$")


def _own_mobile(value: str) -> str | None:
    """A mobile phone's number, not a landline typed into the mobile column (a switchboard is no person's)."""
    text = value.strip()
    return text if _CN_MOBILE.match(text) or (text and not text.startswith("+86")) else None


def party_of_value(value: str) -> str | None:
    """person / company from a customer-type value in either language."""
    return _PARTY.get(normalize_text(value).replace(" ", ""))


# Transforms worth remembering per value: names, cities and companies repeat across records and
# cost tens of microseconds each (pinyin, traditional -> simplified, region tables). The cheap ones
# (digits, dates, email parts) and the per-record unique ones are computed every time.
def _memo(transform: Transform) -> Transform:
    return lru_cache(maxsize=MEMO_SIZE)(transform)


TRANSFORMS: dict[str, Transform] = {
    "raw": lambda v: v.strip() or None,
    "name": _memo(_name),
    "nospace": _nospace,
    "sorted_tokens": _memo(_sorted_tokens),
    "pinyin": _memo(_pinyin),
    "soundex": _soundex,
    "initial": _initial,
    "digits": _digits,
    "sorted_chars": _sorted_chars,
    "year": _year,
    "month_day": _month_day,
    "company": _memo(_company),
    "company_core": _memo(_company_core),
    "company_letters": _company_letters,
    "city": _memo(_city),
    "city_pinyin": _memo(_city_pinyin),
    "mask_key": _mask_key,
    "own_mobile": _own_mobile,
    "email_local": _email_local,
    "email_domain": _email_domain,
    "personal_email": _personal_email,
    "party": _memo(party_of_value),
}


def parse_key_spec(spec: str) -> tuple[str, str]:
    """'field' or 'field:transform' -> (field, transform)."""
    field, _, transform = spec.partition(":")
    return field.strip(), (transform.strip() or "raw")


def check_transform(transform: str) -> str:
    if transform not in TRANSFORMS:
        raise ValueError(f"unknown transform {transform!r}; known: {', '.join(sorted(TRANSFORMS))}")
    return transform
