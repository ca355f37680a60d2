"""Blocking keys and candidate pairs: selective keys, near-linear growth, placeholders left out."""

from __future__ import annotations

import re

from test_engine import febrl_sample  # pytest puts this folder on sys.path

from custgraph.matching.blocking import BlockIndex, blocking_keys, candidate_pairs
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import load_rules, rules_from_dict


def test_keys_are_identifier_safe_and_skip_missing_parts() -> None:
    rules = load_rules()
    keys = blocking_keys(MatchRecord("a|1", "a", {"name": "张伟", "mobile": "+8613812345678", "city": "北京市"}), rules)
    assert all(re.fullmatch(r"[a-z0-9_]+", name) for name in keys)
    assert keys["mobile"] == "+8613812345678"
    assert keys["full_name"] == "wei zhang"
    assert keys["full_name_pinyin"] == "zhangwei"
    assert "birth_date" not in keys and "email" not in keys


def test_hanzi_and_pinyin_spellings_share_a_key() -> None:
    rules = load_rules()
    hanzi = blocking_keys(MatchRecord("a|1", "a", {"name": "张伟"}), rules)
    pinyin = blocking_keys(MatchRecord("b|1", "b", {"name": "Wei Zhang"}), rules)
    assert hanzi["full_name"] == pinyin["full_name"]


def test_placeholders_and_shared_mailboxes_are_not_keys() -> None:
    rules = load_rules()
    keys = blocking_keys(MatchRecord("a|1", "a", {"mobile": "13800000000", "email": "info@acme.com"}), rules)
    assert "mobile" not in keys and "email" not in keys


def test_candidate_pairs_grow_near_linearly() -> None:
    rules = load_rules()
    for n in (1000, 3000):
        records = febrl_sample(n)
        pairs = sum(1 for _ in candidate_pairs(records, rules))
        assert pairs < 3 * n  # a few candidates per record, never the n(n-1)/2 of all pairs


def test_block_size_cap_keeps_the_oldest_members() -> None:
    data = load_rules().model_dump(mode="json")
    data["clustering"]["max_block_size"] = 3
    rules = rules_from_dict(data)
    index = BlockIndex(rules)
    records = [
        MatchRecord(f"s|{i}", "s", {"city": "北京", "family_name": "王", "name": "王伟"}, seq=i) for i in range(6)
    ]
    for rec in records[:5]:
        index.add(rec)
    assert [r.uid for r in index.candidates(records[5])] == ["s|0", "s|1", "s|2"]
