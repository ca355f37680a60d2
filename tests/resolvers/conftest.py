"""Fixtures for resolver tests that go through HTTP: one app client per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.settings import Settings


@pytest.fixture(scope="module")
def app_client(graph: Graph) -> Iterator[TestClient]:
    """Requests from 127.0.0.1 without a credential: the local admin of development, whose requests
    need no look-up of a user or key (the round-trip counts of these tests stay the resolvers' own)."""
    with TestClient(create_app(Settings.from_env()), client=("127.0.0.1", 50000)) as client:
        yield client
