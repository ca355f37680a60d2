"""The unmatched pool as a workbook that ``custgraph import`` reads back (``custgraph review unmatched``).

One sheet per source and kind, since an import names its source and kind. Each sheet's columns are
the ones the import recognises without a mapping: ``source_key`` (the row key: the same key gives the
same uid), one column per canonical field under its canonical name, holding the cell as it was read
(the name, company and identifier columns always, empty, to be filled in), then the source's unmapped
columns under their own headers. The rows are the ones
``pipeline/rematch.record_row`` rebuilds, the same a ``rematchRecord`` correction starts from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from custgraph.graph.connection import Graph
from custgraph.graph.repositories.unmatched import iter_unmatched
from custgraph.ingest.fields import IDENTIFIER_FIELDS
from custgraph.pipeline.rematch import KEY_COLUMN, field_columns, record_row
from custgraph.private_files import open_private

# What a pool record lacks, so always a column to fill in: the names and identifiers the matcher needs.
MATCHABLE = ("name", "company", *IDENTIFIER_FIELDS)
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class PoolSheet:
    title: str
    source: str
    kind: str
    columns: list[str] = field(default_factory=list)
    rows: int = 0

    def import_command(self, out: Path) -> str:
        kind = "" if self.kind == "customers" else f" --kind {self.kind}"
        return f"custgraph import {out} --source {self.source} --sheet '{self.title}'{kind}"


def _title(source: str, kind: str, taken: set[str]) -> str:
    base = SHEET_TITLE_FORBIDDEN.sub("_", source if kind == "customers" else f"{source} {kind}")[:SHEET_TITLE_MAX]
    title, n = base or "pool", 1
    while title.lower() in taken:  # Excel compares sheet names without case
        n += 1
        title = f"{base[: SHEET_TITLE_MAX - len(str(n)) - 1]}~{n}"
    taken.add(title.lower())
    return title


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell | None:
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else str(value)
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"  # text as it was read: never a formula ("=..."), a number or a date
    return cell


async def write_pool(graph: Graph, out: Path, *, source: str | None = None) -> list[PoolSheet]:
    """Write the pool (of one source, when given) to ``out``, owner-only; the sheets written.

    Two passes over the pool, a page at a time: the first finds each sheet's columns, the second
    writes the rows, so memory holds a page and the headers, not the pool."""
    sheets: dict[tuple[str, str], PoolSheet] = {}
    extras: dict[tuple[str, str], dict[str, None]] = {}
    fields: dict[tuple[str, str], set[str]] = {}
    async for node in iter_unmatched(graph, source=source):
        key = (node.source, node.kind)
        row = record_row(node)
        sheets.setdefault(key, PoolSheet(title="", source=node.source, kind=node.kind))
        known = set(field_columns([row]))
        fields.setdefault(key, set(MATCHABLE)).update(known)
        extras.setdefault(key, {}).update((h, None) for h in row if h not in known and h != KEY_COLUMN)
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    writers: dict[tuple[str, str], WriteOnlyWorksheet] = {}
    for key in sorted(sheets):
        sheet = sheets[key]
        sheet.title = _title(sheet.source, sheet.kind, taken)
        sheet.columns = [KEY_COLUMN, *field_columns([dict.fromkeys(fields[key])]), *extras[key]]
        writers[key] = workbook.create_sheet(sheet.title)
        writers[key].append(sheet.columns)
    async for node in iter_unmatched(graph, source=source):
        key = (node.source, node.kind)
        if key not in sheets:  # came into the pool between the passes: the next export has it
            continue
        row, ws = record_row(node), writers[key]
        ws.append([_cell(ws, row.get(column)) for column in sheets[key].columns])
        sheets[key].rows += 1
    if not writers:
        workbook.create_sheet("pool").append([KEY_COLUMN])  # a workbook needs a sheet
    with open_private(out, "wb") as handle:
        workbook.save(handle)
    return [sheets[key] for key in sorted(sheets)]
