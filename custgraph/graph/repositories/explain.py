"""What explaining a customer reads: its records with their RESOLVED_TO edges."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.models import SourceRecordNode

ATTACHED = """
MATCH (s:SourceRecord)-[r:RESOLVED_TO]->(:Customer {id: $id})
RETURN properties(s) AS record, properties(r) AS link
ORDER BY s.seq, s.uid
"""


class ResolvedLink(BaseModel):
    """The properties of one RESOLVED_TO edge: how the record came to this customer."""

    outcome: str | None = None
    rule: str | None = None
    score: float | None = None
    matched_uid: str | None = None
    evidence_json: str | None = None
    at: str | None = None
    moved_from: str | None = None
    moved_path: list[str] = Field(default_factory=list)
    event_id: str | None = None
    by: str | None = None
    split_from: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _reveal(cls, data: Any) -> Any:
        # evidence compared encrypted values: decrypted where it is read (graph/models.py)
        return crypto.current().reveal_props(data) if isinstance(data, dict) else data


class AttachedRecord(BaseModel):
    record: SourceRecordNode
    link: ResolvedLink
    resolved_at: str | None = None


async def attached_records(graph: Graph, customer_id: str) -> list[AttachedRecord]:
    out = []
    for row in await graph.read(ATTACHED, id=customer_id):
        props: dict[str, Any] = row["record"]
        link = dict(row["link"])
        link["moved_path"] = list(link.get("moved_path") or [])
        out.append(
            AttachedRecord(
                record=SourceRecordNode.model_validate(props),
                link=ResolvedLink.model_validate(link),
                resolved_at=props.get("resolved_at"),
            )
        )
    return out
