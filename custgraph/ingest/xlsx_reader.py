"""Excel workbooks (.xlsx, .xlsm), streamed with openpyxl's read-only mode, merged cells included.

Merged cells: openpyxl gives the value only in a range's top-left (anchor) cell, the others read as None.
- In the header, a merged label is spread across its columns (a repeated label becomes `label_2`), and a
  label merged down over the rows below makes those rows part of the header: for each column the lowest
  label wins (联系方式 spanning 手机 | 邮箱 gives the headers 手机 and 邮箱).
- In data rows, a vertically merged cell (a region written once for a block of customers) gives its value
  to every row it covers, in the anchor's column only: a value merged across columns belongs to the first
  column, and copying it would put one value into several fields.
Read-only mode does not expose merged ranges (they come after the cell data in the sheet XML), so
`_merged_ranges` scans the sheet's XML for them first; that costs one decompression pass, no parsing.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.exceptions import InvalidFileException

from custgraph.ingest.cells import cell_text
from custgraph.ingest.errors import IngestError
from custgraph.ingest.table import Cells, HeaderTest, RawRow, Table

# (first row, first column, last row, last column), 1-based and inclusive, like Excel's A1:C3.
CellRange = tuple[int, int, int, int]

_MERGE_REF = re.compile(rb'<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_SCAN_CHUNK = 1 << 20
_MAX_HEADER_DEPTH = 3  # a merge reaching further down than this is data that happens to start at the header


def _merged_ranges(sheet: Any) -> list[CellRange]:
    """Merged ranges of a read-only sheet, from its XML (openpyxl only parses them after all rows)."""
    ranges: list[CellRange] = []
    try:
        source = sheet._get_source()  # private API, but stable since openpyxl 2.6; without it: no merges
    except (AttributeError, KeyError, OSError):
        return ranges
    carry = b""
    with source:
        while chunk := source.read(_SCAN_CHUNK):
            data = carry + chunk
            last = 0
            if b"mergeCell" in data:  # a plain byte search skips the regex on almost every chunk
                for m in _MERGE_REF.finditer(data):
                    first_col, first_row, last_col, last_row = m.groups()
                    if last_col is not None:
                        ranges.append(
                            (
                                int(first_row),
                                column_index_from_string(first_col.decode()),
                                int(last_row),
                                column_index_from_string(last_col.decode()),
                            )
                        )
                    last = m.end()
            carry = data[max(last, len(data) - 512) :]  # a tag cut in two by the chunk boundary
    return ranges


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path: Path, *, sheet: str | None = None, is_header: HeaderTest | None = None) -> None:
        try:
            with warnings.catch_warnings():  # openpyxl warns about styles and extensions it ignores
                warnings.simplefilter("ignore")
                self._book = load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise IngestError(f"{path.name}: not a readable .xlsx workbook ({exc})") from exc
        try:
            self._sheet = self._pick_sheet(path, sheet)
            self.sheet_name: str = self._sheet.title
            # Some writers store a wrong <dimension>; without it openpyxl reads every row to its real end.
            self._sheet.reset_dimensions()
            merges = _merged_ranges(self._sheet)
            self._merges_by_row: dict[int, list[CellRange]] = defaultdict(list)
            for merge in merges:
                self._merges_by_row[merge[0]].append(merge)
            self._merges = merges
            super().__init__(path, is_header=is_header)
        except BaseException:
            self.close()
            raise

    def _pick_sheet(self, path: Path, sheet: str | None) -> Any:
        sheets = self._book.worksheets
        if not sheets:
            raise IngestError(f"{path.name}: the workbook has no worksheet")
        if sheet is None:
            return sheets[0]
        for candidate in sheets:
            if candidate.title == sheet:
                return candidate
        names = ", ".join(repr(s.title) for s in sheets)
        raise IngestError(f"{path.name}: no sheet named {sheet!r} (sheets: {names})")

    def _read_rows(self) -> Iterator[RawRow]:
        # Vertical merges being filled: anchor column (0-based) -> (last row, value).
        filling: dict[int, tuple[int, object]] = {}
        for row, values in enumerate(self._sheet.iter_rows(values_only=True), start=1):
            cells: Cells = list(values)
            for column, (last_row, value) in list(filling.items()):
                if row > last_row:
                    del filling[column]
                    continue
                if column >= len(cells):
                    cells.extend([None] * (column + 1 - len(cells)))
                cells[column] = value
            for first_row, first_col, last_row, _ in self._merges_by_row.get(row, ()):
                if last_row > first_row and first_col <= len(cells):
                    filling[first_col - 1] = (last_row, cells[first_col - 1])
            yield row, cells

    def _header_labels(self, row: int, cells: Cells) -> list[str]:
        labels = [cell_text(cell) for cell in cells]
        for first_row, first_col, last_row, last_col in self._merges:
            if first_row <= row <= last_row and last_col > first_col and first_col <= len(labels):
                label = labels[first_col - 1]
                labels.extend([""] * (last_col - len(labels)))
                for column in range(first_col, last_col):
                    labels[column] = labels[column] or label
        return labels

    def _header_depth(self, row: int) -> int:
        lasts = [last for _, _, last, _ in self._merges_by_row.get(row, ())]
        return min(max([*lasts, row]) - row, _MAX_HEADER_DEPTH)

    def close(self) -> None:
        self._book.close()
