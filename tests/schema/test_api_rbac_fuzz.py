"""RBAC fuzz: hypothesis writes GraphQL queries (lists with filters, search, nested related customers,
source records and their evidence, explanations, review items, import runs, saved searches, the search
log, the quality report) and runs each as a rep and as a manager against one seeded world
(tests/schema/rbac_world.py), in-process. Every answer must hold

- no customer outside the caller's scope (no foreign id anywhere in data or errors),
- no count that reveals one (a total equals what the page lists, with every match on one page),
- no full personal value (every name, mobile, email and national ID of the world is masked),

and a foreign id must answer exactly like a missing one.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custgraph.graph.connection import Graph
from custgraph.schema import schema
from tests.schema import rbac_world as world

EXAMPLES = 1000  # per role, as the Done-when asks
REPS = [world.REP_A, world.REP_B, world.REP_C]
MANAGERS = [world.MANAGER_EAST, world.MANAGER_WEST]
IDS = re.compile(r"C\d{6}")

NESTED = [
    "id",
    "name",
    "mobile",
    "email",
    "phone",
    "contacts { kind value primary }",
    "relatedCustomers { customer { id name mobile } reasons { kind value description } }",
    "sourceRecords { uid fields raw extra resolution { evidence matchedUid rule } }",
    "owners { name }",
    "tags { key }",
    "company { name }",
    "interactions(first: 3) { totalCount }",
]
selections = st.lists(st.sampled_from(NESTED), min_size=1, max_size=5, unique=True).map(" ".join)
tag_keys = st.lists(st.sampled_from([t.key for t in world.TAGS] + ["custom:none"]), min_size=1, max_size=2, unique=True)


def _literal(value: Any) -> str:
    """A GraphQL input literal (keys unquoted)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_literal(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def filters(draw: st.DrawFn) -> str:
    parts: dict[str, Any] = {}
    tags = {k: draw(tag_keys) for k in draw(st.lists(st.sampled_from(["all", "any", "none"]), max_size=2, unique=True))}
    if tags:
        parts["tags"] = tags
    for name, values in (
        ("owner", list(world.USERS)),
        ("channel", world.CHANNELS),
        ("industry", world.INDUSTRIES),
        ("region", world.REGIONS),
    ):
        if draw(st.booleans()):
            parts[name] = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
    if draw(st.booleans()):
        low = draw(st.integers(0, 20)) * 1000
        parts["totalAmount"] = {"min": low, "max": low + draw(st.integers(0, 20)) * 1000}
    return _literal(parts)


every_id = st.sampled_from([p.id for p in world.PEOPLE] + [world.MISSING_ID])
search_text = st.one_of(
    st.sampled_from([p.name for p in world.PEOPLE]),
    st.sampled_from([p.mobile for p in world.PEOPLE]),
    st.sampled_from([p.mobile[-4:] for p in world.PEOPLE]),
    st.sampled_from([p.email for p in world.PEOPLE]),
    st.sampled_from([p.id for p in world.PEOPLE]),
    st.sampled_from([name for _, name in world.COMPANIES]),
    st.text(alphabet="张王李伟芳华为0123456789@.", min_size=1, max_size=8),
)


@st.composite
def queries(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """(query, variables); an ``id`` or ``key`` variable may be a foreign one."""
    kind = draw(st.sampled_from(range(10)))  # uniform over the kinds (integers shrink towards 0)
    if kind <= 2:
        order = draw(st.sampled_from(["ID", "NAME", "TOTAL_AMOUNT", "FIRST_CONTACT"]))
        query = (
            f"{{ customers(first: 100, filter: {draw(filters())}, orderBy: {{field: {order}}}) "
            f"{{ totalCount edges {{ node {{ {draw(selections)} }} }} }} }}"
        )
        return query, {}
    if kind == 3:
        return f"query($id: ID!) {{ customer(id: $id) {{ {draw(selections)} }} }}", {"id": draw(every_id)}
    if kind == 4:
        hit = f"score matchedOn customer {{ {draw(selections)} }}"
        query = f"query($q: String!) {{ search(query: $q, first: 50) {{ {hit} }} }}"
        return query, {"q": draw(search_text)}
    if kind == 5:
        query = """query($id: ID!) { explainCustomer(id: $id) { customerId requestedId
          records { uid fields summary matchedUid matchedRecord { uid fields raw }
            evidence { field valueA valueB comparedWith } }
          goldenFields { field value fromUid } absorbed { id } } }"""
        return query, {"id": draw(every_id)}
    if kind == 6:
        keys = [f"{a}||{b}" for a, b in world.REVIEW_PAIRS]
        if draw(st.booleans()):
            query = """{ reviewQueue(status: ALL, first: 100) { totalCount nodes { key customerA customerB
              recordA { uid fields raw } recordB { uid fields } evidence { field valueA valueB comparedWith } } } }"""
            return query, {}
        query = "query($key: ID!) { reviewItem(key: $key) { key customerA customerB evidence { valueA valueB } } }"
        return query, {"key": draw(st.sampled_from([*keys, "crm|nope||crm|none"]))}
    if kind == 7:
        query = """query($id: ID!) { importRun(id: $id) { id files reportJson reportCsv counts
          issues(first: 50) { row field value reason } } }"""
        return query, {"id": draw(st.sampled_from([world.RUN_ID, "RUN-missing"]))}
    if kind == 8:
        query = (
            "query($id: ID!) { runSavedSearch(id: $id, first: 100) "
            f"{{ totalCount edges {{ node {{ {draw(selections)} }} }} }} }}"
        )
        return query, {"saved": draw(st.integers(0, 100))}
    if draw(st.booleans()):
        return "{ searchLog(first: 100) { totalCount edges { node { user role kind resultCount } } } }", {}
    query = """{ qualityReport { records activeCustomers sources { source records matched }
      recurring { customersMergedRepeatedly { customerId merges } mostChanged { customerId } } } }"""
    return query, {}


@pytest.fixture(scope="module")
async def rbac(graph: Graph) -> dict[str, list[str]]:
    """The seeded world; the saved-search ids of every user."""
    await world.seed(graph)
    return await world.saved_search_ids(graph)


async def answer(graph: Graph, user: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    result = await schema.execute(query, variable_values=variables, context_value=world.context(graph, user))
    return {"data": result.data, "errors": sorted(e.message for e in result.errors or [])}


def _pages(found: Any) -> list[tuple[int, int]]:
    """(totalCount, items listed) of every connection in an answer."""
    pairs = []
    if isinstance(found, dict):
        if "totalCount" in found and ("edges" in found or "nodes" in found):
            pairs.append((found["totalCount"], len(found.get("edges") or found.get("nodes") or [])))
        for value in found.values():
            pairs += _pages(value)
    elif isinstance(found, list):
        for value in found:
            pairs += _pages(value)
    return pairs


async def check(graph: Graph, saved: dict[str, list[str]], user: str, query: str, variables: dict[str, Any]) -> None:
    if "saved" in variables:  # a saved search of the caller's or of anyone else's
        every = sorted(sid for ids in saved.values() for sid in ids)
        variables = {"id": every[variables["saved"] % len(every)]}
    found = await answer(graph, user, query, variables)
    text = json.dumps(found, ensure_ascii=False)
    foreign = set(IDS.findall(text)) - world.allowed_ids(user)
    assert not foreign, (user, query, variables, foreign)
    flat = re.sub(r"[\s-]", "", text)
    leaked = [s for s in world.secrets() if s in text or s in flat]
    assert not leaked, (user, query, variables, leaked)
    if "searchLog" in query:  # it grows with every call: its entries must be the team's (or one's own)
        entries = ((found["data"] or {}).get("searchLog") or {}).get("edges") or []
        role, teams = world.USERS[user]
        users = {user} | (world.team_users(teams) if role == "manager" else set())
        assert {e["node"]["user"] for e in entries} <= users, (user, entries)
        return
    for total, listed in _pages(found["data"]):
        assert total == listed, (user, query, variables, total, listed)  # every page holds all its matches
    asked = variables.get("id") or variables.get("key") or ""
    shown_ids = set(IDS.findall(str(asked)))
    if shown_ids and not shown_ids <= world.allowed_ids(user):
        # a foreign id answers exactly like a missing one
        missing = {k: (world.MISSING_ID if k == "id" else "crm|nope||crm|none") for k in variables}
        expected = await answer(graph, user, query, missing)
        assert found == expected, (user, query, variables)


# Each example is a batch of queries run concurrently, as a portal's page fires them: the server
# works on several at once (and groups their search-log writes), so 1,000 queries per role take about
# a minute on the embedded server, not several.
BATCH = 4
fuzz = settings(
    max_examples=EXAMPLES // BATCH,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
batches = st.lists(queries(), min_size=BATCH, max_size=BATCH)


@fuzz
@given(user=st.sampled_from(REPS), batch=batches)
async def test_rbac_fuzz_as_a_rep(
    rbac: dict[str, list[str]], graph: Graph, user: str, batch: list[tuple[str, dict[str, Any]]]
) -> None:
    await asyncio.gather(*(check(graph, rbac, user, *query) for query in batch))


@fuzz
@given(user=st.sampled_from(MANAGERS), batch=batches)
async def test_rbac_fuzz_as_a_manager(
    rbac: dict[str, list[str]], graph: Graph, user: str, batch: list[tuple[str, dict[str, Any]]]
) -> None:
    await asyncio.gather(*(check(graph, rbac, user, *query) for query in batch))
