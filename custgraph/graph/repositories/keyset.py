"""Keyset paging: no SKIP, so a deep page costs what the first does. Logs are read newest first, by
(at, id); other lists in the order of their unique key."""

from __future__ import annotations

from typing import Any


def newest_first(
    var: str, match: str, where: str, params: dict[str, Any], after: tuple[str, str] | None, first: int
) -> tuple[str, dict[str, Any]]:
    """The statement and parameters of one page: ``match`` binds ``var`` (with ``where``, possibly empty);
    ``after`` is the (at, id) of the last item already seen. It asks for ``first + 1`` rows, so that the
    caller can tell whether another page follows."""
    query = f"{match} {where}"
    params = dict(params)
    if after is not None:
        query += "AND " if where else "WHERE "
        query += f"({var}.at < $after_at OR ({var}.at = $after_at AND {var}.id < $after_id)) "
        params.update(after_at=after[0], after_id=after[1])
    query += f"RETURN properties({var}) AS props ORDER BY {var}.at DESC, {var}.id DESC LIMIT $limit"
    return query, {**params, "limit": first + 1}


def by_unique_key(
    var: str, key: str, match: str, where: str, params: dict[str, Any], after: str | None, first: int
) -> tuple[str, dict[str, Any]]:
    """One page in ascending order of ``var.key`` (a uniquely constrained property, so its index serves
    the order): ``after`` is the key of the last item already seen; ``first + 1`` rows are asked for."""
    query = f"{match} {where}"
    params = dict(params)
    if after is not None:
        query += "AND " if where else "WHERE "
        query += f"{var}.{key} > $after_key "
        params["after_key"] = after
    query += f"RETURN properties({var}) AS props ORDER BY {var}.{key} LIMIT $limit"
    return query, {**params, "limit": first + 1}
