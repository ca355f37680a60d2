"""Open any supported file as a Table, chosen by its extension."""

from __future__ import annotations

from pathlib import Path

from custgraph.ingest.csv_reader import CsvTable
from custgraph.ingest.errors import IngestError
from custgraph.ingest.jsonl_reader import JsonlTable
from custgraph.ingest.table import HeaderTest, Table
from custgraph.ingest.xlsx_reader import XlsxTable

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES | JSONL_SUFFIXES


def open_table(path: Path, *, sheet: str | None = None, is_header: HeaderTest | None = None) -> Table:
    """Open `path` for streaming. `sheet` picks an xlsx worksheet (default: the first) and is ignored by
    the other formats. `is_header` decides which of the first rows is the header (default: the first row
    with two recognised column names). Raises IngestError with a one-line reason; close the table after
    use (it is a context manager)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    if suffix == ".xls":
        raise IngestError(f"{path.name}: the old .xls format is not supported; save it as .xlsx or .csv")
    if suffix in CSV_SUFFIXES:
        return CsvTable(path, is_header=is_header)
    if suffix in XLSX_SUFFIXES:
        return XlsxTable(path, sheet=sheet, is_header=is_header)
    if suffix in JSONL_SUFFIXES:
        return JsonlTable(path, is_header=is_header)
    known = ", ".join(sorted(SUPPORTED_SUFFIXES))
    raise IngestError(f"{path.name}: unsupported file type {suffix or '(none)'!r} (supported: {known})")
