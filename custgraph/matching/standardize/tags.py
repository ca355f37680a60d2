"""Tag lists: one cell ``"VIP，重点客户; 华东"`` -> ``["VIP", "重点客户", "华东"]``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from custgraph.vocabulary import has_han

from .text import clean_text, to_simplified

# After NFKC the full-width ，；｜ are already their ASCII forms; 、 and line breaks are not.
_SEPARATORS = re.compile(r"[,;|、\n\r]+")
# Chinese sheets often separate tags with spaces ("老客户 重点关注"): when a piece has Chinese words,
# its spaces separate tags; in Latin tags ("key account") a space is part of the tag.


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
            for word in _split_spaced_cjk(part):
                tag = clean_text(word)
                if tag is None:
                    continue
                tag = to_simplified(tag)
                if tag.casefold() not in seen:
                    seen.add(tag.casefold())
                    tags.append(tag)
    return tags or None


def _split_spaced_cjk(part: str) -> list[str]:
    """Split on spaces next to a Chinese character; keep Latin multi-word tags whole."""
    words = part.split()
    if len(words) < 2 or not any(has_han(w) for w in words):
        return [part]
    return words

