"""Every argument bounded before anything runs: list lengths, page sizes and string lengths.

Checked on the operation and its variables, like the cost limit (limits.py), so a field added later is
bounded without code of its own:

* a list argument holds at most ``max_list_items`` items, and ``_entities`` at most ``max_entities``
  representations (each one is a graph read);
* ``first`` and ``last`` are between 0 and ``max_page_size`` (the check resolvers/cursors.py makes,
  for the fields that page a plain list, such as ``importRun.issues``);
* a String or ID is at most ``max_text`` characters (custgraph/bounds.py); the profile fields have
  their own, tighter lengths from the same registry (resolvers/inputs.py). The strings inside a JSON
  argument are left to the path that reads them: ``ingestRecords`` checks each cell against its
  field's length and reports an oversized one as a row error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.utilities import get_operation_ast, value_from_ast_untyped
from strawberry.extensions import SchemaExtension

PAGE_ARGUMENTS = frozenset({"first", "last"})
TEXT_SCALARS = frozenset({"String", "ID"})
ENTITIES = ("Query", "_entities")


class ArgumentTooLarge(GraphQLError):
    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message, extensions={"code": "BAD_REQUEST", "argument": argument})


class ArgumentChecker:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        *,
        max_list_items: int,
        max_page_size: int,
        max_entities: int,
        max_text: int,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.max_list_items = max_list_items
        self.max_page_size = max_page_size
        self.max_entities = max_entities
        self.max_text = max_text

    def check_selections(self, selections: SelectionSetNode | None, parent: Any, seen: frozenset[str]) -> None:
        if selections is None:
            return
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                self.check_field(selection, parent, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else None
                self.check_selections(selection.selection_set, target or parent, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:  # validation refuses cycles; be safe anyway
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    self.check_selections(fragment.selection_set, target or parent, seen | {name})

    def check_field(self, node: FieldNode, parent: Any, seen: frozenset[str]) -> None:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return
        for argument in node.arguments or ():
            name = argument.name.value
            arg = definition.args.get(name)
            if arg is None:
                continue
            value = value_from_ast_untyped(argument.value, self.variables)
            items = self.max_entities if (parent.name, node.name.value) == ENTITIES else self.max_list_items
            self.check_value(value, arg.type, name, items)
        self.check_selections(node.selection_set, get_named_type(definition.type), seen)

    def check_value(self, value: Any, kind: GraphQLInputType, name: str, items: int) -> None:
        if value is None:
            return
        if isinstance(kind, GraphQLNonNull):
            kind = kind.of_type
        if isinstance(kind, GraphQLList):
            values = value if isinstance(value, list) else [value]
            if len(values) > items:
                raise ArgumentTooLarge(f"{name} takes at most {items} items ({len(values)} given)", name)
            for item in values:
                self.check_value(item, kind.of_type, name, self.max_list_items)
        elif isinstance(kind, GraphQLInputObjectType):
            if isinstance(value, Mapping):
                for field_name, field in kind.fields.items():
                    self.check_value(value.get(field_name), field.type, f"{name}.{field_name}", items)
        elif isinstance(kind, GraphQLScalarType):
            if name in PAGE_ARGUMENTS and isinstance(value, int) and not 0 <= value <= self.max_page_size:
                raise ArgumentTooLarge(f"{name} must be between 0 and {self.max_page_size}", name)
            if kind.name in TEXT_SCALARS and isinstance(value, str) and len(value) > self.max_text:
                raise ArgumentTooLarge(f"{name} is longer than {self.max_text} characters", name)


def _root(schema: GraphQLSchema, operation: OperationType) -> Any:
    if operation == OperationType.MUTATION:
        return schema.mutation_type
    if operation == OperationType.SUBSCRIPTION:
        return schema.subscription_type
    return schema.query_type


def check_arguments(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    **limits: int,
) -> None:
    """Raise ArgumentTooLarge for the first argument over its bound."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return
    checker = ArgumentChecker(schema, document, variables, **limits)
    checker.check_selections(operation.selection_set, _root(schema, operation.operation), frozenset())


class ArgumentLimiter(SchemaExtension):
    """Refuses an operation with an argument over its bound before it executes."""

    def __init__(self, *, max_list_items: int, max_page_size: int, max_entities: int, max_text: int) -> None:
        self.limits = {
            "max_list_items": max_list_items,
            "max_page_size": max_page_size,
            "max_entities": max_entities,
            "max_text": max_text,
        }

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            try:
                check_arguments(
                    context.schema._schema, document, context.operation_name, context.variables or {}, **self.limits
                )
            except ArgumentTooLarge as error:
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield
