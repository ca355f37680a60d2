"""Session fixtures: one real embedded graph server (ArcadeDB over Bolt) for the whole test run.

It starts once per pytest session on free ports with a temporary data dir and is stopped at the
end. Tests that need an empty graph ask for ``clean_graph``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from custgraph import crypto
from custgraph.graph import embedded
from custgraph.graph.connection import Graph, GraphConfig
from custgraph.graph.schema import ensure_schema
from tests import credentials
from tests.wipe import wipe


@pytest.fixture(scope="session")
def graph_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("custgraph-data")
    names = ("CUSTGRAPH_DATA_DIR", "NEO4J_URI", "CUSTGRAPH_DATA_KEY_FILE", "CUSTGRAPH_RATE_LIMIT", *credentials.ENV)
    previous = {k: os.environ.get(k) for k in names}
    os.environ["CUSTGRAPH_DATA_DIR"] = str(data_dir)
    # one data key file for every app and import of the session (production apps refuse to start without)
    key_file = data_dir.parent / "session.keys"
    key_file.write_text(crypto.generate_key_line("test") + "\n")
    os.environ["CUSTGRAPH_DATA_KEY_FILE"] = str(key_file)
    os.environ.update(credentials.ENV)  # the apps tests build accept the JWTs of tests/credentials.py
    os.environ.pop("NEO4J_URI", None)  # the tests always use the embedded server
    # one user sends hundreds of requests a second here; tests/service/test_app_limits.py turns it on
    os.environ["CUSTGRAPH_RATE_LIMIT"] = "0"
    embedded.ensure_running(data_dir)
    try:
        yield data_dir
    finally:
        embedded.stop(data_dir)
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def graph_config(graph_data_dir: Path) -> GraphConfig:
    return GraphConfig(uri=None, data_dir=graph_data_dir)


@pytest.fixture(scope="session")
async def graph(graph_config: GraphConfig) -> AsyncIterator[Graph]:
    g = Graph.connect(graph_config)
    await ensure_schema(g)
    try:
        yield g
    finally:
        await g.close()


@pytest.fixture
async def clean_graph(graph: Graph) -> Graph:
    """The session graph, emptied of every node (the schema stays)."""
    await wipe(graph)
    return graph
