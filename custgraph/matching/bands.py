"""The three outcome bands a pair's match probability falls into."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Band = Literal["matched", "review", "new"]
BAND_RANK: dict[str, int] = {"matched": 2, "review": 1, "new": 0}


class Bands(BaseModel):
    """matched: auto-link; review: kept apart and queued for a person; below review: a new customer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    matched: float = Field(0.9, gt=0, lt=1)
    review: float = Field(0.5, gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> Bands:
        if self.review > self.matched:
            raise ValueError(f"bands: review ({self.review}) must not exceed matched ({self.matched})")
        return self

    def band(self, probability: float) -> Band:
        if probability >= self.matched:
            return "matched"
        if probability >= self.review:
            return "review"
        return "new"
