"""How customer ids look: ``C000123`` by default, or industry code + year + sequence (``ED2024001``).

The format is data (custgraph/data/customer_ids.yaml, validated here when loaded); the graph hands out
the numbers (graph/repositories/resolution.py ``allocate_customer_ids``): one counter per id prefix,
incremented in one statement, so ids stay unique however many imports and API calls ask at once.

Like ``bounds`` and ``vocabulary``, this module imports nothing from the rest of the package.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT_ENV = "CUSTGRAPH_CUSTOMER_ID_FORMAT"
FILE_ENV = "CUSTGRAPH_CUSTOMER_IDS"
PLACEHOLDERS = frozenset({"industry", "year", "seq"})
SINGLE_SEQUENCE = "customer"  # the counter of a format without {industry} or {year} (the one C ids use)
_CODE = re.compile(r"^[A-Z]{2,3}$")
_SEQ_SPEC = re.compile(r"^0(\d)$")


class CustomerIdFormat(BaseModel):
    """A validated id pattern, the industry codes and the time zone that names the year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = "C{seq:06}"
    timezone: str = "Asia/Shanghai"
    industry_codes: dict[str, str] = Field(default_factory=dict)
    other_code: str = "OT"

    @field_validator("format")
    @classmethod
    def _pattern(cls, value: str) -> str:
        # Unique by construction: the fixed text is letters, an industry code letters, a year four
        # digits, and the number comes last, so no two prefixes can spell the same id.
        parts = list(string.Formatter().parse(value))
        names = [name for _, name, _, _ in parts if name is not None]
        unknown = sorted(set(names) - PLACEHOLDERS)
        if unknown:
            raise ValueError(f"unknown placeholder(s) {unknown}: use {{industry}}, {{year}} and {{seq:0N}}")
        if names.count("seq") != 1 or not value.endswith("}") or names[-1] != "seq":
            raise ValueError("the format needs exactly one {seq:0N}, at its end")
        if not _SEQ_SPEC.match(parts[-1][2] or ""):
            raise ValueError("the sequence is written {seq:0N}, N the digits (1-9), e.g. {seq:06}")
        if any(not re.fullmatch(r"[A-Z]*", literal) for literal, *_ in parts):
            raise ValueError("the fixed text of a format is capital letters only (A-Z)")
        return value

    @field_validator("industry_codes")
    @classmethod
    def _codes(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted(name for name, code in value.items() if not _CODE.match(str(code)))
        if bad:
            raise ValueError(f"industry codes are 2-3 capital letters; not so for {bad}")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        ZoneInfo(value)  # an unknown zone fails here, at load time
        return value

    @model_validator(mode="after")
    def _other(self) -> CustomerIdFormat:
        if not _CODE.match(self.other_code):
            raise ValueError("other_code is 2-3 capital letters")
        return self

    @property
    def digits(self) -> int:
        spec = list(string.Formatter().parse(self.format))[-1][2] or "06"
        return int(spec[1:])

    @property
    def by_prefix(self) -> bool:
        """Whether the prefix changes (by industry or year): then each prefix has its own counter."""
        return "{industry}" in self.format or "{year}" in self.format

    def code(self, industry: str | None) -> str:
        if not industry:
            return self.other_code
        return self.industry_codes.get(industry.strip(), self.other_code)

    def prefix(self, industry: str | None = None, now: datetime | None = None) -> str:
        """The id's text before the number, for a customer of this industry created ``now``."""
        year = (now or datetime.now(ZoneInfo(self.timezone))).astimezone(ZoneInfo(self.timezone)).year
        head = self.format[: self.format.rindex("{seq")]
        return head.format(industry=self.code(industry), year=f"{year:04d}")

    def sequence(self, prefix: str) -> str:
        """The name of the graph counter handing out the numbers of ids with this prefix."""
        return f"{SINGLE_SEQUENCE}:{prefix}" if self.by_prefix else SINGLE_SEQUENCE

    def make(self, prefix: str, number: int) -> str:
        return f"{prefix}{number:0{self.digits}d}"


def parse(data: Mapping[str, Any], *, source: str = "customer ids") -> CustomerIdFormat:
    try:
        return CustomerIdFormat.model_validate(dict(data))
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None


def load(path: Path | None = None, env: Mapping[str, str] | None = None) -> CustomerIdFormat:
    """The shipped table (or the file ``CUSTGRAPH_CUSTOMER_IDS`` names), ``CUSTGRAPH_CUSTOMER_ID_FORMAT``
    overriding its format."""
    env = os.environ if env is None else env
    path = path or (Path(env[FILE_ENV]) if env.get(FILE_ENV) else None)
    if path is None:
        text = resources.files("custgraph").joinpath("data", "customer_ids.yaml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if env.get(FORMAT_ENV):
        data["format"] = env[FORMAT_ENV]
    return parse(data, source=str(path or "custgraph/data/customer_ids.yaml"))


@cache
def configured() -> CustomerIdFormat:
    """The format in force, read once per process (like the other settings)."""
    return load()
