"""Tag lists: one cell ``"VIP，重点客户; 华东"`` -> ``["VIP", "重点客户", "华东"]``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import clean_text, to_simplified

# After NFKC the full-width ，；｜ are already their ASCII forms; 、 and line breaks are not.
_SEPARATORS = re.compile(r"[,;|、\n\r]+")


def _pieces(raw: object) -> Iterable[str]:
    if isinstance(raw, list | tuple | set | frozenset):
        for item in raw:
            yield from _pieces(item)
        return
    if isinstance(raw, str):  # split before cleaning: cleaning turns line breaks into spaces
        raw = raw.replace("\u3001", ",")
        yield from _SEPARATORS.split(raw)
        return
    text = clean_text(raw)
    if text is not None:
        yield text


def standardize_tags(raw: object) -> list[str] | None:
    """Split on , ， ; ； | ｜ 、 and line breaks; clean each tag; drop blanks and repeats (case-insensitive).

    Tags are a vocabulary, so traditional characters are simplified. An already-split list is accepted.
    The first spelling of a repeated tag wins; order is kept.
    """
    seen: set[str] = set()
    tags: list[str] = []
    for piece in _pieces(raw):
        for part in _SEPARATORS.split(clean_text(piece) or ""):
            tag = clean_text(part)
            if tag is None:
                continue
            tag = to_simplified(tag)
            if tag.casefold() not in seen:
                seen.add(tag.casefold())
                tags.append(tag)
    return tags or None
