"""Pairwise precision / recall / F1 of a clustering against the generator's truth: one function for every side.

The definition is that of shared/checks/pair_f1.py (copied here: CI clones do not have shared/):
- a predicted pair is two records of the truth placed in one cluster; a true pair, two records of one entity;
- a record missing from the clustering, or given no cluster (None / ""), is a singleton;
- records the truth does not know are ignored.
Pairs are counted, not listed (the sizes of cluster ∩ entity groups), so 1M records cost a few counters,
not the set of all pairs; the result is the same as the set arithmetic of pair_f1.py.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def _pairs(groups: Iterable[int]) -> int:
    return sum(k * (k - 1) // 2 for k in groups)


def pair_scores(assignment: Iterable[tuple[str, str | None]], truth: Mapping[str, str]) -> dict[str, Any]:
    """``assignment``: (record id, cluster id) pairs; ``truth``: record id -> entity. Record ids are any
    hashable labels shared by both (the benchmarks use "source|source_key")."""
    clusters: dict[str, str] = {}
    for record, cluster in assignment:
        if record in truth and cluster not in (None, ""):
            clusters[record] = str(cluster)  # a record listed twice: the later cluster wins, as in pair_f1.py
    predicted = Counter(clusters.values())
    joint = Counter((cluster, truth[record]) for record, cluster in clusters.items())
    tp, pp, tt = _pairs(joint.values()), _pairs(predicted.values()), _pairs(Counter(truth.values()).values())
    precision = tp / pp if pp else 0.0
    recall = tp / tt if tt else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "records": len(clusters),
        "truth_records": len(truth),
        "predicted_pairs": pp,
        "true_pairs": tt,
        "tp": tp,
        "false_pairs": pp - tp,
    }


def read_truth(path: Path) -> dict[str, str]:
    """truth.csv (source,source_key,entity[,dirt]) as "source|source_key" -> entity."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {f"{r['source']}|{r['source_key']}": r["entity"] for r in csv.DictReader(handle)}


def read_clusters(path: Path) -> list[tuple[str, str]]:
    """A clusters CSV: unique_id,cluster_id (what the sides of vs_splink write)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [(r["unique_id"], r["cluster_id"]) for r in csv.DictReader(handle)]


def read_links(path: Path) -> list[tuple[str, str]]:
    """`custgraph export links` (source,source_key,customer_id,outcome) as (record id, customer id)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return [
            (f"{r['source'].strip()}|{r['source_key'].strip()}", r.get("customer_id", "").strip())
            for r in csv.DictReader(handle)
        ]
