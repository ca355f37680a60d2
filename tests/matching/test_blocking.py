"""Blocking keys and candidate pairs: selective keys, near-linear growth, placeholders left out."""

from __future__ import annotations

import re

import numpy as np
from test_engine import febrl_sample  # pytest puts this folder on sys.path

from custgraph.matching.blocking import (
    BlockIndex,
    CandidateIndex,
    KeyCoder,
    blocking_keys,
    candidate_pairs,
    candidate_rows,
)
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


def test_a_full_block_offers_nothing() -> None:
    """A record meets a block's earlier members only while fewer than max_block_size came before it."""
    data = load_rules().model_dump(mode="json")
    data["clustering"]["max_block_size"] = 3
    rules = rules_from_dict(data)
    index = BlockIndex(rules)
    records = [
        MatchRecord(f"s|{i}", "s", {"city": "北京", "family_name": "王", "name": "王伟"}, seq=i) for i in range(6)
    ]
    offered = []
    for rec in records:
        offered.append([r.uid for r in index.candidates(rec)])
        index.add(rec)
    assert offered == [[], ["s|0"], ["s|0", "s|1"], [], [], []]
    # the numpy index gives the same pairs
    earlier, later = candidate_rows(records, rules)
    assert sorted(zip(later.tolist(), earlier.tolist(), strict=True)) == [(1, 0), (2, 0), (2, 1)]


def test_a_block_known_full_offers_nothing_to_the_records_in_hand() -> None:
    """The graph says a key already holds max_block_size older records: the batch's own records with
    that key are not paired through it, though fewer than the cap of them are in hand."""
    rules = load_rules()
    records = [MatchRecord(f"s|{i}", "s", {"city": "北京", "name": n}, seq=i) for i, n in enumerate(["王伟", "王芳"])]
    first, second = (blocking_keys(rec, rules) for rec in records)
    shared = {name for name, key in first.items() if second.get(name) == key}
    assert shared == {"family_city"}
    coder = KeyCoder(rules)
    codes, uids = coder.codes(records), np.arange(2, dtype=np.int64)
    cap = rules.clustering.max_block_size
    assert [a.tolist() for a in CandidateIndex.from_codes(uids, codes, cap).pairs(0, 2)] == [[0], [1]]
    full = coder.known_codes({"family_city": [first["family_city"]], "email": ["x@y.cn"]})
    assert [a.tolist() for a in CandidateIndex.from_codes(uids, codes, cap, full).pairs(0, 2)] == [[], []]
