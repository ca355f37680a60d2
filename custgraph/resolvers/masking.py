"""Masking personal data for roles that may not see it in full (Settings.full_value_roles).

Names keep the family name (张伟 -> 张*, 张先生 -> *先生), mobiles hide the middle four digits
(+8613812345678 -> 138****5678), emails keep their initial and domain (zhang@x.com -> z***@x.com).
Company names are not personal data and are never masked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from custgraph.search.keys import national_digits
from custgraph.vocabulary import has_han

HONORIFICS = ("先生", "女士", "小姐", "老师", "经理", "总")


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    text = name.strip()
    for title in HONORIFICS:
        if text.endswith(title) and len(text) > len(title):
            return f"*{title}"
    if has_han(text):
        return text[0] + "*" * max(1, len(text) - 1)
    return " ".join(word[0] + "***" for word in text.split())


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    digits = national_digits(value) or ""
    if value.strip().startswith("+86") and digits.startswith("86"):
        digits = digits[2:]  # a Chinese landline: shown without the country code, like a mobile
    if len(digits) >= 8:
        return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_email(value: str | None) -> str | None:
    if not value or "@" not in value:
        return value
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_id_number(value: str | None) -> str | None:
    """National ids and bank cards: the first three and last four characters."""
    if not value:
        return value
    text = str(value)
    if len(text) <= 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


def _mask_given(value: str | None) -> str | None:
    return "*" if value else value


# record field -> how to mask it (source records carry these in fields/raw JSON)
FIELD_MASKS: dict[str, Callable[[Any], Any]] = {
    "name": mask_name,
    "first_name": _mask_given,
    "mobile": mask_phone,
    "phone": mask_phone,
    "email": mask_email,
    "national_id": mask_id_number,
    "bank_card": mask_id_number,
}

CONTACT_MASKS: dict[str, Callable[[str | None], str | None]] = {
    "mobile": mask_phone,
    "phone": mask_phone,
    "email": mask_email,
    "national_id": mask_id_number,
}


def mask_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """A record's fields with the personal ones masked."""
    return {
        key: FIELD_MASKS[key](str(value)) if key in FIELD_MASKS and value not in (None, "") else value
        for key, value in values.items()
    }
