"""Survivorship: which source record's value a golden customer shows, field by field.

Policies (per field, with a default):
- ``latest``: the value of the most recent record (by ``recency_field`` when the records carry
  it, else by arrival order);
- ``most_complete``: the value with the most content (a full address beats a street name); ties
  go to the value more records agree on, then to the latest;
- ``source_priority``: the value from the most trusted source in ``source_priority`` (unlisted
  sources rank last); ties go to the latest.
Every source record is kept in the graph; this only decides what the golden view shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from custgraph.matching.record import MatchRecord
from custgraph.matching.standardize.names import has_cjk_honorific
from custgraph.vocabulary import has_han

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

Policy = Literal["latest", "most_complete", "source_priority"]
TITLED_FIELDS = frozenset({"name", "last_name"})  # fields a title can stand in for the given name


class SurvivorshipSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Policy = "most_complete"
    fields: dict[str, Policy] = Field(default_factory=dict)
    source_priority: list[str] = Field(default_factory=list)
    recency_field: str | None = "updated_at"  # an ISO date/time field ordering records for 'latest'
    # Under most_complete, a value in Chinese characters beats a romanized one (李云 over "liyun",
    # 杭州市 over "Hangzhou"): length is no measure of content across scripts, and the hanzi spelling
    # is the one people use.
    prefer_han: list[str] = Field(default_factory=lambda: ["name", "first_name", "last_name", "company", "city"])

    def policy(self, field: str) -> Policy:
        return self.fields.get(field, self.default)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def survivors(records: Sequence[MatchRecord], rules: Rules) -> dict[str, tuple[Any, str]]:
    """field -> (surviving value, uid of the record it came from)."""
    settings = rules.survivorship
    recency_field = settings.recency_field

    def recency(rec: MatchRecord) -> tuple[str, int, str]:
        stamp = rec.fields.get(recency_field) if recency_field else None
        return (str(stamp) if _present(stamp) else "", rec.seq, rec.uid)

    rank = {source: i for i, source in enumerate(settings.source_priority)}
    field_names = sorted({name for rec in records for name in rec.fields})
    out: dict[str, tuple[Any, str]] = {}
    for name in field_names:
        holders = [(rec, rec.fields[name]) for rec in records if _present(rec.fields.get(name))]
        if not holders:
            continue
        if len(holders) == 1:  # every policy picks the only value there is (most customers hold one record)
            out[name] = (holders[0][1], holders[0][0].uid)
            continue
        policy = settings.policy(name)
        if policy == "latest":
            rec, value = max(holders, key=lambda h: recency(h[0]))
        elif policy == "source_priority":
            best = min(rank.get(rec.source, len(rank)) for rec, _ in holders)
            trusted = [h for h in holders if rank.get(h[0].source, len(rank)) == best]
            rec, value = max(trusted, key=lambda h: recency(h[0]))
        else:
            votes = Counter(str(v).strip() for _, v in holders)
            han_first = name in settings.prefer_han
            rec, value = max(
                holders,
                key=lambda h: (
                    han_first and has_han(str(h[1])),
                    # a surname and a title (林女士, 张先生: how an order addresses her) says less than
                    # the name, however long it is
                    not (name in TITLED_FIELDS and has_cjk_honorific(str(h[1]))),
                    len(str(h[1]).strip()),
                    votes[str(h[1]).strip()],
                    recency(h[0]),
                ),
            )
        out[name] = (value, rec.uid)
    return out


def golden_record(records: Sequence[MatchRecord], rules: Rules) -> dict[str, Any]:
    """The golden customer's field values chosen from its source records."""
    return {name: value for name, (value, _) in survivors(records, rules).items()}
