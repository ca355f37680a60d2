"""The tag library and the lifecycle rules: YAML validated by pydantic (custgraph/data/tags.default.yaml).

A bad metric, a window on a metric that takes none, or two tags claiming one synonym fails when the
file is loaded, not while customers are being classified. docs/tags-and-segments.md describes every key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from custgraph.classification.files import read_yaml
from custgraph.matching.standardize.vocab import fold
from custgraph.vocabulary import INTERACTION_TYPES

DEFAULT_TAGS_RESOURCE = "tags.default.yaml"
CUSTOM = "custom"  # the dimension of every tag the library does not name
NAME = re.compile(r"^[^:\s][^:]{0,99}$")  # a dimension or tag name: no colon (the key is dimension:name)
LIFECYCLE_STAGES = ("prospect", "customer", "dormant", "churned")

Metric = Literal["orders", "spend", "monthly_spend", "interactions", "touches", "tenure_years", "marked_lost"]
WINDOWED: frozenset[str] = frozenset({"orders", "spend", "monthly_spend", "interactions", "touches"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Model):
    """One measurement compared with its bounds: ``{metric: orders, months: 6, min: 3}``."""

    metric: Metric
    months: int | None = Field(default=None, ge=1, le=600)
    days: int | None = Field(default=None, ge=1, le=36500)
    type: str | None = None  # interactions of one type only
    min: float | None = None
    max: float | None = None
    above: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Condition:
        if self.months is not None and self.days is not None:
            raise ValueError(f"{self.metric}: give months or days, not both")
        if (self.months or self.days) and self.metric not in WINDOWED:
            raise ValueError(f"{self.metric} takes no window")
        if self.metric == "monthly_spend" and self.months is None:
            raise ValueError("monthly_spend needs months (the spend is divided by them)")
        if self.type is not None and self.metric != "interactions":
            raise ValueError("type applies to the interactions metric only")
        if self.type is not None and self.type not in INTERACTION_TYPES:
            raise ValueError(f"type must be one of {', '.join(INTERACTION_TYPES)}")
        if all(b is None for b in (self.min, self.max, self.above, self.below)):
            raise ValueError(f"{self.metric}: give at least one of min, max, above, below")
        if self.metric == "tenure_years" and any(
            b is not None and b != int(b) for b in (self.min, self.max, self.above, self.below)
        ):
            raise ValueError("tenure_years bounds are whole years")
        return self


class Matcher(_Model):
    """``all`` must hold, and one of ``any`` when given; neither: always applies."""

    all: list[Condition] = Field(default_factory=list)
    any: list[Condition] = Field(default_factory=list)


class TagDefinition(Matcher):
    name: str
    label: str | None = None
    synonyms: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("a tag name is 1-100 characters without a colon")
        return value


class Dimension(_Model):
    name: str
    label: str | None = None
    exclusive: bool = False  # one tag of the dimension at a time
    tags: list[TagDefinition] = Field(default_factory=list)
    from_profile: Literal["industry", "region"] | None = None  # the tag's name is the customer's value
    names: list[str] = Field(default_factory=list)  # profile dimensions: the only names allowed (empty: any)
    areas: dict[str, str] = Field(default_factory=dict)  # region: a sales area -> the name the library uses

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("a dimension name is 1-100 characters without a colon")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Dimension:
        if self.from_profile and self.tags:
            raise ValueError(f"dimension {self.name}: from_profile dimensions list no tags")
        if self.areas and self.from_profile != "region":
            raise ValueError(f"dimension {self.name}: areas apply to region dimensions only")
        seen = [t.name for t in self.tags]
        if len(set(seen)) != len(seen):
            raise ValueError(f"dimension {self.name}: a tag is listed twice")
        if self.names and any(v not in self.names for v in self.areas.values()):
            raise ValueError(f"dimension {self.name}: areas map to names not listed")
        return self

    @property
    def computed(self) -> bool:
        """Rules or the profile decide this dimension's tags (custom ones are only set by people)."""
        return bool(self.from_profile) or any(True for _ in self.tags)

    def allows(self, name: str) -> bool:
        """Whether ``name`` is a tag of this dimension (a profile dimension without ``names`` takes any)."""
        if self.from_profile:
            return not self.names or name in self.names
        return not self.tags or any(t.name == name for t in self.tags)


class LifecycleRule(Matcher):
    stage: Literal["prospect", "customer", "dormant", "churned"]
    label: str | None = None


class TagLibrary(_Model):
    dimensions: list[Dimension]
    lifecycle: list[LifecycleRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> TagLibrary:
        names = [d.name for d in self.dimensions]
        if len(set(names)) != len(names):
            raise ValueError("a dimension is listed twice")
        self._synonym_index()  # two tags claiming one text fail here
        if self.lifecycle[-1].all or self.lifecycle[-1].any:
            raise ValueError("the last lifecycle rule must have no conditions (every customer gets a stage)")
        return self

    @cached_property
    def by_name(self) -> dict[str, Dimension]:
        return {d.name: d for d in self.dimensions}

    def exclusive(self, dimension: str) -> bool:
        found = self.by_name.get(dimension)
        return found is not None and found.exclusive

    def _synonym_index(self) -> dict[str, tuple[str, str]]:
        index: dict[str, tuple[str, str]] = {}
        for dim in self.dimensions:
            for tag in dim.tags:
                for text in {tag.label or "", *tag.synonyms} - {""}:
                    key = fold(text)
                    if index.setdefault(key, (dim.name, tag.name)) != (dim.name, tag.name):
                        raise ValueError(f"'{text}' names two tags ({index[key]} and {dim.name}:{tag.name})")
        return index

    @cached_property
    def synonyms(self) -> dict[str, tuple[str, str]]:
        """Folded text -> (dimension, name): what an imported tag cell or a typed tag may say."""
        return self._synonym_index()

    def tag_for_text(self, text: str) -> tuple[str, str]:
        """(dimension, name) an imported or typed tag text stands for: a library tag it names
        (高价值 -> value:high), else the text itself in the custom dimension."""
        found = self.synonyms.get(fold(text))
        return found if found is not None else (CUSTOM, text)

    def person_tag(self, dimension: str, name: str) -> tuple[str, str]:
        """(dimension, name) of a tag a person adds: a custom text naming a library tag becomes it
        (高价值 -> value:high); a name the dimension does not have raises ValueError. Dimensions the
        library does not know stay free (a team's own labels)."""
        if dimension == CUSTOM:
            return self.tag_for_text(name)
        found = self.by_name.get(dimension)
        if found is not None and not found.allows(name):
            raise ValueError(f"{dimension} has no tag {name!r}")
        return dimension, name


def library_from_dict(data: Mapping[str, Any]) -> TagLibrary:
    return TagLibrary.model_validate(data)


def load_library(path: str | Path | None = None) -> TagLibrary:
    """The tag library from a YAML file, or the shipped one when path is None."""
    return library_from_dict(read_yaml(path, DEFAULT_TAGS_RESOURCE))
