"""The project's shared vocabulary: each concept is defined here once and imported everywhere else.

Copies drift (the phone field was an identifier in one list and not in another), so readers,
matching, the graph layer and the API all take these names from this module. It imports nothing
from the rest of the package, so any layer may depend on it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

# --- identifiers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identifier:
    """A field whose value identifies a customer, and how the graph shows it (a node and an edge)."""

    field: str
    label: str  # the identifier node's label
    rel: str  # SourceRecord -[rel]-> identifier node
    contact: bool  # a way to reach the customer (shown as a contact), not a registration number


IDENTIFIERS: tuple[Identifier, ...] = (
    Identifier("mobile", "Mobile", "HAS_MOBILE", contact=True),
    Identifier("phone", "Phone", "HAS_PHONE", contact=True),
    Identifier("email", "Email", "HAS_EMAIL", contact=True),
    Identifier("national_id", "NationalId", "HAS_NATIONAL_ID", contact=False),
    Identifier("credit_code", "CreditCode", "HAS_CREDIT_CODE", contact=False),
    Identifier("bank_card", "BankCard", "HAS_BANK_CARD", contact=False),
)
IDENTIFIER_FIELDS: tuple[str, ...] = tuple(i.field for i in IDENTIFIERS)
IDENTIFIER_BY_FIELD: dict[str, Identifier] = {i.field: i for i in IDENTIFIERS}
CONTACT_FIELDS: tuple[str, ...] = tuple(i.field for i in IDENTIFIERS if i.contact)

# --- sensitive fields ----------------------------------------------------------------------------

# Encrypted before they reach the graph (custgraph/crypto.py); looked up by HMAC, never by plaintext.
SENSITIVE_FIELDS: tuple[str, ...] = ("national_id", "bank_card")

# What an unmapped column's header says when it holds one of them (after _header_text): a column a
# mapping left out is encrypted all the same. Chinese words match anywhere in the header, Latin
# ones only as the whole header (``cardno`` inside a longer word is not a card number).
_SENSITIVE_HEADER_PARTS = (
    "身份证", "身份證", "证件号", "證件號", "银行卡", "銀行卡", "卡号", "卡號", "银行账号", "銀行賬號",
)  # fmt: skip
_SENSITIVE_HEADERS = frozenset(
    {
        "nationalid", "idcard", "idnumber", "idno", "idcardno", "idcardnumber", "ssn", "socsecid",
        "bankcard", "bankcardno", "bankcardnumber", "cardno", "cardnumber", "bankaccount", "iban",
    }
)  # fmt: skip
_HEADER_NOISE = re.compile(r"[\W_]+")


def _header_text(header: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", header).casefold())


@lru_cache(maxsize=4096)  # asked for every unmapped cell of every row: a file has few headers
def header_is_sensitive(header: str) -> bool:
    """True when a column header names a national ID or a bank card (身份证号码, 银行卡号, id_card)."""
    text = _header_text(header)
    return text in _SENSITIVE_HEADERS or any(part in text for part in _SENSITIVE_HEADER_PARTS)


# --- dates ---------------------------------------------------------------------------------------

# Fields holding a calendar date: they take a strptime format from a mapping profile and receive
# the native cell value (an Excel serial number or a datetime), not its text.
DATE_FIELDS: frozenset[str] = frozenset(
    {"birth_date", "first_contact", "last_contact", "order_date", "interaction_date", "consent_date"}
)

# --- resolution outcomes -------------------------------------------------------------------------

# What resolution made of one record: joined a customer, a new customer with a pair to review,
# a new customer, or the follow-up pool (nothing to match on).
Outcome = Literal["matched", "review", "new", "unmatched"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

# --- roles ---------------------------------------------------------------------------------------

# Who a caller is allowed to be (graph User.role, the request context's role): a rep works their own
# customers, a manager their teams' customers, an admin everything, an auditor the audit log only.
Role = Literal["rep", "manager", "admin", "auditor"]
ROLES: tuple[Role, ...] = get_args(Role)

# --- Han characters ------------------------------------------------------------------------------

# CJK Unified Ideographs, extension A, the compatibility block and the supplementary planes
# (extensions B and later), as the inside of a regex character class.
HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_CHAR = re.compile(f"[{HAN_RANGE}]")
HAN_RUN = re.compile(f"[{HAN_RANGE}]+")
NOT_HAN_RUN = re.compile(f"[^{HAN_RANGE}]+")


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Han character."""
    return HAN_CHAR.search(text) is not None


# --- interaction types ---------------------------------------------------------------------------

# What an interaction was: a vocabulary, not free text (classification counts events; reports group
# by type). Spellings are compared NFKC-normalized and case-folded; traditional forms are listed.
InteractionType = Literal["visit", "call", "email", "complaint", "satisfaction", "event", "other"]
INTERACTION_TYPES: tuple[InteractionType, ...] = get_args(InteractionType)
INTERACTION_SYNONYMS: dict[InteractionType, tuple[str, ...]] = {
    # the order is the order of the substring test: 满意度回访 is satisfaction before 回访 is a call
    "satisfaction": ("满意度回访", "满意度", "滿意度", "满意度调查", "回访评分", "satisfaction", "survey", "nps"),
    "complaint": ("投诉", "投訴", "客诉", "客訴", "抱怨", "complaint"),
    "event": ("活动", "活動", "会议", "會議", "展会", "展會", "研讨会", "沙龙", "峰会", "发布会", "培训",
              "event", "meeting", "conference", "exhibition", "trade show", "webinar", "seminar"),
    "visit": ("拜访", "拜訪", "上门", "上門", "面谈", "面談", "来访", "來訪", "陌拜", "visit", "on-site"),
    "call": ("电话", "電話", "致电", "来电", "回访", "回訪", "call", "phone", "telephone"),
    "email": ("邮件", "郵件", "电邮", "電郵", "email", "e-mail", "mail"),
    "other": ("其他", "其它", "other"),
}  # fmt: skip


def _interaction_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


@lru_cache(maxsize=4096)
def interaction_type(raw: str | None) -> InteractionType | None:
    """The vocabulary's type for a typed or imported text: 电话回访 -> call, 满意度回访 -> satisfaction,
    行业展会 -> event; a text naming none of them is ``other``; a blank one None."""
    if raw is None or not _interaction_text(raw):
        return None
    text = _interaction_text(raw)
    if text in INTERACTION_TYPES:
        return text  # type: ignore[return-value]
    for kind, spellings in INTERACTION_SYNONYMS.items():
        if any(_interaction_text(s) in text for s in spellings):
            return kind
    return "other"


def interaction_label(kind: str | None) -> str | None:
    """The Chinese name of a vocabulary type (its first spelling: visit -> 拜访, event -> 活动); a free
    text an older record holds is its own label."""
    if kind is None:
        return None
    spellings = INTERACTION_SYNONYMS.get(kind)  # type: ignore[call-overload]
    return spellings[0] if spellings else kind
