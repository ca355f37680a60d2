"""Generate the Chinese multi-source CRM benchmark: three dirty sources over one set of true customers.

    python benchmarks/gen_chinese_crm.py --seed 1 --entities 3000 --out /tmp/bench

writes crm_export.xlsx (客户编号 is the key), orders.csv (订单号), webform.jsonl (id), truth.csv
(source,source_key,entity — the input of shared/checks/pair_f1.py) and dirt.csv (the dirt kinds
each record carries). Import with the mapping profiles in benchmarks/mappings/, then score:

    custgraph import OUT/crm_export.xlsx --mapping benchmarks/mappings/crm_export.yaml
    custgraph import OUT/orders.csv --kind orders --mapping benchmarks/mappings/orders.yaml
    custgraph import OUT/webform.jsonl --mapping benchmarks/mappings/webform.yaml
    custgraph export links --out links.csv && python shared/checks/pair_f1.py links.csv OUT/truth.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root makes `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_data.dirt import DirtConfig  # noqa: E402
from benchmarks.demo_data.generator import DEFAULT_SOURCES, SOURCES, generate  # noqa: E402
from benchmarks.demo_data.writers import write_set  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Generate the Chinese CRM matching benchmark.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--entities", type=int, default=3000, help="true customers (persons and companies)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--dirt-scale", type=float, default=1.0, help="multiply every dirt rate (0 = clean)")
    parser.add_argument("--dirt", type=Path, help="JSON object of dirt rates overriding the defaults")
    parser.add_argument(
        "--sources", default=",".join(DEFAULT_SOURCES), help=f"comma-separated, from {', '.join(SOURCES)}"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    overrides = json.loads(args.dirt.read_text(encoding="utf-8")) if args.dirt else {}
    dirt = DirtConfig.from_dict({**DirtConfig().to_dict(), **overrides}).scaled(args.dirt_scale)
    sources = tuple(s.strip() for s in args.sources.split(",") if s.strip())
    gs = generate(args.seed, args.entities, sources=sources, dirt=dirt)
    paths = write_set(gs, args.out)
    for name, path in paths.items():
        print(f"{name:>12}: {path}")
    print(json.dumps(gs.counts(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
