"""The audit log: one entry per audited action, the auditLog filter and pages, who may read it, and
that nothing changes an entry once written."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log
from tests.credentials import as_user, bearer, token

LOG = """
query Audit($filter: AuditLogFilter, $first: Int! = 50, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id at user ip action target before after } }
  }
}
"""


async def all_events(graph: Graph, api: Any) -> list[dict[str, Any]]:
    """Every stored event's properties, oldest first (after the app wrote what it queued)."""
    api.data(LOG)  # reading the log flushes the app's queue
    rows = await graph.read("MATCH (e:AuditEvent) RETURN properties(e) AS p ORDER BY e.at, e.id")
    return [row["p"] for row in rows]


def events(api: Any, **flt: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in api.data(LOG, {"filter": flt or None})["auditLog"]["edges"]]


def test_a_view_is_logged_with_who_and_where(fresh_world: Graph, api: Any) -> None:
    api.data('{ customer(id: "C000001") { id name } }', role="admin", user="经理甲")
    api.data('{ customer(id: "C000002") { id } }', role="rep", user=api.rep)  # not theirs: no view
    (view,) = events(api, action="view")
    assert view["action"] == "view" and view["target"] == "C000001"
    assert (view["user"], view["ip"]) == ("经理甲", "testclient")
    api.data('{ customer(id: "C000001") { id } }', role="rep", user=api.rep)  # their own: a view
    assert [e["user"] for e in events(api, action="view")] == [api.rep, "经理甲"]
    assert view["at"].endswith("+00:00") and view["before"] is None


def test_searches_lists_and_exports_are_logged_against_their_search_log_id(fresh_world: Graph, api: Any) -> None:
    api.data('{ search(query: "张伟") { score } }', role="admin", user="经理甲")
    listed = api.data('{ customers(first: 1, purpose: "客户回访") { totalCount } }', role="admin", user="经理甲")
    response = api.client.get("/export/customers", headers=as_user(api.client, "经理甲", "admin"))
    assert response.status_code == 200
    found = {e["action"]: e for e in events(api, action="search")}
    assert set(found) == {"search", "search.list"}
    assert found["search.list"]["after"] == {"result_count": listed["customers"]["totalCount"], "purpose": "客户回访"}
    (export,) = events(api, action="export")
    log_ids = {e["node"]["id"] for e in api.data("{ searchLog { edges { node { id } } } }")["searchLog"]["edges"]}
    assert {found["search"]["target"], found["search.list"]["target"], export["target"]} <= log_ids
    assert export["target"] == response.headers["X-Search-Log-Id"]


def test_filters_and_pages(fresh_world: Graph, api: Any) -> None:
    for cid in ("C000001", "C000003", "C000004"):
        api.data(f'{{ customer(id: "{cid}") {{ id }} }}', user="甲")
    api.data('{ customer(id: "C000002") { id } }', user="乙")
    assert len(events(api, user="甲")) == 3
    assert [e["target"] for e in events(api, target="C000002")] == ["C000002"]
    assert events(api, action="no such action") == []
    first = api.data(LOG, {"first": 2})["auditLog"]
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    assert not first["pageInfo"]["hasPreviousPage"]
    rest = api.data(LOG, {"first": 2, "after": first["pageInfo"]["endCursor"]})["auditLog"]
    assert not rest["pageInfo"]["hasNextPage"] and rest["pageInfo"]["hasPreviousPage"]
    seen = [e["node"]["target"] for e in first["edges"] + rest["edges"]]
    assert seen == ["C000002", "C000004", "C000003", "C000001"]  # newest first, none twice
    at = first["edges"][1]["node"]["at"]
    assert [e["target"] for e in events(api, since=at)] == ["C000002", "C000004"]
    assert [e["target"] for e in events(api, until=at)] == ["C000004", "C000003", "C000001"]
    today = at[:10]
    assert len(events(api, since="2000-01-01", until="2999-12-31")) == 4
    assert events(api, until="2000-01-01") == [] and len(events(api, since=today)) >= 0
    errors = api.errors(LOG, {"filter": {"since": "yesterday"}})
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"
    errors = api.errors(LOG, {"after": "bm90IGEgY3Vyc29y"})
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


def test_only_admins_and_auditors_read_the_log(fresh_world: Graph, api: Any) -> None:
    api.data('{ customer(id: "C000001") { id } }')
    for role in ("rep", "manager"):
        errors = api.errors(LOG, role=role, user=api.rep)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN"
    assert api.data(LOG, role="admin")["auditLog"]["totalCount"] == 1
    assert api.data(LOG, role="auditor", user="审计员")["auditLog"]["totalCount"] == 1


def test_no_mutation_touches_the_log(fresh_world: Graph, api: Any) -> None:
    mutations = api.data("{ __schema { mutationType { fields { name } } } }")["__schema"]["mutationType"]["fields"]
    assert not [f["name"] for f in mutations if "audit" in f["name"].lower()]
    assert not [name for name in dir(audit_log) if name.startswith(("delete", "update", "remove", "set_"))]


PAYLOAD = "{ __typename ... on CustomerPayload { customer { id } } }"
CREATE = f'mutation {{ createCustomer(input: {{name: "新客户", owners: ["周晓明"]}}) {PAYLOAD} }}'


def test_every_change_is_logged_with_before_and_after(fresh_world: Graph, api: Any) -> None:
    tags = sorted(t["key"] for t in api.data('{ customer(id: "C000001") { tags { key } } }')["customer"]["tags"])
    created = api.data(CREATE, user="经理甲", role="admin")["createCustomer"]["customer"]["id"]
    edits = [
        f'updateCustomer(id: "C000001", input: {{lifecycle: "dormant", region: "江苏省"}}) {PAYLOAD}',
        f'addTags(customerId: "C000001", tags: [{{name: "x", dimension: "audit"}}]) {PAYLOAD}',
        f'removeTags(customerId: "C000001", keys: ["audit:x"]) {PAYLOAD}',
        f'assignOwners(customerId: "C000001", owners: ["陈志强"], replace: true) {PAYLOAD}',
        'addInteraction(customerId: "C000001", input: {interactionType: "电话", date: "2024-06-01"}) { __typename }',
        'addOrder(customerId: "C000001", input: {orderId: "A-9", date: "2024-08-01", amount: 10.5}) { __typename }',
    ]
    for edit in edits:
        assert "Payload" in str(api.data(f"mutation {{ {edit} }}", user="经理甲", role="admin"))
    found = {e["action"]: e for e in events(api, user="经理甲")}
    assert set(found) == {"create", "edit", "tag.add", "tag.remove", "owner.assign", "edit.interaction", "edit.order"}
    create = found["create"]
    assert create["target"] == created and create["before"] is None
    assert create["after"]["name"] == "新客户" and create["after"]["owners"] == ["周晓明"]
    edit = found["edit"]
    assert edit["target"] == "C000001" and edit["ip"] == "testclient"
    assert edit["before"] == {"lifecycle": "customer", "region": "上海市"}
    assert edit["after"] == {"lifecycle": "dormant", "region": "江苏省"}
    assert (found["tag.add"]["before"], found["tag.add"]["after"]) == (
        {"tags": tags},
        {"tags": sorted([*tags, "audit:x"])},
    )
    removed = found["tag.remove"]
    # addTags reclassified the customer in between (docs/tags-and-segments.md): compare around audit:x
    assert set(removed["before"]["tags"]) - set(removed["after"]["tags"]) == {"audit:x"}
    assert set(tags) <= set(removed["after"]["tags"])
    assert found["owner.assign"]["before"] == {"owners": ["周晓明"]}
    assert found["owner.assign"]["after"] == {"owners": ["陈志强"]}
    assert found["edit.interaction"]["after"]["last_contact"] == "2024-06-01"
    assert found["edit.order"]["before"]["order_count"] == 5 and found["edit.order"]["after"]["order_count"] == 6
    assert [e["action"] for e in events(api, action="tag")] == ["tag.remove", "tag.add"]
    # an auditor sees who changed what, with the customers' personal values masked as anywhere else
    audited = api.data(LOG, {"filter": {"action": "create"}}, role="auditor", user="审计员")["auditLog"]["edges"]
    assert audited[0]["node"]["after"]["name"] == "新*" and audited[0]["node"]["user"] == "经理甲"


def test_a_refused_change_is_not_logged(fresh_world: Graph, api: Any) -> None:
    denied = api.data(
        f'mutation {{ updateCustomer(id: "C000002", input: {{notes: "x"}}) {PAYLOAD} }}', role="rep", user=api.rep
    )
    assert denied["updateCustomer"]["__typename"] != "CustomerPayload"
    assert events(api, action="edit") == []


async def test_entries_are_never_changed_by_later_actions(fresh_world: Graph, api: Any) -> None:
    api.data('{ customer(id: "C000001") { id } }')
    api.data(f'mutation {{ updateCustomer(id: "C000001", input: {{notes: "一"}}) {PAYLOAD} }}')
    first = await all_events(fresh_world, api)
    assert len(first) == 2
    api.data(f'mutation {{ updateCustomer(id: "C000001", input: {{notes: "二"}}) {PAYLOAD} }}')
    api.data(f'mutation {{ addTags(customerId: "C000001", tags: [{{name: "b", dimension: "a"}}]) {PAYLOAD} }}')
    api.data('{ search(query: "张伟") { score } }')
    later = await all_events(fresh_world, api)
    assert later[: len(first)] == first and len(later) == 5


def test_a_refused_login_is_logged(fresh_world: Graph, api: Any) -> None:
    body = {"query": "{ customers(first: 1) { totalCount } }"}
    stranger = api.client.post("/graphql", json=body, headers=bearer(token("不存在的人")))
    forged = api.client.post("/graphql", json=body, headers=bearer(token("admin", key="x" * 32)))
    assert (stranger.status_code, forged.status_code) == (401, 401)
    refused = events(api, action="login")
    assert [e["action"] for e in refused] == ["login.refused", "login.refused"]
    assert {e["ip"] for e in refused} == {"testclient"} and {e["target"] for e in refused} == {"/graphql"}
    assert "不存在的人" in {e["user"] for e in refused}
    assert all(e["after"]["reason"] and e["after"]["method"] == "jwt" for e in refused)
    assert "x" * 32 not in str(refused)  # the credential itself is never stored
