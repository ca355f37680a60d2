"""Rewrites the shipped demo data set and the sample files in examples/.

    python -m benchmarks.demo_data.build                      # both, in place
    python -m benchmarks.demo_data.build --only demo --demo-dir /tmp/demo
    python -m benchmarks.demo_data.build --only synthetic --demo-dir /tmp/big   # 200 generated customers

The demo (custgraph/data/demo/) is the hand-written story of story.py; examples/ and the synthetic set
come from the generator with the seeds and sizes fixed here. Running it again gives byte-identical files.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.generator import generate
from benchmarks.demo_data.model import GeneratedSet
from benchmarks.demo_data.plan import Reach
from benchmarks.demo_data.story import build_story
from benchmarks.demo_data.writers import write_table, write_truth
from custgraph.service.cli_data import DEMO_DIR

DEMO_SEED = 2024
DEMO_ENTITIES = 200
DEMO_SOURCES = ("crm_export", "webform", "orders", "interactions")
EXAMPLES_SEED = 7
EXAMPLES_ENTITIES = 55
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


def synthetic_set() -> GeneratedSet:
    """A couple of hundred customers, a fifth of them companies, with more English speakers than usual."""
    return generate(DEMO_SEED, DEMO_ENTITIES, sources=DEMO_SOURCES, english_share=0.12)


def examples_set() -> GeneratedSet:
    """A small sample where every common kind of dirt shows up a few times."""
    dirt = replace(DirtConfig().scaled(1.5), exact_duplicate_row=0.04, duplicate_entry=0.06, placeholder_mobile=0.05)
    reach = Reach(crm_person=0.95, crm_company=1.0, webform_prospect=0.9, webform_other=0.55)
    return generate(EXAMPLES_SEED, EXAMPLES_ENTITIES, dirt=dirt, english_share=0.1, reach=reach)


def build_demo(out_dir: Path = DEMO_DIR) -> list[Path]:
    """The shipped demo: one duplicate story (story.py)."""
    return build_story(out_dir)


def build_synthetic(out_dir: Path) -> GeneratedSet:
    """Two hundred generated customers over the four demo sources, with every kind of dirt."""
    gs = synthetic_set()
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in gs.tables.values():
        write_table(table, out_dir / table.filename)
    write_truth(gs, out_dir / "truth.csv")
    return gs


def build_examples(out_dir: Path = EXAMPLES_DIR) -> GeneratedSet:
    gs = examples_set()
    out_dir.mkdir(parents=True, exist_ok=True)
    for table in gs.tables.values():
        write_table(table, out_dir / table.filename, title_row=table.fmt == "xlsx")
    return gs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("demo", "examples", "synthetic"))
    parser.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    parser.add_argument("--examples-dir", type=Path, default=EXAMPLES_DIR)
    args = parser.parse_args(argv)
    if args.only in (None, "demo"):
        print(f"demo -> {args.demo_dir}: {[p.name for p in build_demo(args.demo_dir)]}")
    if args.only == "synthetic":
        print(f"synthetic -> {args.demo_dir}: {build_synthetic(args.demo_dir).counts()}")
    if args.only in (None, "examples"):
        print(f"examples -> {args.examples_dir}: {build_examples(args.examples_dir).counts()}")


if __name__ == "__main__":
    main()
