"""Person names: a display form, a matching key, a pinyin key and a family/given split.

The display form keeps the case and script people typed; only the keys fold case, honorifics and script.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ._data import load_table, string_list
from .text import CJK_RANGE, clean_text, has_cjk, remove_cjk_spaces, strip_accents, to_simplified

_SOURCE = "std_names.yaml"
# Every spelling of the interpunct used in transliterated and minority names (阿卜杜拉·买买提).
_DOTS = str.maketrans(dict.fromkeys("•‧・∙⋅", "·"))
_CJK_DOT = re.compile(f"(?<=[{CJK_RANGE}])\\s*[.·]\\s*(?=[{CJK_RANGE}])")
_NOT_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’‘`]")
_LATIN = re.compile(r"[A-Za-z]")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")


@cache
def _vocab() -> dict[str, tuple[str, ...]]:
    table = load_table(_SOURCE)
    lists = ("compound_surnames", "latin_honorifics", "latin_name_suffixes", "latin_surname_particles")
    vocab = {key: tuple(string_list(table, key, source=_SOURCE)) for key in lists}
    # Longest first, so 王总经理 loses 总经理 rather than matching 经理 and leaving 王总.
    honorifics = string_list(table, "cjk_honorifics", source=_SOURCE)
    vocab["cjk_honorifics"] = tuple(sorted(honorifics, key=len, reverse=True))
    return vocab


@cache
def _surname_pinyin() -> dict[str, str]:
    overrides = load_table(_SOURCE)["surname_pinyin"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in overrides.items()):
        raise RuntimeError(f"{_SOURCE}: surname_pinyin must map quoted strings to quoted strings")
    return dict(overrides)


def normalize_name(raw: object) -> str | None:
    """Display form: NFKC, simplified Chinese, one interpunct ``·``, no padding spaces between hanzi.

    Case is kept as typed (``mitchell`` stays ``mitchell``): a display value is not ours to re-case.
    """
    text = clean_text(raw)
    if text is None:
        return None
    if not has_cjk(text):
        return text
    text = _CJK_DOT.sub("·", to_simplified(text).translate(_DOTS))
    return remove_cjk_spaces(text)


@cache
def _honorifics_by_length() -> tuple[tuple[int, frozenset[str]], ...]:
    """The CJK honorifics grouped by length, longest first (one set lookup per length)."""
    titles = _vocab()["cjk_honorifics"]
    lengths = sorted({len(t) for t in titles}, reverse=True)
    return tuple((n, frozenset(t for t in titles if len(t) == n)) for n in lengths)


def _strip_cjk_honorific(name: str) -> tuple[str, bool]:
    # the longest title the name ends with (王总经理 loses 总经理, not 经理), never the whole name
    for length, titles in _honorifics_by_length():
        if len(name) > length and name[-length:] in titles:
            return name[:-length], True
    return name, False


def has_compound_surname(name: str) -> bool:
    """欧阳娜娜, 司马文化: a Chinese name that starts with a two-character surname."""
    return len(name) >= 3 and name[:2] in _vocab()["compound_surnames"]


def has_cjk_honorific(name: str) -> bool:
    """张先生, 王总: a Chinese name written with a title after it."""
    return _strip_cjk_honorific(name)[1]


def _strip_latin_titles(tokens: list[str]) -> tuple[list[str], bool]:
    """Drop leading titles (Mr, Dr.) and trailing suffixes (Jr., III); never the last remaining token."""
    vocab = _vocab()
    titled = False
    while len(tokens) > 1 and tokens[0].strip(".,").casefold() in vocab["latin_honorifics"]:
        tokens, titled = tokens[1:], True
    while len(tokens) > 1 and tokens[-1].strip(".,").casefold() in vocab["latin_name_suffixes"]:
        tokens = tokens[:-1]
    return tokens, titled


@lru_cache(maxsize=65536)
def _key(name: str) -> str | None:
    if has_cjk(name):
        core, _ = _strip_cjk_honorific(_NOT_WORD.sub("", name))
        return core.casefold() or None
    folded = _APOSTROPHES.sub("", strip_accents(name).casefold())  # O'Brien -> obrien
    tokens: list[str] = []
    for part in reversed(folded.split(",", 1)):  # "Smith, John" keys like "John Smith"
        part_tokens, _ = _strip_latin_titles(_NOT_WORD.sub(" ", part).split())
        tokens.extend(part_tokens)
    return " ".join(tokens) or None


def name_key(raw: object) -> str | None:
    """Matching key: simplified, lower-cased, no accents, honorifics removed.

    Chinese names lose all spaces and punctuation (``张 三`` == ``张三``, ``张先生`` -> ``张``); Latin names
    keep single spaces between words (``Dr. Mary-Jane O'Brien`` -> ``mary jane obrien``) and are put in
    given-family order when written ``Family, Given``.
    """
    name = normalize_name(raw)
    return None if name is None else _key(name)


def _family_length(key: str) -> int:
    """1 or 2: a compound surname counts only when a given name follows it."""
    return 2 if has_compound_surname(key) else 1


@lru_cache(maxsize=65536)
def _pinyin(key: str) -> str:
    if not has_cjk(key):
        return _NOT_ASCII_ALNUM.sub("", key)
    split = _family_length(key)
    family, given = key[:split], key[split:]
    family_pinyin = _surname_pinyin().get(family) or _part_pinyin(family)
    return _NOT_ASCII_ALNUM.sub("", (family_pinyin + _part_pinyin(given)).casefold())


@lru_cache(maxsize=65536)
def _part_pinyin(part: str) -> str:
    """pypinyin's reading of one name part; given names repeat far more than whole names."""
    from pypinyin import lazy_pinyin  # loads large dictionaries; only pay for it when hanzi appear

    return "".join(lazy_pinyin(part))


def name_pinyin(raw: object) -> str | None:
    """Toneless pinyin of the name key, no spaces (``张三`` and ``Zhang San`` -> ``zhangsan``).

    Surnames with a special reading use it (``曾`` -> ``zeng``, ``单`` -> ``shan``); ``ü`` is written ``v``.
    """
    key = name_key(raw)
    if key is None:
        return None
    return _pinyin(key) or None


def split_person_name(raw: object) -> tuple[str | None, str | None]:
    """``(family, given)`` in display form.

    Chinese: family name first, compound surnames recognised (``欧阳娜娜`` -> ``(欧阳, 娜娜)``); a name with
    an interpunct is split at the last one (``约翰·史密斯`` -> ``(史密斯, 约翰)``);
    a title leaves only the family name (``张先生`` -> ``(张, None)``).
    Latin: ``John Smith`` and ``Smith, John`` -> ``(Smith, John)``; particles join the family name
    (``Ludwig van Beethoven`` -> ``(van Beethoven, Ludwig)``). A lone Latin word is a given name unless a
    title preceded it (``Mr Smith`` -> ``(Smith, None)``).
    """
    name = normalize_name(raw)
    if name is None:
        return None, None
    if has_cjk(name) and not _LATIN.search(name):
        return _split_cjk(name)
    return _split_latin(name)


def _split_cjk(name: str) -> tuple[str | None, str | None]:
    core, titled = _strip_cjk_honorific(re.sub(r"[\s,]", "", name))
    if "·" in core:
        given, _, family = core.rpartition("·")
        return family or None, given or None
    if titled or len(core) == 1:
        return core, None
    split = _family_length(core)
    return core[:split], core[split:]


def _split_latin(name: str) -> tuple[str | None, str | None]:
    if "," in name:
        family, _, given = name.partition(",")
        family_tokens, _ = _strip_latin_titles(family.split())
        given_tokens, _ = _strip_latin_titles(given.split())
        return " ".join(family_tokens) or None, " ".join(given_tokens) or None
    tokens, titled = _strip_latin_titles(name.split())
    if len(tokens) == 1:
        return (tokens[0], None) if titled else (None, tokens[0])
    particles = _vocab()["latin_surname_particles"]
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].casefold() in particles:
        start -= 1
    return " ".join(tokens[start:]), " ".join(tokens[:start])
