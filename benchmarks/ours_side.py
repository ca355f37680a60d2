"""Our side of benchmarks/vs_splink.py: generated files to clusters with the in-memory engine, no graph.

    .venv/bin/python benchmarks/ours_side.py --file crm_export=DIR/flat/crm_export.csv ... \
        --mapping DIR/mappings/flat.yaml --clusters OUT.csv --report OUT.json

The same functions an import uses: ``custgraph.ingest.reading.iter_records`` reads, maps, standardizes
and validates each file; ``custgraph.matching.engine.train`` estimates the model (EM) on every record read;
``custgraph.matching.engine.resolve`` blocks, scores and clusters the files one after the other, each
against the records placed before it, as successive imports do. Only the graph write is left out: ids
are handed out in memory. Engine improvements show up here with no change to this file.

Writes the clusters (unique_id,cluster_id: a record the engine leaves unmatched is its own cluster)
and a JSON report: seconds per stage, records, outcomes, peak RSS of this process.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from custgraph.ingest.mapping import load_mapping
from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.reading import iter_records
from custgraph.matching.engine import ResolutionResult, resolve, train
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import load_rules


class IdAllocator:
    """Stands in for the graph: turns provisional ids into real ones and applies merges."""

    def __init__(self) -> None:
        self.next = 1
        self.absorbed: dict[str, str] = {}

    def commit(self, result: ResolutionResult) -> None:
        ids = {}
        for provisional in result.provisional_ids():
            ids[provisional] = f"C{self.next:07d}"
            self.next += 1
        result.rename(ids)
        for merge in result.merges:
            self.absorbed[merge.absorbed] = merge.survivor

    def final(self, customer_id: str | None) -> str | None:
        while customer_id in self.absorbed:
            customer_id = self.absorbed[customer_id]
        return customer_id


def read_files(files: Sequence[tuple[str, Path]], mapping: Path) -> list[list[MatchRecord]]:
    """One batch of MatchRecords per file, in order, as the import reads them."""
    profile = load_mapping(mapping)
    batches, seq = [], 0
    for source, path in files:
        batch = []
        for item in iter_records(Path(path), source=source, mapping=profile):
            if isinstance(item, IngestedRecord):
                batch.append(MatchRecord(uid=item.uid, source=item.source, fields=dict(item.fields), seq=seq))
                seq += 1
        batches.append(batch)
    return batches


def cluster_files(
    files: Sequence[tuple[str, Path]], mapping: Path, rules_path: Path | None = None
) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """(source, path) files -> ([(uid, cluster id)], stats). Every record read gets a cluster id."""
    rules = load_rules(rules_path)
    t0 = time.perf_counter()
    batches = read_files(files, mapping)
    t1 = time.perf_counter()
    everything = [r for batch in batches for r in batch]
    params = train(everything, rules)
    t2 = time.perf_counter()
    ids, existing, outcomes = IdAllocator(), [], Counter()
    merges = review_pairs = 0
    for batch in batches:
        result = resolve(batch, existing, rules, params=params)
        ids.commit(result)
        by_uid = {r.uid: r for r in batch}
        existing += [by_uid[res.uid].with_customer(res.customer_id) for res in result.resolutions]
        outcomes.update(res.outcome for res in result.resolutions)
        merges += len(result.merges)
        review_pairs += len(result.review_pairs)
    t3 = time.perf_counter()
    clusters = [(rec.uid, ids.final(rec.customer_id) or f"single:{rec.uid}") for rec in existing]
    stats = {
        "records": len(everything),
        "seconds": round(t3 - t0, 3),
        "seconds_read": round(t1 - t0, 3),
        "seconds_train": round(t2 - t1, 3),
        "seconds_resolve": round(t3 - t2, 3),
        "outcomes": dict(outcomes),
        "merges": merges,
        "review_pairs": review_pairs,
        "review_share": round(outcomes.get("review", 0) / max(1, len(everything)), 5),
    }
    return clusters, stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", action="append", required=True, help="SOURCE=PATH, in import order")
    parser.add_argument("--mapping", type=Path, required=True)
    parser.add_argument("--rules", type=Path, default=None)
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args(argv)
    files = [(spec.split("=", 1)[0], Path(spec.split("=", 1)[1])) for spec in args.file]
    clusters, stats = cluster_files(files, args.mapping, args.rules)
    with open(args.clusters, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("unique_id", "cluster_id"))
        writer.writerows(clusters)
    stats["peak_rss_mb_self"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.report.write_text(json.dumps(stats, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
