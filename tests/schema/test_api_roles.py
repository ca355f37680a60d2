"""Roles and scope, end to end on a seeded world (tests/schema/rbac_world.py): each role sees exactly
its customers everywhere — lists, totalCount, search, related customers, explanations, review items,
import runs, saved searches, the search log, the quality report — and masked values only, unless it
is an admin. The context is built as the app builds it after authentication (not through headers).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.schema import schema
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import as_user
from tests.schema import rbac_world as world

IDS = re.compile(r"C\d{6}")
MASKED_ROLES = [world.REP_A, world.REP_C, world.MANAGER_EAST, world.MANAGER_WEST]
CUSTOMER_FIELDS = """
  id name mobile email phone
  contacts { kind value }
  relatedCustomers { customer { id name } reasons { kind value description } }
  sourceRecords { uid fields raw extra resolution { evidence matchedUid } }
"""


@pytest.fixture(scope="module")
async def rbac(graph: Graph) -> Graph:
    await world.seed(graph)
    return graph


async def run(graph: Graph, user: str, query: str, **variables: Any) -> tuple[dict[str, Any] | None, list[str]]:
    result = await schema.execute(query, variable_values=variables, context_value=world.context(graph, user))
    return result.data, [e.message for e in result.errors or []]


async def data(graph: Graph, user: str, query: str, **variables: Any) -> dict[str, Any]:
    found, errors = await run(graph, user, query, **variables)
    assert not errors, errors
    assert found is not None
    return found


def ids_in(answer: Any) -> set[str]:
    return set(IDS.findall(json.dumps(answer, ensure_ascii=False)))


def leaks(answer: Any) -> list[str]:
    """Full personal values of the world found in an answer (spaces and dashes ignored)."""
    text = json.dumps(answer, ensure_ascii=False)
    flat = re.sub(r"[\s-]", "", text)
    return [s for s in world.secrets() if s in text or s in flat]


@pytest.mark.parametrize("user", list(world.USERS))
async def test_the_list_and_its_total_hold_only_the_customers_in_scope(rbac: Graph, user: str) -> None:
    query = f"{{ customers(first: 100) {{ totalCount edges {{ node {{ {CUSTOMER_FIELDS} }} }} }} }}"
    found = (await data(rbac, user, query))["customers"]
    listed = {e["node"]["id"] for e in found["edges"]}
    assert listed == world.visible_live(user)
    assert found["totalCount"] == len(listed)
    assert ids_in(found) <= world.allowed_ids(user)


@pytest.mark.parametrize("user", list(world.USERS))
async def test_filters_and_anchors_keep_to_the_scope(rbac: Graph, user: str) -> None:
    """Filters that start the statement elsewhere (a tag, one owner, one channel) still keep to it."""
    visible = world.visible_live(user)
    cases = {
        '{tags: {all: ["custom:VIP"]}}': {p.id for p in world.PEOPLE if "custom:VIP" in p.tags},
        f'{{owner: ["{world.REP_C}"]}}': {p.id for p in world.PEOPLE if world.REP_C in p.owners},
        '{channel: ["展会"]}': {p.id for p in world.PEOPLE if int(p.id[1:]) % 2 == 0},
        '{tags: {all: ["custom:VIP", "value:high"]}}': {
            p.id for p in world.PEOPLE if {"custom:VIP", "value:high"} <= set(p.tags)
        },
    }
    for flt, matching in cases.items():
        found = await data(
            rbac, user, f"{{ customers(first: 100, filter: {flt}) {{ totalCount edges {{ node {{ id }} }} }} }}"
        )
        listed = {e["node"]["id"] for e in found["customers"]["edges"]}
        assert listed == matching & visible, flt
        assert found["customers"]["totalCount"] == len(listed), flt


@pytest.mark.parametrize("user", list(world.USERS))
async def test_a_foreign_id_answers_exactly_like_a_missing_one(rbac: Graph, user: str) -> None:
    allowed = world.allowed_ids(user)
    missing, _ = await run(rbac, user, "query($id: ID!) { customer(id: $id) { id name } }", id=world.MISSING_ID)
    for p in world.PEOPLE:
        found, errors = await run(rbac, user, "query($id: ID!) { customer(id: $id) { id name } }", id=p.id)
        if p.id in allowed:
            assert found and found["customer"]["id"] == world.survivor(p.id)
        else:
            assert (found, errors) == (missing, []), p.id


@pytest.mark.parametrize("user", list(world.USERS))
async def test_search_finds_only_customers_in_scope(rbac: Graph, user: str) -> None:
    for p in world.PEOPLE[:12]:
        for text in (p.name, p.mobile, p.mobile[-4:], p.email):
            query = "query($q: String!) { search(query: $q, first: 50) { customer { id name mobile } } }"
            hits = (await data(rbac, user, query, q=text))["search"]
            assert ids_in(hits) <= world.visible_live(user), text


async def test_related_customers_never_cross_the_scope(rbac: Graph) -> None:
    """C000001, C000003 and C000005 share a mobile across both teams; each side sees only its own."""
    query = "query($id: ID!) { customer(id: $id) { relatedCustomers { customer { id } reasons { kind value } } } }"
    for user in world.USERS:
        for cid in world.visible_live(user) & set(world.SHARING):
            related = (await data(rbac, user, query, id=cid))["customer"]["relatedCustomers"]
            seen = {r["customer"]["id"] for r in related if any(x["kind"] == "mobile" for x in r["reasons"])}
            assert seen == (set(world.SHARING) - {cid}) & world.visible_live(user), (user, cid)


@pytest.mark.parametrize("user", MASKED_ROLES)
async def test_masked_roles_see_no_full_personal_value_anywhere(rbac: Graph, user: str) -> None:
    answers = [await data(rbac, user, f"{{ customers(first: 100) {{ edges {{ node {{ {CUSTOMER_FIELDS} }} }} }} }}")]
    for cid in sorted(world.visible_live(user)):
        answers.append(await data(rbac, user, f'{{ customer(id: "{cid}") {{ {CUSTOMER_FIELDS} }} }}'))
    assert not leaks(answers)
    shown = answers[0]["customers"]["edges"][0]["node"]
    assert re.fullmatch(r"\d{3}\*{4}\d{4}", shown["mobile"]) and shown["name"].endswith("*")
    raw = shown["sourceRecords"][0]["raw"]
    assert raw["身份证号"].startswith("*" * 14) and raw["客户姓名"].endswith("*")
    evidence = shown["sourceRecords"][0]["resolution"]["evidence"]
    assert {e["field"] for e in evidence} == {"mobile", "full_name", "national_id"}


async def test_an_admin_sees_full_values(rbac: Graph) -> None:
    p = world.PEOPLE[0]
    found = await data(rbac, world.ADMIN, f'{{ customer(id: "{p.id}") {{ {CUSTOMER_FIELDS} }} }}')
    assert (found["customer"]["name"], found["customer"]["mobile"]) == (p.name, p.mobile)
    assert found["customer"]["sourceRecords"][0]["raw"]["身份证号"] == p.national_id


EXPLAIN = """query($id: ID!) { explainCustomer(id: $id) {
  customerId records { uid fields summary matchedUid matchedRecord { uid fields raw }
  evidence { field valueA valueB } } goldenFields { field value } } }"""


@pytest.mark.parametrize("user", [world.MANAGER_EAST, world.MANAGER_WEST, world.ADMIN])
async def test_explanations_keep_to_the_scope_and_mask(rbac: Graph, user: str) -> None:
    allowed = world.allowed_ids(user)
    for p in world.PEOPLE:
        found = (await data(rbac, user, EXPLAIN, id=p.id))["explainCustomer"]
        if p.id not in allowed:
            assert found is None
            continue
        assert found["customerId"] == world.survivor(p.id)
        for record in found["records"]:
            if record["matchedRecord"] is None:  # the matched record is another scope's
                assert all(e["valueB"] is None for e in record["evidence"])
        if user != world.ADMIN:
            assert not leaks(found), p.id


async def test_reps_and_auditors_get_no_steward_view(rbac: Graph) -> None:
    for user in (world.REP_A, world.AUDITOR):
        for query in (EXPLAIN, "query($id: ID!) { importRun(id: $id) { id } }"):
            found, errors = await run(rbac, user, query, id=world.RUN_ID if "importRun" in query else "C000001")
            assert errors and (found is None or not any(found.values()))
        _, errors = await run(rbac, user, "{ reviewQueue(status: ALL) { totalCount } }")
        assert errors


@pytest.mark.parametrize("user", [world.MANAGER_EAST, world.MANAGER_WEST, world.ADMIN])
async def test_review_items_hold_both_records_in_scope(rbac: Graph, user: str) -> None:
    query = """{ reviewQueue(status: ALL, first: 100) { totalCount nodes { key customerA customerB
      recordA { fields } recordB { fields } evidence { valueA valueB } } } }"""
    queue = (await data(rbac, user, query))["reviewQueue"]
    assert {n["key"] for n in queue["nodes"]} == world.review_visible(user)
    assert queue["totalCount"] == len(queue["nodes"])
    for key in (f"{a}||{b}" for a, b in world.REVIEW_PAIRS):
        item = (await data(rbac, user, "query($k: ID!) { reviewItem(key: $k) { key } }", k=key))["reviewItem"]
        assert (item is not None) == (key in world.review_visible(user))
    if user != world.ADMIN:
        assert not leaks(queue)


async def test_a_review_decision_outside_the_scope_is_not_found(rbac: Graph) -> None:
    foreign = next(
        f"{a}||{b}" for a, b in world.REVIEW_PAIRS if f"{a}||{b}" not in world.review_visible(world.MANAGER_WEST)
    )
    mutation = """mutation($k: ID!) { decideReview(key: $k, decision: SEPARATE) {
      __typename ... on NotFoundError { message } } }"""
    found = (await data(rbac, world.MANAGER_WEST, mutation, k=foreign))["decideReview"]
    missing = (await data(rbac, world.MANAGER_WEST, mutation, k="crm|nope||crm|none"))["decideReview"]
    assert found["__typename"] == missing["__typename"] == "NotFoundError"


async def test_import_runs_mask_rejected_values_and_server_paths(rbac: Graph) -> None:
    query = "query($id: ID!) { importRun(id: $id) { files reportJson reportCsv issues { field value reason } } }"
    shown = (await data(rbac, world.MANAGER_EAST, query, id=world.RUN_ID))["importRun"]
    assert shown["files"] == ["客户名单.xlsx"] and shown["reportJson"] == "RUN-rbac-1.json"
    assert not leaks(shown)
    assert "/srv/" not in json.dumps(shown, ensure_ascii=False)
    assert shown["issues"][0]["value"].endswith(world.PEOPLE[2].national_id[-4:])
    # the rows of customers outside the west team's scope are left out; a rejected row belongs to nobody
    west = (await data(rbac, world.MANAGER_WEST, query, id=world.RUN_ID))["importRun"]
    assert [i["field"] for i in west["issues"]] == ["file"]
    assert [i["field"] for i in shown["issues"]] == ["national_id", "mobile", "file"]
    full = (await data(rbac, world.ADMIN, query, id=world.RUN_ID))["importRun"]
    assert full["files"] == ["/srv/custgraph/imports/客户名单.xlsx"]
    assert full["issues"][0]["value"] == world.PEOPLE[2].national_id


@pytest.mark.parametrize("user", list(world.USERS))
async def test_saved_searches_run_within_the_scope(rbac: Graph, user: str) -> None:
    mine = (await world.saved_search_ids(rbac))[user]
    for search_id in mine:
        query = "query($id: ID!) { runSavedSearch(id: $id, first: 100) { totalCount edges { node { id } } } }"
        found = (await data(rbac, user, query, id=search_id))["runSavedSearch"]
        assert {e["node"]["id"] for e in found["edges"]} <= world.visible_live(user)
        assert found["totalCount"] == len(found["edges"])
    others = [sid for name, ids in (await world.saved_search_ids(rbac)).items() if name != user for sid in ids]
    if world.USERS[user][0] != "admin":
        found = await data(rbac, user, "query($id: ID!) { runSavedSearch(id: $id) { totalCount } }", id=others[0])
        assert found["runSavedSearch"] is None


async def test_the_search_log_shows_a_rep_their_own_and_a_manager_their_team(rbac: Graph) -> None:
    for user in world.USERS:  # one logged search each
        await run(rbac, user, '{ search(query: "13900011111") { score } }')
    query = "{ searchLog(first: 100) { totalCount edges { node { user query } } } }"
    for user, expected in (
        (world.REP_A, {world.REP_A}),
        (world.MANAGER_EAST, world.team_users(("east",))),
        (world.ADMIN, set(world.USERS)),
    ):
        log = (await data(rbac, user, query))["searchLog"]
        users = {e["node"]["user"] for e in log["edges"]}
        assert users <= expected and user in users
        if user != world.ADMIN:
            assert all("13900011111" not in (e["node"]["query"] or "") for e in log["edges"])
    _, errors = await run(rbac, world.AUDITOR, query)
    assert errors


async def test_the_quality_report_of_a_manager_counts_the_team_only(rbac: Graph) -> None:
    query = "{ qualityReport { records activeCustomers sources { source records } } }"
    for user in (world.MANAGER_EAST, world.MANAGER_WEST, world.ADMIN):
        report = (await data(rbac, user, query))["qualityReport"]
        assert report["activeCustomers"] == len(world.visible_live(user))
        records = {p.id for p in world.PEOPLE if world.survivor(p.id) in world.visible_live(user)}
        assert report["records"] == len(records)


async def test_auditors_see_no_customer_data(rbac: Graph) -> None:
    found = await data(rbac, world.AUDITOR, "{ customers(first: 100) { totalCount edges { node { id } } } }")
    assert found["customers"] == {"totalCount": 0, "edges": []}
    hits = await data(rbac, world.AUDITOR, f'{{ search(query: "{world.PEOPLE[0].name}") {{ customer {{ id }} }} }}')
    assert hits["search"] == []


UPDATE = """mutation($id: ID!) { updateCustomer(id: $id, input: {notes: "x"}) {
  __typename ... on NotFoundError { message id } ... on PermissionDenied { message } } }"""


async def test_a_rep_editing_a_foreign_customer_is_told_not_found_like_a_missing_one(rbac: Graph) -> None:
    foreign = sorted(set(world.BY_ID) - world.allowed_ids(world.REP_A))[0]
    answer = (await data(rbac, world.REP_A, UPDATE, id=foreign))["updateCustomer"]
    missing = (await data(rbac, world.REP_A, UPDATE, id=world.MISSING_ID))["updateCustomer"]
    assert answer["__typename"] == missing["__typename"] == "NotFoundError"
    assert answer["message"].replace(foreign, "?") == missing["message"].replace(world.MISSING_ID, "?")
    own = sorted(world.visible_live(world.REP_A))[0]
    assert (await data(rbac, world.REP_A, UPDATE, id=own))["updateCustomer"]["__typename"] == "CustomerPayload"


def _export(user: str) -> tuple[int, list[dict[str, str]]]:
    """The CSV export as ``user`` through the app (a real credential: tests/credentials.py)."""
    role, teams = world.USERS[user]
    with TestClient(create_app(Settings.from_env())) as client:
        response = client.post("/export/customers", json={"format": "csv"}, headers=as_user(client, user, role, teams))
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))) if response.is_success else []
        return response.status_code, rows


@pytest.mark.parametrize("user", [world.REP_A, world.AUDITOR, world.MANAGER_EAST, world.MANAGER_WEST, world.ADMIN])
async def test_the_export_holds_the_scope_and_masks(rbac: Graph, user: str) -> None:
    status, rows = await asyncio.to_thread(_export, user)  # the app runs its own event loop and driver
    if world.USERS[user][0] in ("rep", "auditor"):
        assert status == 403
        return
    assert status == 200
    assert {r["客户编号"] for r in rows} == world.visible_live(user)
    assert bool(leaks(rows)) == (user == world.ADMIN)
