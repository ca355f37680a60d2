"""The one error every standardizer raises for a value that is present but unusable."""

from __future__ import annotations


class InvalidValue(ValueError):
    """A present value that cannot be standardized.

    ``reason`` is a short human sentence ("not a valid mobile number") that the import report shows
    next to the row and field; it never contains the raw value, so reports do not leak personal data.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
