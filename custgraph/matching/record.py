"""The record the engine matches: standardized fields plus lazily derived matching keys."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from custgraph.matching.keys import TRANSFORMS
from custgraph.matching.virtual_fields import raw_value

_MISSING = object()  # not computed yet (None is a value: the field is missing)


@dataclass(frozen=True, slots=True)
class MatchRecord:
    uid: str  # "<source>|<source_key>"
    source: str
    fields: Mapping[str, Any]  # canonical field -> standardized value (dates ISO 'YYYY-MM-DD')
    customer_id: str | None = None  # existing assignment; None for records not yet in the graph
    seq: int = 0  # arrival order, used to process batches deterministically
    # Derived keys, computed on first use. Keys depend only on the record's own fields, never on the
    # rules, so a record can be scored under any rule set without invalidating the cache.
    _keys: dict[tuple[str, str], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        return hash(self.uid)

    def key(self, field_name: str, transform: str = "raw") -> str | None:
        """``field:transform`` of this record, cached; None when the field is missing."""
        cache_key = (field_name, transform)
        value = self._keys.get(cache_key, _MISSING)
        if value is not _MISSING:
            return value
        if transform == "raw":
            value = raw_value(self.fields, field_name)
        else:  # the raw value once per field, however many transforms read it (virtual fields cost)
            value = self.key(field_name)
            if value is not None:
                value = TRANSFORMS[transform](value)
        self._keys[cache_key] = value
        return value

    def with_customer(self, customer_id: str | None) -> MatchRecord:
        """The same record under another customer; derived keys are shared (they depend on fields only)."""
        other = dataclasses.replace(self, customer_id=customer_id)
        object.__setattr__(other, "_keys", self._keys)
        return other

    def with_seq(self, seq: int) -> MatchRecord:
        """The same record at another place in the arrival order; derived keys are shared."""
        other = dataclasses.replace(self, seq=seq)
        object.__setattr__(other, "_keys", self._keys)
        return other
