"""Recognise column headers without a mapping file: the synonym table in custgraph/data/synonyms.yaml."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from custgraph.ingest.fields import ALL_FIELDS

# Table entries that are not canonical fields: generic row-id columns, and the customer's id.
SOURCE_KEY = "source_key"
CUSTOMER_KEY = "customer_key"
_ENTRIES = ALL_FIELDS | {SOURCE_KEY}

# A bracketed note in a header: 金额（元）, 手机号(必填), 出生日期[yyyymmdd], 备注【选填】.
_BRACKETED = re.compile(r"[(（\[【〔<《].*?[)）\]】〕>》]")


@cache
def _t2s() -> Any:  # OpenCC loads its dictionaries once; only header text goes through it, never cell values
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)  # headers repeat across files; cells seen during header search do not
def normalize_header(text: str) -> str:
    """Compare form of a header: NFKC, simplified Chinese, case-folded, letters and digits only."""
    text = _t2s().convert(unicodedata.normalize("NFKC", text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def header_variants(text: str) -> list[str]:
    """The header's compare form, then (if different and not empty) the form without bracketed notes."""
    full = normalize_header(text)
    bare = normalize_header(_BRACKETED.sub("", text))
    return [full, bare] if bare and bare != full else [full]


class SynonymTable:
    """Normalised header -> table entry (a canonical field, `source_key` or `customer_key`)."""

    def __init__(self, entries: Mapping[str, Iterable[str]]) -> None:
        self._lookup: dict[str, str] = {}
        for entry, synonyms in entries.items():
            if entry not in _ENTRIES:
                raise ValueError(f"synonyms: unknown canonical field {entry!r}")
            # The field's own name is always a synonym of itself.
            for synonym in (entry, *synonyms):
                if not isinstance(synonym, str):
                    raise ValueError(f"synonyms: {entry}: entries must be quoted strings, got {synonym!r}")
                key = normalize_header(synonym)
                other = self._lookup.setdefault(key, entry)
                if other != entry:
                    raise ValueError(f"synonyms: {synonym!r} is listed under both {other!r} and {entry!r}")

    def lookup(self, header: str) -> str | None:
        """The table entry a header means, or None."""
        for variant in header_variants(header):
            entry = self._lookup.get(variant)
            if entry is not None:
                return entry
        return None

    def count_recognised(self, headers: Iterable[str]) -> int:
        return sum(1 for header in headers if header and self.lookup(header) is not None)


@cache
def default_synonyms() -> SynonymTable:
    """The shipped table, parsed and checked once per process."""
    text = resources.files("custgraph").joinpath("data", "synonyms.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise RuntimeError("custgraph/data/synonyms.yaml must map canonical fields to lists of headers")
    return SynonymTable(data)
