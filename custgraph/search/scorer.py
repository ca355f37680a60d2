"""Ranking keyword-search candidates: the one place search calls rapidfuzz.

The candidates come from the blocking keys (keys.py); each is scored against the query field by
field and keeps its best field. Weights are data: an exact id, mobile or email is a certain hit (1.0),
a homophone or a typo less so, a fragment less again — so exact hits always rank first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from custgraph.matching.standardize import company_key, name_key, name_pinyin
from custgraph.search.keys import CUSTOMER_ID, customer_id_forms, is_digit_query, national_digits

# field -> (exact, similar, contained, min ratio): the score of an exact hit, the factor on a fuzzy
# ratio, the base of a fragment hit (a fragment scores base + 0.1 x the share of the value it covers)
# and the rapidfuzz ratio (0-100) under which two values count as unrelated. Pinyin needs a high
# ratio: short syllables make unrelated names look alike (huawei / zhangwei).
WEIGHTS: dict[str, tuple[float, float, float, float]] = {
    "id": (1.0, 0.0, 0.0, 100.0),
    "mobile": (1.0, 0.85, 0.8, 80.0),
    "phone": (0.95, 0.8, 0.75, 80.0),
    "email": (1.0, 0.9, 0.7, 70.0),
    "name": (0.98, 0.9, 0.7, 60.0),
    "pinyin": (0.9, 0.8, 0.6, 80.0),
    "company": (0.95, 0.85, 0.7, 60.0),
}
MIN_SCORE = 0.5  # below this a candidate shares a key with the query but not much else
SUFFIX_BONUS = 0.05  # a number fragment at the end of a phone: its last digits
CACHE_SIZE = 65536  # candidate names and companies whose standardized forms are kept per process


@dataclass(frozen=True)
class ParsedQuery:
    """The query in every form the fields are compared in, computed once per search."""

    text: str
    ids: frozenset[str]
    digits: str | None
    email: str | None
    name: str | None
    pinyin: str | None
    company: str | None

    @classmethod
    def parse(cls, query: str) -> ParsedQuery:
        text = query.strip()
        digit_query = is_digit_query(text)
        return cls(
            text=text,
            ids=frozenset(customer_id_forms(text)) if CUSTOMER_ID.match(text) else frozenset(),
            digits=national_digits(text) if digit_query else None,
            email=text.casefold() if "@" in text else None,
            name=None if digit_query else name_key(text),
            pinyin=None if digit_query else name_pinyin(text),
            company=None if digit_query else company_key(text),
        )


@dataclass(frozen=True)
class Score:
    score: float  # 0..1
    field: str | None  # the field that matched best


def _text(field: str, query: str | None, value: str | None) -> float:
    """Exact, containment or fuzzy similarity of two normalized strings, weighted for the field."""
    if not query or not value:
        return 0.0
    exact, similar, contained, min_ratio = WEIGHTS[field]
    if query == value:
        return exact
    best = 0.0
    if len(query) >= 2 and query in value:
        best = contained + 0.1 * len(query) / len(value)
    ratio = fuzz.ratio(query, value)
    if ratio >= min_ratio:
        best = max(best, similar * ratio / 100.0)
    return best


def _digits(field: str, query: str | None, value: object) -> float:
    if not query:
        return 0.0
    digits = national_digits(value)
    if not digits:
        return 0.0
    exact, similar, contained, min_ratio = WEIGHTS[field]
    if query == digits:
        return exact
    if query in digits:  # the last four (what people usually type: ranked first), or a middle fragment
        suffix = SUFFIX_BONUS if digits.endswith(query) else 0.0
        return contained + suffix + 0.1 * len(query) / len(digits)
    if len(query) >= 8:  # a whole number with a typo
        ratio = fuzz.ratio(query, digits)
        return similar * ratio / 100.0 if ratio >= min_ratio else 0.0
    return 0.0


@lru_cache(maxsize=CACHE_SIZE)
def _name_forms(name: str | None) -> tuple[str | None, str | None]:
    """A candidate name's matching key and pinyin: pure functions of the name, and the bulk of a search's
    CPU when computed afresh for each of its 200 candidates (common names come back search after search)."""
    return name_key(name), name_pinyin(name)


@lru_cache(maxsize=CACHE_SIZE)
def _company_key(company: str | None) -> str | None:
    return company_key(company)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


def score(query: ParsedQuery, customer: Mapping[str, Any]) -> Score:
    """How well one candidate (Customer node properties) answers the query."""
    email = str(customer.get("email") or "").casefold() or None
    name, pinyin = _name_forms(_text_or_none(customer.get("name")))
    scores = {
        "id": WEIGHTS["id"][0] if str(customer.get("id", "")).upper() in query.ids else 0.0,
        "mobile": _digits("mobile", query.digits, customer.get("mobile")),
        "phone": _digits("phone", query.digits, customer.get("phone")),
        "email": _text("email", query.email, email),
        "name": _text("name", query.name, name),
        "pinyin": _text("pinyin", query.pinyin, pinyin),
        "company": _text("company", query.company, _company_key(_text_or_none(customer.get("company")))),
    }
    field, best = max(scores.items(), key=lambda item: item[1])
    return Score(round(best, 4), field) if best > 0 else Score(0.0, None)


def rank(query: str, candidates: list[Mapping[str, Any]], limit: int) -> list[tuple[Mapping[str, Any], Score]]:
    """The best ``limit`` candidates scoring at least MIN_SCORE, best first, ties by id."""
    parsed = ParsedQuery.parse(query)
    scored = [(c, score(parsed, c)) for c in candidates]
    kept = [(c, s) for c, s in scored if s.score >= MIN_SCORE]
    kept.sort(key=lambda item: (-item[1].score, str(item[0].get("id"))))
    return kept[:limit]
