"""JSON Lines (.jsonl, .ndjson): one JSON object per line; a broken line is a rejected row, not a crash.

The columns are the keys of all objects, in order of first appearance, found by a first pass over the
file (JSON parsing is fast; the alternative, columns discovered half-way, would skip synonym detection for
them). Nested objects are flattened to dotted keys ({"contact": {"mobile": ..}} -> "contact.mobile") so a
mapping file can name them; lists stay values (tags).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from custgraph.ingest.encoding import detect_encoding
from custgraph.ingest.errors import IngestError
from custgraph.ingest.table import BadRow, HeaderTest, RawRow, Table


def _flatten(obj: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _parse(line: str) -> dict[str, Any] | BadRow | None:
    """The flattened object on a line, None for a blank line, BadRow for anything else."""
    text = line.strip()
    if not text:
        return None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return BadRow(f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return BadRow("invalid JSON: nested too deeply")
    if not isinstance(obj, dict):
        return BadRow(f"not a JSON object but a {type(obj).__name__}")
    return _flatten(obj)


class JsonlTable(Table):
    format = "jsonl"

    def __init__(self, path: Path, *, is_header: HeaderTest | None = None) -> None:
        try:
            self.encoding = detect_encoding(path)
            self._fh: IO[str] = path.open(encoding=self.encoding.name, errors=self.encoding.errors)
        except OSError as exc:
            raise IngestError(f"{path.name}: cannot read the file ({exc.strerror or exc})") from exc
        try:
            super().__init__(path, is_header=is_header)
        except BaseException:
            self._fh.close()
            raise

    def _locate_header(self, is_header: HeaderTest) -> None:
        # Keys are the header; there is no header row to search for.
        keys: dict[str, None] = {}
        for line in self._fh:
            parsed = _parse(line)
            if isinstance(parsed, dict):
                keys.update(dict.fromkeys(parsed))
        self._fh.seek(0)
        self.headers, self.header_row = list(keys), 0

    def _read_rows(self) -> Iterator[RawRow]:
        for number, line in enumerate(self._fh, start=1):
            parsed = _parse(line)
            if parsed is None:
                yield number, []
            elif isinstance(parsed, BadRow):
                yield number, parsed
            else:
                yield number, [parsed.get(header) for header in self.headers]

    def close(self) -> None:
        self._fh.close()
