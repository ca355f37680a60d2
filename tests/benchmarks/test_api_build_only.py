"""benchmarks/api.py --keep DIR --build-only: the api figure's graph is built beforehand and reused later.

run_all.py --api-keep relies on this: the 1M graph takes most of an hour to build, so it is built at its
own time and measured on the figure's turn. A real embedded server in a temporary directory of its own;
no timing asserted (only that the build's timing keys travel with the graph)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import api  # noqa: E402
from custgraph.graph import embedded  # noqa: E402


def test_build_only_needs_keep() -> None:
    with pytest.raises(SystemExit):
        api.main(["--customers", "10", "--build-only"])


def test_a_graph_built_once_is_reused_with_its_build_timings(tmp_path: Path) -> None:
    keep = tmp_path / "api-graph"
    built = api.main(["--customers", "40", "--keep", str(keep), "--build-only", "--heap", "512m"])
    assert built["customers"] == 40
    assert set(built["setup_seconds"]) == {"customers_s", "edges_s", "search_index_s"}
    assert json.loads((keep / "bench-api.json").read_text()) == {
        "customers": 40,
        "setup_seconds": built["setup_seconds"],
    }
    assert embedded.status(keep)[1] is False  # the build stops the server it started

    again = api.main(["--customers", "40", "--keep", str(keep), "--build-only", "--heap", "512m"])
    assert again["setup_seconds"] == {**built["setup_seconds"], "reused": 1.0}

    with pytest.raises(SystemExit, match="another or an unfinished"):
        api.main(["--customers", "41", "--keep", str(keep), "--build-only", "--heap", "512m"])
