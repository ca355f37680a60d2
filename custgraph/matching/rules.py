"""The rules file: everything the engine does, as validated data.

``load_rules()`` reads YAML (the shipped default when no path is given) into ``Rules``; a bad
threshold, an unknown transform or a rule naming a level that does not exist fails right there,
not at scoring time. ``Rules.model_dump()`` round-trips and ``to_yaml()`` prints the rules back.
See docs/matching-rules.md for every key.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from custgraph.matching.bands import Bands
from custgraph.matching.blocking import BlockingRule, CompiledBlockingRule, compile_blocking
from custgraph.matching.combination_rules import CombinationRule, CompiledRule
from custgraph.matching.comparisons import Comparison, CompiledComparison
from custgraph.matching.hubs import HubSettings
from custgraph.matching.keys import check_transform, parse_key_spec
from custgraph.matching.record import MatchRecord
from custgraph.matching.survivorship import SurvivorshipSettings

DEFAULT_RULES_RESOURCE = "rules.default.yaml"


@lru_cache(maxsize=64)
def _compiled_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _fullmatch(pattern: str, value: str) -> bool:
    return _compiled_pattern(pattern).fullmatch(value) is not None


class ClusteringSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # A record matching two customers merges them only when its link to the second one is at least
    # this probable: merging is harder to undo than linking, so it asks for more.
    merge_threshold: float = Field(0.99, gt=0, le=1)
    max_block_size: int = Field(30, ge=2)  # see rules.default.yaml
    max_review_pairs: int = Field(3, ge=0)  # review pairs queued per record
    # Identifiers one customer never holds two different values of (one person, one ID card; one
    # company, one credit code), each with the pattern of the values that qualify: only a value
    # whose checksum the standardizer verified is trusted; a free-form number may carry a typo.
    # Clusters holding different qualifying values are never merged.
    cannot_link: dict[str, str] = Field(default_factory=dict)
    # Two customers holding different values of one of these fields, none in common (namesakes, each
    # with a mobile of their own), are merged through a third record only when that record shares an
    # identifier with the customer folded in: a name and a city seen in a record without a mobile do
    # not say that two mobiles are one person's. One customer may still hold two (a second mobile).
    merge_needs_identifier: list[str] = Field(default_factory=list)  # field or field:transform

    @field_validator("cannot_link")
    @classmethod
    def _patterns_compile(cls, value: dict[str, str]) -> dict[str, str]:
        for field, pattern in value.items():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"cannot_link.{field}: bad pattern: {exc}") from exc
        return value

    def cannot_link_value(self, field: str, value: str | None) -> bool:
        pattern = self.cannot_link.get(field)
        return value is not None and pattern is not None and _fullmatch(pattern, value)


class TermFrequencyTable(BaseModel):
    """Shares of the common values of one ``field:transform`` (e.g. Chinese surnames), used until
    training measures them in the data: agreeing on 王 (7%) proves less than on a rare surname."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: dict[str, float]
    default: float = Field(gt=0, lt=1)  # share of any value not listed

    @field_validator("values")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        if any(not 0 < share < 1 for share in value.values()) or sum(value.values()) > 1:
            raise ValueError("term frequency shares must be in (0, 1) and sum to at most 1")
        return value

    def as_params(self) -> dict[str, Any]:
        listed = sum(self.values.values())
        mean = sum(v * v for v in self.values.values()) + (1 - listed) * self.default
        return {"values": dict(self.values), "default": self.default, "mean": mean}


class TrainingSession(BaseModel):
    """EM over the pairs sharing one of ``blocking``'s keys, not estimating the ``fixed`` comparisons."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    blocking: list[str] = Field(min_length=1)
    fixed: list[str] = Field(default_factory=list)


class TrainingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Each comparison's m pools the sessions that do not fix it; no sessions = one EM over all pairs.
    sessions: list[TrainingSession] = Field(default_factory=list)
    random_pairs: int = Field(20000, ge=100)  # random pairs for u, nearly all non-matches
    max_iterations: int = Field(50, ge=1)
    tolerance: float = Field(1e-5, gt=0)
    min_matches: float = Field(20, ge=1)  # fewer expected matches: keep the default m values
    min_tf_records: int = Field(500, ge=1)  # fewer records with a value: keep the default shares
    # The prior is at most this many times the matches the identifiers prove (0: no bound) ...
    prior_bound_factor: float = Field(2.0, ge=0)
    # ... counted over identifiers that at least this share of the records hold
    prior_bound_min_coverage: float = Field(0.3, gt=0, le=1)
    seed: int = 1


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    description: str = ""
    # Exact identifiers, highest priority first: among candidate customers in the matched band, the
    # one sharing the highest-priority identifier wins (the seeds: mobile first, then email ...).
    identifiers: list[str] = Field(default_factory=lambda: ["mobile", "email", "national_id", "credit_code"])
    # A record with none of the identifiers and none of these goes to the unmatched pool.
    name_fields: list[str] = Field(default_factory=lambda: ["name", "first_name", "last_name", "company"])
    prior_match_probability: float = Field(1e-4, gt=0, lt=1)  # until EM estimates it
    comparisons: list[Comparison] = Field(min_length=1)
    blocking: list[BlockingRule] = Field(min_length=1)
    rules: list[CombinationRule] = Field(default_factory=list)
    bands: Bands = Field(default_factory=Bands)
    hubs: HubSettings = Field(default_factory=HubSettings)
    clustering: ClusteringSettings = Field(default_factory=ClusteringSettings)
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    survivorship: SurvivorshipSettings = Field(default_factory=SurvivorshipSettings)
    # "field:transform" -> default term frequencies (see TermFrequencyTable)
    term_frequencies: dict[str, TermFrequencyTable] = Field(default_factory=dict)

    _compiled: CompiledRules | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _consistent(self) -> Rules:
        for kind, names in (
            ("comparison", [c.name for c in self.comparisons]),
            ("blocking rule", [b.name for b in self.blocking]),
            ("rule", [r.name for r in self.rules]),
        ):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} names: {dupes}")
        for key in self.term_frequencies:
            field, transform = parse_key_spec(key)
            check_transform(transform)
        comparison_names = {c.name for c in self.comparisons}
        blocking_names = {b.name for b in self.blocking}
        for session in self.training.sessions:
            unknown = (set(session.blocking) - blocking_names) | (set(session.fixed) - comparison_names)
            if unknown:
                raise ValueError(f"training session {session.name!r}: unknown names {sorted(unknown)}")
        if self.clustering.merge_threshold < self.bands.matched:
            raise ValueError("clustering.merge_threshold must be >= bands.matched")
        self._compiled = _compile(self)  # also validates the combination rules' labels
        return self

    @property
    def compiled(self) -> CompiledRules:
        # read from pydantic's private dict directly: ``self._compiled`` goes through a slow
        # __getattr__, and the hot path asks for the compiled rules once per record
        compiled = self.__pydantic_private__.get("_compiled")
        if compiled is None:  # pragma: no cover - set by the validator
            compiled = self._compiled = _compile(self)
        return compiled

    def __eq__(self, other: object) -> bool:
        # compare the data only; the compiled closures differ between equal rule sets
        return isinstance(other, Rules) and self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # mutable-looking lists inside: not hashable

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)


@dataclass(frozen=True, slots=True)
class CompiledRules:
    # Unique per compiled rule set: records cache per-rules values (blocking keys, base values)
    # under it, so a record scored under two rule sets never mixes them up.
    token: str
    blocking: tuple[CompiledBlockingRule, ...]
    comparisons: tuple[CompiledComparison, ...]
    combination_rules: tuple[CompiledRule, ...]
    # (comparison index, level indexes meaning "shares this identifier"), in identifier priority order
    identifier_levels: tuple[tuple[int, frozenset[int]], ...]

    def base_values(self, rec: MatchRecord) -> tuple[str | None, ...]:
        """Every comparison's base value for this record, computed once per record and rule set.

        Most pairs lack most fields (Febrl has no mobile, an order no birth date): with the values
        at hand, a comparison with a side missing costs one tuple lookup.
        """
        cache_key = ("#base", self.token)
        cached = rec._keys.get(cache_key)
        if cached is None:
            cached = rec._keys[cache_key] = tuple(c.value(rec) for c in self.comparisons)
        return cached


def _compile(rules: Rules) -> CompiledRules:
    hubs = rules.hubs
    compiled = tuple(
        c.compile(_placeholder_test(hubs, c.identity) if c.identity in hubs.placeholders else None)
        for c in rules.comparisons
    )
    identifier_levels = []
    for field in rules.identifiers:
        for i, comparison in enumerate(rules.comparisons):
            if comparison.identity == field:
                exact = frozenset(
                    j for j, lv in enumerate(comparison.levels, 1) if lv.type == "exact" and not lv.own_values
                )
                identifier_levels.append((i, exact))
                break
    return CompiledRules(
        token=uuid.uuid4().hex,
        blocking=compile_blocking(rules),
        comparisons=compiled,
        combination_rules=tuple(r.compile(rules.comparisons) for r in rules.rules),
        identifier_levels=tuple(identifier_levels),
    )


def _placeholder_test(hubs: HubSettings, field: str) -> Callable[[str | None], bool]:
    return lambda value: value is not None and hubs.is_placeholder(field, value)


def load_rules(path: str | Path | None = None) -> Rules:
    """Rules from a YAML file, or the shipped defaults when path is None."""
    if path is None:
        text = (resources.files("custgraph") / "data" / DEFAULT_RULES_RESOURCE).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return rules_from_dict(yaml.safe_load(text) or {})


def rules_from_dict(data: Mapping[str, Any]) -> Rules:
    return Rules.model_validate(data)
