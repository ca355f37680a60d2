"""An import run keeps one engine state across its batches (matching/state.py): every record must end
exactly where a fresh engine per batch puts it — same outcome, customer id, review pairs and merges —
on namesake-heavy data whose blocks overflow a small cap, with a state too small to keep every record
(records dropped and read again, the table compacted)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import Generator
from custgraph.graph.connection import Graph
from custgraph.ingest.mapping import load_mapping
from custgraph.matching import state as engine_state
from custgraph.matching.rules import Rules, rules_from_dict
from custgraph.pipeline.run import ImportOptions, run_import
from tests.wipe import wipe


def small_block_rules(cap: int) -> Rules:
    from importlib import resources

    import yaml

    data = yaml.safe_load((resources.files("custgraph") / "data" / "rules.default.yaml").read_text(encoding="utf-8"))
    data["clustering"]["max_block_size"] = cap
    return rules_from_dict(data)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("generated")
    manifest = Generator(n=500, out=out, dup_rate=0.35, namesake_rate=0.5, seed=5).run()
    return out, manifest


def changed_copy(path: Path, out: Path) -> Path:
    """The file again, every seventh row with another mobile (rows to re-resolve) and the rest as they were."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    mobile = next(i for i, name in enumerate(header) if "手机" in name or "mobile" in name.lower())
    for n, row in enumerate(body):
        if n % 7 == 3:
            row[mobile] = f"1391234{n:04d}"
    target = out / f"changed-{path.name}"
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    return target


async def import_all(
    graph: Graph, data: Path, manifest: dict[str, Any], rules: Rules, tmp: Path, state: int | None
) -> list[str]:
    """Every generated file in batches of 40, then the first file again with some rows changed."""
    files = [(data / spec["path"], data / spec["mapping"]) for spec in manifest["files"]]
    files.append((changed_copy(*files[0][:1], tmp), files[0][1]))
    lines = []
    for path, mapping in files:
        profile = load_mapping(mapping)
        options = ImportOptions(source=profile.source, mapping=profile, batch_rows=40, engine_state=state)
        summary = await run_import(graph, [path], options, rules, reports_dir=tmp / "reports")
        lines.append(summary.line().split(": ", 1)[1])
    return lines


async def outcome(graph: Graph) -> dict[str, Any]:
    records = await graph.read(
        "MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS customer, s.outcome AS outcome, "
        "s.rule AS rule, s.score AS score, s.matched_uid AS matched, s.evidence_json AS evidence ORDER BY uid"
    )
    merged = await graph.read(
        "MATCH (c:Customer) WHERE c.merged_into IS NOT NULL RETURN c.id AS id, c.merged_into AS into ORDER BY id"
    )
    reviews = await graph.read(
        "MATCH (r:ReviewItem) RETURN r.key AS key, r.score AS score, r.times_flagged AS times, "
        "r.evidence_json AS evidence ORDER BY key"
    )
    return {"records": records, "merged": merged, "reviews": reviews}


async def test_kept_engine_state_places_every_record_as_a_fresh_engine_per_batch(
    clean_graph: Graph, generated: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, manifest = generated
    rules = small_block_rules(3)  # namesake blocks far over the cap
    reference_lines = await import_all(clean_graph, data, manifest, rules, tmp_path, None)
    reference = await outcome(clean_graph)

    await wipe(clean_graph)
    monkeypatch.setattr(engine_state, "MIN_COMPACT", 50)  # compact the table often
    kept_lines = await import_all(clean_graph, data, manifest, rules, tmp_path, 120)  # fewer than the records
    kept = await outcome(clean_graph)

    assert kept_lines == reference_lines
    assert json.dumps(kept, sort_keys=True, default=str) == json.dumps(reference, sort_keys=True, default=str)
    # the data is not trivial: namesakes matched, reviewed and merged; changed rows re-resolved
    outcomes = [r["outcome"] for r in reference["records"]]
    assert outcomes.count("matched") > 50 and outcomes.count("review") > 0 and reference["merged"]
    assert "updated=" in reference_lines[-1] and "updated=0 " not in reference_lines[-1]


async def test_a_run_says_where_its_time_went_and_how_it_had_its_candidates(
    clean_graph: Graph, generated: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    data, manifest = generated
    first, second = manifest["files"][:2]
    rules = small_block_rules(3)
    summaries = []
    for spec in (first, second):
        profile = load_mapping(data / spec["mapping"])
        options = ImportOptions(source=profile.source, mapping=profile, batch_rows=40)
        summaries.append(await run_import(clean_graph, [data / spec["path"]], options, rules, reports_dir=tmp_path))
    later = summaries[1]
    assert set(later.seconds) == {"store", "prepare", "decide", "persist", "classify"}  # every stage is accounted
    # the second file's batches meet the first file's records: read whole once, then from memory
    assert later.candidates_read > 0 and later.candidates_kept > 0
    line = later.stages_line()
    assert line.startswith("stages: store=") and f"{later.candidates_read} read whole" in line
