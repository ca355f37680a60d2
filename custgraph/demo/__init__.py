"""Synthetic customer data with ground truth: behind the benchmarks, the demo data set and examples/.

`custgraph demo load` imports DEMO_FILES in order: customer sources first, then orders, then interactions.
Regenerate the shipped files with `python -m custgraph.demo.build` (see custgraph/data/demo/README.md).
"""

from __future__ import annotations

from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"

# (path, source name, kind) in load order. Source names match custgraph/data/demo/truth.csv.
DEMO_FILES: list[tuple[str, str, str]] = [
    (str(DEMO_DIR / "crm_export.xlsx"), "crm_export", "customers"),
    (str(DEMO_DIR / "webform.jsonl"), "webform", "customers"),
    (str(DEMO_DIR / "orders.csv"), "orders", "orders"),
    (str(DEMO_DIR / "interactions.csv"), "interactions", "interactions"),
]
