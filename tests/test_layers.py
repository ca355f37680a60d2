"""The layers keep to their jobs: ingest/ only reads, maps and validates; only graph/ speaks Cypher.

Checked on the source itself (ast), so a shortcut taken anywhere fails here rather than in review.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import custgraph

PACKAGE = Path(custgraph.__file__).resolve().parent
# what ingest/ may not depend on: the use case that calls it, the graph, the steward features
NOT_FROM_INGEST = ("custgraph.pipeline", "custgraph.resolution", "custgraph.graph")
# a clause that opens a pattern, an UNWIND of a parameter, or a statement only a graph database knows
CYPHER = re.compile(
    r"\b(?:OPTIONAL\s+MATCH|MATCH|MERGE|CREATE)\s*\(|\bUNWIND\s+\$|\bDETACH\s+DELETE\b|\bSHOW\s+(?:CONSTRAINTS|INDEXES)\b"
    r"|\bCREATE\s+(?:CONSTRAINT|INDEX)\b"
)
# the driver's and the Graph wrapper's query methods
QUERY_METHODS = {"read", "write", "write_batches", "execute_query", "run"}
GRAPH_NAMES = {"graph", "driver", "session", "tx", "g"}


def modules(under: Path) -> Iterator[Path]:
    yield from sorted(under.rglob("*.py"))


def imported(tree: ast.AST, path: Path) -> Iterator[str]:
    """Every module a file imports, anywhere in it (also inside functions), resolved to its full name."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, str(text)


def query_calls(tree: ast.AST) -> Iterator[int]:
    """Lines calling graph.read / driver.execute_query / session.run and the like."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in QUERY_METHODS:
            continue
        receiver = node.func.value
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
        if node.func.attr in ("write_batches", "execute_query") or name in GRAPH_NAMES:
            yield node.lineno


@pytest.mark.parametrize("path", list(modules(PACKAGE / "ingest")), ids=lambda p: p.name)
def test_ingest_imports_nothing_from_the_layers_that_use_it(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = sorted({name for name in imported(tree, path) if name.startswith(NOT_FROM_INGEST)})
    assert not bad, f"{path.relative_to(PACKAGE.parent)} imports {bad}: ingest/ only reads, maps and validates"


def outside_graph() -> list[Path]:
    return [p for p in modules(PACKAGE) if (PACKAGE / "graph") not in p.parents]


@pytest.mark.parametrize("path", outside_graph(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_graph_holds_cypher(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"line {line}: {text.strip()[:80]!r}" for line, text in strings(tree) if CYPHER.search(text)]
    found += [f"line {line}: a query call" for line in query_calls(tree)]
    assert not found, f"{path.relative_to(PACKAGE.parent)} holds Cypher (it belongs in graph/): {found}"


def test_the_checks_see_cypher_and_layer_imports() -> None:
    """The rules above must catch what they look for, or they prove nothing."""
    sample = ast.parse(
        "from custgraph.graph.connection import Graph\n"
        "from ..pipeline import run\n"
        "Q = 'UNWIND $rows AS row MATCH (s:SourceRecord {uid: row.uid}) RETURN s'\n"
        "async def f(graph):\n"
        "    await graph.read(f'MERGE (n:{label} {{key: $k}})')\n"
    )
    fake = PACKAGE / "ingest" / "sample.py"
    names = set(imported(sample, fake))
    assert "custgraph.graph.connection" in names and "custgraph.pipeline" in names
    assert {line for line, text in strings(sample) if CYPHER.search(text)} == {3, 5}
    assert list(query_calls(sample)) == [5]
    assert not CYPHER.search("Create a customer (or match an existing one)")
