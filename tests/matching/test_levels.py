"""Table-driven: which level of the shipped comparisons a pair of values lands in."""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.matching.hubs import HubDetector
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules, load_rules


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def level(rules: Rules, comparison: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    compiled = {c.name: c for c in rules.compiled.comparisons}[comparison]
    ra, rb = MatchRecord("s|a", "s", a), MatchRecord("s|b", "s", b)
    return compiled.labels[compiled.level(ra, rb, HubDetector(rules.hubs))]


CASES = [
    # person names: hanzi, pinyin, traditional, swapped order, typos, initials, honorifics
    ("given_name", {"name": "张伟"}, {"name": "张伟"}, "exact"),
    ("given_name", {"name": "张伟"}, {"name": "張偉"}, "exact"),
    ("given_name", {"name": "张伟"}, {"name": "张玮"}, "pinyin"),
    # "Zhang Wei" in Latin letters reads given Zhang / family Wei: the whole name agrees in pinyin,
    # counted once by given_name; family_name lands in a weight-0 level rather than counting a swap
    ("given_name", {"name": "张伟"}, {"name": "Zhang Wei"}, "full_name_pinyin"),
    ("family_name", {"name": "张伟"}, {"name": "Zhang Wei"}, "full_name_pinyin"),
    ("given_name", {"name": "王晓军"}, {"name": "WangXiaojun"}, "full_name_pinyin"),
    ("family_name", {"name": "李先生"}, {"name": "李娜"}, "exact"),
    ("given_name", {"name": "李先生"}, {"name": "李娜"}, "null"),
    (
        "given_name",
        {"first_name": "mitchell", "last_name": "green"},
        {"first_name": "green", "last_name": "mitchell"},
        "swapped",
    ),
    ("given_name", {"first_name": "mitchell"}, {"first_name": "mitchel"}, "jaro_winkler>=0.92_pinyin"),
    ("given_name", {"first_name": "j"}, {"first_name": "john"}, "initial"),
    ("given_name", {"first_name": "john"}, {"first_name": "mary"}, "else"),
    ("given_name", {"name": "Kai Chen"}, {"name": "夏晨"}, "else"),  # one shared syllable is no swap
    # two hanzi names are never swapped: 肖 and 晓 are both "xiao", yet 肖先生 is not 高晓 reversed
    ("family_name", {"name": "肖先生"}, {"name": "高晓"}, "else"),
    ("family_name", {"name": "Gao Xiao"}, {"name": "高晓"}, "full_name_pinyin"),
    # dates
    ("birth_date", {"birth_date": "1956-04-09"}, {"birth_date": "1956-04-09"}, "exact"),
    ("birth_date", {"birth_date": "1956-04-09"}, {"birth_date": "1956-04-90"}, "damerau_levenshtein<=1"),
    ("birth_date", {"birth_date": "1956-04-11"}, {"birth_date": "1956-11-04"}, "day_month_swap"),
    ("birth_date", {"birth_date": "1956-04-09"}, {"birth_date": "1956-09-30"}, "within_366d"),
    ("birth_date", {"birth_date": "1956-04-09"}, {}, "null"),
    # identifiers: typos, placeholders count as missing
    ("national_id", {"national_id": "5752610"}, {"national_id": "5752601"}, "damerau_levenshtein<=1"),
    ("mobile", {"mobile": "+8613812345678"}, {"mobile": "+8613812345678"}, "exact"),
    ("mobile", {"mobile": "+8613800000000"}, {"mobile": "+8613800000000"}, "null"),
    ("mobile", {"mobile_masked": "138****3378"}, {"mobile": "+8613812343378"}, "mask_agrees"),
    ("mobile", {"mobile_masked": "138****3378"}, {"mobile": "+8613812343379"}, "else"),
    ("mobile", {"mobile": "+862088881234"}, {"mobile": "+862088881234"}, "hub"),  # a landline: switchboard
    ("email", {"email": "info@acme.com"}, {"email": "info@acme.com"}, "hub"),
    ("email", {"email": "wang@acme.com"}, {"email": "wang@163.com"}, "same_local_part"),
    # companies compare on the suffix-free key
    ("company", {"company": "华为技术有限公司"}, {"company": "华为技术有限责任公司"}, "exact"),
    ("company", {"company": "华为"}, {"company": "华为技术有限公司"}, "contains"),
    (
        "company",
        {"company": "石家庄新锐网络科技有限公司"},
        {"company": "Shijiazhuang Xinrui Network Technology Co Ltd"},
        "same_start_in_pinyin",
    ),
    ("company", {"company": "个人"}, {"company": "个人"}, "null"),
    ("company", {"name": "深圳远航咨询有限公司"}, {"company": "深圳远航咨询"}, "exact"),  # a company's own name
    ("party", {"name": "张伟"}, {"name": "深圳远航咨询有限公司"}, "else"),
    ("party", {"customer_type": "企业", "name": "远航"}, {"customer_type": "company", "name": "远航"}, "both_company"),
    # places
    ("city", {"city": "北京市"}, {"city": "北京"}, "exact"),
    ("city", {"city": "广州市"}, {"city": "guangzhou"}, "pinyin"),
    ("city", {"city": "佛山"}, {"city": "foshan"}, "pinyin"),
    # an order carries only an address: its city is read from it
    ("city", {"address": "河南省郑州市二七区花园路537号"}, {"city": "苏州市"}, "else"),
    ("city", {"address": "河南省郑州市二七区花园路537号"}, {"city": "郑州"}, "exact"),
    # one shared address already says one city: the city adds nothing on top (weight 0)
    (
        "city",
        {"address": "广东省深圳市南山区新华路434号"},
        {"address": "广东省深圳市南山区新华路434号"},
        "same_address",
    ),
    # a name split apart differently ("Wang Gang Bo": given Wang Gang, family Bo) is still one name
    ("family_name", {"name": "Wang Gang Bo"}, {"name": "王刚博"}, "full_name_pinyin"),
    ("address", {"address": "上海市静安区中山路986号"}, {"address": "静安区中山路986号"}, "contains"),
]


@pytest.mark.parametrize(("comparison", "a", "b", "expected"), CASES)
def test_level(rules: Rules, comparison: str, a: dict[str, Any], b: dict[str, Any], expected: str) -> None:
    assert level(rules, comparison, a, b) == expected
    assert level(rules, comparison, b, a) == expected  # order never matters


def test_hub_pattern_memos_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from custgraph.matching import hubs

    monkeypatch.setattr(hubs, "MEMO_SIZE", 3)
    settings = load_rules().hubs
    values = [f"+86138{2468135 + 1111 * i:08d}" for i in range(10)] + ["+8613800138000", "+8613777777777"]
    answers = [settings.is_placeholder("mobile", v) for v in values]
    assert answers == [False] * 10 + [True, True]
    assert len(settings._placeholder_memo) <= 3
    assert [settings.is_placeholder("mobile", v) for v in values] == answers  # the same after starting over
    assert settings.is_shared("email", "info@acme.cn") and not settings.is_shared("email", "li.na@acme.cn")
