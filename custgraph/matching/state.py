"""What an import run's batches share in the engine: the records met, prepared once.

Resolving a batch compares its records with the existing ones sharing a blocking key, and batch
after batch meets the same existing records again (a block's oldest members are every later
namesake's candidates). Preparing a record for the engine (deriving its keys, interning its
comparison values into a ``Table`` row, coding its blocking keys) costs far more than looking it
up, so an ``EngineState`` keeps every record it met, prepared, across the batches of one run.

What a batch resolves against stays the caller's to say, batch by batch: which existing records
(the graph's oldest ``max_block_size`` per blocking key) and under which customer (the graph's,
after the last batch's merges and new ids). Clusters, hub holders and decisions are built per
batch from those, exactly as a fresh engine would (they depend on which records are in hand), so
a run with one state resolves every batch exactly as a run without it.

Bounded: at most ``size`` records are remembered, the least recently used dropped first (the
caller reads a dropped record again when it meets it again); table rows of dropped or replaced
records are reclaimed once they outnumber the live ones.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from custgraph.matching.blocking import NO_KEY, KeyCoder
from custgraph.matching.record import MatchRecord
from custgraph.matching.rules import Rules
from custgraph.matching.vectors import Table, plan_for

STATE_SIZE = 100_000  # records remembered (a few kB each with their derived keys)
MIN_COMPACT = 10_000  # dead table rows tolerated whatever the live count (compacting costs a pass)


class EngineState:
    """Records met during one run, each with a table row and blocking key codes (see the module)."""

    def __init__(self, rules: Rules, size: int = STATE_SIZE) -> None:
        self.rules = rules
        self.plan = plan_for(rules)
        self.size = size
        # uid -> (version, record), least recently used first; version: the caller's content hash
        self._known: OrderedDict[str, tuple[str, MatchRecord]] = OrderedDict()
        self._new_table()

    def _new_table(self) -> None:
        # A new table codes its rows' keys afresh: the coder holds every key value it ever coded, so
        # one that lived as long as the state would grow with every record met (millions in a 1M run).
        self.coder = KeyCoder(self.rules)
        self.table = Table(self.plan)
        self.codes = np.full((len(self.coder.names), 1024), NO_KEY, dtype=np.int64)  # rule x row
        # uid -> (the record's derived-keys dict, its row): a record object made from another
        # (with_customer, with_seq) shares that dict, so it names one version of the record
        self._rows: dict[str, tuple[dict, int]] = {}

    # --- the records met ---------------------------------------------------------------------

    def record(self, uid: str, version: str | None) -> MatchRecord | None:
        """The record remembered under this uid, if it is still this version (else None)."""
        found = self._known.get(uid) if version is not None else None
        if found is None or found[0] != version:
            return None
        self._known.move_to_end(uid)
        return found[1]

    def remember(self, rec: MatchRecord, version: str | None) -> None:
        """Keep ``rec`` as this version of its uid (a record without a version cannot be checked)."""
        if version is None:
            self.forget(rec.uid)
            return
        self._known[rec.uid] = (version, rec)
        self._known.move_to_end(rec.uid)
        while len(self._known) > self.size:
            uid, _ = self._known.popitem(last=False)
            self._rows.pop(uid, None)

    def forget(self, uid: str) -> None:
        self._known.pop(uid, None)
        self._rows.pop(uid, None)

    def __len__(self) -> int:
        return len(self._known)

    # --- rows for one batch ------------------------------------------------------------------

    def rows(self, records: Sequence[MatchRecord]) -> np.ndarray:
        """The table row of each record (one version of a uid, one row), added when missing.

        Rows stay valid until the next call: a batch asks once, for all its records."""
        self._compact_if_sparse(len(records))
        out = np.empty(len(records), dtype=np.int64)
        missing: list[MatchRecord] = []
        at: list[int] = []
        rows = self._rows
        for i, rec in enumerate(records):
            found = rows.get(rec.uid)
            if found is not None and found[0] is rec._keys:
                out[i] = found[1]
            else:
                missing.append(rec)
                at.append(i)
        if missing:
            added = self._add(missing)
            out[at] = added
        return out

    def _add(self, records: list[MatchRecord]) -> np.ndarray:
        first = self.table.n
        self.table.add(records)
        end = self.table.n
        if end > self.codes.shape[1]:
            bigger = np.full((self.codes.shape[0], max(end, 2 * self.codes.shape[1])), NO_KEY, dtype=np.int64)
            bigger[:, :first] = self.codes[:, :first]
            self.codes = bigger
        self.codes[:, first:end] = self.coder.codes(records)
        for row, rec in enumerate(records, first):
            self._rows[rec.uid] = (rec._keys, row)  # a uid twice in one call: its last version wins
        return np.arange(first, end, dtype=np.int64)

    def _compact_if_sparse(self, wanted: int) -> None:
        """Start a new table with the remembered records once other rows (records dropped, replaced
        or never remembered, still held by the table) outnumber them: the table's memory, and the key
        coder's, stay within about twice what the state remembers."""
        live = len(self._known)
        dead = self.table.n - live
        if dead <= max(live + wanted, MIN_COMPACT):
            return
        keep = [rec for _, rec in self._known.values()]
        self._new_table()
        if keep:
            self._add(keep)
