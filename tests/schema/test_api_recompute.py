"""The recompute mutation: admins only, as of a date, audited; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from custgraph.graph.connection import Graph

RECOMPUTE = """
mutation($asOf: String) {
  recompute(asOf: $asOf) {
    __typename
    ... on RecomputeRun { runId asOf customers changed lifecycleChanged resumed }
    ... on ValidationError { fields { field message } }
    ... on PermissionDenied { message }
  }
}
"""
VIEW = '{ customer(id: "C000001") { lifecycle tags { key } } }'
AUDIT = '{ auditLog(filter: {action: "recompute"}) { edges { node { user action target } } } }'


def test_admins_recompute_as_of_a_date(fresh_world: Graph, api: Any) -> None:
    run = api.data(RECOMPUTE, {"asOf": "2024-06-15"})["recompute"]
    assert run["__typename"] == "RecomputeRun" and run["asOf"] == "2024-06-15"
    assert run["customers"] == 11 and run["changed"] == 11  # every live seeded customer
    c = api.data(VIEW)["customer"]
    keys = [t["key"] for t in c["tags"]]
    # two orders in six months; the last order (04-20) and call (05-01) older than 30 days; the seeded
    # value:high (from its records) holds the value dimension
    assert {"frequency:medium", "activity:inactive_30d", "industry:制造业", "region:华东"} <= set(keys)
    assert [k for k in keys if k.startswith("value:")] == ["value:high"] and "risk:churn" not in keys
    assert c["lifecycle"] == "customer"
    again = api.data(RECOMPUTE, {"asOf": "2024-06-15"})["recompute"]
    assert again["changed"] == 0 and again["runId"] != run["runId"]
    entries = [e["node"] for e in api.data(AUDIT)["auditLog"]["edges"]]
    assert {e["target"] for e in entries} == {run["runId"], again["runId"]}


def test_only_admins_and_only_dates(fresh_world: Graph, api: Any) -> None:
    for role in ("manager", "rep", "auditor"):
        refused = api.data(RECOMPUTE, {"asOf": "2024-06-15"}, role=role, user=f"{role}1")["recompute"]
        assert refused["__typename"] == "PermissionDenied"
    bad = api.data(RECOMPUTE, {"asOf": "15/06/2024"})["recompute"]
    assert bad["__typename"] == "ValidationError" and bad["fields"][0]["field"] == "asOf"
