"""The import report: counts per outcome and every issue, per row and field, as JSON and CSV.

Counts: `total` is every non-empty data row read, so total = ok + incomplete + follow_up + rejected +
duplicates. `empty` rows are counted apart. `replaced` counts rows that landed but were later replaced by a
row with the same key and other content. The writer adds its own outcomes (matched, partial, ...) with
`count_outcome`; they are reported under `outcomes`.

Who adds what: the caller `add`s every item `iter_records` yields; `iter_records(..., report=report)` adds
what it does not yield (file-level warnings, empty rows, skipped duplicates).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from custgraph.ingest.models import IngestedRecord, Issue, RejectedRow, Severity

COUNTS = ("total", "ok", "incomplete", "follow_up", "rejected", "duplicates", "empty", "replaced")
CSV_COLUMNS = ("row", "source_key", "field", "value", "reason", "severity")


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
        self.issues: list[ReportedIssue] = []
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
        self.issues.append(
            ReportedIssue.model_construct(
                file=self._file,
                row=issue.row,
                source_key=source_key,
                field=issue.field,
                value=issue.value,
                reason=issue.reason,
                severity=issue.severity,
            )
        )

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
        severities = Counter(issue.severity for issue in self.issues)
        by_field: dict[str, Counter[str]] = {}
        for issue in self.issues:
            by_field.setdefault(issue.field or "(row)", Counter())[issue.severity] += 1
        return {
            "run_id": self.run_id,
            "source": self.source,
            **{name: self.counts[name] for name in COUNTS},
            "errors": severities["error"],
            "warnings": severities["warning"],
            "issues_by_field": {name: dict(counter) for name, counter in sorted(by_field.items())},
            "outcomes": dict(self.outcomes),
            "files": self.files,
        }

    def describe(self) -> str:
        """One progress line: "total 100, ok 80, incomplete 5, follow_up 3, rejected 2, duplicates 10"."""
        parts = [f"{name} {self.counts[name]}" for name in COUNTS if name == "total" or self.counts[name]]
        parts += [f"{name} {n}" for name, n in self.outcomes.items()]
        return ", ".join(parts)

    def ordered_issues(self) -> list[ReportedIssue]:
        """Issues by file, then row: skipped duplicates are found before the rows around them are added."""
        files = {name: n for n, name in enumerate(dict.fromkeys(issue.file for issue in self.issues))}
        return sorted(self.issues, key=lambda issue: (files[issue.file], issue.row))

    def to_json(self, path: Path | str) -> Path:
        path = Path(path)
        data = {"summary": self.summary(), "issues": [issue.model_dump() for issue in self.ordered_issues()]}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    def to_csv(self, path: Path | str) -> Path:
        path = Path(path)
        # utf-8-sig: Excel, where data stewards open this file, needs the BOM to show Chinese text.
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for issue in self.ordered_issues():
                writer.writerow(
                    [issue.row, issue.source_key or "", issue.field, issue.value, issue.reason, issue.severity]
                )
        return path
