"""Turns drafted rows into a keyed source table: row order, keys and exact duplicate rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.model import Cell, SourceRecord, SourceTable


@dataclass(frozen=True)
class Draft:
    entity: str
    when: datetime  # when the row was made: the table is ordered by it, the key may show it
    row: dict[str, Cell]
    dirt: tuple[str, ...]


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def assemble(
    rng: random.Random,
    dirt: DirtConfig,
    *,
    name: str,
    fmt: str,
    columns: tuple[str, ...],
    key_column: str,
    drafts: list[Draft],
    key_of: Callable[[int, Draft], str],
) -> SourceTable:
    rng.shuffle(drafts)
    drafts.sort(key=lambda d: d.when)  # stable: equal times keep the shuffled order
    records: list[SourceRecord] = []
    for i, d in enumerate(drafts, start=1):
        key = key_of(i, d)
        row = {key_column: key, **d.row}
        if fmt != "jsonl":
            row = {c: row.get(c, "") for c in columns}
        records.append(SourceRecord(name, key, d.entity, row, d.dirt))
    rate = dirt.rate("exact_duplicate_row", name)
    copies = [replace(r, dirt=(*r.dirt, "exact_duplicate")) for r in records if rng.random() < rate]
    for copy in copies:  # a page exported twice: the copy lands somewhere after the original
        start = records.index(next(r for r in records if r.key == copy.key)) + 1
        records.insert(rng.randrange(start, len(records) + 1), copy)
    return SourceTable(name=name, fmt=fmt, columns=columns, key_column=key_column, records=tuple(records))
