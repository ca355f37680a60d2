"""Read one file into records: open, resolve the mapping, build each row, settle repeated keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from custgraph.ingest.errors import IngestError
from custgraph.ingest.fields import KINDS
from custgraph.ingest.mapping import MappingProfile, ResolvedMapping, profile_header_test, resolve_mapping
from custgraph.ingest.models import IngestedRecord, RejectedRow
from custgraph.ingest.readers import open_table
from custgraph.ingest.report import ImportReport
from custgraph.ingest.table import BadRow, Table
from custgraph.ingest.validate import KeyIndex, RecordBuilder


def iter_records(
    path: Path,
    *,
    source: str | None = None,
    kind: str | None = None,
    mapping: MappingProfile | None = None,
    sheet: str | None = None,
    report: ImportReport | None = None,
) -> Iterator[IngestedRecord | RejectedRow]:
    """Stream the records of one file, in file order.

    `source` and `kind` default to the mapping's, then kind to "customers". File problems raise here,
    before the first row: IngestError (unreadable file), MappingError (a mapped column is missing).
    Row problems never raise: a row without a key is a RejectedRow, a bad value an Issue on its record.

    Repeated keys in the file: a row identical to the earlier one is skipped (a warning); a row with other
    content is yielded too, with a warning naming the earlier row. Write records in order, upserting by
    `uid`, and the later row wins.

    With `report`, what the caller never sees is recorded there: file-level warnings (encoding, header,
    mapping), empty rows, skipped duplicates. The caller still does `report.add(item)` for each item.
    """
    path = Path(path)
    source = source or (mapping.source if mapping else None)
    if not source:
        raise IngestError("no source name: pass --source (or set 'source:' in the mapping)")
    kind = kind or (mapping.kind if mapping else None) or "customers"
    if kind not in KINDS:
        raise IngestError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")

    table = open_table(path, sheet=sheet, is_header=profile_header_test(mapping) if mapping else None)
    try:
        resolved = resolve_mapping(table.headers, mapping, kind)
    except BaseException:
        table.close()
        raise
    check_replacement = table.encoding is not None and table.encoding.replaced > 0
    builder = RecordBuilder(
        source=source,
        kind=kind,
        mapping=resolved,
        headers=table.headers,
        file_name=path.name,
        check_replacement=check_replacement,
    )
    if report is not None:
        report.begin_file(path, **describe_file(table, resolved))
        for issue in (*table.issues, *resolved.issues):
            report.add_issue(issue)
    return _stream(table, builder, report)


def describe_file(table: Table, mapping: ResolvedMapping) -> dict[str, object]:
    """What was read and how, for the report: format, encoding, sheet, header row, column -> field."""
    details: dict[str, object] = {"format": table.format, "header_row": table.header_row}
    if table.encoding is not None:
        details["encoding"] = table.encoding.name
    if table.sheet_name is not None:
        details["sheet"] = table.sheet_name
    details["key"] = mapping.key_header
    details["columns"] = {rule.header: rule.field for rule in mapping.rules}
    details["extras"] = [header for _, header in mapping.extras]
    return details


def _stream(
    table: Table, builder: RecordBuilder, report: ImportReport | None
) -> Iterator[IngestedRecord | RejectedRow]:
    seen = None if builder.keyed_by_row else KeyIndex()
    with table:
        for row, cells in table:
            if isinstance(cells, BadRow):
                item: IngestedRecord | RejectedRow | None = builder.rejected(row, cells.reason)
            else:
                item = builder.build(row, cells)
            if item is None:
                if report is not None:
                    report.add_empty()
                continue
            if seen is not None and isinstance(item, IngestedRecord):
                earlier = seen.check(item)
                if earlier is not None:
                    earlier_row, same = earlier
                    if same:
                        if report is not None:
                            reason = f"same key and content as row {earlier_row}: skipped"
                            report.add_duplicate(item, builder.key_issue(item, reason))
                        continue
                    reason = f"same key as row {earlier_row}, which it replaces"
                    item.issues.append(builder.key_issue(item, reason))
                    if report is not None:
                        report.add_replaced()
            yield item
