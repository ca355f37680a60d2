"""The import report: counts per outcome and every issue, per row and field, as JSON and CSV.

Counts: `total` is every non-empty data row read, so total = ok + incomplete + follow_up + rejected +
duplicates. `empty` rows are counted apart. `replaced` counts rows that landed but were later replaced by a
row with the same key and other content. The writer adds its own outcomes (matched, partial, ...) with
`count_outcome`; they are reported under `outcomes`.

Who adds what: the caller `add`s every item `iter_records` yields; `iter_records(..., report=report)` adds
what it does not yield (file-level warnings, empty rows, skipped duplicates).

Memory stays bounded whatever the file: counts are kept as they come, and issues beyond the first
`SPILL_AT` are spooled to temporary files in sorted runs, merged back in row order when written out.
"""

from __future__ import annotations

import csv
import heapq
import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from custgraph.ingest.models import IngestedRecord, Issue, RejectedRow, Severity
from custgraph.private_files import open_private

COUNTS = ("total", "ok", "incomplete", "follow_up", "rejected", "duplicates", "empty", "replaced")
CSV_COLUMNS = ("row", "source_key", "field", "value", "reason", "severity")
SPILL_AT = 20_000  # issues held in memory before a sorted run of them goes to a temporary file


class ReportedIssue(BaseModel):
    """An Issue with the record and file it belongs to; what one line of the report says."""

    file: str = ""
    row: int
    source_key: str | None = None
    field: str
    value: str = ""
    reason: str
    severity: Severity


class ImportReport:
    def __init__(self, *, run_id: str | None = None, source: str | None = None, files: list[str] | None = None) -> None:
        self.run_id = run_id
        self.source = source
        self.paths = list(files or [])  # every file of the run, as given
        self.counts: Counter[str] = Counter(dict.fromkeys(COUNTS, 0))
        self.outcomes: Counter[str] = Counter()
        self.files: list[dict[str, Any]] = []  # what was learnt about each file read: format, encoding...
        self.issue_count = 0
        self._severities: Counter[str] = Counter()
        self._by_field: dict[str, Counter[str]] = {}
        self._file_order: dict[str, int] = {}  # file -> its place, in order of first issue
        self._held: list[tuple[int, int, int, ReportedIssue]] = []  # (file order, row, arrival, issue)
        self._spilled: list[IO[str]] = []  # sorted runs of earlier issues, one JSON line each
        self._file = ""

    # -- collecting ---------------------------------------------------------------------------------------

    def begin_file(self, path: Path | str, **details: Any) -> None:
        """Start a file: later issues name it. `details` (format, encoding, headers...) go to the JSON."""
        self._file = Path(path).name
        self.files.append({"file": self._file, **details})

    def add(self, item: IngestedRecord | RejectedRow) -> None:
        """Count a record by its status, or a rejected row, and keep its issues."""
        self.counts["total"] += 1
        if isinstance(item, RejectedRow):
            self.counts["rejected"] += 1
        else:
            self.counts[item.status] += 1
        for issue in item.issues:
            self.add_issue(issue, source_key=item.source_key)

    def add_issue(self, issue: Issue, *, source_key: str | None = None) -> None:
        reported = ReportedIssue.model_construct(
            file=self._file,
            row=issue.row,
            source_key=source_key,
            field=issue.field,
            value=issue.value,
            reason=issue.reason,
            severity=issue.severity,
        )
        self._severities[issue.severity] += 1
        self._by_field.setdefault(issue.field or "(row)", Counter())[issue.severity] += 1
        order = self._file_order.setdefault(self._file, len(self._file_order))
        self._held.append((order, issue.row, self.issue_count, reported))
        self.issue_count += 1
        if len(self._held) >= SPILL_AT:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - open until close()
        for order, row, arrival, issue in sorted(self._held, key=_sort_key):
            run.write(json.dumps([order, row, arrival, issue.model_dump()], ensure_ascii=False) + "\n")
        run.seek(0)
        self._spilled.append(run)
        self._held = []

    def close(self) -> None:
        """Drop the spooled issues (the report files are written)."""
        for run in self._spilled:
            run.close()
        self._spilled, self._held = [], []

    def add_duplicate(self, record: IngestedRecord, issue: Issue) -> None:
        """A row skipped because an earlier row has the same key and content."""
        self.counts["total"] += 1
        self.counts["duplicates"] += 1
        self.add_issue(issue, source_key=record.source_key)

    def add_empty(self) -> None:
        self.counts["empty"] += 1

    def add_replaced(self) -> None:
        self.counts["replaced"] += 1

    def count_outcome(self, outcome: str, n: int = 1) -> None:
        """For the writer: matched / partial / unmatched / unchanged ..."""
        self.outcomes[outcome] += n

    # -- reading ------------------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            **{name: self.counts[name] for name in COUNTS},
            "errors": self._severities["error"],
            "warnings": self._severities["warning"],
            "issues_by_field": {name: dict(counter) for name, counter in sorted(self._by_field.items())},
            "outcomes": dict(self.outcomes),
            "files": self.files,
        }

    @property
    def issues(self) -> list[ReportedIssue]:
        """Every issue, in the order they were found (all in memory: for small reports and tests)."""
        return [issue for *_, issue in sorted(self._all(), key=lambda entry: entry[2])]

    def describe(self) -> str:
        """One progress line: "total 100, ok 80, incomplete 5, follow_up 3, rejected 2, duplicates 10"."""
        parts = [f"{name} {self.counts[name]}" for name in COUNTS if name == "total" or self.counts[name]]
        parts += [f"{name} {n}" for name, n in self.outcomes.items()]
        return ", ".join(parts)

    def ordered_issues(self, limit: int | None = None) -> Iterator[ReportedIssue]:
        """Issues by file, then row (in the order found within a row): skipped duplicates are found
        before the rows around them are added. Streams: spooled runs are merged, not loaded."""
        merged = heapq.merge(
            *(_read_run(run) for run in self._spilled), sorted(self._held, key=_sort_key), key=_sort_key
        )
        for *_, issue in islice(merged, limit):
            yield issue

    def _all(self) -> Iterator[tuple[int, int, int, ReportedIssue]]:
        for run in self._spilled:
            yield from _read_run(run)
        yield from self._held

    def to_json(self, path: Path | str) -> Path:
        """``{"summary": ..., "issues": [...]}``, written issue by issue."""
        path = Path(path)
        summary = json.dumps(self.summary(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
        with open_private(path, "w", encoding="utf-8") as fh:  # rows hold personal data
            fh.write('{\n  "summary": ' + summary + ',\n  "issues": [')
            for n, issue in enumerate(self.ordered_issues()):
                fh.write(("," if n else "") + "\n    " + json.dumps(issue.model_dump(), ensure_ascii=False))
            fh.write("\n  ]\n}\n")
        return path

    def to_csv(self, path: Path | str) -> Path:
        path = Path(path)
        # utf-8-sig: Excel, where data stewards open this file, needs the BOM to show Chinese text.
        with open_private(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for issue in self.ordered_issues():
                writer.writerow(
                    [issue.row, issue.source_key or "", issue.field, issue.value, issue.reason, issue.severity]
                )
        return path


def _sort_key(entry: tuple[int, int, int, Any]) -> tuple[int, int, int]:
    return entry[0], entry[1], entry[2]


def _read_run(run: IO[str]) -> Iterator[tuple[int, int, int, ReportedIssue]]:
    run.seek(0)
    for line in run:
        order, row, arrival, data = json.loads(line)
        yield order, row, arrival, ReportedIssue.model_construct(**data)
