"""Ways people write the same value: each function returns (written value, dirt tag)."""

from __future__ import annotations

import functools
import random
from datetime import date, datetime

from benchmarks.demo_data.entities import Org, PersonName
from benchmarks.demo_data.vocab_business import EMAIL_DOMAIN_TYPOS
from benchmarks.demo_data.vocab_names import GIVEN_GROUPS, SURNAME_HOMOPHONES
from benchmarks.demo_data.vocab_places import City

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_GROUP_OF: dict[str, str] = {}
for _group, _, _ in GIVEN_GROUPS:
    for _ch in _group.replace("|", ""):
        _GROUP_OF.setdefault(_ch, _group.replace("|", ""))


@functools.cache
def _s2t() -> object:
    import opencc  # imported late: only the traditional-character dirt needs it

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """陈伟 -> 陳偉."""
    return _s2t().convert(text)  # type: ignore[attr-defined]


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def _pick(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# ---- person names


def pinyin_form(rng: random.Random, name: PersonName) -> str:
    """Zhang Wei / zhangwei / Wei Zhang / ZHANG Wei / Ouyang Xiao Ming."""
    s = name.surname_py.capitalize()
    g = "".join(name.given_py).capitalize()
    forms = [f"{s} {g}", f"{s}{g}".lower(), f"{g} {s}", f"{s.upper()} {g}", f"{s}{g}"]
    if len(name.given_py) > 1:
        forms.append(f"{s} {' '.join(p.capitalize() for p in name.given_py)}")
    return rng.choice(forms)


def english_form(rng: random.Random, name: PersonName) -> str:
    """John Smith -> Smith John / SMITH, John / john smith / J. Smith."""
    first, last = name.given, name.surname
    return rng.choice([f"{last} {first}", f"{last.upper()}, {first}", f"{first} {last}".lower(), f"{first[0]}. {last}"])


def typo_name(rng: random.Random, name: PersonName) -> str | None:
    """A homophone picked by the input method: 张伟 -> 张玮, 肖敏 -> 萧敏. None when no homophone exists."""
    options: list[str] = []
    for i, ch in enumerate(name.given):
        for alt in _GROUP_OF.get(ch, ch):
            if alt != ch:
                options.append(name.surname + name.given[:i] + alt + name.given[i + 1 :])
    if name.surname in SURNAME_HOMOPHONES:
        options.append(SURNAME_HOMOPHONES[name.surname] + name.given)
    return rng.choice(options) if options else None


def spaced_name(rng: random.Random, full: str) -> str:
    """张伟 -> 张  伟 (aligned in a column) / 张　伟 / ' 张伟'."""
    if len(full) == 2:
        return rng.choice([f"{full[0]}  {full[1]}", f"{full[0]}\u3000{full[1]}", f"{full[0]} {full[1]}"])
    return rng.choice([f" {full}", f"{full} ", f"{full[0]} {full[1:]}"])


def honorific(name: PersonName, male: bool) -> str:
    if name.english:
        return f"{'Mr.' if male else 'Ms.'} {name.surname}"
    return name.surname + ("先生" if male else "女士")


# ---- contacts


def phone_form(rng: random.Random, number: str) -> tuple[str, str]:
    if number.startswith("+"):  # E.164 abroad
        cc_len = 1 if number.startswith("+1") else 3 if number.startswith(("+852",)) else 2
        cc, local = number[1 : 1 + cc_len], number[1 + cc_len :]
        return rng.choice(
            [
                (f"+{cc} {local[:4]} {local[4:]}", "phone_spaces"),
                (f"00{cc}{local}", "phone_0086"),
                (local, "phone_local"),
            ]
        )
    m = number
    kind = _pick(
        rng,
        [("phone_spaces", 25), ("phone_dashes", 20), ("phone_plus86", 25), ("phone_0086", 10), ("phone_fullwidth", 15)],
    )
    if kind == "phone_spaces":
        return f"{m[:3]} {m[3:7]} {m[7:]}", kind
    if kind == "phone_dashes":
        return f"{m[:3]}-{m[3:7]}-{m[7:]}", kind
    if kind == "phone_plus86":
        forms = [f"+86 {m}", f"+86{m}", f"+86-{m[:3]}-{m[3:7]}-{m[7:]}", f"(+86){m}", f"86{m}"]
        return rng.choice(forms), kind
    if kind == "phone_0086":
        return rng.choice([f"0086{m}", f"0086 {m[:3]} {m[3:7]} {m[7:]}"]), kind
    return fullwidth(m), kind


def landline_form(rng: random.Random, number: str) -> str:
    """010-88886666 as people write it: (010)88886666, 010 8888 6666, 01088886666, 010-88886666转801."""
    area, local = number.split("-")
    return rng.choice(
        [
            number,
            number,
            f"({area}){local}",
            f"{area} {local[:4]} {local[4:]}",
            f"{area}{local}",
            f"{number}转{rng.randrange(100, 900)}",
        ]
    )


def email_form(rng: random.Random, email: str) -> tuple[str, str]:
    local, domain = email.split("@")
    kind = _pick(rng, [("email_case", 45), ("email_whitespace", 25), ("email_typo", 20), ("email_fullwidth_at", 10)])
    if kind == "email_case":
        forms = [email.upper(), f"{local.capitalize()}@{domain}", f"{local}@{domain.upper()}"]
        return rng.choice(forms), kind
    if kind == "email_whitespace":
        return rng.choice([f" {email}", f"{email} ", f"{local} @{domain}"]), kind
    if kind == "email_typo" and domain in EMAIL_DOMAIN_TYPOS:
        return f"{local}@{EMAIL_DOMAIN_TYPOS[domain]}", kind
    return f"{local}＠{domain}", "email_fullwidth_at"


# ---- companies and places


def company_form(rng: random.Random, org: Org, *, english: bool) -> tuple[str, str]:
    core = f"{org.brand}{org.sector}"
    options: list[tuple[str, int]] = [
        ("company_no_suffix", 15),
        ("company_china_insert", 8),
        ("company_no_city", 15),
        ("company_short", 12),
        ("traditional_chars", 7),
    ]
    if org.suffix == "有限公司":
        options.append(("company_suffix", 25))
    if org.city_in_parens:
        options.append(("company_fullwidth_parens", 10))
    if english:
        options.append(("company_english", 12))
    kind = _pick(rng, options)
    if kind == "company_suffix":
        return org.name.replace("有限公司", "有限责任公司"), kind
    if kind == "company_no_suffix":
        return org.name.removesuffix(org.suffix), kind
    if kind == "company_china_insert":
        return f"{core}{rng.choice(['(中国)', '（中国）'])}{org.suffix}", kind
    if kind == "company_no_city":
        return f"{core}{org.suffix}", kind
    if kind == "company_short":
        return core, kind
    if kind == "company_fullwidth_parens":
        return org.name.replace("(", "（").replace(")", "）"), kind
    if kind == "company_english":
        return rng.choice([org.name_en, org.name_en.upper().replace(",", "").replace(".", "")]), kind
    return traditional(org.name), kind


def city_form(rng: random.Random, city: City, district: str) -> tuple[str, str]:
    options = [
        ("region_short", 40),
        ("region_english", 25),
        ("region_with_district", 10),
        ("traditional_chars", 5),
        ("region_province_city", 0 if city.municipality else 10),
    ]
    kind = _pick(rng, options)
    if kind == "region_short":
        return city.short, kind
    if kind == "region_english":
        return rng.choice([city.en, city.en.lower(), city.en.upper()]), kind
    if kind == "region_with_district":
        return city.name + district, kind
    if kind == "region_province_city":
        return city.province_short + city.short, kind
    return traditional(city.name), kind


def address_form(rng: random.Random, address: str, city: City) -> tuple[str, str]:
    if city.abroad:
        return address.upper(), "address_format"
    kind = _pick(rng, [("address_partial", 50), ("address_format", 35), ("traditional_chars", 15)])
    if kind == "address_partial":
        head = city.name if city.municipality else city.province + city.name
        rest = address.removeprefix(head)
        return rng.choice(
            [address.removeprefix(city.province) if not city.municipality else rest, city.short + rest, rest]
        ), kind
    if kind == "address_format":
        return rng.choice(
            [
                address.replace("层", "楼").replace("室", ""),
                address.replace("号", "号 "),
                address.replace("单元", "-").replace("栋", "-"),
            ]
        ), kind
    return traditional(address), kind


# ---- dates, amounts, identifiers


def date_form(rng: random.Random, day: date) -> str:
    return rng.choice(
        [
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日",
            f"{day:%Y%m%d}",
            f"{day:%Y.%m.%d}",
        ]
    )


def datetime_form(rng: random.Random, moment: datetime) -> str:
    y, m, d = moment.year, moment.month, moment.day
    return rng.choice(
        [
            f"{moment:%Y-%m-%dT%H:%M:%S}+08:00",
            f"{y}/{m}/{d} {moment:%H:%M}",
            f"{y}年{m}月{d}日 {moment:%H:%M}",
            f"{moment:%Y-%m-%d}",
        ]
    )


def amount_form(rng: random.Random, yuan: int) -> str:
    options = [f"¥{yuan:,.2f}", f"￥{yuan}", f"{yuan}", f"{yuan:,}", f"RMB {yuan:.2f}", f"{yuan}元"]
    if yuan >= 10000 and yuan % 100 == 0:
        options += [f"{yuan / 10000:g}万"] * 3
    return rng.choice(options)


def mistype(rng: random.Random, value: str, alphabet: str) -> str:
    """One character of the body replaced by another of the alphabet: the checksum no longer holds."""
    i = rng.randrange(len(value) - 1)
    alt = rng.choice([c for c in alphabet if c != value[i]])
    return value[:i] + alt + value[i + 1 :]
