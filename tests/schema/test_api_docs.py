"""Every example in docs/api.md runs against the app with the seeded world and answers something.

A ``<!-- example: role=… user=… expect=path -->`` comment before a block names the caller and a path
(dotted; into the GraphQL data, or ``rows`` for an export) that must be non-empty. A ```json block
right after a ```graphql block holds its variables.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from tests.credentials import SEED_TEAM, as_user

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
BLOCK = re.compile(r"(?:<!-- example:(?P<meta>[^>]*)-->\s*)?```(?P<lang>graphql|http|json)\n(?P<body>.*?)```", re.S)


@dataclass
class Example:
    lang: str
    body: str
    meta: dict[str, str] = field(default_factory=dict)
    variables: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        first = self.body.strip().splitlines()[0]
        return f"{self.lang}: {first[:60]}"


def examples() -> list[Example]:
    found: list[Example] = []
    for match in BLOCK.finditer(DOC.read_text(encoding="utf-8")):
        lang, body = match["lang"], match["body"]
        if lang == "json":
            assert found and found[-1].lang == "graphql" and found[-1].variables is None, "json must follow graphql"
            found[-1].variables = json.loads(body)
            continue
        meta = dict(part.split("=", 1) for part in (match["meta"] or "").split())
        found.append(Example(lang, body, meta))
    return found


EXAMPLES = examples()


def dig(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def run_http(client: TestClient, example: Example, credential: dict[str, str]) -> list[dict[str, str]]:
    head, _, body = example.body.partition("\n\n")
    request_line, *header_lines = head.strip().splitlines()
    method, target = request_line.split()
    headers = dict(line.split(": ", 1) for line in header_lines)
    assert headers.get("Authorization", "").startswith("Bearer "), "the doc shows how the caller is named"
    headers.update(credential)  # the doc's placeholder replaced by a real credential of the example's user
    response = client.request(method, target, headers=headers, content=body.strip().encode("utf-8") or None)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_doc_has_an_example_for_every_use_case() -> None:
    names = " ".join(e.body for e in EXAMPLES)
    for use_case in ("MorningList", "ChurnRiskManufacturers", "Customer360", "/export/customers", "search("):
        assert use_case in names, use_case


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_runs(api_world: Graph, client: TestClient, example: Example) -> None:
    meta = example.meta
    # a manager of the examples leads the seeded reps' team (tests/schema/conftest.py)
    headers = as_user(client, meta.get("user", "admin"), meta.get("role", "admin"), [SEED_TEAM])
    if example.lang == "http":
        answer: Any = {"rows": run_http(client, example, headers)}
    else:
        body = client.post(
            "/graphql", json={"query": example.body, "variables": example.variables}, headers=headers
        ).json()
        assert "errors" not in body, body["errors"]
        answer = body["data"]
        assert all(
            not isinstance(v, dict) or "__typename" not in v or v["__typename"].endswith("Payload")
            for v in answer.values()
        ), answer
    expect = meta.get("expect")
    if expect:
        assert dig(answer, expect), (expect, answer)
    else:
        assert any(answer.values()), answer
