"""EM training: params are estimated, JSON round-trip, and fall back to defaults without matches."""

from __future__ import annotations

import json

import pytest
from test_engine import febrl_sample  # pytest puts this folder on sys.path

from custgraph.matching.engine import resolve, train
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules, load_rules


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


@pytest.fixture(scope="module")
def trained(rules: Rules) -> ModelParams:
    return train(febrl_sample(1000), rules)


def weight(params: ModelParams, comparison: str, label: str) -> float:
    import math

    i = params.labels[comparison].index(label)
    return math.log2(params.m[comparison][i] / params.u[comparison][i])


def test_em_learns_sensible_weights(trained: ModelParams) -> None:
    assert trained.meta["source"] == "trained"
    assert trained.meta["expected_matches"] > 100
    assert 1e-5 < trained.prior < 1e-2
    for comparison in ("national_id", "birth_date", "family_name", "postal_code"):
        assert weight(trained, comparison, "exact") > 5 > 0 > weight(trained, comparison, "else")
    assert weight(trained, "birth_date", "exact") > weight(trained, "birth_date", "within_366d")
    for comparison, m in trained.m.items():
        assert sum(m) == pytest.approx(1.0), comparison
        assert sum(trained.u[comparison]) == pytest.approx(1.0), comparison
    assert "family_name:pinyin" in trained.tf  # term frequencies for the name levels, counted in pinyin


def test_params_round_trip_through_json(trained: ModelParams, rules: Rules) -> None:
    restored = ModelParams.from_dict(json.loads(json.dumps(trained.to_dict())))
    assert restored == trained
    records = febrl_sample(200)
    a = resolve(records, [], rules, params=trained)
    b = resolve(records, [], rules, params=restored)
    assert [r.customer_id for r in a.resolutions] == [r.customer_id for r in b.resolutions]


def test_no_duplicates_keeps_default_m(rules: Rules) -> None:
    distinct = [
        MatchRecord(
            f"s|{i}", "s", {"first_name": f"name{i}", "last_name": f"fam{i * 7}", "postal_code": str(2000 + i)}, seq=i
        )
        for i in range(300)
    ]
    params = train(distinct, rules)
    defaults = ModelParams.defaults(rules)
    assert params.m == defaults.m
    assert params.prior == defaults.prior
    assert "too few matches" in params.meta["note"]


def test_changed_levels_fall_back_to_defaults(trained: ModelParams, rules: Rules) -> None:
    data = rules.model_dump(mode="json")
    gender = next(c for c in data["comparisons"] if c["name"] == "gender")
    gender["levels"] = [{"type": "exact", "label": "same_gender"}, {"type": "else"}]
    changed = Rules.model_validate(data)
    m, _ = trained.for_comparison(changed.comparisons[[c.name for c in changed.comparisons].index("gender")])
    assert len(m) == 2  # defaults for the new shape, not the trained vector of the old one


def test_common_surnames_weigh_less_than_rare_ones(rules: Rules) -> None:
    from custgraph.matching.hubs import HubDetector
    from custgraph.matching.scoring import PairScorer

    scorer = PairScorer(rules, ModelParams.defaults(rules), HubDetector(rules.hubs))

    def family_weight(family: str) -> float:
        a = MatchRecord("a|1", "a", {"name": family + "伟"})
        b = MatchRecord("b|1", "b", {"name": family + "芳"})
        index = [c.name for c in rules.comparisons].index("family_name")
        return scorer.score(a, b).weights[index]

    assert family_weight("王") < family_weight("罗") < family_weight("谢") < family_weight("欧阳")


def test_resolve_accepts_stored_params(trained: ModelParams, rules: Rules) -> None:
    records = febrl_sample(100)
    from_dict = resolve(records, [], rules, params=trained.to_dict())
    direct = resolve(records, [], rules, params=trained)
    assert [r.customer_id for r in from_dict.resolutions] == [r.customer_id for r in direct.resolutions]


def test_bad_term_frequency_table_is_rejected(rules: Rules) -> None:
    from pydantic import ValidationError

    data = rules.model_dump(mode="json")
    data["term_frequencies"]["family_name:pinyin"]["values"]["wang"] = 1.5
    with pytest.raises(ValidationError, match="term frequency shares"):
        Rules.model_validate(data)


def _mobile(i: int) -> str:
    return f"+86139{(i * 7919 + 2718281) % 10**8:08d}"  # scattered digits: no placeholder (13900000000)


def _namesake_register(duplicates: int) -> list[MatchRecord]:
    """Three different people per name and city, two with a mobile of their own, one without; and
    ``duplicates`` people entered twice with one mobile."""
    given = [a + b for a in "秋海建志丽春玉国晓文" for b in "菊燕华强娟生兰栋东静"]
    family = ["欧阳", "司马", "上官", "诸葛", "皇甫", "慕容", "东方", "夏侯", "公孙", "令狐", "宇文", "长孙"]
    cities = ["无锡市", "宁波市", "温州市", "泉州市", "烟台市", "南通市", "徐州市", "绍兴市", "潍坊市", "嘉兴市"]
    records, seq = [], 0
    for i in range(300):  # 300 distinct names: (i % 12, i % 100) repeats only after lcm(12, 100)
        fields = {"name": family[i % 12] + given[i % 100], "city": cities[i % 10]}
        for mobile in (_mobile(seq), _mobile(seq + 1), None):
            records.append(MatchRecord(f"s|{seq}", "s", {**fields, "mobile": mobile} if mobile else fields, seq=seq))
            seq += 1
    for i in range(duplicates):
        for _ in range(2):
            fields = {"name": f"林{given[i % 100]}", "city": "厦门市", "mobile": _mobile(10_000 + i)}
            records.append(MatchRecord(f"d|{seq}", "d", fields, seq=seq))
            seq += 1
    return records


def test_the_prior_is_bounded_by_what_the_identifiers_prove(rules: Rules) -> None:
    """Namesakes agree on name and city like duplicates do; only identifiers tell EM how many
    duplicates there are. With none sharing a mobile, the prior stays near one expected match."""
    records = _namesake_register(duplicates=0)
    assert records[0].key("party") == "person" and records[0].fields["name"] == records[1].fields["name"]
    params = train(records, rules)
    n = len(records)
    assert params.meta["identifier_matches"] == 0
    assert params.prior <= 1.0 / (n * (n - 1) / 2) * (1 + 1e-9)
    # a bare name and city against the one namesake seen so far: linked only without the bound
    bare = MatchRecord("w|1", "w", {"name": records[0].fields["name"], "city": records[0].fields["city"]}, seq=n)
    seen = [r.with_customer(f"C{i:06d}") for i, r in enumerate(records) if i % 3 == 0]
    unbounded = rules.model_copy(update={"training": rules.training.model_copy(update={"prior_bound_factor": 0})})
    loose = train(records, unbounded)
    assert "identifier_matches" not in loose.meta
    assert resolve([bare], seen, rules, params=loose).resolutions[0].outcome == "matched"
    assert resolve([bare], seen, rules, params=params).resolutions[0].outcome != "matched"
    # duplicates proven by shared mobiles raise the bound again
    proven = train(_namesake_register(duplicates=200), rules)
    assert proven.meta["identifier_matches"] > 150
