"""Comparison vectors for many pairs at once, column by column (Splink's one CASE per comparison
evaluated over the whole pair table), instead of one Python call per pair and comparison.

- Each record's values (every ``field:transform`` a comparison or one of its levels reads, the
  base values screened for placeholders, and whether a name is written in hanzi) are computed
  once per record (``Plan.features``, cached on the record) and interned as integer codes in a
  ``Table``: equal strings get equal codes, in any column.
- ``Plan.gamma`` takes the candidate pairs as two arrays of table rows and fills a level matrix
  one comparison at a time: null where a side is missing, exact levels by comparing codes, and
  the fuzzy levels (Jaro-Winkler, edit distance, containment, dates ...) by running the level's
  own ``pair_test`` once per distinct pair of values among the pairs still undecided.
- A ``hub`` level depends on who holds a value at the moment the pair is scored, so it is not
  decided here: a pair that would reach it with equal values is flagged, and the caller asks its
  ``HubDetector`` (``Plan.apply_hubs`` / ``Plan.fix_hubs``).

The levels come out exactly as ``CompiledComparison.level`` gives them one pair at a time (the
fuzzy tests are the same functions); ``tests/matching/test_vectors.py`` checks that on real data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from custgraph.matching import comparators
from custgraph.matching.levels import (
    CrossLevel,
    DateDiffLevel,
    DayMonthSwapLevel,
    DistanceLevel,
    ElseLevel,
    ExactLevel,
    HubLevel,
    HubView,
    InitialLevel,
    MaskLevel,
    SimilarityLevel,
    in_hanzi,
)
from custgraph.matching.record import MatchRecord

if TYPE_CHECKING:
    from custgraph.matching.rules import Rules

MISSING = -1  # code of a missing value
_SHIFT = 32  # a pair of codes packed into one int64: (code_a << 32) | code_b
GAMMA_BLOCK = 1 << 18  # pairs per block of column-wise work
DEDUPE_SAMPLE = 4096  # pairs looked at to tell whether value pairs repeat enough to deduplicate

# How a comparison level is evaluated column-wise (slots hold codes, see Table):
#   ("exact", slot)                       codes equal (and present)
#   ("hub", field)                        equal base values that are hubs: decided by the caller
#   ("similarity", slot, metric, min)     comparators.similarities(...) >= min, in C
#   ("distance", slot, metric, max)       comparators.distances_within(...), in C
#   ("initial", slot)                     one value is one character, the other starts with it
#   ("days", slot, max)                   ISO dates at most max days apart
#   ("pair", slot, test, guard)           test(value_a, value_b) once per distinct pair of present
#                                         values, only where guard(value lengths/stars) allows it
#   ("cross", hanzi, this, other, min)    swapped columns, as CrossLevel (min: Jaro-Winkler, 1 = equal)
#   ("else",)                             every pair left
#   ("rows", level test, base slot)       anything else: the record-by-record test, pair by pair
Step = tuple


class _Column:
    """A 1-D array that grows at the end (capacity doubles, so appending stays linear)."""

    def __init__(self, dtype) -> None:
        self._data = np.empty(1024, dtype=dtype)
        self.size = 0

    @property
    def array(self) -> np.ndarray:
        return self._data[: self.size]

    def extend(self, items: list) -> None:
        end = self.size + len(items)
        if end > len(self._data):
            bigger = np.empty(max(end, 2 * len(self._data)), dtype=self._data.dtype)
            bigger[: self.size] = self._data[: self.size]
            self._data = bigger
        self._data[self.size : end] = items
        self.size = end


@dataclass(frozen=True, slots=True)
class _Comparison:
    base: int  # slot of the base value
    steps: tuple[Step, ...]  # one per non-null level, in order
    hub: tuple[int, str] | None  # (level index, identifier field) of its hub level


class Plan:
    """Slots and level steps of a compiled rule set (one per rule set, see ``plan_for``)."""

    def __init__(self, rules: Rules) -> None:
        compiled = rules.compiled
        self.token = compiled.token
        self.comparisons = compiled.comparisons
        self._slots: dict[tuple, int] = {}
        self.getters: list[Callable[[MatchRecord], str | bool | None]] = []
        self.flags: list[bool] = []  # slot holds a bool (hanzi), not a string
        plans = []
        for index, (comparison, compiled_comparison) in enumerate(
            zip(rules.comparisons, compiled.comparisons, strict=True)
        ):
            base = self._slot(("base", index), compiled_comparison.value)
            field, key = comparison.field, comparison.key
            steps: list[Step] = []
            hub = None
            for position, (level, test) in enumerate(zip(comparison.levels, compiled_comparison.tests, strict=True), 1):
                steps.append(self._step(level, field, key, base, test))
                if isinstance(level, HubLevel):
                    if hub is not None:  # two hub levels: no column-wise form, pair by pair
                        steps[-1] = ("rows", test, base)
                    else:
                        hub = (position, level.field or field)
            plans.append(_Comparison(base, tuple(steps), hub))
        self.plans: tuple[_Comparison, ...] = tuple(plans)
        self.width = len(self.getters)
        self.hubbed = tuple(i for i, p in enumerate(self.plans) if p.hub is not None)
        self.radix = [len(c.labels) for c in compiled.comparisons]

    def _slot(self, spec: tuple, getter: Callable[[MatchRecord], str | bool | None], flag: bool = False) -> int:
        slot = self._slots.get(spec)
        if slot is None:
            slot = self._slots[spec] = len(self.getters)
            self.getters.append(getter)
            self.flags.append(flag)
        return slot

    def _key_slot(self, field: str, transform: str) -> int:
        return self._slot(("key", field, transform), lambda rec: rec.key(field, transform))

    def _values_slot(self, level, field: str, key: str, base: int) -> int:
        if not level.own_values:
            return base
        return self._key_slot(level.field or field, level.key or key)

    def _step(self, level, field: str, key: str, base: int, test) -> Step:
        if isinstance(level, ElseLevel):
            return ("else",)
        if isinstance(level, HubLevel):
            return ("hub", level.field or field)
        if isinstance(level, ExactLevel):
            return ("exact", self._values_slot(level, field, key, base))
        if isinstance(level, CrossLevel):
            this, transform = level.field or field, level.key or key
            hanzi = self._slot(("hanzi", this), lambda rec: in_hanzi(rec, this), flag=True)
            return ("cross", hanzi, self._key_slot(this, transform), self._key_slot(level.other_field, transform),
                    level.threshold)  # fmt: skip
        slot = self._values_slot(level, field, key, base)
        if isinstance(level, SimilarityLevel):
            return ("similarity", slot, level.type, level.threshold)
        if isinstance(level, DistanceLevel):
            return ("distance", slot, level.type, level.max_distance)
        if isinstance(level, InitialLevel):
            return ("initial", slot)
        if isinstance(level, DateDiffLevel):
            return ("days", slot, level.max_days)
        pair_test = level.pair_test()
        if pair_test is None:
            return ("rows", test, base)
        # cheap necessary conditions: a mask needs a '*' on one side, a day/month swap two full dates
        guard = "star" if isinstance(level, MaskLevel) else "date" if isinstance(level, DayMonthSwapLevel) else None
        return ("pair", slot, pair_test, guard)

    def features(self, rec: MatchRecord) -> tuple:
        """The record's value in every slot, computed once per record and rule set."""
        cache_key = ("#slots", self.token)
        cached = rec._keys.get(cache_key)
        if cached is None:
            cached = rec._keys[cache_key] = tuple(get(rec) for get in self.getters)
        return cached

    # --- column-wise levels -------------------------------------------------------------------

    def gamma(self, table: Table, rows_a: np.ndarray, rows_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Levels of the pairs (rows_a[k], rows_b[k]): an (n pairs x n comparisons) int8 matrix, and
        per pair a bit mask of the comparisons whose hub level it reaches if its value is a hub."""
        n = len(rows_a)
        if n > GAMMA_BLOCK:  # in blocks: arrays that stay in the processor's cache are faster
            parts = [self.gamma(table, rows_a[i : i + GAMMA_BLOCK], rows_b[i : i + GAMMA_BLOCK])
                     for i in range(0, n, GAMMA_BLOCK)]  # fmt: skip
            return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
        levels = np.zeros((n, len(self.plans)), dtype=np.int8)
        hub_bits = np.zeros(n, dtype=np.int64)
        if not n:
            return levels, hub_bits
        codes = table.codes  # one row per slot: a slot's codes for all records are contiguous
        for index, plan in enumerate(self.plans):
            base_a, base_b = codes[plan.base][rows_a], codes[plan.base][rows_b]
            todo = np.flatnonzero((base_a != MISSING) & (base_b != MISSING))
            column = levels[:, index]
            scores: dict[tuple, np.ndarray] = {}  # similarities computed for an earlier level, by pair
            for position, step in enumerate(plan.steps, 1):
                if not len(todo):
                    break
                kind = step[0]
                if kind == "else":
                    column[todo] = position
                    break
                if kind == "hub":
                    equal = todo[base_a[todo] == base_b[todo]]
                    hub_bits[equal] |= 1 << index
                    continue
                passed = self._passes(step, table, rows_a[todo], rows_b[todo], todo, scores)
                column[todo[passed]] = position
                todo = todo[~passed]
        return levels, hub_bits

    def _passes(
        self,
        step: Step,
        table: Table,
        rows_a: np.ndarray,
        rows_b: np.ndarray,
        pairs: np.ndarray,
        scores: dict[tuple, np.ndarray],
    ) -> np.ndarray:
        """Which of the pairs (rows_a[k], rows_b[k]) pass the level (a bool array). ``pairs[k]``
        numbers the pair among all those of the comparison; ``scores`` keeps the similarities
        computed so far per (slot, metric) by that number (NaN: not computed), so a second
        threshold on the same metric (Jaro-Winkler 0.92, then 0.8) computes nothing again."""
        codes = table.codes
        kind = step[0]
        if kind == "rows":  # the level's record-by-record test
            _, test, base = step
            records, features = table.records, self.features
            out = np.zeros(len(rows_a), dtype=bool)
            for k, (row_a, row_b) in enumerate(zip(rows_a.tolist(), rows_b.tolist(), strict=True)):
                a, b = records[row_a], records[row_b]
                out[k] = test(a, b, features(a)[base], features(b)[base], _NO_HUBS)
            return out
        if kind == "cross":
            _, hanzi, this, other, threshold = step
            ok = (codes[hanzi][rows_a] == 0) | (codes[hanzi][rows_b] == 0)  # two hanzi names are never swapped
            tested = np.zeros(len(rows_a), dtype=bool)
            this_a, this_b, other_a, other_b = (codes[this][rows_a], codes[this][rows_b],
                                                codes[other][rows_a], codes[other][rows_b])  # fmt: skip
            for x, y in ((this_a, other_b), (this_b, other_a)):
                known = (x != MISSING) & (y != MISSING)
                if threshold >= 1:
                    close = x == y
                else:
                    close = _on_values(table, x, y, lambda xs, ys: comparators.similarities("jaro_winkler", xs, ys)
                                       >= threshold)  # fmt: skip
                ok &= ~known | close
                tested |= known
            return ok & tested
        slot = step[1]
        xa, xb = codes[slot][rows_a], codes[slot][rows_b]
        if kind == "exact":
            return (xa != MISSING) & (xa == xb)
        known = (xa != MISSING) & (xb != MISSING)
        if kind == "similarity":
            _, _, metric, threshold = step
            computed = scores.get((slot, metric))
            if computed is None:
                computed = scores[(slot, metric)] = np.full(int(pairs.max()) + 1, np.nan)
            wanted = known & np.isnan(computed[pairs])
            where = np.flatnonzero(wanted)
            computed[pairs[where]] = _on_values(
                table, xa[where], xb[where], lambda xs, ys: comparators.similarities(metric, xs, ys), np.float64
            )
            return known & (computed[pairs] >= threshold)  # NaN (missing) is never >=
        if kind == "distance":
            _, _, metric, limit = step
            # a cheap necessary condition first: an edit changes the length by one at most; and one
            # edit between values of one length (a substitution, or two neighbours swapped) leaves
            # their first or their last (length - 2) // 2 characters alike
            length = table.prop(_length)
            la, lb = length[xa], length[xb]
            near = known & (np.abs(la - lb) <= limit)
            if limit == 1:
                head, tail = table.prop(_head_hash), table.prop(_tail_hash)
                near &= (la != lb) | (head[xa] == head[xb]) | (tail[xa] == tail[xb])
            where = np.flatnonzero(near)
            out = np.zeros(len(rows_a), dtype=bool)
            out[where] = _on_values(
                table, xa[where], xb[where], lambda xs, ys: comparators.distances_within(metric, xs, ys, limit)
            )
            return out
        if kind == "initial":  # comparators.is_initial_of, on lengths and first characters
            length, first = table.prop(_length), table.prop(_first_char)
            la, lb = length[xa], length[xb]
            same_first = first[xa] == first[xb]
            return known & same_first & (((la == 1) & (lb > 1)) | ((lb == 1) & (la > 1)))
        if kind == "days":  # comparators.date_diff_days, on day numbers
            days = table.prop(_day_number)
            da, db = days[xa], days[xb]
            return known & (da != MISSING) & (db != MISSING) & (np.abs(da - db) <= step[2])
        _, _, test, guard = step
        if guard == "star":
            star = table.prop(_has_star)
            known &= (star[xa] | star[xb]).astype(bool)
        elif guard == "date":  # two ISO dates whose month and day trade places (then the full test)
            month, day = table.prop(_month_code), table.prop(_day_code)
            known &= (month[xa] != MISSING) & (month[xb] != MISSING) & (xa != xb)
            known &= (month[xa] == day[xb]) & (day[xa] == month[xb])
        out = np.zeros(len(rows_a), dtype=bool)
        where = np.flatnonzero(known)
        out[where] = _on_values(table, xa[where], xb[where], lambda xs, ys: np.fromiter(
            (test(x, y) for x, y in zip(xs, ys, strict=True)), bool, len(xs)))  # fmt: skip
        return out

    def apply_hubs(self, table: Table, levels: np.ndarray, hub_bits: np.ndarray, rows_a: np.ndarray, hubs) -> None:
        """Decide the flagged hub levels now, with ``hubs`` as it stands (training: nothing changes)."""
        for index in self.hubbed:
            flagged = np.flatnonzero(hub_bits & (1 << index))
            if not len(flagged):
                continue
            position, field = self.plans[index].hub
            codes = table.codes[self.plans[index].base][rows_a[flagged]]
            unique, inverse = np.unique(codes, return_inverse=True)
            values = table.values
            is_hub = np.fromiter((hubs.is_hub(field, values[c]) for c in unique.tolist()), bool, len(unique))
            levels[flagged[is_hub[inverse]], index] = position

    def fix_hubs(self, gamma: tuple[int, ...], bits: int, base_values: Sequence, hubs: HubView) -> tuple[int, ...]:
        """One pair's levels with its flagged hub levels decided (``base_values``: side a's)."""
        out = list(gamma)
        for index in self.hubbed:
            if bits & (1 << index):
                position, field = self.plans[index].hub
                if hubs.is_hub(field, base_values[self.plans[index].base]):
                    out[index] = position
        return tuple(out)

    def pattern_keys(self, levels: np.ndarray) -> np.ndarray:
        """One int64 per row, equal for equal rows (mixed radix over the comparisons' level counts)."""
        if math.prod(self.radix) >= 2**62:  # too many comparisons for one int64: number the distinct rows
            return np.unique(levels, axis=0, return_inverse=True)[1].reshape(-1).astype(np.int64)
        keys = np.zeros(len(levels), dtype=np.int64)
        for index in reversed(range(levels.shape[1])):  # sum of level * product of the radixes before
            keys *= self.radix[index]
            keys += levels[:, index]
        return keys


class _NoHubs:
    def is_hub(self, field: str, value: str) -> bool:
        return False


_NO_HUBS = _NoHubs()


def _on_values(
    table: Table,
    xa: np.ndarray,
    xb: np.ndarray,
    many: Callable[[list[str], list[str]], np.ndarray],
    dtype: type = bool,
) -> np.ndarray:
    """many(values_a, values_b) where both are present (NaN / False elsewhere), computed once per
    distinct pair of codes when pairs repeat (names, cities), straight on when they do not."""
    out = np.full(len(xa), np.nan) if dtype is np.float64 else np.zeros(len(xa), dtype=dtype)
    known = np.flatnonzero((xa != MISSING) & (xb != MISSING))
    if not len(known):
        return out
    packed = (xa[known].astype(np.int64) << _SHIFT) | xb[known].astype(np.int64)
    values, mask = table.value_array(), (1 << _SHIFT) - 1
    sample = packed[:DEDUPE_SAMPLE]
    if len(packed) > DEDUPE_SAMPLE and len(np.unique(sample)) > 0.8 * len(sample):  # nearly all distinct
        out[known] = np.asarray(many(values[packed >> _SHIFT].tolist(), values[packed & mask].tolist()), dtype=dtype)
        return out
    unique, inverse = np.unique(packed, return_inverse=True)
    xs, ys = values[unique >> _SHIFT].tolist(), values[unique & mask].tolist()
    out[known] = np.asarray(many(xs, ys), dtype=dtype)[inverse.reshape(-1)]
    return out


# Properties of one value, computed once per distinct value (Table.prop).
def _length(value: str) -> int:
    return len(value)


def _first_char(value: str) -> int:
    return ord(value[0]) if value else MISSING


def _has_star(value: str) -> int:
    return 1 if "*" in value else 0


def _head_hash(value: str) -> int:
    return hash(value[: (len(value) - 2) // 2])  # equal halves, equal hashes (a collision only lets a pair through)


def _tail_hash(value: str) -> int:
    return hash(value[len(value) - (len(value) - 2) // 2 :])


def _month_code(value: str) -> int:
    """The two characters at 5:7 of a 10-character value (an ISO date's month), as one number."""
    return ord(value[5]) * 0x110000 + ord(value[6]) if len(value) == 10 else MISSING


def _day_code(value: str) -> int:
    return ord(value[8]) * 0x110000 + ord(value[9]) if len(value) == 10 else MISSING


def _day_number(value: str) -> int:
    parsed = comparators.parse_iso_date(value)
    return MISSING if parsed is None else parsed.toordinal()


class Table:
    """The records of one training or resolution run, each slot interned as an integer code."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.codes = np.empty((plan.width, 0), dtype=np.int32)  # codes[slot][row]
        self.n = 0
        self.records: list[MatchRecord] = []
        self.values: list[str] = []
        self._intern: dict[str, int] = {}
        self.rows: dict[str, int] = {}  # uid -> row (the first record added with that uid)
        self._value_array = _Column(object)
        self._props: dict[Callable[[str], int], _Column] = {}

    def value_array(self) -> np.ndarray:
        """The interned values as an object array (index = code)."""
        column, values = self._value_array, self.values
        if column.size < len(values):
            column.extend(values[column.size :])
        return column.array

    def prop(self, fn: Callable[[str], int]) -> np.ndarray:
        """fn(value) for every interned value (index = code), computed once per value."""
        column = self._props.get(fn)
        if column is None:
            column = self._props[fn] = _Column(np.int64)
        values = self.values
        if column.size < len(values):
            column.extend([fn(v) for v in values[column.size :]])
        return column.array

    def add(self, records: Sequence[MatchRecord]) -> range:
        """Append records (each its own row, even if a uid repeats); their rows."""
        start = self.n
        if not records:
            return range(start, start)
        intern, values, flags = self._intern, self.values, self.plan.flags
        features = self.plan.features
        block = np.empty((len(records), self.plan.width), dtype=np.int32)
        for i, rec in enumerate(records):
            row = []
            for value, flag in zip(features(rec), flags, strict=True):
                if flag:
                    row.append(1 if value else 0)
                elif value is None:
                    row.append(MISSING)
                else:
                    code = intern.get(value)
                    if code is None:
                        code = intern[value] = len(values)
                        values.append(value)
                    row.append(code)
            block[i] = row
            self.rows.setdefault(rec.uid, start + i)
        self._grow(start + len(records))
        self.codes[:, start : start + len(records)] = block.T
        self.records.extend(records)
        self.n = start + len(records)
        return range(start, self.n)

    def row(self, rec: MatchRecord) -> int:
        """The record's row, added on first use."""
        row = self.rows.get(rec.uid)
        return row if row is not None else self.add([rec])[0]

    def ensure(self, records: Sequence[MatchRecord]) -> None:
        """Add the records whose uid has no row yet (each once)."""
        rows, missing = self.rows, {}
        for rec in records:
            if rec.uid not in rows and rec.uid not in missing:
                missing[rec.uid] = rec
        self.add(list(missing.values()))

    def _grow(self, size: int) -> None:
        if size > self.codes.shape[1]:
            bigger = np.empty((self.plan.width, max(size, 2 * self.codes.shape[1], 1024)), dtype=np.int32)
            bigger[:, : self.n] = self.codes[:, : self.n]
            self.codes = bigger


_PLANS: dict[str, Plan] = {}


def plan_for(rules: Rules) -> Plan:
    """The column-wise plan of a rule set, built once per compiled rule set."""
    token = rules.compiled.token
    plan = _PLANS.get(token)
    if plan is None:
        if len(_PLANS) >= 32:
            _PLANS.pop(next(iter(_PLANS)))
        plan = _PLANS[token] = Plan(rules)
    return plan
