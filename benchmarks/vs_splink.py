"""Our matching engine against Splink 5 on the same generated records, same scope, same F1 code.

    .venv/bin/python benchmarks/vs_splink.py --n 100000 --out vs_splink.json [--seed 1] [--dup-rate 0.3]
        [--namesake-rate 0.05] [--work DIR] [--threshold 0.9]

1. installs ``splink==5.0.0`` into ``benchmarks/.splink-venv`` (created with this interpreter's base Python;
   never a project dependency) unless it is there already;
2. generates ``--n`` records with benchmarks/generate.py ``--flat``: one flat CSV per source, same columns;
3. runs each side in its own process on those files, timed over the same scope, from the files to the
   clusters (read, standardize, block, train, score, cluster), without any graph write:
   - ours: benchmarks/ours_side.py (``iter_records`` + ``custgraph.matching.engine`` train and resolve);
   - Splink: benchmarks/splink_side.py in the Splink venv (DuckDB; configuration in benchmarks/README.md);
4. scores both cluster files against the generator's truth with benchmarks/pairwise.py (pairwise F1);
5. prints and writes one JSON object:
   ``{"n", "scope", "ours": {"records_per_s", "f1", "precision", "recall", "peak_rss_mb", "seconds", ...},
   "splink": {...}, "ratio_records_per_s"}``.
Peak RSS is each side's process's own maximum resident set (``wait4``), measured separately.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT))

from benchmarks.pairwise import pair_scores, read_clusters, read_truth  # noqa: E402

SPLINK_VERSION = "5.0.0"
SPLINK_VENV = HERE / ".splink-venv"
SOURCE_ORDER = ("crm_export", "store_members", "webform")
SCOPE = (
    "generated flat CSV files -> clusters: read, standardize, block, train (EM), score, cluster; "
    "no graph write; each side in its own process, timed inside it from opening the files to the clusters "
    "(interpreter start and imports excluded); same files, same truth, same F1 code for both"
)


def splink_python() -> Path:
    return SPLINK_VENV / "bin" / "python"


def ensure_splink(venv: Path = SPLINK_VENV) -> str:
    """The Splink venv's python, creating the venv and installing splink==5.0.0 when needed."""
    python = venv / "bin" / "python"
    check = [str(python), "-c", "import splink, sys; sys.stdout.write(splink.__version__)"]
    if python.exists():
        found = subprocess.run(check, capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == SPLINK_VERSION:
            return str(python)
    base = getattr(sys, "_base_executable", None) or sys.executable
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"splink=={SPLINK_VERSION}"],
        check=True,
    )
    found = subprocess.run(check, capture_output=True, text=True, check=True)
    if found.stdout.strip() != SPLINK_VERSION:
        raise RuntimeError(f"{venv} has splink {found.stdout.strip()}, not {SPLINK_VERSION}")
    return str(python)


def run_measured(
    command: Sequence[str], log: Path, env: dict[str, str] | None = None, timeout: float | None = None
) -> dict[str, float]:
    """Run a command to completion; its wall seconds and peak RSS (its own, from wait4).

    ``timeout`` (seconds): past it the command is killed and TimeoutError raised, so that a run at a
    size the code cannot handle yet records that instead of running for days."""
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT, env=env)
        while True:
            pid, status, usage = os.wait4(proc.pid, 0 if timeout is None else os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise TimeoutError(f"{Path(command[1]).name} {' '.join(command[2:4])} killed after {timeout:.0f} s")
            time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{command[1]} exited {proc.returncode}:\n{tail}")
    return {"seconds_wall": round(wall, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def generate(out: Path, n: int, seed: int, dup_rate: float, namesake_rate: float, flat: bool = True) -> dict:
    command = [
        sys.executable,
        str(HERE / "generate.py"),
        "--n",
        str(n),
        "--seed",
        str(seed),
        "--dup-rate",
        str(dup_rate),
        "--namesake-rate",
        str(namesake_rate),
        "--out",
        str(out),
    ]
    if flat:
        command.append("--flat")
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["seconds"] = round(time.perf_counter() - started, 2)
    return manifest


def git_version() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "custgraph"], cwd=ROOT, capture_output=True)
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        return "unknown"


def _side(name: str, report: dict, measured: dict, clusters: Path, truth: dict[str, str]) -> dict[str, Any]:
    scores = pair_scores(read_clusters(clusters), truth)
    return {
        "records_per_s": round(report["records"] / report["seconds"], 1) if report["seconds"] else None,
        "f1": scores["f1"],
        "precision": scores["precision"],
        "recall": scores["recall"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "seconds": report["seconds"],
        "seconds_wall": measured["seconds_wall"],
        "records": report["records"],
        "predicted_pairs": scores["predicted_pairs"],
        "false_pairs": scores["false_pairs"],
        "true_pairs": scores["true_pairs"],
        "stages": {k: v for k, v in report.items() if k.startswith("seconds_")},
        **{k: v for k, v in report.items() if k in ("outcomes", "review_share", "review_pairs", "merges")},
    }


def compare(
    n: int,
    work: Path,
    *,
    seed: int = 1,
    dup_rate: float = 0.3,
    namesake_rate: float = 0.05,
    threshold: float = 0.9,
    sides: Sequence[str] = ("ours", "splink"),
    timeout: float | None = None,
) -> dict[str, Any]:
    """Generate, run both sides, score: the JSON object vs_splink.py prints."""
    splink = ensure_splink() if "splink" in sides else None
    data = work / "data"
    manifest = generate(data, n, seed, dup_rate, namesake_rate)
    files = [(f["source"], data / f["path"]) for f in manifest["flat"]]
    files.sort(key=lambda f: SOURCE_ORDER.index(f[0]) if f[0] in SOURCE_ORDER else len(SOURCE_ORDER))
    file_args = [arg for source, path in files for arg in ("--file", f"{source}={path}")]
    truth = read_truth(data / "truth.csv")
    result: dict[str, Any] = {
        "n": n,
        "n_counts": "records",
        "scope": SCOPE,
        "records": manifest["records"],
        "entities": manifest["entities"],
        "dataset": {
            "generator": "benchmarks/generate.py",
            "seed": seed,
            "dup_rate": dup_rate,
            "namesake_rate": namesake_rate,
            "namesake_people": manifest["namesake_people"],
            "namesake_pairs": manifest["namesake_pairs"],
            "sources": [source for source, _ in files],
            "generate_seconds": manifest["seconds"],
        },
    }
    if "ours" in sides:
        clusters, report = work / "ours_clusters.csv", work / "ours_report.json"
        command = [
            sys.executable,
            str(HERE / "ours_side.py"),
            *file_args,
            "--mapping",
            str(data / "mappings" / "flat.yaml"),
            "--clusters",
            str(clusters),
            "--report",
            str(report),
        ]
        measured = run_measured(command, work / "ours.log", timeout=timeout)
        side = _side("ours", json.loads(report.read_text()), measured, clusters, truth)
        side["version"] = git_version()
        side["config"] = (
            "custgraph/data/rules.default.yaml; custgraph.ingest.reading.iter_records with mappings/flat.yaml; "
            "custgraph.matching.engine.train on all records, then resolve file by file in the order "
            + ", ".join(s for s, _ in files)
        )
        result["ours"] = side
    if splink is not None:
        clusters, report = work / "splink_clusters.csv", work / "splink_report.json"
        command = [
            splink,
            str(HERE / "splink_side.py"),
            *file_args,
            "--clusters",
            str(clusters),
            "--report",
            str(report),
            "--threshold",
            str(threshold),
        ]
        measured = run_measured(command, work / "splink.log", timeout=timeout)
        raw = json.loads(report.read_text())
        side = _side("splink", raw, measured, clusters, truth)
        side["version"] = raw.get("version")
        side["duckdb"] = raw.get("duckdb")
        side["config"] = (
            "DuckDB, dedupe_only; NameComparison(name, tf), ExactMatch(mobile), EmailComparison(email), "
            "DateOfBirthComparison(birth_date), ExactMatch(city, tf); blocking: mobile | name+city | email; "
            "estimate_probability_two_random_records_match([mobile, email], recall=0.7), "
            "estimate_u_using_random_sampling(max_pairs=5e6), EM on block_on(mobile) then block_on(name); "
            f"predict(threshold_match_probability=0.5); cluster_pairwise_predictions_at_threshold({threshold}); "
            "see benchmarks/splink_side.py"
        )
        result["splink"] = side
    if "ours" in result and "splink" in result and result["splink"]["records_per_s"]:
        result["ratio_records_per_s"] = round(result["ours"]["records_per_s"] / result["splink"]["records_per_s"], 3)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="records (over all sources)")
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dup-rate", type=float, default=0.3)
    parser.add_argument("--namesake-rate", type=float, default=0.05)
    parser.add_argument("--threshold", type=float, default=0.9, help="Splink's clustering threshold")
    parser.add_argument("--work", type=Path, default=None, help="keep the generated files and clusters here")
    parser.add_argument("--sides", default="ours,splink", help="ours,splink (default both)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per side before it is killed")
    args = parser.parse_args(argv)
    sides = tuple(s.strip() for s in args.sides.split(",") if s.strip())

    def go(work: Path) -> dict[str, Any]:
        return compare(
            args.n,
            work,
            seed=args.seed,
            dup_rate=args.dup_rate,
            namesake_rate=args.namesake_rate,
            threshold=args.threshold,
            sides=sides,
            timeout=args.timeout,
        )

    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        result = go(args.work)
    else:
        with tempfile.TemporaryDirectory(prefix="custgraph-vs-splink-") as tmp:
            result = go(Path(tmp))
    text = json.dumps(result, ensure_ascii=False, indent=2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
