"""How a record's candidates grow with the data, for several block caps: a probe of blocking alone.

    .venv/bin/python benchmarks/block_growth.py DATA_DIR [--caps 100,50,30] [--stop 1000000] [--batch 5000]

``DATA_DIR`` is a directory ``benchmarks/generate.py`` wrote (its manifest.json lists the files in import
order). The files are streamed in that order and every record is keyed by the shipped blocking rules, as
an import would. Per stretch of the stream, it prints one JSON line:

- ``old_per_record``: candidates offered per record when an oversized block offers its oldest 100 members
  (the engine before full blocks);
- per cap, ``per_record``: candidates offered per record when a block offers its earlier members only
  while fewer than the cap came before (a full block offers nothing; matching/blocking.py), and
  ``existing_per_batch``: an upper bound of the existing records a batch of ``--batch`` rows must place
  (per distinct key the batch touches, the members it held before the batch while not full).

A candidate met through two rules counts twice; no graph, no scoring: a cheap, deterministic view of the
work an import does per row as the graph grows.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custgraph.ingest.mapping import load_mapping  # noqa: E402
from custgraph.ingest.models import IngestedRecord  # noqa: E402
from custgraph.ingest.reading import iter_records  # noqa: E402
from custgraph.matching.blocking import blocking_keys  # noqa: E402
from custgraph.matching.record import MatchRecord  # noqa: E402
from custgraph.matching.rules import load_rules  # noqa: E402

MARKS = (10_000, 50_000, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000, 800_000, 1_000_000)
OLD_CAP = 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--caps", default="100,50,30")
    parser.add_argument("--stop", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args(argv)
    caps = [int(c) for c in args.caps.split(",")]
    manifest = json.loads((args.data / "manifest.json").read_text(encoding="utf-8"))
    rules = load_rules()
    sizes: dict[str, Counter[str]] = defaultdict(Counter)  # rule -> key -> records holding it so far
    offered: Counter[int] = Counter()
    touched: dict[int, dict[tuple[str, str], int]] = {cap: {} for cap in caps}  # key -> members before the batch
    existing: Counter[int] = Counter()
    old = n = stretch = batches = 0
    for spec in manifest["files"]:
        mapping = load_mapping(args.data / spec["mapping"])
        for item in iter_records(args.data / spec["path"], source=spec["source"], kind=spec["kind"], mapping=mapping):
            if not isinstance(item, IngestedRecord):
                continue
            n += 1
            stretch += 1
            for rule, key in blocking_keys(MatchRecord(item.uid, item.source, item.fields), rules).items():
                before = sizes[rule][key]
                old += min(before, OLD_CAP)
                for cap in caps:
                    if before < cap:
                        offered[cap] += before
                        touched[cap].setdefault((rule, key), before)  # its first holder in the batch
                sizes[rule][key] = before + 1
            if n % args.batch == 0:
                batches += 1
                for cap in caps:
                    existing[cap] += sum(touched[cap].values())
                    touched[cap].clear()
            if n in MARKS or n == args.stop:
                line = {"records": n, "old_per_record": round(old / stretch, 1)}
                for cap in caps:
                    line[f"cap_{cap}"] = {
                        "per_record": round(offered[cap] / stretch, 1),
                        "existing_per_batch": round(existing[cap] / max(batches, 1)),
                    }
                print(json.dumps(line), flush=True)
                offered.clear()
                existing.clear()
                old = stretch = batches = 0
            if n >= args.stop:
                return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
