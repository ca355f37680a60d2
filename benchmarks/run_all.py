"""Every figure of issue 11's Targets table, measured on this machine: writes benchmarks/results.json.

    .venv/bin/python benchmarks/run_all.py [--n 1000000] [--repeats 3] [--only end_to_end,matching_vs_splink]

``--n`` counts records (over all sources), as the issue's "1M records" does. Each figure is one function;
``--only`` picks some; a figure that fails records its error and the run goes on. Each figure runs
``--repeats`` times and the JSON keeps every run plus min / median / max of every number. Afterwards the
table in benchmarks/README.md (between ``<!-- results:start -->`` and ``<!-- results:end -->``) is
rewritten from results.json (``--no-readme`` to leave it).

Figures (names for ``--only``):
- ``end_to_end``: benchmarks/generate.py writes ``--n`` records (source files split every 100k rows), then
  ``custgraph import`` (the CLI, one process per file, a fresh embedded graph in a temporary
  CUSTGRAPH_DATA_DIR) imports every file; seconds and rows/s per file and in total;
- ``f1_namesakes``: the same run, ``custgraph export links`` scored pairwise against the truth
  (benchmarks/pairwise.py), plus the share of records left in review;
- ``import_peak_rss``: the same run: the largest peak RSS of the import processes, and the graph server's;
- ``matching_vs_splink``: benchmarks/vs_splink.py at ``--splink-n`` (default ``--n``);
- ``false_merges``: ``--false-merge-n`` records with dup-rate 0 and namesake-rate 0.5 (every record its own
  person) through the CLI; pairs placed together, per 100k people who share name and city with another;
- ``single_record``: ``ingestRecords`` mutations of one record each, one after the other, against
  ``custgraph serve`` on the end_to_end graph (half new people, half copies of imported ones);
- ``api``: benchmarks/api.py with 2 uvicorn workers on ``--api-customers`` customers (default ``--n``):
  360° view p99 and req/s, three-tag filter and keyword search p95.
Times are wall-clock on a shared machine: noisy. Compare within one run.

``--out`` is rewritten (atomically) after each figure, ``"complete": false`` and ``finished_at`` null
until every figure has run. A 1M run outlasts a working session, whose end kills its processes:
``--resume --work DIR`` (on the first run too) continues the run in ``--out`` if its ``n`` and
parameters are this run's (it refuses otherwise), running only the figures missing or failed there;
each repeat works in DIR/run-all-repeat-<k>, kept until all its figures are measured, where
end_to_end reuses the generated files and the graph and imports only the files not recorded as done
in its progress.json (a file killed mid-import is imported again; its seconds add the killed
attempt's, approximated). ``segments`` in the JSON lists the sessions the run took.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks import vs_splink  # noqa: E402
from benchmarks.pairwise import pair_scores, read_links, read_truth  # noqa: E402
from custgraph.graph import embedded  # noqa: E402

CLI = [sys.executable, "-m", "custgraph.service.cli"]
RESULTS = HERE / "results.json"
README = HERE / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
FILE_ROWS = 100_000  # the end-to-end import is split in files of this many rows (the per-file curve)
ONE_MILLION = 1_000_000
TIMEOUT: dict[str, float | None] = {"seconds": None}  # --timeout: per subprocess
GRAPH_HEAP = {"heap": "4g"}  # --graph-heap: the embedded servers' Java heap


@dataclass
class Context:
    args: argparse.Namespace
    work: Path
    cache: dict[str, Any] = field(default_factory=dict)
    cleanups: dict[str, Callable[[], None]] = field(default_factory=dict)
    # --resume with --work: ``work`` is a stable path that a later run continues (not a fresh temp dir)
    resumable: bool = False
    checkpoint: Callable[[], None] = lambda: None  # rewrites --out (called after each imported file)

    def release(self, key: str) -> None:
        cleanup = self.cleanups.pop(key, None)
        if cleanup is not None:
            try:
                cleanup()
            except Exception:  # noqa: BLE001 - cleanup must not hide the figures
                traceback.print_exc()

    def close(self) -> None:
        for key in reversed(list(self.cleanups)):
            self.release(key)


# --- helpers --------------------------------------------------------------------------------------


def cli_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(data_dir), "CUSTGRAPH_ENV": "development"}
    env[embedded.HEAP_ENV] = GRAPH_HEAP["heap"]
    env.pop("NEO4J_URI", None)
    return env


def cli(args: Sequence[str], data_dir: Path, log: Path | None = None) -> dict[str, Any]:
    """One `custgraph` command to completion: wall seconds, peak RSS (its own), output."""
    log = log or data_dir.parent / "cli.log"
    measured = vs_splink.run_measured([*CLI, *args], log, env=cli_env(data_dir), timeout=TIMEOUT["seconds"])
    measured["output"] = log.read_text(errors="replace")[-2000:]
    return measured


def stop_graph(data_dir: Path) -> None:
    subprocess.run([*CLI, "db", "stop"], env=cli_env(data_dir), capture_output=True)


def server_peak_rss_mb(data_dir: Path) -> float | None:
    """VmHWM of the embedded graph server (a separate JVM process) from /proc."""
    info = embedded.read_state(data_dir)
    if info is None:
        return None
    try:
        for line in Path(f"/proc/{info.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


# --- resuming a run killed with its session ------------------------------------------------------

PROGRESS_FILE = "progress.json"
REPEAT_DIR = "run-all-repeat-"  # + the repeat's number: its stable work dir under --work (--resume)


def write_json_atomic(path: Path, data: Any) -> None:
    """Write then rename: a run killed mid-write leaves the previous file whole, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temp, path)


def latest_mtime(paths: Sequence[Path]) -> float | None:
    """The newest modification time of these files and of every file under these directories."""
    times = []
    for path in paths:
        candidates = [path, *path.rglob("*")] if path.is_dir() else [path]
        for candidate in candidates:
            try:
                times.append(candidate.stat().st_mtime)
            except OSError:
                continue
    return max(times, default=None)


def wipe_import_dir(work: Path) -> None:
    """Remove an import_run directory, stopping the graph server an interrupted run may have left on it."""
    if (work / "graph" / embedded.STATE_FILE).exists():
        stop_graph(work / "graph")
    shutil.rmtree(work, ignore_errors=True)


@dataclass
class ImportProgress:
    """What a resumable import_run has done, in <its work dir>/progress.json, rewritten as each step ends
    (generation, server start, each file's start and end), so that a run killed with its session
    continues in the next one with the same generated files and the same graph."""

    path: Path
    params: dict[str, Any]  # the dataset's: another run's directory is not continued
    generate_seconds: float | None = None
    server_start_seconds: float | None = None  # the first start's
    server_starts: int = 0
    server_peak_rss_mb: float | None = None  # the largest reading, over the servers of every segment
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # file -> its import_files row
    running: dict[str, Any] | None = None  # the file being imported: {"file", "started_at" (epoch s), "log"}
    killed: dict[str, list[float]] = field(default_factory=dict)  # file -> seconds of its killed attempts

    STORED = (
        "generate_seconds",
        "server_start_seconds",
        "server_starts",
        "server_peak_rss_mb",
        "files",
        "running",
        "killed",
    )

    @classmethod
    def load(cls, path: Path, params: dict[str, Any]) -> ImportProgress | None:
        """The progress recorded at ``path`` for this dataset, or None (no file, unreadable, other params)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(raw, dict) or raw.get("params") != params:
            return None
        return cls(path, params, **{k: raw[k] for k in cls.STORED if k in raw})

    def save(self) -> None:
        write_json_atomic(self.path, {"params": self.params, **{k: getattr(self, k) for k in self.STORED}})

    def generated(self, seconds: float) -> None:
        self.generate_seconds = seconds
        self.save()

    def server_started(self, seconds: float) -> float:
        """Count a start; the seconds to report: the first start's."""
        self.server_starts += 1
        if self.server_start_seconds is None:
            self.server_start_seconds = seconds
        self.save()
        return self.server_start_seconds

    def done(self, file: str) -> dict[str, Any] | None:
        return self.files.get(file)

    def begin(self, file: str, log: Path) -> None:
        self.running = {"file": file, "started_at": time.time(), "log": str(log)}
        self.save()

    def account_killed_attempt(self, data_dir: Path) -> None:
        """A file whose import was running when the run was killed: approximate that attempt's seconds
        and keep them, to add to the next attempt's (which re-imports the file: the importer is
        idempotent, rows the killed attempt stored are skipped, so that attempt alone is too short).

        The killed import leaves no end time. Its log is written at its start and end only, but the
        graph server writes its files under ``data_dir``/arcadedb at each committed batch, so the
        newest mtime there (or of the log) approximates the kill; call this before the server starts
        again. A kill between the import's end and its row being recorded counts the whole import
        once more, plus the quick re-import of unchanged rows."""
        if self.running is None:
            return
        file, started, log = self.running["file"], float(self.running["started_at"]), Path(self.running["log"])
        last = latest_mtime([log, data_dir / "arcadedb"])
        attempts = self.killed.setdefault(file, [])
        attempts.append(round(max(0.0, (last or started) - started), 3))
        if log.exists():  # the next attempt writes this log anew: keep the killed one's beside it
            log.rename(log.with_name(f"{log.stem}.killed-{len(attempts)}{log.suffix}"))
        self.running = None
        self.save()

    def finish(self, row: dict[str, Any], server_rss_mb: float | None) -> dict[str, Any]:
        """Record a file's row (its seconds summed with its killed attempts', if any) and return it."""
        killed = self.killed.pop(row["file"], [])
        if killed:  # peak_rss_mb stays the last attempt's: a killed process leaves no reading
            last = row["seconds"]
            seconds = round(last + sum(killed), 3)
            row = {**row, "seconds": seconds, "rows_per_s": round(row["rows"] / seconds, 1)}
            row.update(resumed=True, last_attempt_seconds=last, killed_attempt_seconds=killed)
        self.files[row["file"]] = row
        self.running = None
        if server_rss_mb is not None:
            self.server_peak_rss_mb = max(server_rss_mb, self.server_peak_rss_mb or 0.0)
        self.save()
        return row


def import_files(
    manifest: dict,
    data: Path,
    data_dir: Path,
    progress: ImportProgress | None = None,
    after_file: Callable[[], None] = lambda: None,
) -> list[dict[str, Any]]:
    """`custgraph import` each generated file (its own process), in manifest order; one row per file.

    With ``progress`` (a resumable run), files it records as done are not imported again, and each
    file is recorded there as it starts and as it finishes."""
    rows = []
    for number, spec in enumerate(manifest["files"], start=1):
        done = progress.done(spec["path"]) if progress else None
        if done is not None:
            rows.append(done)
            print(f"  {spec['path']}: imported in an earlier segment", file=sys.stderr, flush=True)
            continue
        path, mapping = data / spec["path"], data / spec["mapping"]
        args = ["import", str(path), "--mapping", str(mapping), "--kind", spec["kind"]]
        log = data_dir.parent / f"import-{number:03d}.log"
        if progress:
            progress.begin(spec["path"], log)
        measured = cli(args, data_dir, log=log)
        row = {
            "file": spec["path"],
            "source": spec["source"],
            "rows": spec["rows"],
            "seconds": measured["seconds_wall"],
            "rows_per_s": round(spec["rows"] / measured["seconds_wall"], 1),
            "peak_rss_mb": measured["peak_rss_mb"],
            "summary": next((ln for ln in measured["output"].splitlines() if ln.startswith("import ")), ""),
        }
        if progress:
            row = progress.finish(row, server_peak_rss_mb(data_dir))
        rows.append(row)
        after_file()
        print(f"  imported {spec['path']}: {rows[-1]['rows_per_s']} rows/s", file=sys.stderr, flush=True)
    return rows


def export_scores(data: Path, data_dir: Path) -> dict[str, Any]:
    links = data_dir.parent / "links.csv"
    cli(["export", "links", "--out", str(links)], data_dir)
    truth = read_truth(data / "truth.csv")
    scores = pair_scores(read_links(links), truth)
    with open(links, newline="", encoding="utf-8-sig") as handle:
        outcomes = Counter(r["outcome"] for r in csv.DictReader(handle))
    total = sum(outcomes.values())
    scores["outcomes"] = dict(outcomes)
    scores["review_share"] = round(outcomes.get("review", 0) / total, 5) if total else None
    return scores


def generate_command(ctx: Context, n: int, dup_rate: float, namesake_rate: float, data: Path) -> list[str]:
    command = [sys.executable, str(HERE / "generate.py"), "--n", str(n), "--seed", str(ctx.args.seed)]
    command += ["--dup-rate", str(dup_rate), "--namesake-rate", str(namesake_rate), "--out", str(data)]
    return command + ["--max-rows-per-file", str(ctx.args.file_rows)]


def import_run(
    ctx: Context, name: str, n: int, dup_rate: float, namesake_rate: float, *, resumable: bool = False
) -> dict[str, Any]:
    """Generate, start a fresh embedded graph, import every file through the CLI, export links, score.

    ``resumable`` (and a stable ``ctx.work``): continue what an earlier, killed run left in the same
    directory (its generated files, its graph, the files it imported, see ImportProgress)."""
    work = ctx.work / name
    data, data_dir = work / "data", work / "graph"
    params = {"n": n, "seed": ctx.args.seed, "dup_rate": dup_rate, "namesake_rate": namesake_rate}
    params["file_rows"] = ctx.args.file_rows
    progress = None
    if ctx.resumable and resumable:
        progress = ImportProgress.load(work / PROGRESS_FILE, params)
        if progress is None:  # nothing to continue (or another run's): start clean
            wipe_import_dir(work)
            progress = ImportProgress(work / PROGRESS_FILE, params)
    elif ctx.resumable:
        wipe_import_dir(work)  # a stable work dir may hold a killed run's leftovers: this one starts fresh
    work.mkdir(parents=True, exist_ok=True)
    if progress is not None and progress.generate_seconds is not None and (data / "manifest.json").exists():
        generate_s = progress.generate_seconds
        print(f"  {name}: reusing the files generated in an earlier segment", file=sys.stderr, flush=True)
    else:
        shutil.rmtree(data, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(generate_command(ctx, n, dup_rate, namesake_rate, data), check=True, capture_output=True)
        generate_s = time.perf_counter() - started
        if progress is not None:
            progress.generated(generate_s)
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    if progress is not None:
        progress.account_killed_attempt(data_dir)  # before the server starts again and touches the graph files
    ctx.cleanups[name] = lambda: stop_graph(data_dir)
    started = time.perf_counter()
    cli(["db", "start"], data_dir)
    start_s = time.perf_counter() - started
    if progress is not None:
        start_s = progress.server_started(start_s)  # the first start's seconds (an uninterrupted run starts once)
    files = import_files(manifest, data, data_dir, progress, ctx.checkpoint)
    import_s = sum(f["seconds"] for f in files)
    scores = export_scores(data, data_dir)
    server_rss = server_peak_rss_mb(data_dir)
    if progress is not None:  # the server of an earlier segment is gone: the largest reading of any segment
        server_rss = max((v for v in (server_rss, progress.server_peak_rss_mb) if v is not None), default=None)
    run = {
        "n": n,
        "records": manifest["records"],
        "entities": manifest["entities"],
        "namesake_people": manifest["namesake_people"],
        "namesake_pairs": manifest["namesake_pairs"],
        "generate_seconds": round(generate_s, 1),
        "server_start_seconds": round(start_s, 1),
        "import_seconds": round(import_s, 1),
        "seconds": round(generate_s + start_s + import_s, 1),
        "import_records_per_s": round(manifest["records"] / import_s, 1) if import_s else None,
        "files": files,
        "scores": scores,
        "server_peak_rss_mb": server_rss,
        "data": str(data),
        "data_dir": str(data_dir),
    }
    if progress is not None and progress.server_starts > 1:
        run["resumed"] = True  # done over several segments: each restarted the graph server
    return run


def end_to_end_run(ctx: Context) -> dict[str, Any]:
    if "e2e" not in ctx.cache:
        try:
            n, namesakes = ctx.args.n, ctx.args.namesake_rate
            ctx.cache["e2e"] = import_run(ctx, "end_to_end", n, 0.3, namesakes, resumable=True)
        except Exception as exc:
            ctx.cache["e2e"] = exc
    if isinstance(ctx.cache["e2e"], Exception):
        raise RuntimeError(f"the end-to-end import failed: {ctx.cache['e2e']}") from ctx.cache["e2e"]
    return ctx.cache["e2e"]


# --- the figures ----------------------------------------------------------------------------------


def fig_end_to_end(ctx: Context) -> dict[str, Any]:
    run = end_to_end_run(ctx)
    return {
        "records": run["records"],
        "minutes": round(run["seconds"] / 60, 2),
        "records_per_s": round(run["records"] / run["seconds"], 1),
        "import_records_per_s": run["import_records_per_s"],
        "generate_seconds": run["generate_seconds"],
        "import_seconds": run["import_seconds"],
        "per_file_rows_per_s": [f["rows_per_s"] for f in run["files"]],
        "files": run["files"],
        **({"resumed": True} if run.get("resumed") else {}),  # imported over several segments (see files)
    }


def fig_f1_namesakes(ctx: Context) -> dict[str, Any]:
    run = end_to_end_run(ctx)
    s = run["scores"]
    return {
        "records": run["records"],
        "f1": s["f1"],
        "precision": s["precision"],
        "recall": s["recall"],
        "review_share": s["review_share"],
        "namesake_people": run["namesake_people"],
        "namesake_pairs": run["namesake_pairs"],
        "outcomes": s["outcomes"],
    }


def fig_import_peak_rss(ctx: Context) -> dict[str, Any]:
    run = end_to_end_run(ctx)
    largest = max(run["files"], key=lambda f: f["rows"])
    return {
        "peak_rss_mb": max(f["peak_rss_mb"] for f in run["files"]),
        "per_file_peak_rss_mb": [f["peak_rss_mb"] for f in run["files"]],
        "largest_file_rows": largest["rows"],
        "server_peak_rss_mb": run["server_peak_rss_mb"],
    }


def fig_matching_vs_splink(ctx: Context) -> dict[str, Any]:
    work = ctx.work / "vs_splink"
    work.mkdir(parents=True, exist_ok=True)
    n = ctx.args.splink_n or ctx.args.n
    result = vs_splink.compare(
        n, work, seed=ctx.args.seed, namesake_rate=ctx.args.namesake_rate, timeout=TIMEOUT["seconds"]
    )
    ours, splink = result["ours"], result["splink"]
    return {
        "n": n,
        "ratio_records_per_s": result.get("ratio_records_per_s"),
        "ours_records_per_s": ours["records_per_s"],
        "splink_records_per_s": splink["records_per_s"],
        "ours_f1": ours["f1"],
        "splink_f1": splink["f1"],
        "ours_peak_rss_mb": ours["peak_rss_mb"],
        "splink_peak_rss_mb": splink["peak_rss_mb"],
        "detail": result,
    }


def fig_false_merges(ctx: Context) -> dict[str, Any]:
    n = ctx.args.false_merge_n or min(ctx.args.n, 100_000)
    run = import_run(ctx, "false_merges", n, 0.0, 0.5)
    ctx.release("false_merges")
    s = run["scores"]
    people = run["namesake_people"]
    return {
        "records": run["records"],
        "namesake_people": people,
        "namesake_pairs": run["namesake_pairs"],
        "false_pairs": s["predicted_pairs"],  # dup-rate 0: every predicted pair is false
        "false_merges_per_100k_namesakes": round(s["predicted_pairs"] * 100_000 / people, 1) if people else None,
        "review_share": s["review_share"],
    }


INGEST = """
mutation Post($records: [JSON!]!) {
  ingestRecords(source: "api_bench", records: $records) {
    __typename
    ... on IngestPayload { records { outcome customerId } }
    ... on ValidationError { message }
    ... on PermissionDenied { message }
  }
}
"""


def single_records(ctx: Context, run: dict[str, Any], count: int) -> list[dict[str, str]]:
    """Half new people (another seed), half copies of imported CRM rows under new keys (duplicates)."""
    fresh = ctx.work / "single_fresh"
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--n", str(count), "--seed", str(ctx.args.seed + 1000)]
        + ["--dup-rate", "0", "--out", str(fresh), "--sources", "crm_export"],
        check=True,
        capture_output=True,
    )
    with open(fresh / "crm_export.csv", newline="", encoding="utf-8-sig") as handle:
        new = list(csv.DictReader(handle))
    imported = sorted(Path(run["data"]).glob("crm_export*.csv"))
    with open(imported[0], newline="", encoding="utf-8-sig") as handle:
        old = list(csv.DictReader(handle))[: count * 20]
    rng = random.Random(ctx.args.seed)
    records = []
    for i in range(count):
        row = dict(new[i % len(new)] if i % 2 == 0 else rng.choice(old))
        row["客户编号"] = f"S{i:07d}"
        records.append({k: v for k, v in row.items() if v})
    return records


def fig_single_record(ctx: Context) -> dict[str, Any]:
    import httpx

    from benchmarks import api

    run = end_to_end_run(ctx)
    data_dir = Path(run["data_dir"])
    records = single_records(ctx, run, ctx.args.single_requests)
    port = api.free_port()
    base = f"http://127.0.0.1:{port}"
    proc = api.start_service(data_dir, port, 1)
    try:
        api.wait_healthy(base, proc)
        headers: dict[str, str] = {}  # development mode: a loopback request acts as the local admin
        latencies, outcomes, errors = [], Counter(), 0
        with httpx.Client(timeout=60.0) as client:
            for i, record in enumerate(records):
                body = {"query": INGEST, "variables": {"records": [record]}}
                started = time.perf_counter()
                response = client.post(f"{base}/graphql", json=body, headers=headers)
                elapsed = time.perf_counter() - started
                payload = response.json() if response.status_code == 200 else {}
                result = (payload.get("data") or {}).get("ingestRecords") or {}
                if result.get("__typename") != "IngestPayload":
                    errors += 1
                    continue
                if i >= 3:  # the first calls warm caches and connections
                    latencies.append(1000 * elapsed)
                outcomes.update(r["outcome"] for r in result["records"])
    finally:
        api.stop_service(proc)
    if not latencies:
        raise RuntimeError(f"no ingestRecords call succeeded ({errors} errors)")
    return {
        "customers_in_graph": run["entities"],
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "outcomes": dict(outcomes),
    }


def fig_api(ctx: Context) -> dict[str, Any]:
    customers = ctx.args.api_customers or ctx.args.n
    command = [sys.executable, str(HERE / "api.py"), "--customers", str(customers), "--workers", "2"]
    command += ["--requests", str(ctx.args.api_requests), "--heap", GRAPH_HEAP["heap"]]
    if ctx.args.api_keep is not None:  # a graph built beforehand (api.py --keep DIR --build-only)
        command += ["--keep", str(ctx.args.api_keep)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT["seconds"])
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)  # api.py's finally stops the server and the graph it started
        try:
            proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        raise TimeoutError(f"benchmarks/api.py interrupted after {TIMEOUT['seconds']:.0f} s") from None
    if proc.returncode != 0:
        raise RuntimeError(f"benchmarks/api.py exited {proc.returncode}: {stderr[-2000:]}")
    report = json.loads(stdout[stdout.index("{") :])
    s = report["scenarios"]
    return {
        "customers": customers,
        "view_p99_ms": s["customer_360"]["p99_ms"],
        "view_p95_ms": s["customer_360"]["p95_ms"],
        "view_rps": s["customer_360"]["rps"],
        "three_tag_p95_ms": s["three_tag_filter"]["p95_ms"],
        "search_p95_ms": s["keyword_search"]["p95_ms"],
        "errors": sum(v.get("errors", 0) for v in s.values()),
        "graph_reused": bool(report["setup_seconds"].get("reused")),  # built beforehand (--api-keep)
        "detail": report,
    }


# In run order: the figures that read the end-to-end graph first, then that graph is stopped.
FIGURES: dict[str, Callable[[Context], dict[str, Any]]] = {
    "end_to_end": fig_end_to_end,
    "f1_namesakes": fig_f1_namesakes,
    "import_peak_rss": fig_import_peak_rss,
    "single_record": fig_single_record,
    "matching_vs_splink": fig_matching_vs_splink,
    "false_merges": fig_false_merges,
    "api": fig_api,
}
ON_END_TO_END = ("end_to_end", "f1_namesakes", "import_peak_rss", "single_record")

# --- the environment ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
    }


def versions() -> dict[str, Any]:
    out: dict[str, Any] = {"customer_graph": vs_splink.git_version()}
    for package in ("neo4j", "arcadedb-embedded", "rapidfuzz", "duckdb", "polars"):
        try:
            out[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            out[package] = None
    python = vs_splink.splink_python()
    if python.exists():
        found = subprocess.run([str(python), "-c", "import splink; print(splink.__version__)"], capture_output=True)
        out["splink"] = found.stdout.decode().strip() or None
    else:
        out["splink"] = None
    return out


# --- aggregation and the README table -------------------------------------------------------------


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """min / median / max of every top-level number over the runs that succeeded."""
    ok = [r for r in runs if "error" not in r]
    keys = [k for k, v in (ok[0].items() if ok else []) if isinstance(v, int | float) and not isinstance(v, bool)]
    out = {}
    for key in keys:
        values = [r[key] for r in ok if isinstance(r.get(key), int | float)]
        if values:
            out[key] = {"min": min(values), "median": statistics.median(values), "max": max(values)}
    return out


# The parameters a resumed run must share with the --out it continues (the figures' inputs).
RESUME_PARAMS = (
    "n",
    "repeats",
    "seed",
    "namesake_rate",
    "splink_n",
    "false_merge_n",
    "api_customers",
    "api_requests",
    "single_requests",
    "file_rows",
    "graph_heap",
    "graph_page_cache",
)
# absent from a results.json written before the option existed
PARAM_DEFAULTS = {"file_rows": FILE_ROWS, "graph_page_cache": ""}


def resume_refusal(previous: dict[str, Any], params: dict[str, Any]) -> str | None:
    """Why an earlier --out cannot be continued with these parameters; None when it can."""
    old = previous.get("params")
    if not isinstance(old, dict) or not isinstance(previous.get("figures"), dict):
        return "it is not a run_all.py results file"
    differ = [
        f"{key} was {old.get(key, PARAM_DEFAULTS.get(key))!r}, now {params[key]!r}"
        for key in RESUME_PARAMS
        if old.get(key, PARAM_DEFAULTS.get(key)) != params[key]
    ]
    return "; ".join(differ) or None


def kept_run(figure: dict[str, Any], repeat: int) -> dict[str, Any] | None:
    """The run of this repeat a resumed run keeps: one that exists and has no error."""
    runs = figure.get("runs") or []
    run = runs[repeat] if repeat < len(runs) else None
    return run if isinstance(run, dict) and "error" not in run else None


def pending(figures: dict[str, Any], names: Sequence[str], repeats: int) -> list[tuple[int, list[str]]]:
    """(repeat, the figures it still has to run), for the repeats that have some, in order."""
    out = []
    for repeat in range(repeats):
        todo = [name for name in names if kept_run(figures.get(name, {}), repeat) is None]
        if todo:
            out.append((repeat, todo))
    return out


def record_run(figure: dict[str, Any], repeat: int, result: dict[str, Any]) -> None:
    """Put a run in its repeat's place (replacing an errored one) and recompute the summary and errors."""
    runs = figure.setdefault("runs", [])
    if repeat < len(runs):
        runs[repeat] = result
    else:
        runs.append(result)
    figure["summary"] = summarize(runs)
    errors = [r["error"] for r in runs if "error" in r]
    if errors:
        figure["errors"] = errors
    else:
        figure.pop("errors", None)


def is_complete(figures: dict[str, Any], repeats: int) -> bool:
    """Every figure has a run (a result or an error) for every repeat."""
    return all(len(figure.get("runs") or []) >= repeats for figure in figures.values())


def run_figures(
    args: argparse.Namespace,
    names: list[str],
    figures: dict[str, Any],
    segment: dict[str, Any],
    save: Callable[[], None],
) -> None:
    """Run what ``figures`` lacks (all of it in a new run), recording each run there and calling
    ``save`` after each. With --resume and --work, each repeat works in a stable directory under
    --work, kept until every figure of that repeat has a result, so that a killed run continues."""
    stable = bool(args.resume and args.work)
    for repeat, todo in pending(figures, names, args.repeats):
        if stable:
            work = args.work / f"{REPEAT_DIR}{repeat + 1}"
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(tempfile.mkdtemp(prefix="custgraph-run-all-", dir=args.work))
        ctx = Context(args=args, work=work, resumable=stable, checkpoint=save)
        finished = False
        try:
            for position, name in enumerate(todo):
                print(f"[{repeat + 1}/{args.repeats}] {name} ...", file=sys.stderr, flush=True)
                started = time.perf_counter()
                try:
                    result = FIGURES[name](ctx)
                except Exception as exc:  # noqa: BLE001 - a failed figure is recorded, the run goes on
                    result = {"error": f"{type(exc).__name__}: {exc}"[:4000]}
                    traceback.print_exc()
                result["figure_seconds"] = round(time.perf_counter() - started, 1)
                record_run(figures[name], repeat, result)
                segment["ran"].append({"figure": name, "repeat": repeat + 1, "error": "error" in result})
                save()
                if name in ON_END_TO_END and not any(n in ON_END_TO_END for n in todo[position + 1 :]):
                    ctx.release("end_to_end")  # nothing else reads that graph: stop its server
                print(f"    {json.dumps(headline(name, result), ensure_ascii=False)}", file=sys.stderr, flush=True)
            finished = True
        finally:
            ctx.close()
            measured = finished and all(kept_run(figures[n], repeat) for n in names)
            if not args.keep and (not stable or measured):
                shutil.rmtree(work, ignore_errors=True)


# figure -> (issue's wording, the target, [(metric, label, unit)], check(summary medians) -> bool | None)
TABLE: dict[str, tuple[str, str, list[tuple[str, str, str]], Callable[[dict[str, float]], bool | None]]] = {
    "end_to_end": (
        "records generated, imported and resolved, end to end (CLI, embedded graph)",
        "1M in ≤ 10 min (≥ 1,667 records/s)",
        [("minutes", "", "min"), ("records_per_s", "", "records/s")],
        lambda m: m.get("records_per_s", 0) >= ONE_MILLION / 600,
    ),
    "matching_vs_splink": (
        "matching stage vs Splink 5, same records, same run (in memory)",
        "≥ 1.0× Splink at equal or better F1",
        [
            ("n", "n =", ""),
            ("ratio_records_per_s", "", "×"),
            ("ours_records_per_s", "ours", "rec/s"),
            ("splink_records_per_s", "Splink", "rec/s"),
            ("ours_f1", "F1 ours", ""),
            ("splink_f1", "Splink", ""),
            ("ours_peak_rss_mb", "RSS ours", "MB"),
            ("splink_peak_rss_mb", "Splink", "MB"),
        ],
        lambda m: m.get("ratio_records_per_s", 0) >= 1.0 and m.get("ours_f1", 0) >= m.get("splink_f1", 1),
    ),
    "f1_namesakes": (
        "pairwise F1 with namesakes, through the CLI",
        "F1 ≥ 0.95 at 1M (≥ 0.98 at 20k), ≤ 3% in review",
        [("f1", "F1", ""), ("precision", "P", ""), ("recall", "R", ""), ("review_share", "review", "")],
        lambda m: m.get("f1", 0) >= 0.95 and m.get("review_share", 1) <= 0.03,
    ),
    "false_merges": (
        "false merges per 100k distinct namesakes (dup-rate 0, namesake-rate 0.5)",
        "0",
        [
            ("records", "n =", ""),
            ("false_merges_per_100k_namesakes", "", ""),
            ("false_pairs", "pairs", ""),
            ("namesake_people", "namesakes", ""),
        ],
        lambda m: m.get("false_merges_per_100k_namesakes", 1) == 0,
    ),
    "single_record": (
        "single record (ingestRecords), p95",
        "≤ 50 ms at 1M",
        [("p95_ms", "p95", "ms"), ("p50_ms", "p50", "ms"), ("customers_in_graph", "customers", "")],
        lambda m: m.get("p95_ms", 1e9) <= 50,
    ),
    "api": (
        "API, 2 workers: 360° view p99 and req/s; three-tag filter / keyword search p95",
        "p99 ≤ 25 ms, ≥ 1,000 req/s; ≤ 50 ms / ≤ 50 ms",
        [
            ("view_p99_ms", "view p99", "ms"),
            ("view_rps", "", "req/s"),
            ("three_tag_p95_ms", "tags p95", "ms"),
            ("search_p95_ms", "search p95", "ms"),
            ("customers", "customers", ""),
        ],
        lambda m: (
            m.get("view_p99_ms", 1e9) <= 25
            and m.get("view_rps", 0) >= 1000
            and m.get("three_tag_p95_ms", 1e9) <= 50
            and m.get("search_p95_ms", 1e9) <= 50
        ),
    ),
    "import_peak_rss": (
        "import peak memory (largest import process; graph server apart)",
        "flat in file size, < 2 GB at 1M",
        [("peak_rss_mb", "", "MB"), ("server_peak_rss_mb", "server", "MB")],
        lambda m: m.get("peak_rss_mb", 1e9) < 2048,
    ),
}


def headline(name: str, result: dict[str, Any]) -> dict[str, Any]:
    if "error" in result:
        return {"error": result["error"][:300]}
    return {metric: result.get(metric) for metric, _, _ in TABLE[name][2]}


def _number(value: float, unit: str) -> str:
    if unit == "×":
        text = f"{value:.2g}" if value < 1 else f"{value:.2f}"
    elif isinstance(value, float) and abs(value) < 10 and unit not in ("MB", "ms"):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
    elif isinstance(value, float) and abs(value) < 100:
        text = f"{value:.1f}"
    else:
        text = f"{value:,.0f}"
    return f"{text}{' ' + unit if unit and unit != '×' else unit}"


def render_table(results: dict[str, Any]) -> str:
    n = results["n"]
    label = "the 1M run" if n >= ONE_MILLION else f"a small run (n = {n:,} records), not the 1M run"
    load = results["machine"]["load_average_at_start"][0]
    segments = results.get("segments") or []
    commits = list(dict.fromkeys(s["commit"] for s in segments if s.get("commit"))) or [
        results["versions"]["customer_graph"]
    ]
    when = results.get("finished_at") or f"NOT FINISHED (started {results['started_at']})"
    lines = [
        f"Latest `benchmarks/run_all.py` results: {label}; {results['repeats']} repeat(s), median [min–max];"
        f" {when}, commit{'s' if len(commits) > 1 else ''} {', '.join(commits)},"
        f" {results['machine']['cpus']} CPUs, load average at start {load:.1f}.",
    ]
    if len(segments) > 1:
        spans = [f"{s['started_at']} to {s.get('ended_at') or s.get('last_saved_at') or '?'}" for s in segments]
        lines[0] += (
            f" Done in {len(segments)} segments (a killed run continued with `--resume`): {'; '.join(spans)};"
            " a figure's times come from the segment that measured it."
        )
    lines += [
        "",
        "| figure | measured | target | met |",
        "|---|---|---|---|",
    ]
    for name, figure in results["figures"].items():
        title, target, metrics, check = TABLE[name]
        summary = figure.get("summary", {})
        if not summary:
            lines_of = [ln.strip() for ln in (figure.get("errors") or ["not run"])[0].splitlines() if ln.strip()]
            error = lines_of[0] if len(lines_of) == 1 else f"{lines_of[0][:100]} … {lines_of[-1]}"
            error = error[:220].replace("|", "\\|")
            lines.append(f"| {title} | error: {error} | {target} | – |")
            continue
        parts = []
        for metric, label_text, unit in metrics:
            if metric not in summary:
                continue
            s = summary[metric]
            text = _number(s["median"], unit)
            if results["repeats"] > 1 and s["min"] != s["max"]:
                text += f" [{_number(s['min'], unit)}–{_number(s['max'], unit)}]"
            parts.append(f"{label_text} {text}".strip())
        medians = {k: v["median"] for k, v in summary.items()}
        met = check(medians)
        lines.append(f"| {title} | {'; '.join(parts)} | {target} | {'yes' if met else 'no'} |")
    extra = results["figures"].get("end_to_end", {}).get("runs", [])
    curve = next((r.get("per_file_rows_per_s") for r in extra if "per_file_rows_per_s" in r), None)
    if curve:
        lines += [
            "",
            f"Per-file import rows/s, in import order (first repeat): {', '.join(f'{v:,.0f}' for v in curve)}.",
        ]
    return "\n".join(lines)


def update_readme(results: dict[str, Any], path: Path = README) -> None:
    table = render_table(results)
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n## Latest results\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=ONE_MILLION, help="records (over all sources)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--only", default="", help=f"comma-separated, from {', '.join(FIGURES)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--namesake-rate", type=float, default=0.05)
    parser.add_argument("--splink-n", type=int, default=0, help="records for matching_vs_splink (default --n)")
    parser.add_argument("--false-merge-n", type=int, default=0, help="records for false_merges (min(n, 100k))")
    parser.add_argument("--api-customers", type=int, default=0, help="customers for api (default --n)")
    parser.add_argument(
        "--api-keep",
        type=Path,
        default=None,
        help="api: build its graph in this directory and keep it, or reuse the one built there",
    )
    parser.add_argument("--api-requests", type=int, default=500)
    parser.add_argument("--single-requests", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--readme", type=Path, default=README)
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--work", type=Path, default=None, help="parent of the temporary directories")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and graphs")
    parser.add_argument("--timeout", type=float, default=0, help="kill any one step after this many seconds (0: never)")
    parser.add_argument("--graph-heap", default="4g", help="Java heap of the embedded graph servers (-Xmx)")
    parser.add_argument(
        "--graph-page-cache",
        default="",
        help="ArcadeDB's page cache inside that heap (arcadedb.maxPageRAM, e.g. 3g; default: ArcadeDB's, a quarter)",
    )
    parser.add_argument("--render-only", action="store_true", help="rewrite the README table from --out")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the run in --out (same n and parameters): run only its missing or failed figures;"
        " with --work, an interrupted end_to_end continues from its last imported file",
    )
    parser.add_argument("--file-rows", type=int, default=FILE_ROWS, help="end_to_end: rows per generated file")
    args = parser.parse_args(argv)
    if args.render_only:
        update_readme(json.loads(args.out.read_text(encoding="utf-8")), args.readme)
        return 0
    wanted = [n.strip() for n in args.only.split(",") if n.strip()] or list(FIGURES)
    unknown = [n for n in wanted if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figures {', '.join(unknown)} (known: {', '.join(FIGURES)})")
    names = [n for n in FIGURES if n in wanted]
    if args.file_rows < 1:
        parser.error("--file-rows must be at least 1")
    TIMEOUT["seconds"] = args.timeout or None
    GRAPH_HEAP["heap"] = embedded.heap_size(args.graph_heap)
    # Every server the run starts (the CLI's, api.py's) reads it from the environment; not an ambient one.
    os.environ.pop(embedded.PAGE_CACHE_ENV, None)
    if args.graph_page_cache:
        try:
            cache = embedded.page_cache_size(GRAPH_HEAP["heap"], args.graph_page_cache)
        except embedded.EmbeddedServerError as exc:
            parser.error(str(exc))
        os.environ[embedded.PAGE_CACHE_ENV] = cache or ""
    params = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    previous = load_previous(args.out) if args.resume else None
    if previous is not None:
        refusal = resume_refusal(previous, params)
        if refusal:
            parser.error(f"--resume: {args.out} holds another run ({refusal}); pass another --out or remove it")
    if args.resume and args.work is None:
        print(
            "--resume without --work: the figures in --out are kept, but an interrupted end_to_end starts over",
            file=sys.stderr,
        )
    now = datetime.now(UTC).isoformat(timespec="seconds")
    segment: dict[str, Any] = {
        "started_at": now,
        "ended_at": None,  # set when the segment ends normally; a killed one keeps only last_saved_at
        "last_saved_at": now,
        "commit": vs_splink.git_version(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "ran": [],
    }
    if previous is None and args.resume and args.work is not None:
        wipe_repeat_dirs(args.work)  # a new run: nothing of an earlier one's imports may leak into it
    if previous is None:
        results: dict[str, Any] = {
            "n": args.n,
            "n_counts": "records",
            "run_label": f"n={args.n:,} records" + ("" if args.n >= ONE_MILLION else " (small run, not the 1M run)"),
            "repeats": args.repeats,
            "started_at": now,
            "machine": machine(),
            "versions": versions(),
            "params": params,
            "figures": {},
            "complete": False,
            "finished_at": None,
            "segments": [],
        }
    else:
        results = previous
        results["params"] = params
        results.setdefault("segments", [legacy_segment(previous)])
    earlier = results["figures"]
    results["figures"] = {n: earlier.get(n) or {"runs": []} for n in FIGURES if n in names or n in earlier}

    def save() -> None:
        segment["last_saved_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["complete"] = is_complete(results["figures"], args.repeats)
        results["finished_at"] = segment["last_saved_at"] if results["complete"] else None
        write_json_atomic(args.out, results)

    if pending(results["figures"], names, args.repeats):
        results["segments"].append(segment)
        save()
        run_figures(args, names, results["figures"], segment, save)
        segment["ended_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        save()
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        print(f"--resume: every figure asked for is already in {args.out}; nothing to run", file=sys.stderr)
    if not args.no_readme:
        update_readme(results, args.readme)
        print(f"updated the table in {args.readme}", file=sys.stderr)
    print(render_table(results))
    return 0


def wipe_repeat_dirs(work: Path) -> None:
    """Remove the stable directories (see run_figures) an earlier resumable run left under --work."""
    for repeat_dir in sorted(work.glob(f"{REPEAT_DIR}*")):
        print(f"--resume: no results in --out yet: removing {repeat_dir}", file=sys.stderr)
        for child in repeat_dir.iterdir():
            if child.is_dir():
                wipe_import_dir(child)
        shutil.rmtree(repeat_dir, ignore_errors=True)


def load_previous(path: Path) -> dict[str, Any] | None:
    """The --out a resumed run continues; None when there is none yet (the run starts anew)."""
    if not path.exists():
        return None
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise SystemExit(f"--resume: {path} is not JSON ({exc}); pass another --out or remove it") from None
    if not isinstance(previous, dict):
        raise SystemExit(f"--resume: {path} is not a run_all.py results file")
    return previous


def legacy_segment(previous: dict[str, Any]) -> dict[str, Any]:
    """The one segment of a results file written before segments were recorded."""
    return {
        "started_at": previous.get("started_at"),
        "ended_at": previous.get("finished_at"),
        "commit": (previous.get("versions") or {}).get("customer_graph"),
        "ran": [],
    }


if __name__ == "__main__":
    sys.exit(main())
