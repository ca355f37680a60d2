"""The audit log: one entry per audited action, the auditLog filter and pages, who may read it, and
that nothing changes an entry once written."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import audit_log

LOG = """
query Audit($filter: AuditLogFilter, $first: Int! = 50, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id at user ip action target before after } }
  }
}
"""


async def all_events(graph: Graph) -> list[dict[str, Any]]:
    await audit_log.flush(graph)
    rows = await graph.read("MATCH (e:AuditEvent) RETURN properties(e) AS p ORDER BY e.at, e.id")
    return [row["p"] for row in rows]


def events(api: Any, **flt: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in api.data(LOG, {"filter": flt or None})["auditLog"]["edges"]]


def test_a_view_is_logged_with_who_and_where(fresh_world: Graph, api: Any) -> None:
    api.data('{ customer(id: "C000001") { id name } }', role="manager", user="经理甲")
    api.data('{ customer(id: "C000002") { id } }', role="rep", user=api.rep)  # not theirs: no view
    (view,) = events(api, action="view")
    assert view["action"] == "view" and view["target"] == "C000001"
    assert (view["user"], view["ip"]) == ("经理甲", "testclient")
    assert view["at"].endswith("+00:00") and view["before"] is None


def test_searches_lists_and_exports_are_logged_against_their_search_log_id(fresh_world: Graph, api: Any) -> None:
    api.data('{ search(query: "张伟") { score } }', role="manager", user="经理甲")
    api.data('{ customers(first: 1, purpose: "客户回访") { totalCount } }', role="manager", user="经理甲")
    response = api.client.get("/export/customers", headers={"X-Role": "manager", "X-User": "m"})
    assert response.status_code == 200
    found = {e["action"]: e for e in events(api, action="search")}
    assert set(found) == {"search", "search.list"}
    assert found["search.list"]["after"] == {"result_count": 5, "purpose": "客户回访"}
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


def test_no_mutation_touches_the_log(fresh_world: Graph, api: Any) -> None:
    mutations = api.data("{ __schema { mutationType { fields { name } } } }")["__schema"]["mutationType"]["fields"]
    assert not [f["name"] for f in mutations if "audit" in f["name"].lower()]
    assert not [name for name in dir(audit_log) if name.startswith(("delete", "update", "remove", "set_"))]
