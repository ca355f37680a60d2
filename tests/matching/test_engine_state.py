"""One EngineState across batches gives each batch exactly the result of a fresh engine: customers
renamed and merged between batches, changed records re-resolved, MERGE decisions, blocks over the cap,
and a table compacted as it goes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import pytest

from custgraph.matching import state as engine_state
from custgraph.matching.blocking import CandidateIndex, KeyCoder
from custgraph.matching.engine import resolve
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.scoring import Decision
from custgraph.matching.state import EngineState

SURNAMES = "王李张"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽"]
CITIES = ["深圳市", "北京市"]


def people(count: int, seed: int) -> list[MatchRecord]:
    """Namesakes (3 surnames x 7 given names for ``count / 2`` people), each seen once or more."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        person = rng.randrange(count // 2)
        fields: dict[str, str] = {"name": SURNAMES[person % 3] + GIVEN[person % 7], "city": CITIES[person % 2]}
        if rng.random() < 0.7:
            fields["mobile"] = f"+86139{person:08d}"
        if rng.random() < 0.4:
            fields["email"] = f"p{person}@qq.com"
        if rng.random() < 0.1:
            fields.pop("name")  # an identifier only
        out.append(MatchRecord(uid=f"s|{i}", source="s", fields=fields, seq=i + 1))
    return out


def run(
    batches: Sequence[Sequence[MatchRecord]],
    rules: Rules,
    decisions: dict[frozenset[str], Decision],
    state: EngineState | None,
) -> list[dict[str, Any]]:
    """Resolve batch after batch against what the earlier ones placed, as persist leaves the graph:
    provisional ids made real, merged customers pointing at their survivor."""
    placed: dict[str, tuple[MatchRecord, str]] = {}
    numbers = iter(range(1, 10**6))
    out = []
    for batch in batches:
        existing = [rec.with_customer(customer) for rec, customer in placed.values()]
        result = resolve(batch, existing, rules, decisions=decisions, state=state)
        result.rename({p: f"C{next(numbers):06d}" for p in result.provisional_ids()})
        absorbed = {m.absorbed: m.survivor for m in result.merges}
        placed = {uid: (rec, absorbed.get(c, c)) for uid, (rec, c) in placed.items()}
        for res, rec in zip(result.resolutions, batch, strict=True):
            placed.pop(rec.uid, None)
            if res.customer_id is not None:
                placed[rec.uid] = (rec, res.customer_id)
        out.append({"resolutions": [asdict(r) for r in result.resolutions],
                    "reviews": [asdict(p) for p in result.review_pairs],
                    "merges": [asdict(m) for m in result.merges]})  # fmt: skip
    return out


@pytest.fixture(scope="module")
def rules() -> Rules:
    from importlib import resources

    import yaml

    from custgraph.matching.rules import rules_from_dict

    data = yaml.safe_load((resources.files("custgraph") / "data" / "rules.default.yaml").read_text(encoding="utf-8"))
    data["clustering"]["max_block_size"] = 4  # namesake blocks far over the cap
    return rules_from_dict(data)


def test_kept_state_equals_a_fresh_engine_per_batch(rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    records = people(600, seed=7)
    # a record changed later (another mobile), resolved again in a later batch
    changed = [
        MatchRecord(r.uid, r.source, {**r.fields, "mobile": f"+86137{i:08d}"}, seq=r.seq)
        for i, r in enumerate(records[:60:6])
    ]
    batches = [records[i : i + 50] for i in range(0, len(records), 50)]
    batches.insert(6, changed)
    # a MERGE decision across batches, between records that share no blocking key
    decisions: dict[frozenset[str], Decision] = {frozenset({"s|5", "s|420"}): "MERGE"}
    monkeypatch.setattr(engine_state, "MIN_COMPACT", 100)  # compact the table several times
    state = EngineState(rules, size=50)
    kept = run(batches, rules, decisions, state)
    assert kept == run(batches, rules, decisions, None)
    assert state.table.n < sum(len(b) for b in batches)  # compacted: rows of earlier batches dropped
    outcomes = [r["outcome"] for batch in kept for r in batch["resolutions"]]
    assert outcomes.count("matched") > 50 and "review" in outcomes and any(b["merges"] for b in kept)


def test_candidate_index_from_codes_equals_the_one_from_records(rules: Rules) -> None:
    records = people(300, seed=3)
    direct = CandidateIndex(records, rules)
    coder = KeyCoder(rules)
    coder.codes(people(100, seed=4))  # codes handed out before: other numbers, the same blocks
    uids = direct.uids
    coded = CandidateIndex.from_codes(uids, coder.codes(records), rules.clustering.max_block_size)
    for lo in (0, 100, 250):
        for left, right in zip(direct.pairs(lo, lo + 50), coded.pairs(lo, lo + 50), strict=True):
            assert left.tolist() == right.tolist()


def test_state_forgets_the_least_recently_used(rules: Rules) -> None:
    state = EngineState(rules, size=2)
    a, b, c = people(3, seed=1)
    state.remember(a, "v1")
    state.remember(b, "v1")
    assert state.record(a.uid, "v1") is a  # a is now the most recent
    state.remember(c, "v1")
    assert state.record(b.uid, "v1") is None and state.record(a.uid, "v1") is a
    assert state.record(a.uid, "v2") is None  # another version: read again
    assert len(state) == 2


def test_compacting_starts_the_key_coder_over(rules: Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    """The coder holds every key it coded; a new table codes only the records kept, so a long run's coder
    stays about as big as what the state remembers, and codes still compare within a batch."""
    monkeypatch.setattr(engine_state, "MIN_COMPACT", 100)
    state = EngineState(rules, size=50)
    records = people(1200, seed=11)
    for start in range(0, len(records), 100):
        batch = records[start : start + 100]
        state.rows(batch)
        for rec in batch:
            state.remember(rec, "v1")
    coded = sum(len(table) for table in state.coder._codes.values())
    everyone = KeyCoder(rules)
    everyone.codes(records)
    assert coded < sum(len(table) for table in everyone._codes.values()) / 3
    # the rows a batch asks for carry codes of the current coder: the same blocks as coding them afresh
    last = records[-100:]
    rows = state.rows(last)
    fresh = KeyCoder(rules).codes(last)
    ours = state.codes[:, rows]
    for rule in range(len(fresh)):
        same_key = fresh[rule][:, None] == fresh[rule][None, :]
        assert (same_key == (ours[rule][:, None] == ours[rule][None, :])).all()
