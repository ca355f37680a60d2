"""Hygiene over the API: the search log keeps no plaintext identifiers; a refused request is one log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from tests.credentials import app_graph

SEARCH = "query($q: String!) { search(query: $q) { score } }"
SECRETS = ("13812345678", "11010519491231002X", "6222021234567890123", "zhangwei@huawei.com")


def test_the_search_log_keeps_no_plaintext_identifiers(fresh_world: Graph, api: Any, client: TestClient) -> None:
    for text in SECRETS:
        api.data(SEARCH, {"q": f"找 {text}"})
    rows = client.portal.call(  # type: ignore[union-attr]
        app_graph(client).read, "MATCH (l:SearchLog) RETURN properties(l) AS p"
    )
    stored = json.dumps([r["p"] for r in rows], ensure_ascii=False)
    assert len(rows) == len(SECRETS)
    for text in SECRETS:
        assert text not in stored
    assert "138****5678" in stored and "002X" in stored and "z***@huawei.com" in stored


def test_a_refused_request_is_one_line_without_traceback_or_values(
    api_world: Graph, api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # a rep asks for the review queue (managers and admins only) and sends a mobile in a bad variable
    api.post("{ reviewQueue { totalCount } }", role="rep", user=api.rep)
    api.post("query($n: Int!) { customers(first: $n) { totalCount } }", {"n": "13812345678"}, role="rep", user=api.rep)
    refused = [r for r in caplog.records if r.name == "custgraph.refused"]
    assert len(refused) == 2, [r.getMessage() for r in caplog.records]
    for record in refused:
        message = record.getMessage()
        assert message.startswith("refused ") and "\n" not in message
        assert record.exc_info is None and "13812345678" not in message
    others = [r for r in caplog.records if r.name.startswith("strawberry")]
    assert not others, [r.getMessage() for r in others]
