"""Blocking keys for keyword search: what makes a customer findable, and what a query looks up.

A customer is linked to one ``(:SearchKey {key})`` node per key, so a query touches only the customers
sharing a key with it (never every customer). Keys are namespaced strings:

| key       | from                                  | finds                                         |
|-----------|---------------------------------------|-----------------------------------------------|
| ``id:``   | customer id, upper case               | ``C000123``                                   |
| ``n:``    | name key (standardize.name_key)       | the exact name, honorifics removed            |
| ``py:``   | toneless pinyin of the name           | homophone typos (张伟/张玮) and pinyin input   |
| ``b:``    | CJK character bigrams of name/company | partial names (静怡) and companies (华为)      |
| ``t:``    | Latin trigrams of name/email/company  | Latin typos and fragments                     |
| ``m:``    | national digits of mobile/phone       | the whole number                              |
| ``d:``    | 4-digit windows of mobile/phone       | the last four digits, a middle fragment       |
| ``e:``    | the email address                     | the exact email                               |
| ``co:``   | company matching key                  | the exact company                             |
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from custgraph.matching.standardize import company_core_without_region, company_key, name_key, name_pinyin
from custgraph.matching.standardize.phones import phone_digits
from custgraph.matching.standardize.text import has_cjk
from custgraph.vocabulary import NOT_HAN_RUN

DIGIT_GRAM = 4
TEXT_GRAM = 3
MAX_GRAMS_PER_FIELD = 12  # bounds the keys of one long value (an email local part, a Latin company)
CUSTOMER_ID = re.compile(r"^[A-Za-z]{1,4}[0-9]{1,}$")
ID_DIGITS = 6  # C000123: see graph/repositories/resolution.py
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_CN_PREFIX = re.compile(r"^(?:0086|86)(1[3-9][0-9]{9})$")


def grams(text: str, size: int, limit: int = MAX_GRAMS_PER_FIELD) -> list[str]:
    """Overlapping windows of ``size`` characters, in order, at most ``limit`` of them."""
    if len(text) < size:
        return []
    # only the first ``limit`` windows are made: a pasted essay in a name cell must not cost its length
    return [text[i : i + size] for i in range(min(len(text) - size + 1, limit))]


def national_digits(value: object) -> str | None:
    """The digits of a phone a person would type: ``+8613812345678`` -> ``13812345678``."""
    digits = phone_digits(value)
    if digits is None:
        return None
    cn = _CN_PREFIX.match(digits)
    return cn.group(1) if cn else digits


def _latin(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _cjk(text: str) -> str:
    return NOT_HAN_RUN.sub("", text)


def _name_keys(name: object) -> set[str]:
    key = name_key(name)
    if not key:
        return set()
    keys = {f"n:{key}"}
    pinyin = name_pinyin(name)
    if pinyin:
        keys.add(f"py:{pinyin}")
    if has_cjk(key):
        cjk = _cjk(key)
        if len(cjk) >= 3:  # a two-character name's only bigram is the name itself (``n:``)
            keys.update(f"b:{g}" for g in grams(cjk, 2))
    else:
        keys.update(f"t:{g}" for g in grams(_latin(key), TEXT_GRAM))
    return keys


def _phone_keys(value: object) -> set[str]:
    digits = national_digits(value)
    if not digits or len(digits) < DIGIT_GRAM:
        return set()
    return {f"m:{digits}", *(f"d:{g}" for g in grams(digits, DIGIT_GRAM, limit=16))}


def _email_keys(value: object) -> set[str]:
    if not isinstance(value, str) or "@" not in value:
        return set()
    email = value.strip().casefold()
    local = _latin(email.partition("@")[0])
    return {f"e:{email}", *(f"t:{g}" for g in grams(local, TEXT_GRAM))}


def _company_keys(value: object) -> set[str]:
    key = company_key(value)
    if not key:
        return set()
    keys = {f"co:{key}"}
    core = company_core_without_region(key) or key
    if has_cjk(core):
        keys.update(f"b:{g}" for g in grams(_cjk(core), 2))
    else:
        keys.update(f"t:{g}" for g in grams(_latin(core), TEXT_GRAM))
    return keys


def customer_keys(customer: Mapping[str, Any]) -> set[str]:
    """Every key a golden customer is findable by (``customer`` holds Customer node properties)."""
    keys = {f"id:{str(customer['id']).upper()}"}
    keys |= _name_keys(customer.get("name"))
    keys |= _phone_keys(customer.get("mobile")) | _phone_keys(customer.get("phone"))
    keys |= _email_keys(customer.get("email"))
    keys |= _company_keys(customer.get("company"))
    return keys


def is_digit_query(text: str) -> bool:
    """Mostly digits (a phone or a fragment of one, separators allowed) rather than a name or an id."""
    digits = national_digits(text)
    return bool(digits) and len(digits) >= DIGIT_GRAM and len(digits) * 2 >= len(_latin(text))


def query_keys(query: str) -> set[str]:
    """The keys to look up for what a user typed; empty when the query is too short to search."""
    text = query.strip()
    if not text:
        return set()
    if CUSTOMER_ID.match(text):
        return {f"id:{key}" for key in customer_id_forms(text)}
    if is_digit_query(text):
        digits = national_digits(text) or ""
        return {f"m:{digits}", *(f"d:{g}" for g in grams(digits, DIGIT_GRAM, limit=16))}
    if "@" in text:
        return _email_keys(text)
    keys = _name_keys(text) | _company_keys(text)
    cjk = _cjk(text)
    if len(cjk) == 2:  # a two-character fragment of a longer name or company
        keys.add(f"b:{cjk}")
    return keys


def customer_id_forms(text: str) -> set[str]:
    """``c123`` -> {``C123``, ``C000123``}: ids are typed without their leading zeros."""
    upper = text.strip().upper()
    prefix = upper.rstrip("0123456789")
    number = upper[len(prefix) :]
    forms = {upper}
    if number and len(number) < ID_DIGITS:
        forms.add(f"{prefix}{int(number):0{ID_DIGITS}d}")
    return forms
