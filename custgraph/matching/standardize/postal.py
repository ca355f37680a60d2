"""Postal codes: kept as text (leading zeros matter), upper-case, Excel's ``.0`` undone."""

from __future__ import annotations

import re

from .errors import InvalidValue
from .text import clean_text, drop_float_suffix, is_missing

# 3-10 letters/digits with inner spaces or hyphens: 100000 (CN), 2119 (AU), 02139 / 02139-4307 (US),
# SW1A 1AA (UK), K1A 0B1 (CA). No country-specific rule: the country is often not known at this point.
_POSTAL = re.compile(r"[A-Z0-9][A-Z0-9 \-]{1,8}[A-Z0-9]")
_LABEL = re.compile(r"^(?:邮编|邮政编码|postcode|zip|zip code|postal code)\s*[:：]?\s*", re.IGNORECASE)


def standardize_postal_code(raw: object) -> str | None:
    """``2119.0`` / ``2119`` / ``" 2119 "`` -> ``"2119"``; ``"sw1a 1aa"`` -> ``"SW1A 1AA"``.

    A code Excel already stored as a number has lost its leading zeros (0800 -> 800); that cannot be
    undone here without knowing the country, so the digits are kept as they are.
    """
    if is_missing(raw):
        return None
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise InvalidValue("not a valid postal code")
    text = clean_text(raw)
    if text is None:
        return None
    text = drop_float_suffix(_LABEL.sub("", text)).upper()
    if not _POSTAL.fullmatch(text):
        raise InvalidValue("not a valid postal code")
    return text
