"""Phone and mobile numbers -> E.164 (``+8613812345678``).

A fast path handles Chinese mobiles (the bulk of every import) without calling phonenumbers; anything else
goes through phonenumbers with the caller's default region.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import phonenumbers

from .errors import InvalidValue
from .text import clean_text, drop_float_suffix, is_missing

# CN mobiles: 11 digits 1[3-9]x. Accepted by pattern rather than by phonenumbers' allocation table, which
# lags behind new number blocks (e.g. 140-144, 154, 16x were rejected by phonenumbers 9.0.43 at the time of
# writing); the pattern alone still catches typos in length and prefix.
_CN_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9]{9})")
_CN_MOBILE_INTERNATIONAL = re.compile(r"(?:\+86|0086)(1[3-9][0-9]{9})")
_SEPARATORS = re.compile(r"[\s\-.()\[\]/]")
# "010-12345678转123", "... ext 12", "... 分机 8001", "... #12": the extension is not part of E.164.
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|extension|x|#)\s*[0-9]{1,6}$", re.IGNORECASE)
# "0755-12345678-8001": a short trailing dash group is an extension, tried only if the whole is invalid.
_DASH_EXTENSION = re.compile(r"^(.*[0-9])\s*-\s*[0-9]{1,5}$")
_SCIENTIFIC = re.compile(r"^[0-9](?:\.[0-9]+)?e\+?[0-9]{1,2}$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:tel\.?|phone|mobile|电话|手机)\s*[:：]?\s*", re.IGNORECASE)


def _prepare(raw: object, reason: str) -> str | None:
    if is_missing(raw):
        return None
    if isinstance(raw, bool):
        raise InvalidValue(reason)
    if isinstance(raw, float) and not raw.is_integer():
        raise InvalidValue(reason)
    text = clean_text(raw)
    if text is None:
        return None
    if _SCIENTIFIC.match(text):  # Excel shows long numbers as 1.3812345678E+10
        try:
            text = str(int(Decimal(text)))
        except (InvalidOperation, ValueError):
            raise InvalidValue(reason) from None
    text = _PREFIX.sub("", drop_float_suffix(text))
    return _EXTENSION.sub("", text)


def _parse(text: str, region: str | None, reason: str) -> str:
    compact = _SEPARATORS.sub("", text)
    fast = (_CN_MOBILE if region == "CN" else _CN_MOBILE_INTERNATIONAL).fullmatch(compact)
    if fast:
        return "+86" + fast.group(1)
    for candidate in _candidates(text):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise InvalidValue(reason)


def _candidates(text: str) -> list[str]:
    dash = _DASH_EXTENSION.match(text)
    return [text, dash.group(1)] if dash else [text]


def standardize_phone(raw: object, region: str | None = "CN") -> str | None:
    """Any valid phone number (landline, mobile, service number) -> E.164.

    ``region`` is the ISO country assumed for numbers written without a country code; None requires one.
    Extensions (``转123``, ``ext 12``, ``-8001``) are dropped: E.164 has no place for them.
    """
    reason = "not a valid phone number"
    text = _prepare(raw, reason)
    return None if text is None else _parse(text, region, reason)


def standardize_mobile(raw: object, region: str | None = "CN") -> str | None:
    """A mobile column -> E.164. CN mobiles must be 11 digits 1[3-9]x.

    A landline in the mobile column (a company switchboard such as ``010-12345678``) is accepted when it
    is a valid phone number: the column name says what the form asked for, not what people typed.
    """
    reason = "not a valid mobile number"
    text = _prepare(raw, reason)
    return None if text is None else _parse(text, region, reason)


def phone_digits(raw: object) -> str | None:
    """Only the digits of a phone value (after full-width -> half-width), for partial-number search."""
    text = clean_text(raw)
    if text is None:
        return None
    digits = "".join(ch for ch in drop_float_suffix(text) if "0" <= ch <= "9")
    return digits or None


_MASKED_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9][0-9])[*＊xX]{4}([0-9]{4})")


def masked_mobile(raw: object) -> str | None:
    """A CN mobile with its middle four digits hidden (138****5678), as shop and call-center exports
    often show it. Not an identifier, but its visible digits still count as matching evidence.
    Returns the canonical masked form, or None when the value is not a masked mobile."""
    if raw is None:
        return None
    text = _SEPARATORS.sub("", clean_text(str(raw)))
    match = _MASKED_MOBILE.fullmatch(text)
    return f"{match.group(1)}****{match.group(2)}" if match else None
