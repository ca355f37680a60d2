"""Bands turn a probability into an outcome."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from custgraph.matching.bands import Bands


@pytest.mark.parametrize(
    ("probability", "expected"), [(0.95, "matched"), (0.9, "matched"), (0.89, "review"), (0.5, "review"), (0.49, "new")]
)
def test_band(probability: float, expected: str) -> None:
    assert Bands(matched=0.9, review=0.5).band(probability) == expected


def test_no_review_band_when_thresholds_meet() -> None:
    bands = Bands(matched=0.8, review=0.8)
    assert bands.band(0.79) == "new" and bands.band(0.8) == "matched"


@pytest.mark.parametrize("kwargs", [{"matched": 1.0}, {"review": 0.0}, {"matched": 0.5, "review": 0.6}])
def test_invalid_bands(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        Bands(**kwargs)
