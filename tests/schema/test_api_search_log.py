"""The search log: every list, search and export is logged with an RX id; admins read it."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from custgraph.graph.connection import Graph, GraphConfig
from custgraph.graph.repositories.search_log import log_search

LOG = """
query Log($user: String, $kind: String, $first: Int! = 50, $after: String, $since: String, $until: String) {
  searchLog(user: $user, kind: $kind, first: $first, after: $after, since: $since, until: $until) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind filter query user role ip at resultCount purpose } }
  }
}
"""


def test_every_list_and_search_is_logged(fresh_world: Graph, api: Any) -> None:
    api.data(
        '{ customers(filter: {industry: ["制造业"]}, first: 2, purpose: "客户回访") { totalCount } }',
        role="manager",
        user="经理甲",
    )
    api.data('{ search(query: "张伟") { score } }', role="manager", user="经理甲")
    api.data("{ customers(first: 1) { totalCount } }", role="rep", user=api.rep)
    entries = [e["node"] for e in api.data(LOG)["searchLog"]["edges"]]
    assert [e["kind"] for e in entries] == ["list", "search", "list"]
    rep_list, search, manager_list = entries
    # the manager's team owns three of the four manufacturers (C000007 has no owner): the log counts those
    assert manager_list["filter"] == {"industry": ["制造业"]} and manager_list["resultCount"] == 3
    assert (manager_list["user"], manager_list["role"], manager_list["purpose"]) == (
        "经理甲",
        "manager",
        "客户回访",
    )
    assert search["query"] == "张伟" and search["filter"] is None and search["resultCount"] >= 1
    assert rep_list["user"] == api.rep and rep_list["resultCount"] == 3 and rep_list["filter"] == {}
    today = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y%m%d")
    for entry in entries:
        assert re.fullmatch(rf"RX{today}\d{{3}}", entry["id"]), entry["id"]
        assert entry["ip"] == "testclient" and entry["at"].endswith("+08:00")
    sequence = [int(e["id"][-3:]) for e in reversed(entries)]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3


def test_filters_and_pages(fresh_world: Graph, api: Any) -> None:
    for _ in range(3):
        api.data("{ customers(first: 1) { totalCount } }", user="甲")
    api.data('{ search(query: "李娜") { score } }', user="乙")
    assert api.data(LOG, {"user": "甲"})["searchLog"]["totalCount"] == 3
    assert api.data(LOG, {"kind": "search"})["searchLog"]["totalCount"] == 1
    first = api.data(LOG, {"first": 2})["searchLog"]
    assert first["pageInfo"]["hasNextPage"] and first["totalCount"] == 4
    rest = api.data(LOG, {"first": 2, "after": first["pageInfo"]["endCursor"]})["searchLog"]
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(ids)) == 4 and not rest["pageInfo"]["hasNextPage"]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    assert api.data(LOG, {"since": today, "until": today})["searchLog"]["totalCount"] == 4
    assert api.data(LOG, {"until": "2000-01-01"})["searchLog"]["totalCount"] == 0
    assert api.errors(LOG, {"since": "yesterday"})[0]["message"] == "since must be YYYY-MM-DD"


def test_a_rep_reads_only_their_own_entries_and_an_auditor_none(fresh_world: Graph, api: Any) -> None:
    api.data("{ customers(first: 1) { totalCount } }", role="rep", user=api.rep)
    api.data("{ customers(first: 1) { totalCount } }", role="rep", user=api.other_rep)
    entries = api.data(LOG, role="rep", user=api.rep)["searchLog"]["edges"]
    assert entries and {e["node"]["user"] for e in entries} == {api.rep}
    body = api.post(LOG, role="auditor", user="审计")
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}


def test_concurrent_workers_get_unique_consecutive_ids(fresh_world: Graph, graph_config: GraphConfig) -> None:
    """Two event loops with their own connections stand for two uvicorn workers logging at once."""

    async def worker(count: int) -> list[str]:
        graph = Graph.connect(graph_config)
        try:
            at = datetime.now(ZoneInfo("Asia/Shanghai"))
            return list(
                await asyncio.gather(
                    *(log_search(graph, kind="search", user="w", result_count=0, at=at) for _ in range(count))
                )
            )
        finally:
            await graph.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        ids = [i for found in pool.map(lambda n: asyncio.run(worker(n)), [15, 15]) for i in found]
    sequence = sorted(int(i[-3:]) for i in ids)
    assert sequence == list(range(1, 31))


def test_concurrent_searches_of_one_worker_share_one_log_write(fresh_world: Graph, graph_config: GraphConfig) -> None:
    """Entries that arrive while a log write is in flight go into one statement, in arrival order."""

    async def worker() -> tuple[list[str], int]:
        graph = Graph.connect(graph_config)
        try:
            at = datetime.now(ZoneInfo("Asia/Shanghai"))
            before = graph.queries_run
            ids = await asyncio.gather(
                *(log_search(graph, kind="search", user=f"u{n}", result_count=n, at=at) for n in range(20))
            )
            return list(ids), graph.queries_run - before
        finally:
            await graph.close()

    ids, writes = asyncio.run(worker())
    assert [int(i[-3:]) for i in ids] == list(range(1, 21))
    assert writes == 1
