"""Golden records: per-field policies pick values from a customer's source records."""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules, load_rules, rules_from_dict
from custgraph.matching.survivorship import golden_record, survivors


def rec(uid: str, seq: int, **fields: Any) -> MatchRecord:
    return MatchRecord(uid, uid.split("|")[0], fields, seq=seq)


RECORDS = [
    rec("crm|1", 1, name="张伟", mobile="+8613800001111", address="北京市朝阳区", updated_at="2024-05-01"),
    rec("shop|1", 2, name="张伟", mobile="+8613900002222", address="北京市朝阳区建国路88号", updated_at="2023-01-01"),
    rec("web|1", 3, name="Zhang Wei", email="zw@qq.com", updated_at="2022-06-30"),
]


def with_survivorship(**settings: Any) -> Rules:
    data = load_rules().model_dump(mode="json")
    data["survivorship"] = {**data["survivorship"], **settings}
    return rules_from_dict(data)


def test_default_policies() -> None:
    golden = golden_record(RECORDS, load_rules())
    assert golden["mobile"] == "+8613800001111"  # latest: crm|1 has the newest updated_at
    assert golden["address"] == "北京市朝阳区"  # address is 'latest' in the shipped rules too
    assert golden["name"] == "张伟"  # most complete, hanzi before romanized spellings (prefer_han)
    assert golden["email"] == "zw@qq.com"  # the only one


def test_most_complete_prefers_agreement_on_ties() -> None:
    rules = with_survivorship(default="most_complete", fields={})
    records = [rec("a|1", 1, city="北京"), rec("b|1", 2, city="上海"), rec("c|1", 3, city="北京")]
    assert golden_record(records, rules)["city"] == "北京"


def test_latest_falls_back_to_arrival_order() -> None:
    rules = with_survivorship(default="latest", recency_field=None, fields={})
    assert golden_record(RECORDS, rules)["name"] == "Zhang Wei"  # seq 3 is the last to arrive


@pytest.mark.parametrize(("priority", "expected"), [(["shop", "crm"], "+8613900002222"), (["crm"], "+8613800001111")])
def test_source_priority(priority: list[str], expected: str) -> None:
    rules = with_survivorship(fields={"mobile": "source_priority"}, source_priority=priority)
    assert golden_record(RECORDS, rules)["mobile"] == expected


def test_provenance_and_blank_values() -> None:
    records = [rec("a|1", 1, name="  ", email=None), rec("b|1", 2, name="李娜")]
    chosen = survivors(records, load_rules())
    assert chosen == {"name": ("李娜", "b|1")}


def test_most_complete_prefers_hanzi_names_over_romanized() -> None:
    from custgraph.matching.rules import load_rules
    from custgraph.matching.survivorship import golden_record

    records = [
        MatchRecord("web|1", "web", {"name": "liyun", "city": "广州"}, seq=1),
        MatchRecord("crm|1", "crm", {"name": "李云", "city": "广州市"}, seq=2),
        MatchRecord("shop|1", "shop", {"name": "Li Yun"}, seq=3),
    ]
    golden = golden_record(records, load_rules())
    assert golden["name"] == "李云"
    assert golden["city"] == "广州市"  # other fields: still the most complete value


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["林女士", "林静", "Lin Jing"], "林静"),  # a title says less than the name, though it is longer
        (["张先生", "Zhang Wei"], "张先生"),  # hanzi still first: the surname is right
        (["王总监", "王建国"], "王建国"),
        (["欧阳娜娜", "欧阳女士"], "欧阳娜娜"),
    ],
)
def test_most_complete_ranks_a_surname_with_a_title_below_the_name(names: list[str], expected: str) -> None:
    records = [rec(f"s{i}|1", i, name=name) for i, name in enumerate(names, start=1)]
    assert golden_record(records, load_rules())["name"] == expected


def test_most_complete_prefers_a_hanzi_city_over_its_romanization() -> None:
    records = [rec("crm|1", 1, city="杭州市"), rec("web|1", 2, city="Hangzhou")]
    assert golden_record(records, load_rules())["city"] == "杭州市"
