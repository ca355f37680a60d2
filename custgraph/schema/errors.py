"""Typed mutation errors: mutations return a union of their payload and these, never raw exceptions."""

from __future__ import annotations

import strawberry
from pydantic import ValidationError as PydanticValidationError
from pydantic.alias_generators import to_camel


@strawberry.type(description="One invalid input field.")
class FieldError:
    field: str = strawberry.field(description="The input field, camelCase as sent (nested fields dotted).")
    message: str


@strawberry.type(description="The input was refused; nothing was changed.")
class ValidationError:
    message: str
    fields: list[FieldError]

    @classmethod
    def from_pydantic(cls, error: PydanticValidationError) -> ValidationError:
        fields = [
            FieldError(
                field=".".join(to_camel(str(p)) for p in item["loc"]) or "input",
                message=str(item["msg"]).removeprefix("Value error, "),
            )
            for item in error.errors()
        ]
        return cls(message="invalid input", fields=fields)

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls(message=message, fields=[FieldError(field=field, message=message)])


@strawberry.type(description="The customer (or other object) does not exist.")
class NotFoundError:
    message: str
    id: strawberry.ID


@strawberry.type(description="The caller's role or ownership does not allow this; nothing was changed.")
class PermissionDenied:
    message: str
