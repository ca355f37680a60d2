"""Email addresses: trimmed, lower-cased, syntax-checked (never a DNS lookup)."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from .errors import InvalidValue
from .text import clean_text

# Chinese input methods produce "。" and "＠" (NFKC already maps "＠" and "．"); "mailto:" comes from links.
_IDEOGRAPHIC_DOTS = str.maketrans({"。": ".", "｡": ".", "，": ","})
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def standardize_email(raw: object) -> str | None:
    """``" Foo.Bar＠Example。COM "`` -> ``"foo.bar@example.com"``.

    The whole address is lower-cased: local parts are case-sensitive in theory, but no mail provider a
    customer uses treats them so, and matching needs one spelling.
    """
    text = clean_text(raw)
    if text is None:
        return None
    text = _MAILTO.sub("", text.translate(_IDEOGRAPHIC_DOTS)).strip("<>").strip()
    if " " in text:
        raise InvalidValue("not a valid email address")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidValue("not a valid email address") from None
    return result.normalized.lower()


def email_domain(email: str | None) -> str | None:
    """The part after ``@`` of a standardized address (for company/industry combination rules)."""
    if not email or "@" not in email:
        return None
    return email.rpartition("@")[2]
