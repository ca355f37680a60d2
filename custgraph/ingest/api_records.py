"""Records posted through the API (a web form, an order system) go the same way as file rows.

Each posted record is a JSON object whose keys are column names: canonical fields (``mobile``),
or any header the synonym table knows (``手机号``), or names a mapping profile maps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from custgraph.ingest.mapping import MappingProfile, resolve_mapping
from custgraph.ingest.models import IngestedRecord, Issue, RejectedRow
from custgraph.ingest.validate import RecordBuilder

API_FILE = "api"
CONTENT_KEY_PREFIX = "h:"


def _headers(records: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            seen.setdefault(str(key), None)
    return list(seen)


def content_key(record: Mapping[str, Any]) -> str:
    """A key for a record that carries none: the same record posted twice is the same record."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False, default=str).encode())
    return CONTENT_KEY_PREFIX + digest.hexdigest()[:20]


def records_from_dicts(
    records: Sequence[Any], *, source: str, kind: str = "customers", mapping: MappingProfile | None = None
) -> list[IngestedRecord | RejectedRow]:
    """One IngestedRecord or RejectedRow per posted record, in order; row = 1-based position."""
    objects = [r for r in records if isinstance(r, Mapping)]
    headers = _headers(objects)
    resolved = resolve_mapping(headers, mapping, kind) if headers else None
    builder = (
        RecordBuilder(source=source, kind=kind, mapping=resolved, headers=headers, file_name=API_FILE)
        if resolved is not None
        else None
    )
    out: list[IngestedRecord | RejectedRow] = []
    for row, record in enumerate(records, start=1):
        if not isinstance(record, Mapping) or builder is None:
            reason = "a record must be a JSON object of column: value"
            out.append(RejectedRow(row=row, issues=[Issue(row=row, field="", value=str(record)[:200], reason=reason)]))
            continue
        item = builder.build(row, [record.get(h) for h in headers])
        if item is None:
            issue = Issue(row=row, field="", value="", reason="empty record: every value is blank")
            out.append(RejectedRow(row=row, issues=[issue]))
            continue
        if isinstance(item, IngestedRecord) and builder.keyed_by_row:
            item.source_key = content_key(record)
        out.append(item)
    return out
