"""search(query, first): exact and fuzzy keyword search through the search-key index."""

from __future__ import annotations

from typing import Any

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories.nodes import upsert_nodes
from custgraph.graph.repositories.search_index import index_customers

SEARCH = """
query Find($q: String!, $first: Int! = 10) {
  search(query: $q, first: $first) { score matchedOn customer { id name } }
}
"""


def hits(api: Any, query: str, **kwargs: Any) -> list[tuple[str, str]]:
    return [(h["customer"]["id"], h["matchedOn"]) for h in api.data(SEARCH, {"q": query}, **kwargs)["search"]]


CASES = [
    ("exact name", "张伟", ("C000001", "name")),
    ("homophone typo 张伟 -> 张玮", "张玮", ("C000002", "name")),
    ("pinyin", "zhangwei", ("C000001", "pinyin")),
    ("customer id", "C000003", ("C000003", "id")),
    ("customer id without leading zeros", "c3", ("C000003", "id")),
    ("whole mobile, spaced", "138 1234 5678", ("C000001", "mobile")),
    ("last four digits", "1234", ("C000005", "mobile")),
    ("middle fragment", "8123456", ("C000001", "mobile")),
    ("mobile with one wrong digit", "13812345670", ("C000001", "mobile")),
    ("email", "JingYi.Chen@yongtai.com.cn", ("C000003", "email")),
    ("part of a name", "静怡", ("C000003", "name")),
    ("company", "华为技术", ("C000001", "company")),
    ("part of a company", "永泰", ("C000003", "company")),
]


@pytest.mark.parametrize(("why", "query", "best"), CASES, ids=[c[0] for c in CASES])
def test_finds_the_right_customer_first(
    api_world: Graph, api: Any, why: str, query: str, best: tuple[str, str]
) -> None:
    found = hits(api, query)
    assert found and found[0] == best, (why, found)


def test_scores_rank_exact_above_fuzzy(api_world: Graph, api: Any) -> None:
    results = api.data(SEARCH, {"q": "张伟"})["search"]
    scores = {h["customer"]["id"]: h["score"] for h in results}
    assert scores["C000001"] > scores["C000002"] > 0.5
    assert [h["score"] for h in results] == sorted((h["score"] for h in results), reverse=True)
    assert api.data(SEARCH, {"q": "13812345678"})["search"][0]["score"] == 1.0


def test_last_four_digits_find_everyone_with_them(api_world: Graph, api: Any) -> None:
    found = hits(api, "5678")
    assert [cid for cid, _ in found] == ["C000001"]  # C000006 has it too, but is merged away


def test_merged_away_customers_never_appear(api_world: Graph, api: Any) -> None:
    assert "C000006" not in [cid for cid, _ in hits(api, "张伟")]


def test_first_limits_the_hits(api_world: Graph, api: Any) -> None:
    assert len(api.data(SEARCH, {"q": "张伟", "first": 1})["search"]) == 1


def test_rep_finds_only_their_own_customers(api_world: Graph, api: Any) -> None:
    assert [cid for cid, _ in hits(api, "张伟", role="rep", user=api.rep)] == ["C000001"]
    assert hits(api, "张玮", role="rep", user=api.rep) == [("C000001", "pinyin")]


def test_masked_names_for_managers(api_world: Graph, api: Any) -> None:
    first = api.data(SEARCH, {"q": "陈静怡"}, role="manager")["search"][0]
    assert first["customer"]["name"] == "陈*"  # the surname, then one * whatever the given name's length


def test_nothing_found_is_an_empty_list(api_world: Graph, api: Any) -> None:
    assert hits(api, "完全不相干的名字") == []


@pytest.mark.parametrize(("query", "message"), [("   ", "query is empty"), ("x" * 101, "query is limited")])
def test_bad_queries_are_refused(api_world: Graph, api: Any, query: str, message: str) -> None:
    assert api.errors(SEARCH, {"q": query})[0]["message"].startswith(message)


async def test_search_reads_the_key_index_not_every_customer(fresh_world: Graph, api: Any) -> None:
    """A customer without search keys is invisible to search: candidates come only from the index."""
    await upsert_nodes(fresh_world, [CustomerNode(id="C000099", name="欧阳娜娜", mobile="+8613600009999")])
    assert hits(api, "欧阳娜娜") == []
    await index_customers(fresh_world, ["C000099"])
    assert hits(api, "欧阳娜娜") == [("C000099", "name")]
    assert hits(api, "9999") == [("C000099", "mobile")]


async def test_a_common_key_is_capped_but_rare_keys_are_not(
    fresh_world: Graph, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key shared by more than KEY_CAP customers (a sector word) contributes KEY_CAP of them; the customer
    a rarer key of the query names is still a candidate, and the scorer ranks it first."""
    from custgraph.graph.repositories import search_index
    from custgraph.graph.repositories.scope import EVERYTHING

    monkeypatch.setattr(search_index, "KEY_CAP", 5)
    crowd = [CustomerNode(id=f"C0009{n:02d}", name=f"客户{n}", company=f"天{n}软件有限公司") for n in range(30)]
    target = CustomerNode(id="C000990", name="欧阳娜娜", company="恒达软件有限公司")
    await upsert_nodes(fresh_world, [*crowd, target])
    await index_customers(fresh_world, [c.id for c in [*crowd, target]])
    found = await search_index.candidates(fresh_world, ["b:软件", "co:恒达软件"], limit=200, scope=EVERYTHING)
    assert "C000990" in [c["id"] for c in found]
    assert len(found) <= 6  # the target plus at most KEY_CAP customers through the common key
    assert hits(api, "恒达软件")[0] == ("C000990", "company")
