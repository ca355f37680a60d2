"""A readable file as rows of cells under one header row, whatever the format.

Each reader (csv_reader, xlsx_reader, jsonl_reader) yields raw rows; this base class finds the header row
among the first rows, gives every column a unique name and hands the data rows on, one at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from custgraph.ingest.cells import cell_text
from custgraph.ingest.encoding import DetectedEncoding
from custgraph.ingest.models import Issue
from custgraph.ingest.synonyms import default_synonyms

# A header is looked for among this many non-empty rows: enough for a title, a date line and a blank.
HEADER_SCAN_ROWS = 10

HeaderTest = Callable[[list[str]], bool]


@dataclass(frozen=True)
class BadRow:
    """A row the reader could not parse (a broken JSON line, a broken CSV quote): rejected, not fatal."""

    reason: str


Cells = list[object]
RawRow = tuple[int, Cells | BadRow]  # (row number as the user sees it, cells or why they are unreadable)


def looks_like_header(cells: list[str]) -> bool:
    """The default header test: at least two cells that the synonym table recognises."""
    return default_synonyms().count_recognised(cells) >= 2


def unique_headers(labels: list[str], row: int) -> tuple[list[str], list[Issue]]:
    """Name blank header cells `column_N`; rename a repeated header `header_2`, `header_3`, with a warning."""
    headers: list[str] = []
    issues: list[Issue] = []
    taken: set[str] = set()
    for index, label in enumerate(labels):
        name = label or f"column_{index + 1}"
        if name in taken:
            n = 2
            while f"{name}_{n}" in taken:
                n += 1
            issues.append(
                Issue(
                    row=row,
                    field=f"{name}_{n}",
                    value=name,
                    severity="warning",
                    reason=f"duplicate header {name!r} in column {index + 1}, kept as {name}_{n}",
                )
            )
            name = f"{name}_{n}"
        taken.add(name)
        headers.append(name)
    return headers, issues


def _pad(labels: list[str], width: int) -> list[str]:
    return labels + [""] * (width - len(labels))


class Table:
    """Base class of the readers. Subclasses implement `_read_rows` and `close`, and may override the hooks.

    After construction: `headers` (unique, in column order), `header_row` (0 when the format has none, as
    in JSON Lines) and `issues` (file-level warnings). Iterating yields `(row_number, cells | BadRow)` for
    every row below the header, blank rows included; `cells` may be shorter or longer than `headers`.
    """

    format: str = ""
    encoding: DetectedEncoding | None = None  # text formats: the guessed encoding
    sheet_name: str | None = None  # xlsx: the worksheet read

    def __init__(self, path: Path, *, is_header: HeaderTest | None = None) -> None:
        self.path = path
        self.issues: list[Issue] = []
        self._rows: Iterator[RawRow] = self._read_rows()
        self._pending: list[RawRow] = []
        self.headers: list[str]
        self.header_row: int
        self._locate_header(is_header or looks_like_header)
        if self.encoding is not None and self.encoding.replaced:
            self.issues.insert(
                0,
                Issue(
                    row=0,
                    field="",
                    severity="warning",
                    reason=f"{self.encoding.replaced} invalid byte sequence(s) for {self.encoding.name} were "
                    "replaced by \ufffd; check the file's encoding",
                ),
            )

    # -- subclass interface -------------------------------------------------------------------------------

    def _read_rows(self) -> Iterator[RawRow]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the file. Safe to call twice."""

    def _header_labels(self, row: int, cells: Cells) -> list[str]:
        """Texts of a header row. The xlsx reader spreads merged header cells across their columns."""
        return [cell_text(cell) for cell in cells]

    def _header_depth(self, row: int) -> int:
        """How many rows below `row` still belong to the header (a two-row header with merged cells)."""
        return 0

    # -- header search ------------------------------------------------------------------------------------

    def _locate_header(self, is_header: HeaderTest) -> None:
        scanned: list[tuple[int, Cells, list[str]]] = []  # the non-empty rows looked at, with their texts
        chosen: int | None = None
        for row, cells in self._rows:
            self._pending.append((row, cells))
            if isinstance(cells, BadRow):
                continue
            texts = [cell_text(cell) for cell in cells]
            if not any(texts):
                continue
            scanned.append((row, cells, texts))
            if is_header(texts):
                chosen = len(scanned) - 1
                break
            if len(scanned) >= HEADER_SCAN_ROWS:
                break
        if not scanned:
            self.headers, self.header_row = [], 0  # an empty file: no header, no rows
            return
        # No row looked like a header: take the first non-empty one, as a spreadsheet user would.
        header_row, header_cells, _ = scanned[chosen or 0]
        skipped = [str(row) for row, _, _ in scanned if row < header_row]
        if skipped:
            self.issues.append(
                Issue(
                    row=header_row,
                    field="",
                    severity="warning",
                    reason=f"header found on row {header_row}; rows above it were skipped: {', '.join(skipped)}",
                )
            )
        labels = self._header_labels(header_row, header_cells)
        self._pending = [item for item in self._pending if item[0] > header_row]
        for _ in range(self._header_depth(header_row)):
            row, cells = self._next_raw()
            if row is None or isinstance(cells, BadRow):
                break
            # The lowest label in a multi-row header is the specific one: 联系方式 over 手机 -> 手机.
            lower = self._header_labels(row, cells)
            width = max(len(labels), len(lower))
            labels = [low or high for high, low in zip(_pad(labels, width), _pad(lower, width), strict=True)]
            header_row = row
        self.header_row = header_row
        self.headers, issues = unique_headers(labels, header_row)
        self.issues.extend(issues)

    def _next_raw(self) -> tuple[int | None, Cells | BadRow]:
        if self._pending:
            return self._pending.pop(0)
        return next(self._rows, (None, []))

    # -- iteration ----------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[RawRow]:
        pending, self._pending = self._pending, []
        yield from pending
        yield from self._rows

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
