"""Deterministic synthetic customer data with ground truth.

    from benchmarks.demo_data.generator import DirtConfig, generate
    gs = generate(seed=1, n_entities=3000)               # crm_export, orders, webform
    gs.tables["orders"].records[0]                       # SourceRecord(source, key, entity, row, dirt)
    gs.truth()                                           # [(source, source_key, entity), ...]
    write_set(gs, "out/")                                # benchmarks.demo_data.writers: the files + truth.csv

One true world (companies and customers with their history) is built first, then each source renders
the customers it knows, with that source's kind of dirt. Everything is drawn from random.Random
instances seeded from (seed, stage), never from the global generator, so a seed always gives the same
files, and each source draws from its own generator.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from benchmarks.demo_data import render_crm, render_interactions, render_orders, render_webform
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.entities import World
from benchmarks.demo_data.model import GeneratedSet, SourceRecord, SourceTable
from benchmarks.demo_data.plan import Reach
from benchmarks.demo_data.world import build_world

__all__ = [
    "DEFAULT_SOURCES",
    "SOURCES",
    "DirtConfig",
    "GeneratedSet",
    "Reach",
    "SourceRecord",
    "SourceTable",
    "generate",
]

Renderer = Callable[[random.Random, World, DirtConfig], SourceTable]
SOURCES: dict[str, Renderer] = {
    "crm_export": render_crm.render,
    "orders": render_orders.render,
    "webform": render_webform.render,
    "interactions": render_interactions.render,
}
DEFAULT_SOURCES: tuple[str, ...] = ("crm_export", "orders", "webform")


def _rng(seed: int, stage: str) -> random.Random:
    return random.Random(f"custgraph-demo/{seed}/{stage}")


def generate(
    seed: int,
    n_entities: int,
    *,
    sources: tuple[str, ...] = DEFAULT_SOURCES,
    dirt: DirtConfig | None = None,
    company_share: float = 0.2,
    english_share: float = 0.05,
    reach: Reach | None = None,
) -> GeneratedSet:
    """Build n_entities true customers (persons and companies) and render them into `sources`.

    Every entity appears in at least one of the sources; the first source listed takes the ones
    that would otherwise appear nowhere.
    """
    if n_entities < 1:
        raise ValueError("n_entities must be >= 1")
    unknown = [s for s in sources if s not in SOURCES]
    if not sources or unknown or len(set(sources)) != len(sources):
        raise ValueError(f"sources must be distinct names from {sorted(SOURCES)}, got {sources!r}")
    for name, share in (("company_share", company_share), ("english_share", english_share)):
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"{name} must be in [0, 1]")
    dirt = dirt if dirt is not None else DirtConfig()
    world = build_world(
        _rng(seed, "world"),
        n_entities,
        dirt,
        sources=tuple(sources),
        company_share=company_share,
        english_share=english_share,
        reach=reach or Reach(),
    )
    tables = {name: SOURCES[name](_rng(seed, name), world, dirt) for name in sources}
    return GeneratedSet(seed=seed, dirt=dirt, world=world, tables=tables)
