"""`custgraph recompute` through the real CLI against the session graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode, OrderNode
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.service.cli import app as cli

RULES = """
rules:
  - name: fallback
    priority: 0
    when: {}
    assign: {owner: 公共池, role: sales}
"""


def invoke(*args: str) -> tuple[int, str]:
    with crypto.using(crypto.current()):  # the CLI installs the key ring it loads: keep the session's
        result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
async def three_customers(clean_graph: Graph) -> Graph:
    await upsert_nodes(clean_graph, [CustomerNode(id=f"CLI{n}", name=f"客户{n}") for n in range(3)])
    await upsert_nodes(clean_graph, [OrderNode(uid="CLI0|o", order_date="2024-06-01", amount=10.0)])
    await link(clean_graph, "Customer", "PLACED", "Order", [("CLI0", "CLI0|o", {"derived": True})])
    return clean_graph


def test_recompute_as_of_with_an_assignment_file_then_nothing_to_change(three_customers: Graph, tmp_path: Path) -> None:
    rules = tmp_path / "assignment.yaml"
    rules.write_text(RULES, encoding="utf-8")
    code, out = invoke("recompute", "--as-of", "2024-06-15", "--assignment", str(rules), "--batch", "2")
    assert code == 0, out
    assert "as of 2024-06-15: customers=3 changed=3" in out and "owners_set=3" in out
    code, out = invoke("recompute", "--as-of", "2024-06-15", "--assignment", str(rules))
    assert code == 0, out
    assert "customers=3 changed=0" in out


def test_recompute_refuses_a_bad_date_or_file(tmp_path: Path) -> None:
    code, out = invoke("recompute", "--as-of", "15.06.2024")
    assert code == 2 and "YYYY-MM-DD" in out
    bad = tmp_path / "tags.yaml"
    bad.write_text("dimensions: []\nlifecycle: []\n", encoding="utf-8")
    code, out = invoke("recompute", "--tags", str(bad))
    assert code == 2 and "bad classification file" in out
