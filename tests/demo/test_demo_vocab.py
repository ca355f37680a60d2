"""The hand-written pinyin agrees with pypinyin for given names (surnames use their surname readings)."""

from __future__ import annotations

from pypinyin import lazy_pinyin

from benchmarks.demo_data.people import GIVEN_PINYIN
from benchmarks.demo_data.vocab_names import COMMON_NAMES, SURNAMES
from benchmarks.demo_data.vocab_places import CITIES


def test_given_name_pinyin_matches_pypinyin() -> None:
    wrong = {ch: (py, lazy_pinyin(ch)[0]) for ch, py in GIVEN_PINYIN.items() if lazy_pinyin(ch)[0] != py}
    assert not wrong


def test_common_names_use_known_characters() -> None:
    surnames = {s for s, _, _ in SURNAMES}
    for surname, given, _ in COMMON_NAMES:
        assert surname in surnames and all(ch in GIVEN_PINYIN for ch in given)


def test_city_division_codes_belong_to_their_province() -> None:
    prefixes = {
        "北京市": "11",
        "上海市": "31",
        "天津市": "12",
        "重庆市": "50",
        "广东省": "44",
        "浙江省": "33",
        "江苏省": "32",
        "山东省": "37",
        "福建省": "35",
        "安徽省": "34",
        "四川省": "51",
        "湖北省": "42",
        "湖南省": "43",
        "河南省": "41",
        "陕西省": "61",
        "辽宁省": "21",
        "黑龙江省": "23",
        "云南省": "53",
        "广西壮族自治区": "45",
        "河北省": "13",
        "山西省": "14",
    }
    for city in CITIES:
        for _, code in city.districts:
            assert len(code) == 6 and code.startswith(prefixes[city.province]), (city.name, code)
