"""The unmatched pool over GraphQL: listed a page at a time, corrected and matched again, by stewards only."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from custgraph.graph.connection import Graph

POOL = """
query Pool($source: String, $first: Int!, $after: String) {
  unmatchedRecords(source: $source, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { uid source outcome fields raw } }
  }
}
"""
REMATCH = """
mutation Rematch($uid: String!, $fields: JSON!) {
  rematchRecord(uid: $uid, fields: $fields) {
    __typename
    ... on RematchPayload { outcome customerId runId record { uid outcome fields } }
    ... on ValidationError { message fields { field message } }
    ... on NotFoundError { message id }
    ... on PermissionDenied { message }
  }
}
"""
CRM = [
    {"编号": "1", "姓名": "林静", "手机": "13500001234"},
    {"编号": "2", "城市": "上海", "备注": "请回电 13912345678"},  # nothing to match on: the pool
    {"编号": "3", "城市": "杭州"},
]
SHOP = [{"编号": "9", "城市": "北京"}]


async def pool_world(importer) -> None:
    await importer(CRM)
    await importer(SHOP, source="shop")


async def audit(graph: Graph, action: str) -> list[dict[str, Any]]:
    rows = await graph.read("MATCH (e:AuditEvent {action: $a}) RETURN properties(e) AS p", a=action)
    return [row["p"] for row in rows]


async def test_res_pool_pages_by_cursor_and_filters_by_source(clean_graph: Graph, importer, gql) -> None:
    await pool_world(importer)
    first = (await gql(POOL, first=2))["unmatchedRecords"]
    assert first["totalCount"] == 3 and first["pageInfo"]["hasNextPage"]
    assert [e["node"]["uid"] for e in first["edges"]] == ["crm|2", "crm|3"]
    assert {e["node"]["outcome"] for e in first["edges"]} == {"unmatched"}
    rest = (await gql(POOL, first=2, after=first["pageInfo"]["endCursor"]))["unmatchedRecords"]
    assert [e["node"]["uid"] for e in rest["edges"]] == ["shop|9"] and not rest["pageInfo"]["hasNextPage"]

    shop = (await gql(POOL, source="shop", first=10))["unmatchedRecords"]
    assert shop["totalCount"] == 1 and [e["node"]["source"] for e in shop["edges"]] == ["shop"]
    # a cursor of the whole pool is refused by one source's list rather than giving a wrong page
    refused = await gql(POOL, source="shop", first=2, after=first["pageInfo"]["endCursor"], errors=True)
    assert "cursor" in refused["errors"][0]


async def test_res_only_stewards_see_the_pool_and_values_are_masked(clean_graph: Graph, importer, gql) -> None:
    await pool_world(importer)
    for role in ("rep", "auditor"):
        denied = await gql(POOL, first=5, role=role, user="rita", errors=True)
        assert denied["errors"] == ["only managers and admins may do this"]
    admin = (await gql(POOL, first=1))["unmatchedRecords"]["edges"][0]["node"]
    manager = (await gql(POOL, first=1, role="manager", user="mia"))["unmatchedRecords"]["edges"][0]["node"]
    assert "13912345678" in str(admin["raw"]) and "13912345678" in str(admin["fields"])
    shown = str(manager["fields"]) + str(manager["raw"])
    assert "13912345678" not in shown and "5678" in shown and "上海" in shown


async def test_res_rematch_corrects_and_matches_again(clean_graph: Graph, importer, gql) -> None:
    await pool_world(importer)
    [row] = await clean_graph.read("MATCH (s:SourceRecord {uid: 'crm|1'}) RETURN s.customer_id AS id")
    customer = row["id"]
    header = (await gql(REMATCH, uid="crm|2", fields={"姓名": "林静"}))["rematchRecord"]
    assert header["__typename"] == "ValidationError"  # 姓名 is a source's header, not a field

    done = (await gql(REMATCH, uid="crm|2", fields={"name": "林静", "mobile": "135 0000 1234"}))["rematchRecord"]
    assert done["__typename"] == "RematchPayload", done
    assert (done["outcome"], done["customerId"]) == ("matched", customer)
    assert done["record"]["uid"] == "crm|2" and done["record"]["fields"]["mobile"] == "+8613500001234"
    stored = await clean_graph.read(
        "MATCH (s:SourceRecord {uid: 'crm|2'})-[:RESOLVED_TO]->(c:Customer) RETURN c.id AS id, s.raw_json AS raw"
    )
    assert stored[0]["id"] == customer and "上海" in stored[0]["raw"]  # the uncorrected cells stay
    assert (await gql(POOL, first=5))["unmatchedRecords"]["totalCount"] == 2
    [entry] = await audit(clean_graph, "rematch")
    assert (entry["target"], entry["user"]) == ("crm|2", "alice")
    assert done["runId"] in entry["after"] and "+86" not in entry["before"]

    again = (await gql(REMATCH, uid="crm|2", fields={"name": "林静"}))["rematchRecord"]
    assert again["__typename"] == "NotFoundError" and "unmatched pool" in again["message"]


async def test_res_rematch_refuses_bad_fields_and_changes_nothing(clean_graph: Graph, importer, gql) -> None:
    await pool_world(importer)
    cases = {
        "mobile": {"mobile": "12"},
        "birth_date": {"birth_date": "1980-02-30"},
        "shoe_size": {"shoe_size": "42"},
        "email": {"email": {"nested": True}},
    }
    for field, fields in cases.items():
        refused = (await gql(REMATCH, uid="crm|3", fields=fields))["rematchRecord"]
        assert refused["__typename"] == "ValidationError", refused
        assert refused["fields"][0]["field"] == field and refused["message"].startswith(f"{field}: ")
    still = await clean_graph.read("MATCH (s:SourceRecord {uid: 'crm|3'}) RETURN s.outcome AS o, s.history_json AS h")
    assert still[0]["o"] == "unmatched" and still[0]["h"] in (None, "[]")
    assert await audit(clean_graph, "rematch") == []


async def test_res_rematch_by_role_and_scope(clean_graph: Graph, importer, gql) -> None:
    await pool_world(importer)
    rep = (await gql(REMATCH, uid="crm|2", fields={"name": "林静"}, role="rep", user="rita"))["rematchRecord"]
    assert rep["__typename"] == "PermissionDenied"
    # a manager corrects the record; the customer it joins is not theirs: outcome only, no customer
    done = (await gql(REMATCH, uid="crm|2", fields={"mobile": "13500001234"}, role="manager", user="mia"))[
        "rematchRecord"
    ]
    assert done["__typename"] == "RematchPayload"
    assert (done["outcome"], done["customerId"], done["record"]) == ("matched", None, None)


async def test_res_pool_workbook_round_trip(clean_graph: Graph, importer, run_cli, tmp_path: Path) -> None:
    """Export the pool, correct one row, import the sheet back: same uids, the corrected row re-matched,
    the untouched one skipped as unchanged."""
    await pool_world(importer)
    out = tmp_path / "pool.xlsx"
    printed = await run_cli("review", "unmatched", "--out", str(out))
    assert "wrote 3 record(s)" in printed and f"custgraph import {out} --source crm --sheet 'crm'" in printed
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # personal data: owner-only like the reports

    workbook = load_workbook(out)
    assert workbook.sheetnames == ["crm", "shop"]
    sheet = workbook["crm"]
    header = [c.value for c in sheet[1]]
    assert header[0] == "source_key" and {"name", "mobile", "city", "notes"} <= set(header)
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["2"]["city"] == "上海" and rows["2"]["notes"] == "请回电 13912345678" and rows["2"]["name"] is None
    line = next(i for i, r in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2) if r[0] == "2")
    sheet.cell(line, header.index("name") + 1, "林静")
    sheet.cell(line, header.index("mobile") + 1, "135-0000-1234")
    workbook.save(out)

    before = await clean_graph.read("MATCH (s:SourceRecord) RETURN count(s) AS n")
    summary = await run_cli("import", str(out), "--source", "crm", "--sheet", "crm")
    assert "unchanged=1" in summary and "matched=1" in summary, summary
    after = await clean_graph.read("MATCH (s:SourceRecord) RETURN count(s) AS n")
    assert after == before  # the same keys: the same records, none added
    placed = {
        r["uid"]: (r["customer"], r["outcome"])
        for r in await clean_graph.read(
            "MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS customer, s.outcome AS outcome"
        )
    }
    assert placed["crm|2"] == (placed["crm|1"][0], "matched")
    assert placed["crm|3"] == (None, "unmatched") and placed["shop|9"] == (None, "unmatched")
    exported = await audit(clean_graph, "export")
    assert [(e["target"], '"records": 3' in e["after"]) for e in exported] == [("unmatched", True)]
