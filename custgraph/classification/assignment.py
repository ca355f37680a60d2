"""Owner assignment rules: YAML validated by pydantic (custgraph/data/assignment.default.yaml).

The shape is a contract (issue 13)::

    rules:
      - name: east-manufacturing
        priority: 10
        when: {region: [华东], industry: [制造业], tags: {all: ["value:high"]}}
        assign: {owner: 李经理, role: sales}

Rules are tried by priority, highest first; for each role the first matching rule assigns that
role's owner. Evaluation is pure (``assign_owners``); recompute.py writes the result.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from custgraph.classification.files import read_yaml

DEFAULT_ASSIGNMENT_RESOURCE = "assignment.default.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TagsWhen(_Model):
    all: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)


class When(_Model):
    """Every key given must hold; a list means any of its values. ``{}`` matches every customer."""

    region: list[str] = Field(default_factory=list)  # a sales area (华东) or a province (上海市)
    industry: list[str] = Field(default_factory=list)
    tags: TagsWhen = Field(default_factory=TagsWhen)


class Assign(_Model):
    owner: str = Field(min_length=1, max_length=100)
    role: str = Field(default="sales", min_length=1, max_length=50)

    @field_validator("role")
    @classmethod
    def _role(cls, value: str) -> str:
        if "," in value:
            raise ValueError("a role has no comma")
        return value


class AssignmentRule(_Model):
    name: str = Field(min_length=1, max_length=100)
    priority: int = 0
    when: When = Field(default_factory=When)
    assign: Assign


class AssignmentRules(_Model):
    rules: list[AssignmentRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> AssignmentRules:
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names):
            raise ValueError("two rules share a name")
        return self

    def ordered(self) -> list[AssignmentRule]:
        """Highest priority first; a tie keeps the file's order."""
        return sorted(self.rules, key=lambda r: -r.priority)


@dataclass(frozen=True)
class Subject:
    """What the rules look at: the customer's region (its sales area and province), industry and tags."""

    area: str | None
    province: str | None
    industry: str | None
    tags: frozenset[str]


def matches(when: When, subject: Subject) -> bool:
    if when.region and not ({subject.area, subject.province} & set(when.region)):
        return False
    if when.industry and subject.industry not in when.industry:
        return False
    tags = when.tags
    if tags.all and not set(tags.all) <= subject.tags:
        return False
    if tags.any and not set(tags.any) & subject.tags:
        return False
    return not (tags.none and set(tags.none) & subject.tags)


@dataclass(frozen=True)
class RuleOwner:
    """An owner the rules assign: the roles they hold and the rules that gave them."""

    name: str
    roles: tuple[str, ...]
    rules: tuple[str, ...]

    @property
    def role(self) -> str:
        return ",".join(self.roles)

    @property
    def rule(self) -> str:
        return ",".join(self.rules)


def assign_owners(rules: AssignmentRules, subject: Subject, *, kept: Collection[str] = ()) -> list[RuleOwner]:
    """The owners the rules give this customer, by name. ``kept``: owners set by a person or named by
    the customer's records; when there are any, the rules assign nobody."""
    if kept:
        return []
    by_role: dict[str, tuple[str, str]] = {}
    for rule in rules.ordered():
        if rule.assign.role in by_role or not matches(rule.when, subject):
            continue
        by_role[rule.assign.role] = (rule.assign.owner, rule.name)
    owners: dict[str, tuple[list[str], list[str]]] = {}
    for role in sorted(by_role):
        name, rule_name = by_role[role]
        roles, names = owners.setdefault(name, ([], []))
        roles.append(role)
        names.append(rule_name)
    return [RuleOwner(name, tuple(roles), tuple(names)) for name, (roles, names) in sorted(owners.items())]


def assignment_from_dict(data: Mapping[str, Any]) -> AssignmentRules:
    return AssignmentRules.model_validate(data)


def load_assignment(path: str | Path | None = None) -> AssignmentRules:
    """Assignment rules from a YAML file, or the shipped ones (which assign nobody) when path is None."""
    return assignment_from_dict(read_yaml(path, DEFAULT_ASSIGNMENT_RESOURCE))
