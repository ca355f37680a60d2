"""The import's statements find their nodes through an index, never by scanning a label (PROFILE on the
server), so a batch costs the same in an empty graph and in one with millions of records.

Each statement runs once (PROFILE executes it) against a small graph where its MATCHes find something:
ArcadeDB names the index of every step that ran ("MATCH NODE (s:SourceRecord) [index: SourceRecord[uid]]").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import profiles, records, resolution, runs, search_index
from custgraph.graph.schema import ensure_schema
from custgraph.matching.rules import load_rules

LABEL_SCAN = "NodeByLabelScan"
# a MATCH step without the index it went through
UNINDEXED = re.compile(r"MATCH NODE \([^)]*:\w+\)(?! \[index:)")
# Label scans allowed, and why they do not grow with the data
ALLOWED_SCANS = {
    # training's sample of resolved records: LIMIT-bounded, it stops after the first 20k it meets
    "sample_resolved",
}

SEED = """
CREATE (s:SourceRecord {uid: 'crm|1', source: 'crm', customer_id: 'C000001', outcome: 'new', fields_json: '{}',
                        bk_full_name: 'zhang wei', seq: 1})
CREATE (s2:SourceRecord {uid: 'crm|2', source: 'crm', customer_id: 'C000002', outcome: 'new', seq: 2})
CREATE (s)-[:HAS_MOBILE {raw: ''}]->(:Mobile {value: '+8613812345678'})
CREATE (c:Customer {id: 'C000001', origin: 'resolution'})
CREATE (c2:Customer {id: 'C000002', origin: 'resolution'})
CREATE (s)-[:RESOLVED_TO {outcome: 'new'}]->(c)
CREATE (s2)-[:RESOLVED_TO {outcome: 'new'}]->(c2)
CREATE (c)-[:HAS_KEY]->(:SearchKey {key: 'n:张伟'})
CREATE (c)-[:OWNED_BY {derived: true}]->(:Owner {name: '王五'})
CREATE (:ReviewItem {key: 'crm|1||crm|2', uid_a: 'crm|1', uid_b: 'crm|2', decision: 'SEPARATE'})
CREATE (:ImportRun {id: 'IR1', source: 'crm', status: 'running', customers_in_flight: ['C000002']})
"""

UID = "crm|1"
ROW = {"uid": UID, "id": "C000001", "customer_id": "C000001", "key": "n:张伟", "value": "+8613812345678", "raw": ""}
RESOLUTION = {
    **ROW,
    "outcome": "new",
    "score": 0.0,
    "rule": "x",
    "matched_uid": None,
    "evidence_json": "[]",
    "content_hash": "h",
}
MERGE = {"survivor": "C000001", "absorbed": "C000002", "reason": "test"}

Statement = Callable[[], tuple[str, dict[str, Any]]]


def per_key_body(query: str) -> str:
    """The body of ``UNWIND $keys AS k CALL (k) { ... }``, for one key given as ``$k``."""
    body = query[query.index("{") + 1 : query.rindex("}")].strip()
    return body.replace("= k ", "= $k ")


STATEMENTS: dict[str, Statement] = {
    "existing records": lambda: (records.EXISTING, {"uids": [UID]}),
    "update records": lambda: (records.UPDATE, {"rows": [{"uid": UID, "props": {}}]}),
    "detach identifiers": lambda: (records.DETACH_IDENTIFIERS, {"uids": [UID], "types": ["HAS_MOBILE"]}),
    "link identifiers": lambda: (records.link_identifiers_query("Mobile", "HAS_MOBILE"), {"rows": [ROW]}),
    "placements": lambda: (
        "UNWIND $uids AS u MATCH (s:SourceRecord {uid: u}) RETURN s.uid AS uid, s.customer_id AS customer_id",
        {"uids": [UID]},
    ),
    "candidates": lambda: (resolution.candidates_statement("full_name", capped=False), {"keys": ["zhang wei"]}),
    # ArcadeDB's profile does not open a CALL subquery: its body is profiled for one key instead
    "candidates (oldest per key)": lambda: (
        per_key_body(resolution.candidates_statement("full_name", capped=True)),
        {"k": "zhang wei", "cap": 100},
    ),
    "identifier counts": lambda: (
        "UNWIND $values AS v MATCH (i:Mobile {value: v})<-[:HAS_MOBILE]-(s:SourceRecord) "
        "RETURN v AS value, count(s) AS n",
        {"values": [ROW["value"]]},
    ),
    "records of customers": lambda: (
        f"UNWIND $ids AS id MATCH (s:SourceRecord {{customer_id: id}}) RETURN {resolution.CANDIDATE_COLUMNS}",
        {"ids": ["C000001"]},
    ),
    "remaining records": lambda: (
        "UNWIND $ids AS id MATCH (s:SourceRecord {customer_id: id}) WHERE NOT s.uid IN $excluding "
        "RETURN id, count(s) AS n",
        {"ids": ["C000001"], "excluding": []},
    ),
    "decisions (a)": lambda: (
        "UNWIND $uids AS u MATCH (r:ReviewItem {uid_a: u}) WHERE r.decision IS NOT NULL RETURN r.uid_a AS a",
        {"uids": [UID]},
    ),
    "decisions (b)": lambda: (
        "UNWIND $uids AS u MATCH (r:ReviewItem {uid_b: u}) WHERE r.decision IS NOT NULL RETURN r.uid_a AS a",
        {"uids": ["crm|2"]},
    ),
    "detach resolution": lambda: (resolution.DETACH_RESOLUTION, {"rows": [ROW]}),
    "link resolution": lambda: (resolution.LINK_RESOLUTION, {"rows": [RESOLUTION], "now": "t"}),
    "set unmatched": lambda: (resolution.SET_UNMATCHED, {"rows": [RESOLUTION], "now": "t"}),
    "merge customers": lambda: (resolution.MERGE_CUSTOMERS, {"rows": [MERGE], "now": "t"}),
    "move records": lambda: (resolution.MOVE_RECORDS, {"rows": [{**MERGE, "absorbed": "C000001"}], "now": "t"}),
    "drop orphans": lambda: (resolution.DROP_ORPHANS, {"ids": ["C000002"]}),
    "drop derived": lambda: (profiles.DROP_DERIVED, {"rows": [ROW]}),
    "set profile": lambda: (profiles.SET_PROPS, {"rows": [{"id": "C000001", "props": {"name": "张伟"}}]}),
    "link owner": lambda: (profiles.LINK_OWNER, {"rows": [{"id": "C000001", "key": "王五", "props": {}}]}),
    "create owner link": lambda: (profiles.CREATE_OWNER, {"rows": [{"id": "C000001", "key": "王五", "props": {}}]}),
    "create customer with keys": lambda: (
        profiles.CREATE_CUSTOMERS,
        {"rows": [{"props": {"id": "C000003"}, "keys": ["n:张伟"]}]},
    ),
    "manual overrides": lambda: (profiles.MANUAL_OVERRIDES, {"ids": ["C000001"]}),
    "search fields": lambda: (search_index.FIELDS_OF, {"ids": ["C000001"]}),
    "drop search keys": lambda: (search_index.DROP_KEYS, {"rows": [ROW]}),
    "link search keys": lambda: (search_index.LINK_KEYS, {"rows": [{"id": "C000001", "keys": ["n:张伟"]}]}),
    "unfinished runs": lambda: (runs.UNFINISHED_IN_FLIGHT, {"statuses": list(runs.UNFINISHED)}),
    "interrupted runs": lambda: (
        "MATCH (r:ImportRun {status: 'running'}) WHERE r.source = $source RETURN r.id AS id",
        {"source": "crm"},
    ),
    "sample_resolved": lambda: (
        f"MATCH (s:SourceRecord) WHERE s.outcome IS NOT NULL RETURN {resolution.CANDIDATE_COLUMNS} LIMIT $limit",
        {"limit": 5},
    ),
}


async def profile(graph: Graph, query: str, params: dict[str, Any]) -> str:
    async with graph.driver.session(database=graph.database) as session:
        result = await session.run(f"PROFILE {query}", params)
        summary = await result.consume()
    plan = summary.profile or summary.plan or {}
    return str(plan.get("args", {}).get("string-representation") or plan)


@pytest.mark.parametrize("name", list(STATEMENTS))
async def test_import_statements_go_through_an_index(clean_graph: Graph, name: str) -> None:
    await ensure_schema(clean_graph, [rule.name for rule in load_rules().blocking])
    await clean_graph.write(SEED)
    query, params = STATEMENTS[name]()
    plan = await profile(clean_graph, query, params)
    if name in ALLOWED_SCANS:
        return
    assert LABEL_SCAN not in plan, plan
    # the step ran (traditional plan) or the optimizer seeks an index: the check below means something
    assert "MATCH NODE" in plan or re.search(r"Node\w*IndexSeek", plan), plan
    assert not UNINDEXED.search(plan), plan
