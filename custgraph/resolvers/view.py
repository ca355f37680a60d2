"""What a caller sees of each personal value: the one place that decides it, per role.

Every GraphQL type (schema/), the export and the search log reach personal values through a ``View``
(``Context.view``, built once per request). Roles in ``Settings.full_value_roles`` (admin by default)
see full values; everyone else sees them masked:

- a person's name keeps its surname: 张伟 -> 张*, 欧阳娜娜 -> 欧阳*; a name with a title keeps the
  title only: 张先生 -> *先生, 王女士 -> *女士. Company names are not personal data;
- a mobile or phone keeps its first 3 and last 4 digits: +8613812345678 -> 138****5678;
- an email keeps its initial and domain: zhangwei@huawei.com -> z***@huawei.com;
- a national ID or bank card keeps its last 4: 11010519491231002X -> **************002X.

Values are masked by the field they belong to (canonical fields, the matcher's virtual fields, and a
source's own column headers through the import synonym table); a value under any other name is
masked when it looks like one of the above (an email, a long digit run, a phone number), so an
unmapped column cannot carry an identifier past the view. Absolute server paths show only the file
name to non-admins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from custgraph.graph.models import ContactNode, CustomerNode
from custgraph.ingest.synonyms import default_synonyms
from custgraph.matching.standardize.names import has_compound_surname
from custgraph.search.keys import national_digits
from custgraph.vocabulary import has_han

TITLES = ("先生", "女士", "小姐", "太太", "老师", "经理", "总")
ADMIN = "admin"


def mask_name(name: str | None) -> str | None:
    """张伟 -> 张*, 张先生 -> *先生, Alice Wang -> A*** W***."""
    if not name:
        return name
    text = name.strip()
    for title in TITLES:
        if text.endswith(title) and len(text) > len(title):
            return f"*{title}"
    if has_han(text):
        surname = text[:2] if has_compound_surname(text) else text[:1]
        return f"{surname}*"
    return " ".join(word[0] + "***" for word in text.split())


def mask_given(value: str | None) -> str | None:
    """A given name on its own: nothing of it is shown."""
    return "*" if value else value


def mask_phone(value: str | None) -> str | None:
    """The first 3 and last 4 digits (of the national number): +8613812345678 -> 138****5678."""
    if not value:
        return value
    digits = national_digits(value) or "".join(ch for ch in value if ch.isdigit())
    if value.strip().startswith("+86") and digits.startswith("86"):
        digits = digits[2:]  # a Chinese landline: shown without the country code, like a mobile
    if len(digits) >= 8:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_email(value: str | None) -> str | None:
    """The initial and the domain: zhangwei@huawei.com -> z***@huawei.com."""
    if not value:
        return value
    if "@" not in value:
        return mask_tail(value)  # not an email after all: show as little as an id
    local, _, domain = value.strip().partition("@")
    return f"{local[:1]}***@{domain}"


def mask_handle(value: str | None) -> str | None:
    """An email's local part on its own (the matcher's email_handle): its initial."""
    return f"{value[:1]}***" if value else value


def mask_tail(value: str | None) -> str | None:
    """National IDs and bank cards: the last 4 characters (spaces and dashes dropped)."""
    if not value:
        return value
    text = "".join(ch for ch in str(value) if ch not in " -")
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


Mask = Callable[[str | None], str | None]

# field -> its mask: canonical fields, the matcher's virtual fields (custgraph/matching/virtual_fields.py)
FIELD_MASKS: dict[str, Mask] = {
    "name": mask_name,
    "full_name": mask_name,
    "first_name": mask_given,
    "given_name": mask_given,
    "mobile": mask_phone,
    "mobile_any": mask_phone,
    "mobile_masked": mask_phone,
    "phone": mask_phone,
    "email": mask_email,
    "email_handle": mask_handle,
    "contact_name": mask_name,  # a company's contact person is a person
    "contact_mobile": mask_phone,
    "contact_email": mask_email,
    "national_id": mask_tail,
    "bank_card": mask_tail,
}

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_NUMBER = re.compile(r"\+?\d[\d ()-]*\d[Xx]?")  # a run of digits, possibly spaced or dashed


def _mask_number(token: str) -> str:
    """A digit run as it would show: an id or card (14+ digits) or a phone keeps little; anything
    else (a date, an amount, a postal code) is not personal and stays."""
    digits = "".join(ch for ch in token if ch.isdigit() or ch in "Xx")
    if len(digits) >= 14:
        return mask_tail(token) or ""
    if not digits.isdigit():
        return token
    if token.startswith("+") and 8 <= len(digits) <= 15:
        return mask_phone(token) or ""
    if (len(digits) == 11 and digits.startswith("1")) or (digits.startswith("0") and 10 <= len(digits) <= 12):
        return mask_phone(token) or ""
    return token


def mask_text(text: str) -> str:
    """Free text with every email, id-like digit run and phone-like number in it masked."""
    text = _EMAIL.sub(lambda m: mask_email(m.group()) or "", text)
    return _NUMBER.sub(lambda m: _mask_number(m.group()), text)


def field_of(name: str) -> str:
    """The canonical field a field name or a source's column header (客户姓名, 手机号) stands for."""
    if name in FIELD_MASKS:
        return name
    return default_synonyms().lookup(name) or name


def mask_value(field: str, value: Any) -> Any:
    """One value under a field name or column header, masked for a caller without full values."""
    if value is None or value == "" or isinstance(value, bool):
        return value
    if isinstance(value, Mapping):
        return mask_values(value)
    if isinstance(value, list):
        return [mask_value(field, item) for item in value]
    mask = FIELD_MASKS.get(field_of(field))
    if mask is not None:
        return mask(str(value))
    return mask_text(value) if isinstance(value, str) else value


def mask_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's fields, raw row or extra columns, each value masked by its name."""
    return {key: mask_value(str(key), value) for key, value in values.items()}


@dataclass(frozen=True)
class View:
    """How one caller sees personal values: ``full`` (unmasked) or masked, and server paths."""

    full: bool
    admin: bool

    @classmethod
    def of(cls, role: str, full_value_roles: Iterable[str]) -> View:
        return cls(full=role in tuple(full_value_roles), admin=role == ADMIN)

    # --- the golden customer ---------------------------------------------------------------------
    def name(self, node: CustomerNode) -> str | None:
        if self.full or node.customer_type == "company":
            return node.name
        return mask_name(node.name)

    def mobile(self, value: str | None) -> str | None:
        return value if self.full else mask_phone(value)

    def email(self, value: str | None) -> str | None:
        return value if self.full else mask_email(value)

    def customer(self, node: CustomerNode) -> CustomerNode:
        """The customer with its personal fields as this caller sees them (exports)."""
        if self.full:
            return node
        update = {"name": self.name(node), "mobile": mask_phone(node.mobile), "phone": mask_phone(node.phone)}
        update["email"] = mask_email(node.email)
        return node.model_copy(update=update)

    def contact_person(self, node: ContactNode) -> ContactNode:
        """A company's contact person (联系人) as this caller sees them: the name masked like a person's."""
        if self.full:
            return node
        update = {"name": mask_value("contact_name", node.name), "mobile": mask_phone(node.mobile)}
        update["email"] = mask_email(node.email)
        return node.model_copy(update=update)

    # --- values under a field name: contacts, records, evidence, import issues ---------------------
    def value(self, field: str, value: Any) -> Any:
        return value if self.full else mask_value(field, value)

    def values(self, values: Any) -> Any:
        """A record's fields / raw / extra JSON (a dict by field or header; anything else as text)."""
        if self.full:
            return values
        if isinstance(values, Mapping):
            return mask_values(values)
        return mask_value("", values)

    def evidence(self, evidence: Any) -> Any:
        """Stored match evidence (a list of {field, value_a, value_b, ...}): both values masked."""
        if self.full or not isinstance(evidence, list):
            return evidence if self.full or evidence is None else mask_value("", evidence)
        shown = []
        for item in evidence:
            if isinstance(item, Mapping):
                field = str(item.get("field") or "")
                item = {
                    **item,
                    **{k: mask_value(field, item[k]) for k in ("value_a", "value_b") if k in item},
                }
            shown.append(item)
        return shown

    def text(self, text: str | None, known: Iterable[tuple[str, Any]] = ()) -> str | None:
        """Free text (a summary, a search-log query): the ``known`` (field, value) pairs it may quote
        replaced by their masks, then anything that looks like an identifier."""
        if self.full or not text:
            return text
        for field, value in sorted(known, key=lambda fv: -len(str(fv[1] or ""))):
            if isinstance(value, str) and value and FIELD_MASKS.get(field_of(field)) is not None:
                text = text.replace(value, str(mask_value(field, value)))
        return mask_text(text)

    def path(self, path: str | None) -> str | None:
        """A server file path: only its file name to anyone but an admin."""
        if self.admin or not path:
            return path
        return PurePath(path.replace("\\", "/")).name

    def issue(self, issue: Mapping[str, Any]) -> dict[str, Any]:
        """An import issue: its rejected value masked by its field; paths in it cut to file names."""
        shown = dict(issue)
        if not self.full and "value" in shown:
            shown["value"] = mask_value(str(shown.get("field") or ""), shown["value"])
        if not self.admin:  # a server path, whatever it stands in (a value, a reason): its file name
            for key, text in shown.items():
                if isinstance(text, str):
                    shown[key] = _ABSOLUTE.sub(lambda m: self.path(m.group()) or "", text)
        return shown


_ABSOLUTE = re.compile(r"(?:/[^\s/'\"]+){2,}")  # an absolute POSIX path quoted in a message
