"""A person's removal of a tag is a fact with who and when; exclusive dimensions show one tag.

Against the real graph: a rule tag a person removed stays away through recompute until a person adds
it again; an imported tag a person removed stays away through re-import; a person's tier beside an
imported one leaves one tag in the dimension, also after the file is imported again.
"""

from __future__ import annotations

from datetime import date

from custgraph.classification.library import load_library
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import customer_writes as writes
from custgraph.pipeline.recompute import classify_customers, recompute_all
from tests.classification.conftest import Import
from tests.classification.test_import import tags_of
from tests.classification.test_recompute import CLASSIFIER, dimension, seed, tags

D = date(2024, 6, 15)
BIG_SPENDER = [("2024-06-01", 200_000.0)]  # value:high by rule


async def removals(graph: Graph, cid: str) -> list[tuple[str, str | None, bool]]:
    rows = await graph.read(
        "MATCH (:Customer {id: $id})-[u:UNTAGGED]->(t:Tag) RETURN t.key AS k, u.by AS by, u.at IS NOT NULL AS at "
        "ORDER BY k",
        id=cid,
    )
    return [(r["k"], r["by"], r["at"]) for r in rows]


async def test_a_rule_tag_a_person_removed_stays_away_until_a_person_adds_it(clean_graph: Graph) -> None:
    g = clean_graph
    await seed(g, "X1", orders=BIG_SPENDER, city="苏州")
    await classify_customers(g, ["X1"], as_of=D, classifier=CLASSIFIER)
    assert await dimension(g, "X1", "value") == ["value:high"]
    assert await writes.remove_tags(g, "X1", ["value:high", "event:regular"], "张经理") == 1  # it had one of them
    assert await removals(g, "X1") == [("value:high", "张经理", True)]  # who and when; no fact for a missing tag
    for _ in range(2):
        await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
    assert await dimension(g, "X1", "value") == []  # the rule still holds, the person's removal wins
    assert "region:华东" in await tags(g, "X1")  # the other rule tags are untouched

    await writes.add_tags(g, "X1", [("value:high", "high", "value")], "李主管")
    assert await removals(g, "X1") == []  # adding takes the removal back
    rows = await g.read(
        "MATCH (:Customer {id: 'X1'})-[r:TAGGED]->(:Tag {key: 'value:high'}) RETURN r.by AS by, r.at IS NOT NULL AS at"
    )
    assert rows == [{"by": "李主管", "at": True}]
    await writes.remove_tags(g, "X1", ["value:high"], "张经理")
    await writes.add_tags(g, "X1", [("value:medium", "medium", "value")], "李主管")  # a tier of their own
    await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
    assert await dimension(g, "X1", "value") == ["value:medium"]


async def test_a_removed_tag_is_absent_from_the_tag_filter_and_counts(clean_graph: Graph) -> None:
    from custgraph.graph.repositories.customer_filter import CustomerFilter, TagCondition, build
    from custgraph.graph.repositories.customer_list import count_customers

    g = clean_graph
    for cid in ("X2", "X3"):
        await seed(g, cid, orders=BIG_SPENDER, city="苏州")
    await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
    high = build(CustomerFilter(tags=TagCondition(all=["value:high"])))
    assert await count_customers(g, high) == 2
    await writes.remove_tags(g, "X2", ["value:high"], "张经理")
    await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
    assert await count_customers(g, high) == 1


async def test_a_persons_tier_beside_an_imported_one_leaves_one_tag(clean_graph: Graph, do_import: Import) -> None:
    g = clean_graph
    row = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "苏州", "标签": "高价值"}
    await do_import("crm", "customers", [row])
    (cid,) = [r["id"] for r in await g.read("MATCH (c:Customer) RETURN c.id AS id")]
    assert await dimension(g, cid, "value") == ["value:high"]  # the record's 高价值

    await writes.add_tags(g, cid, [("value:low", "low", "value")], "张经理")
    await classify_customers(g, [cid])  # what addTags does after writing
    assert await dimension(g, cid, "value") == ["value:low"]  # a person's tag outranks the source's
    for n in range(2):  # the record changed: re-resolution rebuilds its edges, then classifies
        await do_import("crm", "customers", [row | {"备注": f"第{n}次更新"}])
        assert await notes(g, cid) == f"第{n}次更新"  # re-resolved
        assert await dimension(g, cid, "value") == ["value:low"]
        await recompute_all(g, as_of=D, classifier=CLASSIFIER, resume=False)
        assert await dimension(g, cid, "value") == ["value:low"]
    kinds = {k: (d, c) for k, d, c in (await tags_of(g))["张伟"]}
    assert kinds["value:low"] == (False, None)  # the person's edge


async def test_an_imported_tag_a_person_removed_stays_away_after_re_import(
    clean_graph: Graph, do_import: Import
) -> None:
    g = clean_graph
    row = {"编号": "1", "姓名": "李娜", "手机": "13912345678", "标签": "高价值，重点客户"}
    await do_import("crm", "customers", [row])
    (cid,) = [r["id"] for r in await g.read("MATCH (c:Customer) RETURN c.id AS id")]
    await writes.remove_tags(g, cid, ["value:high"], "张经理")
    await classify_customers(g, [cid])  # what removeTags does after writing
    await do_import("crm", "customers", [row | {"备注": "更新"}])  # the record names 高价值 again
    assert await notes(g, cid) == "更新"  # re-resolved: the record's edges were rebuilt, then classified
    keys = await tags(g, cid)
    assert "value:high" not in keys and "custom:重点客户" in keys
    assert await dimension(g, cid, "value") == ["value:low"]  # the rules fill the dimension the record no longer holds


async def notes(graph: Graph, cid: str) -> str | None:
    rows = await graph.read("MATCH (c:Customer {id: $id}) RETURN c.notes AS n", id=cid)
    return rows[0]["n"]


def test_the_library_makes_value_exclusive() -> None:
    assert load_library().exclusive("value")  # the tests above rely on it


def test_settle_keeps_one_tag_per_exclusive_dimension_by_precedence() -> None:
    from custgraph.classification.evaluate import settle
    from custgraph.classification.facts import CustomerFacts, TagFact

    library = load_library()
    facts = CustomerFacts(
        id="S1",
        tags=[
            TagFact("value:high", "source"),
            TagFact("value:low", "manual", "2024-06-01T00:00:00+00:00"),
            TagFact("frequency:high", "source", "2024-01-01T00:00:00+00:00"),
            TagFact("frequency:low", "source", "2024-02-01T00:00:00+00:00"),  # the later of two records' tags
            TagFact("risk:churn", "source"),  # not exclusive
            TagFact("event:regular", "source"),
            TagFact("custom:重点", "manual"),
        ],
        removed=frozenset({"event:regular"}),
    )
    kept, dropped = settle(library, facts)
    assert kept == {"value:low", "frequency:low", "risk:churn", "custom:重点"}
    assert dropped == {"value:high", "frequency:high", "event:regular"}
