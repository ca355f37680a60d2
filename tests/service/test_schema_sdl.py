"""The committed schema.graphql must match the code; regenerate with `make schema`."""

from __future__ import annotations

from pathlib import Path

from custgraph.schema import schema

ROOT = Path(__file__).resolve().parents[2]


def test_committed_sdl_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "schema.graphql is stale: run `make schema`"


def test_customer_is_a_federation_entity() -> None:
    assert 'type Customer @key(fields: "id")' in schema.as_str()
