"""Owner cells naming several reps give one owner per rep."""

from __future__ import annotations

import pytest

from custgraph.matching.standardize import standardize_field


@pytest.mark.parametrize(
    ("cell", "owners"),
    [
        ("赵国栋", ["赵国栋"]),
        ("赵国栋/孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋／孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋、孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋,孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋，孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋;孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋；孙悦", ["赵国栋", "孙悦"]),
        ("赵国栋 孙悦", ["赵国栋", "孙悦"]),
        (" 赵国栋 / 孙悦 / 赵国栋 ", ["赵国栋", "孙悦"]),  # repeats once
        ("趙國棟", ["趙國棟"]),  # kept as written: it must equal the rep's user name
        ("John Smith / Mary Lee", ["John Smith", "Mary Lee"]),  # a Latin name keeps its space
        ("赵国栋/无", ["赵国栋"]),
        ("待补充", None),
        ("", None),
    ],
)
def test_std_owner_cell_splits_into_owners(cell: str, owners: list[str] | None) -> None:
    assert standardize_field("owner", cell) == owners
