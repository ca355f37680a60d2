"""An oversized cell is a row error naming row, field and reason, and is stored nowhere."""

from __future__ import annotations

import json

from custgraph.bounds import DEFAULT_MAX_LENGTH, FIELD_MAX_LENGTH, max_length
from custgraph.graph.connection import Graph
from custgraph.ingest.api_records import records_from_dicts
from custgraph.ingest.fields import ALL_FIELDS
from custgraph.ingest.models import IngestedRecord, RejectedRow
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ingest_posted

HUGE = "开头" * 10 + "备注" * 499_990  # 1,000,000 characters; an issue keeps only the first 20


def test_every_canonical_field_has_a_length() -> None:
    assert not sorted(ALL_FIELDS - set(FIELD_MAX_LENGTH))


def test_an_oversized_cell_is_an_error_and_is_not_kept() -> None:
    [record] = records_from_dicts([{"name": "林静", "mobile": "13500001234", "notes": HUGE}], source="web")
    assert isinstance(record, IngestedRecord)
    [issue] = [i for i in record.issues if i.severity == "error"]
    assert (issue.row, issue.field) == (1, "notes")
    assert f"longer than {max_length('notes')} characters" in issue.reason
    assert len(issue.value) <= 21  # a preview, not the value
    assert "notes" not in record.fields and "notes" not in record.raw
    assert record.fields["name"] == "林静"  # the rest of the row lands


def test_a_cell_at_the_limit_is_kept() -> None:
    text = "长" * max_length("notes")
    [record] = records_from_dicts([{"name": "林静", "notes": text}], source="web")
    assert isinstance(record, IngestedRecord) and record.raw["notes"] == text


def test_an_oversized_unmapped_column_is_dropped_with_an_error() -> None:
    [record] = records_from_dicts([{"name": "林静", "自定义列": "x" * (DEFAULT_MAX_LENGTH + 1)}], source="web")
    assert isinstance(record, IngestedRecord)
    assert "自定义列" not in record.extra
    assert [(i.field, i.severity) for i in record.issues] == [("自定义列", "error")]


def test_an_oversized_key_rejects_the_row() -> None:
    records = [{"order_id": "S" * 5000, "amount": "10", "order_date": "2024-01-01", "name": "林静"}]
    [rejected] = records_from_dicts(records, source="shop", kind="orders")
    assert isinstance(rejected, RejectedRow)
    assert "longer than" in rejected.issues[0].reason


def test_an_out_of_range_amount_is_an_error() -> None:
    records = [{"order_id": "S1", "amount": "9999999999999999", "order_date": "2024-01-01", "name": "林静"}]
    [record] = records_from_dicts(records, source="shop", kind="orders")
    assert isinstance(record, IngestedRecord) and "amount" not in record.fields
    assert any(i.field == "amount" and "at most" in i.reason for i in record.issues)


async def test_posted_records_never_store_an_oversized_value(clean_graph: Graph) -> None:
    summary, results = await ingest_posted(
        clean_graph,
        [{"id": "B1", "name": "林静", "mobile": "13500001234", "notes": HUGE}],
        source="webform",
        kind="customers",
        rules=load_rules(None),
        params=None,
    )
    assert [i["field"] for i in results[0].issues] == ["notes"] and summary.issues
    rows = await clean_graph.read("MATCH (n) RETURN properties(n) AS p")
    assert rows  # the record and its customer were stored
    stored = json.dumps([r["p"] for r in rows], ensure_ascii=False)
    assert "备注" not in stored
