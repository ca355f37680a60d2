"""Mapping profiles (source column -> canonical field) and their resolution against a file's headers.

A profile is data: a YAML file validated by pydantic when it is loaded, so a typo in a field name fails
before any row is read. Without a profile, headers are recognised through the synonym table.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from custgraph.ingest.errors import MappingError
from custgraph.ingest.fields import ALL_FIELDS, KEY_FIELD_BY_KIND, Kind, fields_for
from custgraph.ingest.models import Issue
from custgraph.ingest.synonyms import (
    CUSTOMER_KEY,
    SOURCE_KEY,
    SynonymTable,
    default_synonyms,
    header_variants,
)
from custgraph.ingest.table import HeaderTest


class ColumnSpec(BaseModel):
    """One mapped column. `format` is a strptime pattern for dates ("%Y%m%d"), passed to the standardizer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    format: str | None = None

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value not in ALL_FIELDS:
            close = difflib.get_close_matches(value, sorted(ALL_FIELDS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (see docs/ingestion.md for the list)"
            raise ValueError(f"unknown canonical field {value!r}{hint}")
        return value


class MappingProfile(BaseModel):
    """A reusable mapping, as written in a mapping YAML file (see docs/ingestion.md)."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = None  # the CLI's --source wins
    kind: Kind | None = None  # the CLI's --kind wins; when given, fields are checked against it at load time
    key: str | None = None  # the column identifying a row within its source; absent: the row number
    columns: dict[str, ColumnSpec]
    # Recognise the columns the profile does not name through the synonym table (default: they are extras).
    auto_detect: bool = False

    @field_validator("columns", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        # `手机号: mobile` is short for `手机号: {field: mobile}`.
        if not isinstance(value, dict):
            return value
        columns = {}
        for column, spec in value.items():
            if not isinstance(spec, str | dict | ColumnSpec):
                raise ValueError(f"column {column!r}: expected a field name or {{field: ..., format: ...}}")
            columns[str(column)] = {"field": spec} if isinstance(spec, str) else spec
        return columns

    @model_validator(mode="after")
    def _consistent(self) -> MappingProfile:
        seen: dict[str, str] = {}
        for column, spec in self.columns.items():
            if spec.field in seen:
                first = seen[spec.field]
                raise ValueError(f"field {spec.field!r} is mapped twice: from {first!r} and {column!r}")
            seen[spec.field] = column
        if self.kind is not None:
            check_kind(self, self.kind)
        return self


def check_kind(profile: MappingProfile, kind: str) -> None:
    """ValueError when the profile maps a field that `kind` does not have (order_id in a customers import)."""
    allowed = fields_for(kind)
    wrong = [f"{col!r} -> {spec.field}" for col, spec in profile.columns.items() if spec.field not in allowed]
    if wrong:
        raise ValueError(f"not fields of {kind}: {', '.join(wrong)}")


def _one_line(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "mapping"
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def load_mapping(path: Path) -> MappingProfile:
    """Read and validate a mapping file. Raises MappingError with a one-line reason."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the mapping ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise MappingError(f"{path.name}: not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
        raise MappingError(f"{path.name}: not valid YAML{where}: {problem}") from exc
    return parse_mapping(data, name=path.name)


def parse_mapping(data: object, *, name: str = "mapping") -> MappingProfile:
    """Validate a mapping given as data (a dict from YAML or from an API call)."""
    if not isinstance(data, dict):
        raise MappingError(f"{name}: a mapping needs 'columns:' (and optionally 'source:', 'key:')")
    try:
        return MappingProfile.model_validate(data)
    except ValidationError as exc:
        raise MappingError(f"{name}: {_one_line(exc)}") from None


def dump_mapping(profile: MappingProfile, path: Path) -> None:
    """Save a profile (for example one resolved from synonyms) as a reusable mapping file."""
    data = profile.model_dump(exclude_defaults=True)
    data["columns"] = {
        column: spec.field if spec.format is None else {"field": spec.field, "format": spec.format}
        for column, spec in profile.columns.items()
    }
    Path(path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@dataclass(frozen=True)
class FieldRule:
    index: int  # 0-based column position
    header: str
    field: str
    fmt: str | None = None


@dataclass
class ResolvedMapping:
    """How to read one file: which column feeds which field, which column is the key, what stays extra."""

    kind: str
    rules: list[FieldRule]  # in column order
    key_index: int | None  # None: the row number is the key
    key_header: str | None
    extras: list[tuple[int, str]]  # unmapped columns: (index, header)
    issues: list[Issue] = field(default_factory=list)  # file-level warnings about the mapping

    @property
    def by_index(self) -> dict[int, FieldRule]:
        return {rule.index: rule for rule in self.rules}

    def to_profile(self, source: str | None = None) -> MappingProfile:
        """The mapping as a profile, e.g. to save what the synonym table recognised and edit it."""
        return MappingProfile(
            source=source,
            kind=self.kind,
            key=self.key_header,
            columns={rule.header: ColumnSpec(field=rule.field, format=rule.fmt) for rule in self.rules},
        )


def _find_column(headers: list[str], column: str) -> int | None:
    """Position of a profile's column: the exact header, else the same header up to case/space/width."""
    if column in headers:
        return headers.index(column)
    wanted = set(header_variants(column))
    for index, header in enumerate(headers):
        if wanted.intersection(header_variants(header)):
            return index
    return None


def profile_header_test(profile: MappingProfile) -> HeaderTest:
    """Header test for a profile: the first row that holds every mapped column (and the key column)."""
    columns = [*profile.columns, *([profile.key] if profile.key else [])]

    def is_header(cells: list[str]) -> bool:
        return all(_find_column(cells, column) is not None for column in columns)

    return is_header


def resolve_mapping(
    headers: list[str],
    profile: MappingProfile | None,
    kind: str,
    *,
    synonyms: SynonymTable | None = None,
) -> ResolvedMapping:
    """Decide, for every column, its field, key role or extra status. Raises MappingError when the profile
    names a column the file does not have, or maps a field that `kind` does not allow."""
    try:
        allowed = fields_for(kind)
        if profile is not None:
            check_kind(profile, kind)
    except ValueError as exc:
        raise MappingError(str(exc)) from None
    synonyms = synonyms or default_synonyms()
    rules: dict[int, FieldRule] = {}
    key_index: int | None = None
    issues: list[Issue] = []

    if profile is not None:
        missing = [column for column in profile.columns if _find_column(headers, column) is None]
        if profile.key and _find_column(headers, profile.key) is None:
            missing.append(profile.key)
        if missing:
            shown = ", ".join(repr(h) for h in headers[:30]) + (", ..." if len(headers) > 30 else "")
            names = ", ".join(repr(c) for c in missing)
            raise MappingError(f"mapping names column(s) not in the file: {names} (headers: {shown})")
        for column, spec in profile.columns.items():
            index = _find_column(headers, column)
            assert index is not None  # checked above
            rules[index] = FieldRule(index, headers[index], spec.field, spec.format)
        if profile.key:
            key_index = _find_column(headers, profile.key)

    if profile is None or profile.auto_detect:
        taken = {rule.field for rule in rules.values()}
        detected_key = _detect(headers, rules, taken, allowed, kind, synonyms, issues)
        if profile is None or not profile.key:
            key_index = detected_key

    if key_index is None:
        key_field = KEY_FIELD_BY_KIND[kind]
        key_index = next((rule.index for rule in rules.values() if rule.field == key_field), None)
    if key_index is None:
        issues.append(
            Issue(
                row=0,
                field="",
                severity="warning",
                reason="no key column: row numbers identify the rows, so a re-import of an edited file cannot "
                "update them; name one with 'key:' in a mapping",
            )
        )

    ordered = [rules[index] for index in sorted(rules)]
    key_header = headers[key_index] if key_index is not None else None
    extras = [(i, h) for i, h in enumerate(headers) if i not in rules and i != key_index]
    return ResolvedMapping(kind, ordered, key_index, key_header, extras, issues)


PERSON_NAME_FIELDS = frozenset({"name", "first_name", "last_name"})


def _contact_as_name(rules: dict[int, FieldRule], taken: set[str], detected: set[int]) -> None:
    """联系人 names a company's contact person beside a name column (客户名称 联系人 联系人电话); in a
    file with no name column it is the name of the person the row is about. Only a column recognised
    by its header: one a mapping file maps to contact_name stays that."""
    if taken & PERSON_NAME_FIELDS:
        return
    for index, rule in rules.items():
        if index in detected and rule.field == "contact_name":
            rules[index] = FieldRule(index, rule.header, "name", rule.fmt)
            taken.discard("contact_name")
            taken.add("name")
            return


def _detect(
    headers: list[str],
    rules: dict[int, FieldRule],
    taken: set[str],
    allowed: frozenset[str],
    kind: str,
    synonyms: SynonymTable,
    issues: list[Issue],
) -> int | None:
    """Fill `rules` from the synonym table; return the key column it found, if any."""
    customer_keys: list[int] = []
    generic_keys: list[int] = []
    elsewhere: list[str] = []  # recognised, but not a field of this kind: probably the wrong --kind
    mapped = set(rules)  # named by the mapping file
    for index, header in enumerate(headers):
        if index in rules:
            continue
        entry = synonyms.lookup(header)
        if entry == SOURCE_KEY:
            generic_keys.append(index)
        elif entry == CUSTOMER_KEY and kind == "customers":
            customer_keys.append(index)
        elif entry is None:
            continue
        elif entry not in allowed:
            elsewhere.append(f"{header!r} ({entry})")
        elif entry in taken:
            issues.append(
                Issue(
                    row=0,
                    field=entry,
                    value=header,
                    severity="warning",
                    reason=f"column {header!r} also means {entry}; the first such column is used, this one "
                    "is kept as an extra attribute",
                )
            )
        else:
            taken.add(entry)
            rules[index] = FieldRule(index, header, entry)
    _contact_as_name(rules, taken, set(rules) - mapped)
    if elsewhere:
        issues.append(
            Issue(
                row=0,
                field="",
                severity="warning",
                reason=f"columns {', '.join(elsewhere)} are not {kind} fields and are kept as extra attributes; "
                "is --kind right?",
            )
        )
    # customers: 客户编号 before a generic 编号. Orders and interactions: their own number column first
    # (the caller's fallback), a generic id column only when the file has no such column.
    if customer_keys:
        return customer_keys[0]
    key_field = KEY_FIELD_BY_KIND[kind]
    if key_field is not None and key_field in taken:
        return None
    return generic_keys[0] if generic_keys else None
