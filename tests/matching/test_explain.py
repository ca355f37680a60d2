"""Explanations name the deciding rule, the customer, and each field's evidence."""

from __future__ import annotations

from custgraph.matching.engine import resolve
from custgraph.matching.explain import evidence_lines, evidence_to_dicts, explain, explain_pair
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import load_rules
from custgraph.matching.scoring import FieldEvidence


def test_explanation_of_a_match() -> None:
    records = [
        MatchRecord("crm|1", "crm", {"name": "张伟", "mobile": "+8613812345678", "city": "北京市"}, seq=1),
        MatchRecord("web|1", "web", {"name": "张伟", "mobile": "+8613812345678", "email": "zw@qq.com"}, seq=2),
    ]
    res = resolve(records, [], load_rules()).resolutions[1]
    text = explain(res)
    first = text.splitlines()[0]
    assert first.startswith("web|1: matched customer new:1")
    assert "closest record crm|1" in first and "probability" in first
    assert "+ mobile: exact" in text and "+8613812345678 = +8613812345678" in text
    assert "+ given_name: exact" in text
    assert "not compared (missing on one side): email, personal_email, city" in text
    # evidence survives a JSON round trip and explains the same way
    stored = evidence_to_dicts(res.evidence)
    assert all(d["level"] != "null" for d in stored)
    assert evidence_lines(stored)[0] == evidence_lines(res.evidence)[0]


def test_explanation_of_unmatched_and_new() -> None:
    records = [
        MatchRecord("web|9", "web", {"city": "北京"}, seq=1),
        MatchRecord("web|8", "web", {"name": "李娜"}, seq=2),
    ]
    unmatched, new = resolve(records, [], load_rules()).resolutions
    assert explain(unmatched) == "web|9: unmatched — no identifier and no name: sent to the unmatched pool."
    assert explain(new).startswith("web|8: new customer new:1 — no existing record shares a blocking key")


def test_pair_explanation() -> None:
    from custgraph.matching.engine import ReviewPair

    pair = ReviewPair("a|1", "b|1", 0.7, [FieldEvidence("given_name", "given_name", "exact", 8.2, "娜", "娜")])
    assert explain_pair(pair).splitlines() == [
        "a|1 vs b|1: probability 0.7000",
        "  + given_name: exact (+8.2)  娜 = 娜",
    ]
