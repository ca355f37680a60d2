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
