"""Delimited text files (.csv, .tsv, .txt): encoding and delimiter are guessed, rows are streamed."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from custgraph.ingest.encoding import detect_encoding
from custgraph.ingest.errors import IngestError
from custgraph.ingest.table import BadRow, HeaderTest, RawRow, Table

DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 50


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits most sample lines into the same number of fields.

    csv.Sniffer gives up on files with a title line above the header; counting per line does not: the
    delimiter whose commonest non-zero count is shared by most lines wins (ties: more fields, then order).
    """
    lines = [line for line in sample.splitlines()[:_SAMPLE_LINES] if line.strip()]
    if len(sample) >= _SAMPLE_CHARS and len(lines) > 1:
        lines.pop()  # probably cut in the middle
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = Counter(n for line in lines if (n := line.count(delimiter)))
        if not counts:
            continue
        fields, agreeing = counts.most_common(1)[0]
        score = (agreeing, fields)
        if score > best_score:
            best, best_score = delimiter, score
    return best


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: Path, *, is_header: HeaderTest | None = None) -> None:
        try:
            self.encoding = detect_encoding(path)
            self._fh = path.open(encoding=self.encoding.name, errors=self.encoding.errors, newline="")
        except OSError as exc:
            raise IngestError(f"{path.name}: cannot read the file ({exc.strerror or exc})") from exc
        try:
            self.delimiter = sniff_delimiter(self._fh.read(_SAMPLE_CHARS))
            self._fh.seek(0)
            super().__init__(path, is_header=is_header)
        except BaseException:
            self._fh.close()
            raise

    def _read_rows(self) -> Iterator[RawRow]:
        # skipinitialspace: Febrl-style "a, b, c" files; the cell text is trimmed later anyway.
        reader = csv.reader(self._fh, delimiter=self.delimiter, skipinitialspace=True)
        row = 0
        while True:
            row += 1  # one CSV record is one spreadsheet row, even with line breaks inside quotes
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a field over csv.field_size_limit(): lose the row, not the file
                yield row, BadRow(f"unreadable CSV record: {exc}")
                continue
            yield row, cells

    def close(self) -> None:
        self._fh.close()
