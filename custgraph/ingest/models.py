"""What ingestion hands to the writer: records, rejected rows and the issues attached to them.

Builders in this package create these with `model_construct` after their own checks: validating a
hundred thousand records again through pydantic would cost more than reading the file.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from custgraph.ingest.fields import Kind

Severity = Literal["error", "warning"]
Status = Literal["ok", "incomplete", "follow_up"]


class Issue(BaseModel):
    """One problem, on one row and one field. `row` 0 means the file as a whole.

    severity "error": the value was not loaded (the rest of the row was); "warning": loaded, but look at it.
    """

    row: int
    field: str
    value: str = ""
    reason: str
    severity: Severity = "error"


class IngestedRecord(BaseModel):
    source: str
    source_key: str
    row: int  # as the user sees it: the spreadsheet row (header = 1) or the JSONL line number
    kind: Kind
    fields: dict[str, Any]  # canonical field -> standardized, JSON-friendly value
    raw: dict[str, str]  # canonical field -> the cell text as read
    extra: dict[str, str] = Field(default_factory=dict)  # unmapped column header -> cell text
    missing: list[str] = Field(default_factory=list)  # important fields left empty: 待补充
    status: Status = "ok"
    content_hash: str = ""  # sha256 of canonical JSON of (fields, extra): unchanged rows can be skipped
    issues: list[Issue] = Field(default_factory=list)

    @property
    def uid(self) -> str:
        return f"{self.source}|{self.source_key}"


class RejectedRow(BaseModel):
    """A row that could not become a record at all (no key, unparseable line). Never silently dropped."""

    row: int
    source_key: str | None = None
    issues: list[Issue]
