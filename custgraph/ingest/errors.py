"""Errors that stop an import before any row is read. Row-level problems are never raised: they are Issues."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be read at all. The message is one line, fit for a CLI error."""


class MappingError(IngestError):
    """A mapping that cannot be applied: bad YAML, unknown field, or a column the file does not have."""
