"""The embedded server launcher: reuse, status, stop and restart with the data kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from custgraph.graph import embedded
from custgraph.graph.connection import Graph, GraphConfig


def test_second_process_reuses_the_running_server(graph_data_dir: Path) -> None:
    first = embedded.read_state(graph_data_dir)
    assert first is not None
    again = embedded.ensure_running(graph_data_dir)
    assert again.pid == first.pid and again.bolt_port == first.bolt_port


def test_cli_reuses_server_and_reports_status(graph_data_dir: Path) -> None:
    info = embedded.read_state(graph_data_dir)
    assert info is not None
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(graph_data_dir)}
    env.pop("NEO4J_URI", None)
    cli = [sys.executable, "-m", "custgraph.service.cli"]
    started = subprocess.run([*cli, "db", "start"], env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    shown = subprocess.run([*cli, "db", "status"], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert f"pid={info.pid}" in shown.stdout and "running" in shown.stdout
    assert embedded.read_state(graph_data_dir) == info  # no second server on the same dir


def test_status_of_an_empty_dir_is_stopped(tmp_path: Path) -> None:
    info, alive = embedded.status(tmp_path)
    assert info is None and not alive
    assert embedded.stop(tmp_path) is False


@pytest.mark.slow
async def test_restart_keeps_the_data(tmp_path: Path) -> None:
    config = GraphConfig(uri=None, data_dir=tmp_path)
    graph = Graph.connect(config)
    await graph.write("CREATE (:Customer {id: 'C-restart', name: '重启测试'})")
    await graph.close()
    first = embedded.read_state(tmp_path)
    assert first is not None
    assert embedded.stop(tmp_path) is True
    assert embedded.status(tmp_path) == (None, False)

    graph = Graph.connect(config)  # starts a new server process on the same data dir
    try:
        second = embedded.read_state(tmp_path)
        assert second is not None and second.pid != first.pid
        rows = await graph.read("MATCH (c:Customer {id: 'C-restart'}) RETURN c.name AS name")
        assert rows == [{"name": "重启测试"}]
    finally:
        await graph.close()
        embedded.stop(tmp_path)


def test_heap_size_comes_from_the_argument_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(embedded.HEAP_ENV, raising=False)
    assert embedded.heap_size() == "1g"
    monkeypatch.setenv(embedded.HEAP_ENV, "6G")
    assert embedded.heap_size() == "6g"
    assert embedded.heap_size("512m") == "512m"
    for bad in ("lots", "4gb", "0g", "-1g"):
        monkeypatch.setenv(embedded.HEAP_ENV, bad)
        with pytest.raises(embedded.EmbeddedServerError, match="CUSTGRAPH_GRAPH_HEAP"):
            embedded.heap_size()


def test_page_cache_comes_from_the_environment_and_must_fit_in_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(embedded.PAGE_CACHE_ENV, raising=False)
    assert embedded.page_cache_size("4g") is None  # ArcadeDB's default: a quarter of the heap
    monkeypatch.setenv(embedded.PAGE_CACHE_ENV, "3G")
    assert embedded.page_cache_size("4g") == "3g"
    command = embedded._command(Path("/pkg"), Path("/root"), Path("/pw"), 1, 2, "4g", "3g")
    assert "-Darcadedb.maxPageRAM=3072" in command  # ArcadeDB reads the setting in megabytes
    default = embedded._command(Path("/pkg"), Path("/root"), Path("/pw"), 1, 2, "4g", None)
    assert not any("maxPageRAM" in arg for arg in default)
    for bad, reason in (("4g", "smaller than the heap"), ("5000m", "smaller than the heap"), ("lots", "not a size")):
        monkeypatch.setenv(embedded.PAGE_CACHE_ENV, bad)
        with pytest.raises(embedded.EmbeddedServerError, match=reason):
            embedded.page_cache_size("4g")
