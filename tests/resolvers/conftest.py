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
    with TestClient(create_app(Settings.from_env())) as client:
        yield client
