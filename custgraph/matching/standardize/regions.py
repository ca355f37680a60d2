"""Province-level regions (canonical Chinese names from ``custgraph/data/regions.yaml``) and cities.

Region values that are not in the table (foreign states such as ``nsw`` or ``sa``) are kept as written,
only whitespace-normalized: the table makes Chinese spellings agree, it never rejects a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ._data import load_table, string_list
from .text import clean_text, has_cjk, remove_cjk_spaces, strip_accents, to_simplified

_SOURCE = "regions.yaml"
_KEY_NOISE = re.compile(r"[\s\-_.'·]")
# Latin spellings carry these administrative words in any combination: "Guangdong Sheng", "Beijing City".
_LATIN_SUFFIX = re.compile(
    r"(?:province|sheng|shi|city|municipality|autonomousregion|zizhiqu|specialadministrativeregion|sar)$"
)
# City suffixes dropped by city_key(), longest first so that 自治州 wins over 州-less forms.
_CITY_SUFFIXES = ("自治州", "地区", "市", "区", "县", "盟")
_LATIN_CITY_SUFFIX = re.compile(r"\s+(?:city|shi)$")
_NON_ALNUM = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # GB/T 2260 two-digit prefix
    name: str  # canonical: 北京市, 广东省, 内蒙古自治区
    short: str  # 北京, 广东, 内蒙古
    iso: str  # ISO 3166-2 suffix: BJ, GD, NM
    area: str  # 华北, 华东, ...
    aliases: tuple[str, ...]
    cities: tuple[str, ...]


def _region_key(text: str) -> str:
    return _KEY_NOISE.sub("", strip_accents(to_simplified(text)).casefold())


@cache
def provinces() -> tuple[Province, ...]:
    """All 34 province-level divisions, in GB/T 2260 order."""
    table = load_table(_SOURCE)
    result = []
    for entry in table["provinces"]:
        fields = {k: entry[k] for k in ("code", "name", "short", "iso", "area")}
        if not all(isinstance(v, str) for v in fields.values()):
            raise RuntimeError(f"{_SOURCE}: every field of {entry!r} must be a quoted string")
        aliases = tuple(string_list(entry, "aliases", source=_SOURCE))
        cities = tuple(string_list(entry, "cities", source=_SOURCE))
        result.append(Province(**fields, aliases=aliases, cities=cities))
    return tuple(result)


@cache
def _by_key() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in provinces():
        spellings = [province.name, province.short, province.short + "省", "CN-" + province.iso]
        spellings.extend(province.aliases)
        if province.name.endswith("市"):
            spellings.append(province.short + "市")
        for spelling in spellings:
            key = _region_key(spelling)
            if index.setdefault(key, province) is not province:
                raise RuntimeError(f"{_SOURCE}: '{spelling}' names two provinces")
    return index


@cache
def _by_city() -> dict[str, Province]:
    index: dict[str, Province] = {}
    for province in provinces():
        if province.name.endswith("市"):  # a municipality is its own city
            index[province.short] = province
        for city in province.cities:
            index[city] = province
    return index


def find_province(raw: object) -> Province | None:
    """The province a region value names, or None if the value is blank or not a Chinese province."""
    text = clean_text(raw)
    if text is None:
        return None
    key = _region_key(text)
    index = _by_key()
    found = index.get(key)
    if found is None and not has_cjk(key):
        found = index.get(_LATIN_SUFFIX.sub("", key))
    return found


def standardize_region(raw: object) -> str | None:
    """``北京`` / ``Beijing`` / ``BJ`` / ``北京市`` -> ``北京市``.

    Unknown values are returned whitespace-normalized, never rejected.
    """
    province = find_province(raw)
    if province is not None:
        return province.name
    return clean_text(raw)


def region_area(raw: object) -> str | None:
    """The sales area of a province (华北 华东 华南 华中 西南 西北 东北 港澳台); None for foreign regions.

    The caller decides what a foreign region means (the tag library calls it 海外).
    """
    province = find_province(raw)
    return None if province is None else province.area


def region_code(raw: object) -> str | None:
    """GB/T 2260 two-digit code of a province (``广东`` -> ``"44"``), e.g. to compare with a national ID."""
    province = find_province(raw)
    return None if province is None else province.code


def standardize_city(raw: object) -> str | None:
    """Display form of a city: whitespace-normalized, simplified Chinese; suffixes such as 市 are kept."""
    text = clean_text(raw)
    if text is None:
        return None
    return remove_cjk_spaces(to_simplified(text))


def city_key(raw: object) -> str | None:
    """Matching key of a city: ``深圳市`` -> ``深圳``, ``Sydney City`` -> ``sydney``.

    A suffix (市 区 县 地区 自治州 盟) is dropped only if two characters remain, so 沙县 stays 沙县.
    """
    text = standardize_city(raw)
    if text is None:
        return None
    if has_cjk(text):
        text = text.replace(" ", "")
        for suffix in _CITY_SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= 2:
                return text[: -len(suffix)].casefold()
        return text.casefold()
    text = _NON_ALNUM.sub(" ", strip_accents(text).casefold()).strip()
    return _LATIN_CITY_SUFFIX.sub("", text) or None


def city_region(raw: object) -> str | None:
    """The canonical province of a prefecture-level city (``深圳市`` -> ``广东省``), else None.

    Only 市 is dropped before the lookup: 朝阳区 (a Beijing district) is not the city 朝阳 in 辽宁.
    """
    text = standardize_city(raw)
    if text is None:
        return None
    text = text.replace(" ", "")
    if text.endswith("市") and len(text) > 2:
        text = text[:-1]
    province = _by_city().get(text)
    return None if province is None else province.name


@cache
def _address_prefixes() -> tuple[tuple[str, Province], ...]:
    prefixes: dict[str, Province] = {}
    for province in provinces():
        for spelling in (province.name, province.short, province.short + "省"):
            prefixes[spelling] = province
        for city in province.cities:
            prefixes[city + "市"] = province
    return tuple(sorted(prefixes.items(), key=lambda item: -len(item[0])))


def region_from_address(raw: object) -> str | None:
    """The province an address starts with (``广东深圳南山区...`` -> ``广东省``), else None.

    Bare city names are only trusted with their 市 suffix (``深圳市南山区``), see ``regions.yaml``.
    """
    text = clean_text(raw)
    if text is None:
        return None
    text = to_simplified(text).replace(" ", "")
    for prefix, province in _address_prefixes():
        if text.startswith(prefix):
            return province.name
    return None


@cache
def _address_cities() -> tuple[tuple[str, str], ...]:
    """(spelling at the start of an address, city short name), longest first."""
    starts: dict[str, str] = {}
    for province in provinces():
        if province.name.endswith("市"):  # 北京市朝阳区 -> 北京
            starts[province.name] = starts[province.short] = province.short
        for city in province.cities:
            starts[city + "市"] = starts[city] = city
    return tuple(sorted(starts.items(), key=lambda item: -len(item[0])))


_DISTRICT_AFTER = re.compile(r"^[^\d号路街道]{1,5}?[区县旗]")
_LATIN_TAIL = re.compile(r",\s*([A-Za-z][A-Za-z .'-]{1,40})$")


def _without_province(text: str) -> str:
    for spelling, province in _address_prefixes():
        # a municipality (北京市) is its own city; "深圳市" entries are cities, not provinces
        if not spelling.endswith("市") and not province.name.endswith("市") and text.startswith(spelling):
            return text[len(spelling) :]
    return text


def city_from_address(raw: object) -> str | None:
    """The city an address names, else None.

    ``广东省深圳市南山区...`` / ``深圳南山区...`` -> ``深圳``; ``242 Harbour Road, London`` -> ``London``.
    After an optional province, a Chinese city counts with its 市, or bare when a district follows
    (``杭州西湖区``), so the district 朝阳区 is no city 朝阳, and an address that starts with its
    district (``槐荫区文化路...``) names no city.
    """
    text = clean_text(raw)
    if text is None:
        return None
    if not has_cjk(text):
        tail = _LATIN_TAIL.search(text)
        return tail.group(1).strip() if tail else None
    text = _without_province(to_simplified(text).replace(" ", ""))
    for start, city in _address_cities():
        if text.startswith(start):
            return city if start.endswith("市") or _DISTRICT_AFTER.match(text[len(start) :]) else None
    return None


@cache
def company_place_names() -> tuple[str, ...]:
    """Place names that may be stripped from a company name, longest first (see ``regions.yaml``)."""
    names: set[str] = set()
    for province in provinces():
        names.update({province.name, province.short})
        if not province.name.endswith("市"):
            names.add(province.short + "省")
        names.update(city + "市" for city in province.cities)
    names.update(string_list(load_table(_SOURCE), "bare_company_prefix_cities", source=_SOURCE))
    return tuple(sorted(names, key=lambda name: (-len(name), name)))
