"""The generator's contract: deterministic, complete ground truth, validated arguments."""

from __future__ import annotations

import pytest

from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.generator import DEFAULT_SOURCES, GeneratedSet, Reach, generate


def _snapshot(gs: GeneratedSet) -> list[tuple[object, ...]]:
    return [(r.source, r.key, r.entity, tuple(r.row.items()), r.dirt) for r in gs.records()]


def test_same_seed_gives_identical_output() -> None:
    assert _snapshot(generate(11, 250)) == _snapshot(generate(11, 250))


def test_different_seeds_differ() -> None:
    assert _snapshot(generate(11, 250)) != _snapshot(generate(12, 250))


def test_global_random_state_is_not_used() -> None:
    import random

    random.seed(1)
    first = _snapshot(generate(5, 120))
    random.seed(2)
    assert _snapshot(generate(5, 120)) == first


def test_truth_covers_every_record_and_every_entity() -> None:
    gs = generate(21, 400)
    truth = gs.truth()
    keys = [(s, k) for s, k, _ in truth]
    assert len(keys) == len(set(keys)), "one truth row per (source, source_key)"
    by_key = {(s, k): e for s, k, e in truth}
    entity_ids = {e.id for e in gs.entities}
    for r in gs.records():
        assert by_key[(r.source, r.key)] == r.entity
        assert r.row[gs.tables[r.source].key_column] == r.key
    assert {e for _, _, e in truth} == entity_ids, "every true entity shows up in some source"
    assert len(entity_ids) == 400


def test_default_sources_and_formats() -> None:
    gs = generate(1, 100)
    assert tuple(gs.tables) == DEFAULT_SOURCES
    formats = {n: t.fmt for n, t in gs.tables.items()}
    assert formats == {"crm_export": "xlsx", "orders": "csv", "webform": "jsonl"}
    assert {n: t.key_column for n, t in gs.tables.items()} == {
        "crm_export": "客户编号",
        "orders": "订单号",
        "webform": "id",
    }


def test_only_selected_sources_and_everyone_still_appears() -> None:
    gs = generate(3, 150, sources=("webform",))
    assert list(gs.tables) == ["webform"]
    assert {e for _, _, e in gs.truth()} == {e.id for e in gs.entities}


def test_record_count_for_3000_entities_is_between_6k_and_9k() -> None:
    counts = generate(1, 3000).counts()
    assert 6000 <= counts["records"] <= 9000, counts
    assert counts["orders"] > counts["crm_export"] > counts["webform"] > 0


def test_orders_repeat_buyers_have_several_rows() -> None:
    gs = generate(4, 300)
    per_entity: dict[str, int] = {}
    for r in gs.tables["orders"].records:
        per_entity[r.entity] = per_entity.get(r.entity, 0) + 1
    assert max(per_entity.values()) >= 3


def test_clean_config_applies_no_dirt() -> None:
    gs = generate(8, 200, dirt=DirtConfig.clean())
    assert all(not set(r.dirt) - {"company_landline", "contact_name_for_company"} for r in gs.records())
    names = {e.name for e in gs.entities}
    assert all(r.row["客户姓名"] in names for r in gs.tables["crm_export"].records)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_entities": 0}, "n_entities"),
        ({"sources": ("crm_export", "crm_export")}, "sources"),
        ({"sources": ("erp",)}, "sources"),
        ({"sources": ()}, "sources"),
        ({"company_share": 1.5}, "company_share"),
    ],
)
def test_bad_arguments_fail_early(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"seed": 1, "n_entities": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        generate(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-0.1, 1.5, "0.2"])
def test_dirt_rates_are_checked_when_built(bad: object) -> None:
    with pytest.raises(ValueError, match="name_typo"):
        DirtConfig(name_typo=bad)  # type: ignore[arg-type]


def test_dirt_config_round_trips_and_scales() -> None:
    config = DirtConfig(pinyin_name=0.5)
    assert DirtConfig.from_dict(config.to_dict()) == config
    assert config.scaled(4).pinyin_name == 1.0
    assert config.scaled(0) == DirtConfig.clean()
    with pytest.raises(ValueError, match="unknown"):
        DirtConfig.from_dict({"no_such_dirt": 0.1})


def test_reach_is_checked() -> None:
    with pytest.raises(ValueError, match="crm_person"):
        Reach(crm_person=2.0)
