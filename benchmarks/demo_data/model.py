"""What the generator hands back: source tables of records, each record tied to its true entity."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.entities import Entity, World

# A cell value: text, a date (an Excel date cell), an int (an Excel number cell / a JSON number) or None.
Cell = str | date | int | None


@dataclass(frozen=True)
class SourceRecord:
    source: str
    key: str
    entity: str  # true entity id, e.g. E00042
    row: dict[str, Cell]  # column -> value, in the table's column order (jsonl rows may lack keys)
    dirt: tuple[str, ...] = ()  # the kinds of dirt in this record, e.g. ("pinyin_name", "phone_plus86")


@dataclass(frozen=True)
class SourceTable:
    name: str  # crm_export | orders | webform | interactions
    fmt: str  # xlsx | csv | jsonl
    columns: tuple[str, ...]
    key_column: str
    records: tuple[SourceRecord, ...]  # file order; an exact duplicate row appears twice

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.fmt}"


@dataclass(frozen=True)
class GeneratedSet:
    seed: int
    dirt: DirtConfig
    world: World
    tables: dict[str, SourceTable] = field(default_factory=dict)

    @property
    def entities(self) -> tuple[Entity, ...]:
        return self.world.entities

    def records(self) -> Iterator[SourceRecord]:
        for table in self.tables.values():
            yield from table.records

    def truth(self) -> list[tuple[str, str, str]]:
        """(source, source_key, entity), one per distinct key, in file order."""
        seen: dict[tuple[str, str], str] = {}
        for r in self.records():
            seen.setdefault((r.source, r.key), r.entity)
        return [(s, k, e) for (s, k), e in seen.items()]

    def counts(self) -> dict[str, Any]:
        per_source = {name: len(t.records) for name, t in self.tables.items()}
        return {
            "entities": len(self.world.entities),
            "persons": sum(1 for e in self.world.entities if e.kind == "person"),
            "companies": sum(1 for e in self.world.entities if e.kind == "company"),
            "records": sum(per_source.values()),
            "distinct_keys": len(self.truth()),
            **per_source,
        }
