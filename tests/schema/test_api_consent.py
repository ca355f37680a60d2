"""Marketing consent: set over the API with its source and date, and a run with purpose ``marketing``
(list, saved search, export) holds only consenting customers."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from custgraph.graph.connection import Graph
from tests.credentials import as_user

CONSENT = """
mutation Consent($id: ID!, $consent: Boolean) {
  updateCustomer(id: $id, input: {consentMarketing: $consent}) {
    __typename ... on CustomerPayload { customer { id consentMarketing consentSource consentDate } }
  }
}
"""
LIST = """
query List($purpose: String, $filter: CustomerFilterInput) {
  customers(first: 50, purpose: $purpose, filter: $filter) { totalCount edges { node { id } } }
}
"""
SAVE = """
mutation Save($input: SavedSearchInput!) {
  createSavedSearch(input: $input) { __typename ... on SavedSearchPayload { savedSearch { id } } }
}
"""
RUN = """
query Run($id: ID!, $purpose: String) {
  runSavedSearch(id: $id, first: 50, purpose: $purpose) { totalCount edges { node { id } } }
}
"""


def ids(page: dict[str, Any]) -> list[str]:
    return sorted(e["node"]["id"] for e in page["edges"])


def consent(api: Any) -> None:
    """C000001 and C000004 consent, C000003 refused, the others never said."""
    for cid, value in (("C000001", True), ("C000004", True), ("C000003", False)):
        result = api.data(CONSENT, {"id": cid, "consent": value})["updateCustomer"]
        assert result["__typename"] == "CustomerPayload", result


def test_consent_is_set_with_its_source_and_date(fresh_world: Graph, api: Any) -> None:
    given = api.data(CONSENT, {"id": "C000001", "consent": True})["updateCustomer"]["customer"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert (given["consentMarketing"], given["consentSource"], given["consentDate"]) == (True, "api", today)
    cleared = api.data(CONSENT, {"id": "C000001", "consent": None})["updateCustomer"]["customer"]
    assert (cleared["consentMarketing"], cleared["consentSource"], cleared["consentDate"]) == (None, None, None)


def test_a_marketing_list_and_saved_search_hold_only_consenting_customers(fresh_world: Graph, api: Any) -> None:
    consent(api)
    everyone = api.data(LIST)["customers"]
    assert everyone["totalCount"] > 3
    marketing = api.data(LIST, {"purpose": "marketing"})["customers"]
    assert ids(marketing) == ["C000001", "C000004"] and marketing["totalCount"] == 2
    campaign = api.data(LIST, {"purpose": "Marketing:spring", "filter": {"region": ["上海市"]}})["customers"]
    assert ids(campaign) == ["C000001"]
    assert api.data(LIST, {"purpose": "客户回访"})["customers"]["totalCount"] == everyone["totalCount"]
    refused = api.data(LIST, {"filter": {"consentMarketing": False}})["customers"]
    assert ids(refused) == ["C000003"]
    # a marketing run can't be widened by asking for the refusals
    both = api.data(LIST, {"purpose": "marketing", "filter": {"consentMarketing": False}})["customers"]
    assert ids(both) == ["C000001", "C000004"]

    saved = api.data(SAVE, {"input": {"name": "全部", "filter": {}}})["createSavedSearch"]["savedSearch"]
    run = api.data(RUN, {"id": saved["id"], "purpose": "marketing"})["runSavedSearch"]
    assert ids(run) == ["C000001", "C000004"]
    assert api.data(RUN, {"id": saved["id"]})["runSavedSearch"]["totalCount"] == everyone["totalCount"]


def test_a_marketing_export_holds_only_consenting_customers(fresh_world: Graph, api: Any) -> None:
    consent(api)
    headers = as_user(api.client, "经理甲", "admin")
    response = api.client.post("/export/customers", json={"purpose": "marketing"}, headers=headers)
    assert response.status_code == 200 and response.headers["X-Total-Count"] == "2"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == ["C000001", "C000004"]
    everything = api.client.post("/export/customers", json={"purpose": "客户回访"}, headers=headers)
    assert int(everything.headers["X-Total-Count"]) > 2
    logged = api.data('{ searchLog(kind: "export") { edges { node { filter purpose } } } }')["searchLog"]["edges"]
    marketing = [e["node"] for e in logged if e["node"]["purpose"] == "marketing"]
    assert json.dumps(marketing[0]["filter"]) == json.dumps({"consentMarketing": True})  # what was really run
