"""The bookkeeping that lets benchmarks/run_all.py --resume continue a run killed with its session.

Pure code: no graph server, no timing asserted (the seconds below are planted file times)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import run_all  # noqa: E402

PARAMS = {
    "n": 1_000_000,
    "repeats": 1,
    "seed": 1,
    "namesake_rate": 0.05,
    "splink_n": 0,
    "false_merge_n": 0,
    "api_customers": 0,
    "api_requests": 500,
    "single_requests": 200,
    "file_rows": 100_000,
    "graph_heap": "4g",
    "graph_page_cache": "",
    "only": "",
}


def test_resume_refuses_other_parameters_and_names_them() -> None:
    previous = {"n": 1_000_000, "params": dict(PARAMS), "figures": {}}
    assert run_all.resume_refusal(previous, {**PARAMS, "only": "api", "timeout": 60}) is None
    refusal = run_all.resume_refusal(previous, {**PARAMS, "n": 20_000, "seed": 2})
    assert refusal is not None and "n was 1000000, now 20000" in refusal and "seed was 1, now 2" in refusal
    assert run_all.resume_refusal({"params": "x"}, PARAMS) == "it is not a run_all.py results file"


def test_a_results_file_from_before_file_rows_resumes_at_the_default() -> None:
    old = {k: v for k, v in PARAMS.items() if k not in ("file_rows", "graph_page_cache")}
    assert run_all.resume_refusal({"params": old, "figures": {}}, PARAMS) is None
    assert run_all.resume_refusal({"params": old, "figures": {}}, {**PARAMS, "file_rows": 500}) is not None
    assert run_all.resume_refusal({"params": old, "figures": {}}, {**PARAMS, "graph_page_cache": "3g"}) is not None


def test_only_missing_and_failed_runs_are_run_again() -> None:
    figures = {
        "end_to_end": {"runs": [{"minutes": 9.0}, {"error": "TimeoutError: killed"}]},
        "f1_namesakes": {"runs": [{"f1": 0.97}]},
        "single_record": {"runs": []},
    }
    names = ["end_to_end", "f1_namesakes", "single_record"]
    assert run_all.pending(figures, names, 2) == [
        (0, ["single_record"]),
        (1, ["end_to_end", "f1_namesakes", "single_record"]),
    ]
    assert not run_all.is_complete(figures, 2)

    run_all.record_run(figures["end_to_end"], 1, {"minutes": 11.0})
    assert figures["end_to_end"]["runs"] == [{"minutes": 9.0}, {"minutes": 11.0}]  # the error replaced in place
    assert "errors" not in figures["end_to_end"]
    assert figures["end_to_end"]["summary"]["minutes"] == {"min": 9.0, "median": 10.0, "max": 11.0}

    run_all.record_run(figures["single_record"], 0, {"error": "RuntimeError: no call succeeded"})
    assert figures["single_record"]["errors"] == ["RuntimeError: no call succeeded"]
    assert run_all.pending(figures, names, 2)[0] == (0, ["single_record"])  # an error is run again


def test_json_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    run_all.write_json_atomic(out, {"complete": False})
    run_all.write_json_atomic(out, {"complete": True, "name": "客户"})
    assert json.loads(out.read_text(encoding="utf-8")) == {"complete": True, "name": "客户"}
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temp file left


def _row(file: str, seconds: float) -> dict:
    return {"file": file, "source": "crm_export", "rows": 1000, "seconds": seconds, "rows_per_s": 1000 / seconds}


def test_import_progress_survives_a_kill_and_adds_the_killed_attempt(tmp_path: Path) -> None:
    params = {"n": 3000, "seed": 1, "dup_rate": 0.3, "namesake_rate": 0.05, "file_rows": 1000}
    path, graph = tmp_path / "progress.json", tmp_path / "graph"
    (graph / "arcadedb").mkdir(parents=True)
    progress = run_all.ImportProgress(path, params)
    progress.generated(12.5)
    assert progress.server_started(3.0) == 3.0
    progress.begin("a.csv", tmp_path / "import-001.log")
    progress.finish(_row("a.csv", 10.0), server_rss_mb=700.0)
    log = tmp_path / "import-002.log"
    log.write_text("started\n")
    progress.begin("b.csv", log)
    # killed here; planted times: the attempt started 100 s ago, the graph's files last written 40 s ago
    started = time.time() - 100
    progress.running["started_at"] = started
    progress.save()
    os.utime(log, (started, started))
    (graph / "arcadedb" / "bucket").write_text("x")
    os.utime(graph / "arcadedb" / "bucket", (started + 60, started + 60))
    os.utime(graph / "arcadedb", (started + 30, started + 30))  # the directory's own time counts too

    assert run_all.ImportProgress.load(path, {**params, "n": 4000}) is None  # another dataset: not continued
    resumed = run_all.ImportProgress.load(path, params)
    assert resumed is not None
    assert resumed.generate_seconds == 12.5 and resumed.done("a.csv") == _row("a.csv", 10.0)
    assert resumed.done("b.csv") is None
    resumed.account_killed_attempt(graph)
    assert resumed.killed == {"b.csv": [pytest.approx(60.0, abs=0.01)]}
    assert (tmp_path / "import-002.killed-1.log").read_text() == "started\n"
    assert resumed.server_started(4.0) == 3.0 and resumed.server_starts == 2  # the first start is reported

    row = resumed.finish(_row("b.csv", 20.0), server_rss_mb=650.0)
    assert row["resumed"] is True
    assert row["seconds"] == pytest.approx(80.0, abs=0.01)
    assert row["last_attempt_seconds"] == 20.0
    assert row["rows_per_s"] == round(1000 / row["seconds"], 1)
    again = run_all.ImportProgress.load(path, params)
    assert again is not None and again.running is None and again.killed == {}
    assert again.done("b.csv") == row and again.server_peak_rss_mb == 700.0


def _results(segments: list[dict]) -> dict:
    return {
        "n": 3000,
        "repeats": 1,
        "started_at": "2026-12-06T10:00:00+00:00",
        "finished_at": "2026-12-06T12:00:00+00:00",
        "machine": {"cpus": 2, "load_average_at_start": [1.0, 1.0, 1.0]},
        "versions": {"customer_graph": "abc1234"},
        "segments": segments,
        "figures": {
            "f1_namesakes": {"runs": [{"f1": 0.97}], "summary": {"f1": {"min": 0.97, "median": 0.97, "max": 0.97}}}
        },
    }


def test_the_table_says_when_a_run_took_several_segments() -> None:
    one = [{"started_at": "2026-12-06T10:00:00+00:00", "ended_at": "2026-12-06T12:00:00+00:00", "commit": "abc1234"}]
    assert "segments" not in run_all.render_table(_results(one))
    two = [
        {
            "started_at": "2026-12-06T10:00:00+00:00",
            "ended_at": None,
            "last_saved_at": "2026-12-06T10:30:00+00:00",
            "commit": "abc1234",
        },
        {"started_at": "2026-12-06T11:00:00+00:00", "ended_at": "2026-12-06T12:00:00+00:00", "commit": "def5678"},
    ]
    first_line = run_all.render_table(_results(two)).splitlines()[0]
    assert "Done in 2 segments" in first_line and "2026-12-06T10:00:00+00:00 to 2026-12-06T10:30:00+00:00" in first_line
    assert "commits abc1234, def5678" in first_line
    unfinished = {**_results(two), "finished_at": None}
    assert "NOT FINISHED" in run_all.render_table(unfinished).splitlines()[0]
