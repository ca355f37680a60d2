"""Company names: a display form, a matching key without legal forms, and the (core, suffix) split."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from ._data import load_table, string_list
from .regions import company_place_names
from .text import CJK_RANGE, clean_text, remove_cjk_spaces, strip_accents, to_simplified

_SOURCE = "std_company_suffixes.yaml"
_BRACKETS = str.maketrans("【〔[「】〕]」", "(((())))")
# "阿里巴巴 (中国) 有限公司": a space between hanzi and a bracket is padding too.
_BRACKET_GAP = re.compile(f"(?<=[{CJK_RANGE}()]) (?=[{CJK_RANGE}()])")
_TRAILING_BRACKET = re.compile(r"(?P<body>.+?)(?P<gap>\s*)(?P<bracket>\([^()]*\))")
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+")
_SUFFIX_GLUE = re.compile(r"[\s.,]*")  # what may sit between and after the words of "Co., Ltd."
_TRIM = " ,.-&/·"
_AND = re.compile(r"&|\band\b")
_LEADING_THE = re.compile(r"^the\s+")
_NOT_WORD = re.compile(r"[\W_]+")
_MAX_SUFFIXES = 3  # "Foo Holdings Co., Ltd. LLC" at worst; a bound keeps a pathological name cheap
_MIN_CORE_AFTER_PLACE = 3  # 上海银行 keeps its 上海: 银行 alone names no company


@cache
def _vocab() -> dict[str, tuple[str, ...]]:
    table = load_table(_SOURCE)
    keys = ("cjk_legal_forms", "latin_legal_forms", "branch_markers", "dropped_brackets")
    # Longest first: 股份有限公司 must win over 有限公司, "coltd" over "ltd".
    return {key: tuple(sorted(string_list(table, key, source=_SOURCE), key=len, reverse=True)) for key in keys}


@cache
def _branch_pattern() -> re.Pattern[str]:
    vocab = _vocab()
    forms = "|".join(re.escape(form) for form in vocab["cjk_legal_forms"] if "公司" in form)
    markers = "|".join(re.escape(marker) for marker in vocab["branch_markers"])
    # Non-greedy parent: the first legal form ends the parent's name; the rest names the branch.
    return re.compile(f"(?P<parent>.+?)(?P<form>{forms})(?P<branch>.+?(?:{markers}))")


@cache
def _dropped_brackets() -> re.Pattern[str]:
    words = "|".join(re.escape(word) for word in _vocab()["dropped_brackets"])
    return re.compile(f"\\(\\s*(?:{words})\\s*\\)", re.IGNORECASE)


def normalize_company(raw: object) -> str | None:
    """Display form: NFKC (full-width brackets -> ``()``), simplified Chinese, padding spaces removed."""
    text = clean_text(raw)
    if text is None:
        return None
    return _BRACKET_GAP.sub("", remove_cjk_spaces(to_simplified(text).translate(_BRACKETS)))


def _strip_legal_form(name: str) -> tuple[str, str] | None:
    """One trailing legal form split off ``name``, or None."""
    for form in _vocab()["cjk_legal_forms"]:
        if name.endswith(form) and name[: -len(form)].strip(_TRIM):
            return name[: -len(form)], form
    tokens = list(_LATIN_TOKEN.finditer(name))
    if not tokens or _SUFFIX_GLUE.fullmatch(name, tokens[-1].end()) is None:
        return None
    latin_forms = _vocab()["latin_legal_forms"]
    for count in range(min(4, len(tokens)), 0, -1):
        tail = tokens[-count:]
        start = tail[0].start()
        if not name[:start].strip(_TRIM):  # never strip the whole name: "Company" alone is a name
            continue
        pairs = zip(tail, tail[1:], strict=False)
        glued = all(_SUFFIX_GLUE.fullmatch(name, a.end(), b.start()) for a, b in pairs)
        if glued and "".join(t.group() for t in tail).casefold() in latin_forms:
            return name[:start], name[start:]
    return None


def _strip_legal_forms(name: str) -> tuple[str, str | None]:
    core = name
    for _ in range(_MAX_SUFFIXES):
        if core in _vocab()["cjk_legal_forms"]:  # 有限公司 alone: nothing would be left to name the company
            break
        stripped = _strip_legal_form(core)
        if stripped is None:
            break
        core = stripped[0].rstrip(_TRIM)
    if len(core) == len(name):
        return name, None
    return core, name[len(core) :].lstrip(_TRIM) or None


def _split(name: str) -> tuple[str, str | None]:
    vocab = _vocab()
    branch = _branch_pattern().fullmatch(name)
    if branch:  # 中国平安保险股份有限公司深圳分公司 -> (中国平安保险深圳分公司, 股份有限公司)
        return branch["parent"].rstrip(_TRIM) + branch["branch"], branch["form"]
    if name.endswith(vocab["branch_markers"]):  # 平安保险深圳分公司: 公司 here belongs to 分公司
        return name, None
    trailing = _TRAILING_BRACKET.fullmatch(name)
    if trailing and trailing["bracket"] not in vocab["cjk_legal_forms"]:
        # 华为技术有限公司(深圳): the bracket qualifies the name, the legal form sits before it.
        core, suffix = _strip_legal_forms(trailing["body"])
        if suffix is not None:
            return core + trailing["gap"] + trailing["bracket"], suffix
    return _strip_legal_forms(name)


def split_company(raw: object) -> tuple[str, str | None]:
    """``(core, legal suffix)`` of a company name in display form.

    ``深圳市腾讯计算机系统有限公司`` -> ``("深圳市腾讯计算机系统", "有限公司")``;
    ``Acme Trading Co., Ltd.`` -> ``("Acme Trading", "Co., Ltd.")``. 集团 is part of the core, and a branch
    stays after the parent's core (see ``std_company_suffixes.yaml``). A blank value gives ``("", None)``.
    """
    name = normalize_company(raw)
    if name is None:
        return "", None
    return _split(name)


@lru_cache(maxsize=65536)
def _key(name: str) -> str | None:
    core, _ = _split(name)
    key = strip_accents(_dropped_brackets().sub("", core)).casefold()
    key = _NOT_WORD.sub("", _LEADING_THE.sub("", _AND.sub(" ", key)))
    return key or _NOT_WORD.sub("", name.casefold()) or None


def company_key(raw: object) -> str | None:
    """Matching key: core name without legal form or ``(中国)``, lower-case, no spaces or punctuation.

    ``阿里巴巴（中国）有限公司`` -> ``阿里巴巴``; ``The Procter & Gamble Company`` -> ``proctergamble``.
    A name that is only a legal form keeps it (``有限公司`` -> ``有限公司``) rather than becoming blank.
    """
    name = normalize_company(raw)
    return None if name is None else _key(name)


def company_core_without_region(key: str | None) -> str | None:
    """A company key without leading/trailing place names: ``深圳市腾讯计算机系统`` -> ``腾讯计算机系统``.

    Province names, ``<city>市`` and a short list of big cities written bare are removed, repeatedly, as
    long as three characters remain (``上海银行`` is kept whole). Use it as an extra matching signal next to
    the full key, not instead of it.
    """
    if not key:
        return None
    places = company_place_names()
    changed = True
    while changed:
        changed = False
        for place in places:
            if key.startswith(place) and len(key) - len(place) >= _MIN_CORE_AFTER_PLACE:
                key, changed = key[len(place) :], True
                break
            if key.endswith(place) and len(key) - len(place) >= _MIN_CORE_AFTER_PLACE:
                key, changed = key[: -len(place)], True
                break
    return key
