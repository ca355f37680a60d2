"""Customer clusters during one resolution: union-find over customer ids.

Ids are either existing customer ids (``C000123``) or provisional ids ``new:<n>`` for customers a
batch creates. When two clusters join, the *older* id survives: an existing id beats a provisional
one, and among existing ids the smaller one in natural order (C000099 < C000123 < C001000). So a
customer id, once handed out, never changes unless its customer is merged into an older one.
"""

from __future__ import annotations

import re
from collections.abc import Collection

PROVISIONAL_PREFIX = "new:"
_DIGITS = re.compile(r"(\d+)")


def is_provisional(customer_id: str) -> bool:
    return customer_id.startswith(PROVISIONAL_PREFIX)


def age_key(customer_id: str) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    """Sort key: older ids first (existing before provisional, then natural order)."""
    parts = tuple((0, int(tok), "") if tok.isdigit() else (1, 0, tok) for tok in _DIGITS.split(customer_id) if tok)
    return (1 if is_provisional(customer_id) else 0, parts)


class Clusters:
    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._record_cluster: dict[str, str] = {}
        self._identifiers: dict[str, dict[str, set[str]]] = {}  # root -> field -> values
        self._next_provisional = 1

    def new_cluster(self) -> str:
        cid = f"{PROVISIONAL_PREFIX}{self._next_provisional}"
        self._next_provisional += 1
        self._ensure(cid)
        return cid

    def _ensure(self, cid: str) -> None:
        if cid not in self._parent:
            self._parent[cid] = cid
            self._members[cid] = []

    def add(self, uid: str, cid: str, identifiers: dict[str, str] | None = None) -> None:
        """Place record ``uid`` in cluster ``cid``, with its cannot-link identifier values."""
        self._ensure(cid)
        root = self.find(cid)
        self._record_cluster[uid] = root
        self._members[root].append(uid)
        if identifiers:
            held = self._identifiers.setdefault(root, {})
            for field, value in identifiers.items():
                held.setdefault(field, set()).add(value)

    def conflicts(self, a: str, b: str, fields: Collection[str]) -> bool:
        """Clusters ``a`` and ``b`` hold different values of one of ``fields``, none in common."""
        left = self._identifiers.get(self.find(a), {})
        right = self._identifiers.get(self.find(b), {})
        return any(field in left and field in right and left[field].isdisjoint(right[field]) for field in fields)

    def __contains__(self, uid: str) -> bool:
        return uid in self._record_cluster

    def find(self, cid: str) -> str:
        parent = self._parent
        root = cid
        while parent[root] != root:
            root = parent[root]
        while parent[cid] != root:  # path compression
            parent[cid], cid = root, parent[cid]
        return root

    def customer_of(self, uid: str) -> str:
        return self.find(self._record_cluster[uid])

    def members(self, cid: str) -> list[str]:
        return self._members[self.find(cid)]

    def union(self, a: str, b: str) -> tuple[str, str] | None:
        """Join two clusters; returns (survivor, absorbed) root ids, or None if already one."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        survivor, absorbed = (ra, rb) if age_key(ra) <= age_key(rb) else (rb, ra)
        self._parent[absorbed] = survivor
        self._members[survivor].extend(self._members.pop(absorbed))
        moved = self._identifiers.pop(absorbed, {})
        held = self._identifiers.setdefault(survivor, {})
        for field, values in moved.items():
            held.setdefault(field, set()).update(values)
        return survivor, absorbed
