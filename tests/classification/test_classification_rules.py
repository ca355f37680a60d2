"""The default tag rules, lifecycle and owner assignment at their boundaries: pure, no graph.

D is 2024-06-15 throughout; windows include both ends (an order exactly 3 months before D is within
"the last 3 months").
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from custgraph.classification.assignment import AssignmentRules, assignment_from_dict, load_assignment
from custgraph.classification.evaluate import classify, computed_tags, diff, lifecycle, months_before
from custgraph.classification.facts import CustomerFacts, InteractionFact, OrderFact, OwnerFact, TagFact
from custgraph.classification.library import library_from_dict, load_library
from custgraph.vocabulary import interaction_type

D = date(2024, 6, 15)
LIBRARY = load_library()
NOBODY = load_assignment()


def facts(**kw: object) -> CustomerFacts:
    return CustomerFacts("C1", **kw)  # type: ignore[arg-type]


def orders(*days: str, amount: float = 100.0) -> list[OrderFact]:
    return [OrderFact(date.fromisoformat(d), amount) for d in days]


def tags_in(dimension: str, f: CustomerFacts, as_of: date = D) -> list[str]:
    return sorted(k for k in computed_tags(LIBRARY, f, as_of) if k.startswith(f"{dimension}:"))


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([], ["frequency:low"]),
        (["2024-06-01"], ["frequency:medium"]),
        (["2024-06-01", "2024-05-01"], ["frequency:medium"]),
        (["2024-06-01", "2024-05-01", "2024-01-01"], ["frequency:high"]),
        (["2024-06-01", "2024-05-01", "2023-12-15"], ["frequency:high"]),  # exactly 6 months before D counts
        (["2024-06-01", "2024-05-01", "2023-12-14"], ["frequency:medium"]),  # a day earlier does not
        (["2024-06-01", "2024-05-01", "2024-06-16"], ["frequency:medium"]),  # after D does not
    ],
)
def test_frequency_counts_orders_in_the_six_months_up_to_d(dates: list[str], expected: list[str]) -> None:
    assert tags_in("frequency", facts(orders=orders(*dates))) == expected


@pytest.mark.parametrize(
    ("spend", "expected"),
    [
        (0.0, "value:low"),
        (4_999 * 12, "value:low"),
        (5_000 * 12, "value:medium"),
        (99_999.0, "value:medium"),
        (100_000.0, "value:high"),  # yearly spend >= 100k, although 8,333 a month
        (9_999 * 12, "value:high"),  # 119,988 >= 100k
        (10_000 * 12, "value:high"),
    ],
)
def test_value_is_the_monthly_spend_over_twelve_months(spend: float, expected: str) -> None:
    assert tags_in("value", facts(orders=orders("2024-01-10", amount=spend))) == [expected]


def test_value_monthly_tiers_at_4999_5000_and_10000_without_the_yearly_rule() -> None:
    """The monthly thresholds alone (the yearly 100k rule removed from the library)."""
    data = yaml.safe_load(_default_text())
    value = next(d for d in data["dimensions"] if d["name"] == "value")
    value["tags"][0].pop("any")
    value["tags"][0]["all"] = [{"metric": "monthly_spend", "months": 12, "min": 10000}]
    library = library_from_dict(data)

    def tier(monthly: float) -> list[str]:
        keys = computed_tags(library, facts(orders=orders("2024-01-10", amount=monthly * 12)), D)
        return sorted(k for k in keys if k.startswith("value:"))

    assert [tier(m) for m in (4_999, 5_000, 9_999, 10_000)] == [
        ["value:low"],
        ["value:medium"],
        ["value:medium"],
        ["value:high"],
    ]


def test_value_ignores_orders_older_than_twelve_months() -> None:
    assert tags_in("value", facts(orders=orders("2023-06-14", amount=500_000.0))) == ["value:low"]
    assert tags_in("value", facts(orders=orders("2023-06-15", amount=500_000.0))) == ["value:high"]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (facts(), "activity:inactive_30d"),
        (facts(orders=orders("2024-05-16")), "activity:active_30d"),  # exactly 30 days before D
        (facts(orders=orders("2024-05-15")), "activity:inactive_30d"),  # 31 days
        (facts(interactions=[InteractionFact(date(2024, 5, 16), "call")]), "activity:active_30d"),
        (facts(interactions=[InteractionFact(date(2024, 6, 20), "call")]), "activity:inactive_30d"),  # after D
    ],
)
def test_activity_is_any_order_or_interaction_in_the_30_days_up_to_d(f: CustomerFacts, expected: str) -> None:
    assert tags_in("activity", f) == [expected]


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("2024-01-01", ["tenure:lt_1y"]),
        ("2023-06-16", ["tenure:lt_1y"]),
        ("2023-06-15", ["tenure:1_3y"]),  # exactly one year
        ("2021-06-15", ["tenure:1_3y"]),  # exactly three years
        ("2021-06-14", ["tenure:gt_3y"]),
        ("2024-07-01", []),  # not yet a customer on D
    ],
)
def test_tenure_from_the_first_contact(first: str, expected: list[str]) -> None:
    assert tags_in("tenure", facts(first_contact=date.fromisoformat(first))) == expected


def test_tenure_falls_back_to_the_earliest_record_or_order() -> None:
    assert tags_in("tenure", facts(created=date(2024, 1, 1), orders=orders("2020-01-01"))) == ["tenure:gt_3y"]
    assert tags_in("tenure", facts(created=date(2022, 1, 1))) == ["tenure:1_3y"]
    assert tags_in("tenure", facts()) == []


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([], []),  # never ordered: a prospect, not a churn risk
        (["2024-03-15"], []),  # exactly 3 months before D: still within
        (["2024-03-14"], ["risk:churn"]),
        (["2023-01-01", "2024-06-01"], []),
        (["2023-01-01", "2024-06-16"], ["risk:churn"]),  # the later order is after D
    ],
)
def test_churn_risk_has_ordered_but_not_in_three_months(dates: list[str], expected: list[str]) -> None:
    assert tags_in("risk", facts(orders=orders(*dates))) == expected


def test_event_regular_from_three_event_interactions() -> None:
    two = [InteractionFact(date(2024, 1, n), "event") for n in (1, 2)]
    assert tags_in("event", facts(interactions=[*two, InteractionFact(date(2024, 1, 3), "call")])) == []
    assert tags_in("event", facts(interactions=[*two, InteractionFact(date(2020, 1, 3), "event")])) == ["event:regular"]


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ({"city": "苏州市"}, ["region:华东"]),
        ({"region": "广东省", "city": "北京"}, ["region:华南"]),  # the region wins over the city
        ({"city": "北京"}, ["region:华北"]),
        ({"region": "四川"}, ["region:西南"]),
        ({"region": "香港"}, ["region:海外"]),  # 港澳台 is 海外 in the library
        ({"country": "USA", "city": "Boston"}, ["region:海外"]),
        ({"country": "中国"}, []),
        ({}, []),
    ],
)
def test_region_from_the_profile(profile: dict[str, str], expected: list[str]) -> None:
    assert tags_in("region", facts(**profile)) == expected


def test_industry_from_the_profile() -> None:
    assert tags_in("industry", facts(industry="制造业")) == ["industry:制造业"]
    assert tags_in("industry", facts()) == []


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (facts(), "prospect"),
        (facts(orders=orders("2024-06-01")), "customer"),
        (facts(orders=orders("2023-12-15")), "customer"),  # exactly 6 months
        (facts(orders=orders("2023-12-14")), "dormant"),
        (facts(orders=orders("2023-06-15")), "dormant"),  # exactly 12 months
        (facts(orders=orders("2023-06-14")), "churned"),
        (facts(orders=orders("2024-06-01"), marked_lost=True), "churned"),  # marked lost by hand
        (facts(orders=orders("2024-07-01")), "prospect"),  # ordered only after D
    ],
)
def test_lifecycle(f: CustomerFacts, expected: str) -> None:
    assert lifecycle(LIBRARY, f, D) == expected


def test_exclusive_dimensions_hold_one_tag_and_flags_may_be_absent() -> None:
    cases = [
        facts(),
        facts(orders=orders("2024-06-01", "2024-05-01", "2024-04-01", amount=90_000.0), first_contact=date(2019, 1, 1)),
        facts(orders=orders("2022-01-01"), interactions=[InteractionFact(date(2024, 6, 1), "event")] * 3),
    ]
    for f in cases:
        keys = computed_tags(LIBRARY, f, D)
        for dim in ("frequency", "value", "activity"):
            assert len([k for k in keys if k.startswith(f"{dim}:")]) == 1, (dim, keys)


def test_a_persons_tag_holds_its_exclusive_dimension() -> None:
    f = facts(
        orders=orders("2024-06-01", amount=1.0),
        tags=[TagFact("value:high", "manual"), TagFact("value:low", "rule"), TagFact("custom:VIP", "manual")],
    )
    result = classify(LIBRARY, NOBODY, f, D)
    assert not [k for k in result.tags if k.startswith("value:")]
    change = diff(f, result)
    assert change.drop_tags == ["value:low"]  # the rule's own tag goes; the person's stays
    assert "value:high" not in change.drop_tags and "custom:VIP" not in change.drop_tags


def test_an_unchanged_customer_has_an_empty_diff() -> None:
    f = facts(orders=orders("2024-06-01"))
    first = classify(LIBRARY, NOBODY, f, D)
    settled = facts(
        orders=orders("2024-06-01"), lifecycle=first.lifecycle, tags=[TagFact(k, "rule") for k in first.tags]
    )
    assert diff(settled, classify(LIBRARY, NOBODY, settled, D)).empty


def test_months_before_clamps_to_the_month_end() -> None:
    assert months_before(date(2024, 8, 31), 6) == date(2024, 2, 29)
    assert months_before(date(2024, 1, 15), 1) == date(2023, 12, 15)


# --- owner assignment -------------------------------------------------------------------------------

ISSUE_EXAMPLE = """
rules:
  - name: east-manufacturing
    priority: 10
    when: {region: [华东], industry: [制造业], tags: {all: ["value:high"]}}   # any of the keys; all must hold
    assign: {owner: 李经理, role: sales}
  - name: fallback
    priority: 0
    when: {}
    assign: {owner: 公共池, role: sales}
"""

SERVICE = {
    "name": "service-east",
    "priority": 5,
    "when": {"region": ["华东"]},
    "assign": {"owner": "王客服", "role": "service"},
}


def rules(extra: list[dict[str, object]] | None = None) -> AssignmentRules:
    data = yaml.safe_load(ISSUE_EXAMPLE)
    data["rules"] += extra or []
    return assignment_from_dict(data)


def owners(rule_set: AssignmentRules, f: CustomerFacts) -> list[tuple[str, str, str]]:
    return [(o.name, o.role, o.rule) for o in classify(LIBRARY, rule_set, f, D).owners]


RICH_EAST_MAKER = facts(city="苏州", industry="制造业", orders=orders("2024-06-01", amount=200_000.0))


def test_the_first_rule_by_priority_assigns_each_role() -> None:
    assert owners(rules(), RICH_EAST_MAKER) == [("李经理", "sales", "east-manufacturing")]
    assert owners(rules([SERVICE]), RICH_EAST_MAKER) == [
        ("李经理", "sales", "east-manufacturing"),
        ("王客服", "service", "service-east"),
    ]


def test_the_fallback_assigns_what_no_other_rule_does() -> None:
    poor = facts(city="苏州", industry="制造业")
    assert owners(rules([SERVICE]), poor) == [("公共池", "sales", "fallback"), ("王客服", "service", "service-east")]
    south = facts(city="广州", industry="制造业", orders=orders("2024-06-01", amount=200_000.0))
    assert owners(rules([SERVICE]), south) == [("公共池", "sales", "fallback")]


def test_priority_not_file_order_decides() -> None:
    later_but_higher = {
        "name": "vip",
        "priority": 20,
        "when": {"tags": {"any": ["value:high"]}},
        "assign": {"owner": "赵总"},
    }
    assert owners(rules([later_but_higher]), RICH_EAST_MAKER) == [("赵总", "sales", "vip")]


def test_tag_conditions_none_and_a_province_as_region() -> None:
    not_churning = {
        "name": "shanghai-loyal",
        "priority": 30,
        "when": {"region": ["上海市"], "tags": {"none": ["risk:churn"]}},
        "assign": {"owner": "沪经理", "role": "sales"},
    }
    shanghai = facts(city="上海", orders=orders("2024-06-01"))
    assert owners(rules([not_churning]), shanghai) == [("沪经理", "sales", "shanghai-loyal")]
    churning = facts(city="上海", orders=orders("2023-01-01"))
    assert owners(rules([not_churning]), churning) == [("公共池", "sales", "fallback")]


@pytest.mark.parametrize("kind", ["manual", "source"])
def test_a_customer_with_a_persons_or_its_records_owner_gets_none_from_rules(kind: str) -> None:
    f = facts(
        city="苏州",
        owners=[OwnerFact("周晓明", kind), OwnerFact("公共池", "rule", "sales", "fallback")],  # type: ignore[arg-type]
    )
    result = classify(LIBRARY, rules([SERVICE]), f, D)
    assert result.owners == ()
    change = diff(f, result)
    assert change.drop_owners == ["公共池"] and not change.add_owners


def test_a_rule_owner_whose_rule_changed_is_updated_not_added() -> None:
    f = facts(city="苏州", industry="制造业", owners=[OwnerFact("公共池", "rule", "sales", "old-rule")])
    change = diff(f, classify(LIBRARY, rules(), f, D))
    assert [o.rule for o in change.update_owners] == ["fallback"] and not change.add_owners


# --- the YAML files ----------------------------------------------------------------------------------


def _default_text() -> str:
    from importlib import resources

    return (resources.files("custgraph") / "data" / "tags.default.yaml").read_text(encoding="utf-8")


def test_imported_texts_map_to_library_tags() -> None:
    assert LIBRARY.tag_for_text("高价值") == ("value", "high")
    assert LIBRARY.tag_for_text("流失风险") == ("risk", "churn")
    assert LIBRARY.tag_for_text(" 高價值 ") == ("value", "high")  # traditional, padded
    assert LIBRARY.tag_for_text("重点跟进") == ("custom", "重点跟进")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["dimensions"][0]["tags"][0]["all"][0].update(metric="logins"), "metric"),
        (lambda d: d["dimensions"][1]["tags"][1]["all"][0].pop("months"), "monthly_spend needs months"),
        (lambda d: d["dimensions"][1]["tags"][1]["synonyms"].append("高频"), "names two tags"),
        (lambda d: d["lifecycle"][-1].update(all=[{"metric": "orders", "min": 1}]), "last lifecycle rule"),
        (lambda d: d["dimensions"][0].update(colour="red"), "colour"),
        (lambda d: d["dimensions"][0]["tags"][0].update(name="a:b"), "colon"),
    ],
)
def test_a_bad_tag_library_fails_when_loaded(change: object, message: str) -> None:
    data = yaml.safe_load(_default_text())
    change(data)  # type: ignore[operator]
    with pytest.raises(ValidationError, match=message):
        library_from_dict(data)


def test_the_issue_example_is_a_valid_assignment_file_and_the_shipped_one_assigns_nobody() -> None:
    parsed = rules()
    assert [r.name for r in parsed.ordered()] == ["east-manufacturing", "fallback"]
    assert NOBODY.rules == []
    with pytest.raises(ValidationError):
        assignment_from_dict({"rules": [{"name": "x", "when": {"city": ["苏州"]}, "assign": {"owner": "a"}}]})


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("拜访", "visit"),
        ("电话", "call"),
        ("电话回访", "call"),
        ("邮件", "email"),
        ("投诉", "complaint"),
        ("满意度回访", "satisfaction"),
        ("活动", "event"),
        ("会议", "event"),
        ("展会", "event"),
        ("其他", "other"),
        ("Visit", "visit"),
        ("喝茶", "other"),
        ("", None),
    ],
)
def test_interaction_types(text: str, kind: str | None) -> None:
    assert interaction_type(text) == kind
