"""Column-wise comparison vectors equal the pair-by-pair levels, on real data and on edge cases."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_engine import febrl_sample  # pytest puts this folder on sys.path

from custgraph.matching import comparators
from custgraph.matching.blocking import candidate_pairs, candidate_rows
from custgraph.matching.hubs import HubDetector
from custgraph.matching.params import ModelParams
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules, load_rules
from custgraph.matching.scoring import PairScorer
from custgraph.matching.vectors import Table, plan_for

MAPPINGS = Path(__file__).parents[2] / "benchmarks" / "mappings"


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def rec(uid: str, seq: int, **fields: Any) -> MatchRecord:
    return MatchRecord(uid=uid, source=uid.split("|")[0], fields=fields, seq=seq)


EDGE_CASES = [
    rec("a|1", 1, name="张伟", mobile="+8613812345678", city="北京市", birth_date="1980-01-02"),
    rec("a|2", 2, name="Zhang Wei", mobile="138****5678", city="Beijing", birth_date="1980-02-01"),
    rec("a|3", 3, name="Wei Zhang", mobile="+8613812345679", email="info@acme.com", birth_date="1981-01-02"),
    rec(
        "a|4",
        4,
        name="WangXiaojun",
        mobile="+8613800000000",
        company="华为技术有限公司",
        address="广东省深圳市南山区科技园",
    ),
    rec("a|5", 5, name="王晓军", company="华为", address="深圳市南山区科技园", email="info@acme.com"),
    rec("a|6", 6, first_name="j", last_name="smith", postal_code="2000", birth_date="2001-03-04"),
    rec("a|7", 7, first_name="john", last_name="smith", postal_code="2001", birth_date="2001-04-03"),
    rec("a|8", 8, first_name="smith", last_name="john", postal_code="2000", birth_date="not a date"),
    rec("a|9", 9, name="陈女士", mobile="13912345678", gender="女", customer_type="个人"),
    rec("a|10", 10, name="石家庄新锐网络科技有限公司", company="Shijiazhuang Xinrui Network Technology Co Ltd"),
    rec("a|11", 11, name="肖先生", phone="010-88886666"),
    rec("a|12", 12, name="高晓", phone="010-88886666", mobile_masked="139****5678"),
]


def chinese_records(seed: int, entities: int, tmp: Path) -> list[MatchRecord]:
    """The project's generator, read and standardized by the real ingest code."""
    from benchmarks.demo_data.generator import generate
    from benchmarks.demo_data.writers import write_set
    from custgraph.ingest.mapping import load_mapping
    from custgraph.ingest.models import IngestedRecord
    from custgraph.ingest.reading import iter_records

    paths = write_set(generate(seed, entities), tmp)
    out: list[MatchRecord] = []
    for name in ("crm_export", "orders", "webform"):
        for item in iter_records(paths[name], mapping=load_mapping(MAPPINGS / f"{name}.yaml")):
            if isinstance(item, IngestedRecord):
                fields = dict(item.fields)
                if "*" in item.raw.get("mobile", "") and "mobile" not in fields:
                    fields["mobile_masked"] = item.raw["mobile"].strip()
                out.append(MatchRecord(uid=item.uid, source=item.source, fields=fields, seq=len(out)))
    return out


def assert_same_levels(records: list[MatchRecord], pairs: list[tuple[MatchRecord, MatchRecord]], rules: Rules) -> None:
    hubs = HubDetector(rules.hubs)
    for r in records:
        hubs.add(r)
    scorer = PairScorer(rules, ModelParams.defaults(rules), hubs)
    table = Table(plan_for(rules))
    rows = {r.uid: row for r, row in zip(records, table.add(records), strict=True)}
    rows_a = np.array([rows[a.uid] for a, _ in pairs], dtype=np.int64)
    rows_b = np.array([rows[b.uid] for _, b in pairs], dtype=np.int64)
    levels, hub_bits = table.plan.gamma(table, rows_a, rows_b)
    for k, (a, b) in enumerate(pairs):  # hubs decided pair by pair, as resolution does
        fixed = table.plan.fix_hubs(tuple(levels[k].tolist()), int(hub_bits[k]), table.plan.features(a), hubs)
        assert fixed == scorer.gamma(a, b), (dict(a.fields), dict(b.fields))
    table.plan.apply_hubs(table, levels, hub_bits, rows_a, hubs)  # all at once, as training does
    assert [tuple(row) for row in levels.tolist()] == [scorer.gamma(a, b) for a, b in pairs]


def test_edge_cases_every_pair_both_ways(rules: Rules) -> None:
    pairs = [(a, b) for a in EDGE_CASES for b in EDGE_CASES]
    assert_same_levels(EDGE_CASES, pairs, rules)


def test_febrl_blocked_and_random_pairs(rules: Rules) -> None:
    records = febrl_sample(1500)
    rng = random.Random(7)
    pairs = list(candidate_pairs(records, rules))
    pairs += [(rng.choice(records), rng.choice(records)) for _ in range(3000)]
    assert_same_levels(records, pairs, rules)


def test_chinese_crm_blocked_and_random_pairs(rules: Rules, tmp_path: Path) -> None:
    records = chinese_records(3, 400, tmp_path)
    rng = random.Random(7)
    pairs = list(candidate_pairs(records, rules))
    assert len(pairs) > 1000
    pairs += [(rng.choice(records), rng.choice(records)) for _ in range(3000)]
    assert_same_levels(records, pairs, rules)


def test_candidate_rows_are_candidate_pairs(rules: Rules) -> None:
    records = febrl_sample(800)
    random.Random(3).shuffle(records)
    # a uid twice, and records arriving together (equal seq): ties broken by uid, a uid offered once
    records += [MatchRecord(uid=r.uid, source=r.source, fields=r.fields, seq=r.seq) for r in records[:40]]
    records += [MatchRecord(uid=f"{r.uid}x", source=r.source, fields=r.fields, seq=5) for r in records[40:80]]
    earlier, later = candidate_rows(records, rules)
    position = {id(r): i for i, r in enumerate(records)}
    expected = [(position[id(a)], position[id(b)]) for a, b in candidate_pairs(records, rules)]
    assert list(zip(earlier.tolist(), later.tolist(), strict=True)) == expected


def test_chunks_do_not_change_resolutions(rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    from custgraph.matching import engine

    records = febrl_sample(600)
    existing = [r.with_customer(f"C{i:06d}") for i, r in enumerate(records[:200])]
    new = records[200:]
    decisions = {frozenset((new[0].uid, existing[5].uid)): "MERGE", frozenset((new[3].uid, new[1].uid)): "MERGE",
                 frozenset((new[7].uid, existing[9].uid)): "SEPARATE"}  # fmt: skip

    def run() -> list[tuple]:
        result = engine.resolve(new, existing, rules, decisions=decisions)
        return [(r.uid, r.outcome, r.customer_id, r.score, r.rule, r.matched_uid) for r in result.resolutions]

    whole = run()
    monkeypatch.setattr(engine, "CHUNK", 7)
    assert run() == whole


WORDS = ["", "a", "ab", "abc", "zhang", "zhangwei", "zhagnwei", "wei zhang", "张伟", "張偉", "Jon", "john", "jo hn"]


@pytest.mark.parametrize("metric", sorted(comparators.SIMILARITIES))
def test_many_similarities_are_the_same_numbers(metric: str) -> None:
    xs = [x for x in WORDS for _ in WORDS]
    ys = [y for _ in WORDS for y in WORDS]
    expected = [comparators.SIMILARITIES[metric](x, y) for x, y in zip(xs, ys, strict=True)]
    assert comparators.similarities(metric, xs, ys).tolist() == expected


@pytest.mark.parametrize("metric", sorted(comparators.DISTANCES))
@pytest.mark.parametrize("limit", [1, 2])
def test_many_distances_are_the_same_decisions(metric: str, limit: int) -> None:
    xs = [x for x in WORDS for _ in WORDS]
    ys = [y for _ in WORDS for y in WORDS]
    expected = [comparators.DISTANCES[metric](x, y) <= limit for x, y in zip(xs, ys, strict=True)]
    assert comparators.distances_within(metric, xs, ys, limit).tolist() == expected


def test_shortcuts_do_not_change_resolutions(rules: Rules, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Skipping lone candidates surely 'new' and customers surely vetoed changes nothing."""
    from custgraph.matching import engine
    from custgraph.matching.engine import resolve, train

    records = chinese_records(5, 500, tmp_path)
    params = train(records, rules)
    half = len(records) // 2
    existing = [
        r.with_customer(res.customer_id)
        for r, res in zip(records[:half], resolve(records[:half], [], rules, params=params).resolutions, strict=True)
    ]

    def run() -> list[tuple]:
        result = resolve(records[half:], existing, rules, params=params)
        return [
            (r.uid, r.outcome, r.customer_id, r.score, r.rule, r.matched_uid, r.evidence) for r in result.resolutions
        ]

    fast = run()
    monkeypatch.setattr(PairScorer, "surely_new", lambda self, levels, keys, total: np.zeros(len(levels), dtype=bool))
    monkeypatch.setattr(engine._Resolver, "_vetoed", lambda self, *args: False)
    assert run() == fast


def _one_edit(draw, value: str) -> str:
    from hypothesis import strategies as st

    kind = draw(st.sampled_from(["sub", "ins", "del", "swap", "none"]))
    i = draw(st.integers(0, max(len(value) - 1, 0)))
    ch = draw(st.sampled_from("0123456789ab"))
    if kind == "sub" and value:
        return value[:i] + ch + value[i + 1 :]
    if kind == "ins":
        return value[:i] + ch + value[i:]
    if kind == "del" and value:
        return value[:i] + value[i + 1 :]
    if kind == "swap" and len(value) > 1 and i < len(value) - 1:
        return value[:i] + value[i + 1] + value[i] + value[i + 2 :]
    return value


def test_edit_distance_and_date_levels_match_pair_by_pair(rules: Rules) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @st.composite
    def pairs(draw):
        if draw(st.booleans()):
            x = draw(st.text("0123456789ab-", min_size=1, max_size=12))
        else:  # an ISO date, maybe with day and month swapped
            y, m, d = draw(st.integers(1900, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 12))
            x = f"{y:04d}-{m:02d}-{d:02d}"
            if draw(st.booleans()):
                return x, f"{y:04d}-{d:02d}-{m:02d}"
        return x, _one_edit(draw, _one_edit(draw, x))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pairs(), min_size=1, max_size=20))
    def check(values: list[tuple[str, str]]) -> None:
        records = []
        for k, (x, y) in enumerate(values):
            for side, value in (("a", x), ("b", y)):
                records.append(rec(f"{side}|{k}", len(records), postal_code=value, birth_date=value, first_name="x"))
        assert_same_levels(records, [(records[2 * k], records[2 * k + 1]) for k in range(len(values))], rules)

    check()
