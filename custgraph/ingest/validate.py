"""Turn one row of cells into a record: standardize each mapped field, keep the rest, judge completeness.

A value that fails standardization is dropped from `fields` (its text stays in `raw`) and reported as an
Issue; the row still lands. Only a row that cannot be identified (blank or oversized key) is rejected.

A cell longer than its field allows (custgraph/bounds.py, the registry the API uses too) is an error
naming the row, the field and the reason, and is stored nowhere: not in `fields`, `raw` nor `extra`,
and the issue keeps only its first characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from custgraph.bounds import DEFAULT_MAX_LENGTH, max_length, oversized
from custgraph.ingest.cells import cell_text
from custgraph.ingest.fields import (
    DATE_FIELDS,
    IDENTIFIER_FIELDS,
    NAME_FIELDS,
    PLAIN_FIELDS,
    REQUIRED_BY_KIND,
)
from custgraph.ingest.mapping import ResolvedMapping
from custgraph.ingest.models import IngestedRecord, Issue, RejectedRow, Status
from custgraph.matching.standardize import InvalidValue, masked_mobile, standardize_field

KEY_FIELD = "source_key"  # Issue.field for problems with the row key, which is no canonical field
FOLLOW_UP_REASON = "no identifier (mobile, phone, email, national_id, credit_code) nor name: follow-up pool"


def jsonable(value: Any) -> Any:
    """A standardizer result as plain JSON: Decimal -> str (exact), dates -> ISO strings."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


_CANONICAL_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(fields: dict[str, Any], extra: dict[str, str]) -> str:
    """sha256 of the canonical JSON of (fields, extra): equal content gives an equal hash, in any order."""
    return hashlib.sha256(_CANONICAL_JSON.encode([fields, extra]).encode("utf-8")).hexdigest()


MASKABLE = frozenset({"mobile", "phone"})
MASKED_REASON = "masked mobile (middle digits hidden): kept as mobile_masked for matching, not as an identifier"

Outcome = tuple[Any, str | None]  # (JSON-friendly value, None) or (None, why the value is unusable)
PREVIEW = 20  # characters of an oversized cell an issue keeps


def preview(text: str) -> str:
    """The start of an oversized cell, for the issue: enough to find it, never the value itself."""
    return text[:PREVIEW] + "…"


def standardize(field: str, value: object, fmt: str | None) -> Outcome:
    try:
        result = standardize_field(field, value, fmt=fmt)
    except InvalidValue as exc:
        return None, exc.reason
    except (ValueError, ArithmeticError) as exc:  # a standardizer bug costs one value, not the import
        return None, f"cannot standardize ({type(exc).__name__}: {exc})"
    return jsonable(result), None


class Memo:
    """Remembers one column's standardized values while they repeat.

    Region, city, channel, owner, tags... take a handful of values over a whole file, and standardizing
    is most of the import's time. Columns that do not repeat (mobile, email, name) switch themselves
    off after a sample, so memory stays small. Standardizers are pure, so a remembered outcome is exact.
    """

    SAMPLE = 1000  # lookups before judging the column
    MIN_HIT_RATE = 0.5
    MAX_ENTRIES = 5000

    def __init__(self) -> None:
        self.active = True
        self._outcomes: dict[str, Outcome] = {}
        self._lookups = self._hits = 0

    def get(self, text: str) -> Outcome | None:
        self._lookups += 1
        outcome = self._outcomes.get(text)
        if outcome is not None:
            self._hits += 1
            if type(outcome[0]) is list:  # never share a mutable value between records
                return list(outcome[0]), outcome[1]
            return outcome
        if self._lookups == self.SAMPLE and self._hits < self.SAMPLE * self.MIN_HIT_RATE:
            self._switch_off()
        return None

    def put(self, text: str, outcome: Outcome) -> None:
        if not self.active:
            return
        if len(self._outcomes) >= self.MAX_ENTRIES:
            self._switch_off()
            return
        self._outcomes[text] = outcome

    def _switch_off(self) -> None:
        self.active = False
        self._outcomes.clear()


def _issue(row: int, field: str, value: str, reason: str, severity: str = "error") -> Issue:
    return Issue.model_construct(row=row, field=field, value=value, reason=reason, severity=severity)


class RecordBuilder:
    """Builds records for one file. Construct once per file; `build` is the per-row hot path."""

    def __init__(
        self,
        *,
        source: str,
        kind: str,
        mapping: ResolvedMapping,
        headers: list[str],
        file_name: str,
        check_replacement: bool = False,
    ) -> None:
        self.source = source
        self.kind = kind
        self.file_name = file_name
        self._key_index = mapping.key_index
        self._key_header = mapping.key_header
        self._width = len(headers)
        # (column, field, strptime format, passes the native cell value, is taken as plain text, memo,
        # longest text)
        self._rules = [
            (
                rule.index,
                rule.field,
                rule.fmt,
                rule.field in DATE_FIELDS,
                rule.field in PLAIN_FIELDS,
                Memo(),
                max_length(rule.field),
            )
            for rule in mapping.rules
        ]
        self._extras = mapping.extras
        key_field = next((r.field for r in mapping.rules if r.index == mapping.key_index), KEY_FIELD)
        self._key_limit = max_length(key_field)
        self._required = REQUIRED_BY_KIND[kind]
        # An order or interaction that names its customer's key in the source can be linked without matching.
        self._identifiers = IDENTIFIER_FIELDS if kind == "customers" else (*IDENTIFIER_FIELDS, "customer_key")
        self._check_replacement = check_replacement  # only when the decoder replaced bytes in this file
        self._overflow_seen: set[int] = set()

    @property
    def keyed_by_row(self) -> bool:
        """True when the row number is the key: keys cannot repeat then."""
        return self._key_index is None

    def build(self, row: int, cells: Sequence[object]) -> IngestedRecord | RejectedRow | None:
        """The record for a row; RejectedRow when it has no key; None when every cell is blank."""
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            return None
        count = len(texts)
        issues: list[Issue] = []

        if self._key_index is None:
            # The file name keeps row keys of two files of one source apart.
            source_key = f"{self.file_name}#{row}"
        else:
            source_key = texts[self._key_index] if self._key_index < count else ""
            if not source_key:
                issue = _issue(row, KEY_FIELD, "", f"missing key (column {self._key_header!r} is blank)")
                return RejectedRow.model_construct(row=row, source_key=None, issues=[issue])
            if len(source_key) > self._key_limit:
                why = oversized(self._key_limit, len(source_key))
                issue = _issue(row, KEY_FIELD, preview(source_key), f"key (column {self._key_header!r}) {why}")
                return RejectedRow.model_construct(row=row, source_key=None, issues=[issue])

        fields: dict[str, Any] = {}
        raw: dict[str, str] = {}
        for index, field, fmt, native, plain, memo, limit in self._rules:
            text = texts[index] if index < count else ""
            if not text:
                continue
            if len(text) > limit:
                issues.append(_issue(row, field, preview(text), oversized(limit, len(text))))
                continue
            raw[field] = text
            if plain:
                fields[field] = text
                continue
            cell = cells[index]
            if (native and type(cell) is not str) or isinstance(cell, list):
                # Dates get the cell itself (an Excel serial or datetime); a JSON list (tags) stays a list.
                value, reason = standardize(field, cell, fmt)
            elif memo.active and (outcome := memo.get(text)) is not None:
                value, reason = outcome
            else:
                value, reason = outcome = standardize(field, text, fmt)
                memo.put(text, outcome)
            if reason is not None:
                if field in MASKABLE and (masked := masked_mobile(text)):
                    # kept for matching only: its visible digits agree or disagree with full numbers
                    fields["mobile_masked"] = masked
                    issues.append(_issue(row, field, text, MASKED_REASON, "warning"))
                else:
                    issues.append(_issue(row, field, text, reason))
            elif value is not None:
                fields[field] = value

        extra = {header: texts[index] for index, header in self._extras if index < count and texts[index]}
        if count > self._width:
            for index in range(self._width, count):
                if texts[index]:
                    header = f"column_{index + 1}"
                    extra[header] = texts[index]
                    if index not in self._overflow_seen:  # once per column: a file shape, not a row fault
                        self._overflow_seen.add(index)
                        reason = "cell beyond the last header column, kept as an extra (first such row)"
                        issues.append(_issue(row, header, texts[index], reason, "warning"))

        for header, text in list(extra.items()):
            if len(text) > DEFAULT_MAX_LENGTH:  # an unmapped column: the registry's default length
                del extra[header]
                issues.append(_issue(row, header, preview(text), oversized(DEFAULT_MAX_LENGTH, len(text))))

        if self._check_replacement:
            for name, text in (*raw.items(), *extra.items()):
                if "\ufffd" in text:
                    reason = "undecodable bytes were replaced by \ufffd"
                    issues.append(_issue(row, name, text, reason, "warning"))

        missing = [label for label, options in self._required if not any(f in fields for f in options)]
        status: Status
        if not any(f in fields for f in self._identifiers) and not any(f in fields for f in NAME_FIELDS):
            status = "follow_up"
            issues.append(_issue(row, "", "", FOLLOW_UP_REASON, "warning"))
        elif missing:
            status = "incomplete"
        else:
            status = "ok"

        return IngestedRecord.model_construct(
            source=self.source,
            source_key=source_key,
            row=row,
            kind=self.kind,
            fields=fields,
            raw=raw,
            extra=extra,
            missing=missing,
            status=status,
            content_hash=content_hash(fields, extra),
            issues=issues,
        )

    def rejected(self, row: int, reason: str) -> RejectedRow:
        """A row the reader could not parse at all."""
        return RejectedRow.model_construct(row=row, source_key=None, issues=[_issue(row, "", "", reason)])

    def key_issue(self, record: IngestedRecord, reason: str) -> Issue:
        reason = f"{reason} (key column {self._key_header!r})"
        return _issue(record.row, KEY_FIELD, record.source_key, reason, "warning")


class KeyIndex:
    """Remembers, per key, the row and content of the row that last landed with that key.

    Memory grows with the number of distinct keys (the key string plus one packed int, about 100 bytes);
    everything else about the file is streamed. Only the first 64 bits of the content hash are kept.
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def check(self, record: IngestedRecord) -> tuple[int, bool] | None:
        """None for a new key; else (row of the occurrence that landed last, same content?).

        A changed row becomes the one to compare with next; an identical one is skipped, so it does not.
        """
        digest = int(record.content_hash[:16], 16)
        previous = self._seen.get(record.source_key)
        same = previous is not None and previous >> 32 == digest
        if not same:
            self._seen[record.source_key] = (digest << 32) | record.row  # rows fit in 32 bits
        if previous is None:
            return None
        return previous & 0xFFFFFFFF, same
