"""Protection against expensive queries: depth, token, alias and cost limits, and error masking.

The cost of a query estimates the graph work it asks for before any of it is done:

* a field that needs its own graph read (an object-valued field such as ``company`` or ``tags``)
  costs 1, plain values cost 0, and the fields below are priced higher (FIELD_COSTS);
* everything selected under a list is multiplied by its length: the ``first`` argument of a
  paginated field, or a fixed estimate (LIST_SIZES, DEFAULT_LIST_SIZE) for unpaginated lists;
* a connection's own plumbing (edges, node, pageInfo) is free: ``first`` already counted the items.

``customers(first: 50) { edges { node { tags { name } owners { name } company { name } } } }`` costs
10 + 50 x 3 = 160. Each ``_entities`` representation costs 1 (its own read) plus what is selected under
it, so a gateway's batch is priced like the list it stands for. A query over
``Settings.max_query_cost`` is refused before it runs, with its cost and the limit in the error.
Introspection is free.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from graphql.utilities import get_operation_ast
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from custgraph.bounds import MAX_TEXT
from custgraph.resolvers.errors import is_public
from custgraph.resolvers.identity import ServiceSdlGuard
from custgraph.schema.argument_limits import ArgumentLimiter

# (type, field) -> own cost, for fields much dearer than one loader batch
FIELD_COSTS: dict[tuple[str, str], int] = {
    ("Query", "customers"): 10,
    ("Query", "runSavedSearch"): 10,
    ("Query", "search"): 20,
    ("Query", "searchLog"): 5,
    ("Customer", "relatedCustomers"): 10,
    ("Customer", "sourceRecords"): 2,
}
# (type, field) -> expected length of an unpaginated list
LIST_SIZES: dict[tuple[str, str], int] = {
    ("Customer", "relatedCustomers"): 10,
    ("Customer", "sourceRecords"): 10,
}
DEFAULT_LIST_SIZE = 5
QUERY_CACHE_SIZE = 512  # parsed and validated query texts kept per process
CONNECTION_PLUMBING = frozenset({"edges", "nodes", "node", "pageInfo"})
ENTITIES = ("Query", "_entities")


class CostContext:
    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any]) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}

    def selection_cost(self, selections: SelectionSetNode | None, parent: Any) -> int:
        if selections is None:
            return 0
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self.field_cost(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else None
                total += self.selection_cost(selection.selection_set, target or parent)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    target = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.selection_cost(fragment.selection_set, target or parent)
        return total

    def field_cost(self, node: FieldNode, parent: Any) -> int:
        name = node.name.value
        if name.startswith("__") or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        key = (parent.name, name)
        returns = get_named_type(definition.type)
        if key == ENTITIES:
            return self.items(node, "representations") * (1 + self.selection_cost(node.selection_set, returns))
        plumbing = parent.name.endswith(("Connection", "Edge")) and name in CONNECTION_PLUMBING
        own = FIELD_COSTS.get(key, 0 if plumbing or not is_composite_type(returns) else 1)
        if "first" in definition.args:
            multiplier = self.first(node, definition.args["first"].default_value)
        elif is_list_type(get_nullable_type(definition.type)) and not plumbing:
            multiplier = LIST_SIZES.get(key, DEFAULT_LIST_SIZE)
        else:
            multiplier = 1
        return own + multiplier * self.selection_cost(node.selection_set, returns)

    def first(self, node: FieldNode, default: Any) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(int(value.value), 0)
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(given, 0) if isinstance(given, int) else _as_int(default)
        return _as_int(default)

    def items(self, node: FieldNode, name: str) -> int:
        """How many items the list argument ``name`` holds (a literal list or a variable)."""
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = argument.value
                if isinstance(value, ListValueNode):
                    return len(value.values)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    return len(given) if isinstance(given, list) else 1
                return 1
        return 0


def _as_int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else DEFAULT_LIST_SIZE


def operation_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any]
) -> int:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = _root(schema, operation)
    return CostContext(schema, document, variables).selection_cost(operation.selection_set, root)


def _root(schema: GraphQLSchema, operation: OperationDefinitionNode) -> Any:
    if operation.operation == OperationType.MUTATION:
        return schema.mutation_type
    if operation.operation == OperationType.SUBSCRIPTION:
        return schema.subscription_type
    return schema.query_type


class QueryCostLimiter(SchemaExtension):
    """Refuses an operation whose estimated cost is over ``max_cost`` before it executes."""

    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.result is None:
            variables = context.variables or {}
            cost = operation_cost(context.schema._schema, document, context.operation_name, variables)
            if cost > self.max_cost:
                message = (
                    f"query cost {cost} is over the limit of {self.max_cost}: ask for fewer items "
                    "(a smaller `first`) or fewer nested lists"
                )
                error = GraphQLError(
                    message, extensions={"code": "QUERY_TOO_EXPENSIVE", "cost": cost, "maxCost": self.max_cost}
                )
                context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield


def extensions(
    *,
    max_depth: int,
    max_tokens: int,
    max_aliases: int,
    max_cost: int,
    production: bool,
    introspection: bool = True,
    max_page_size: int = 100,
    max_list_items: int = 1000,
    max_entities: int = 100,
) -> list[Callable[[], SchemaExtension]]:
    """Extension factories (strawberry makes one of each per request).

    Parsing and validating a 360° view query took about two thirds of a request's CPU; both are cached
    per query text (the cost limit, which depends on the variables, still runs every time). Validation
    results are cached per (schema, document, rules), so the depth and alias rules are made once: a
    ``QueryDepthLimiter`` per request makes a new rule class every time, and the cache would never hit.
    """
    rules = [
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    ]
    if not introspection:  # off in production unless CUSTGRAPH_INTROSPECTION=1 (docs/security.md)
        rules.append(NoSchemaIntrospectionCustomRule)
    found: list[Callable[[], SchemaExtension]] = [
        functools.partial(MaxTokensLimiter, max_token_count=max_tokens),
        functools.partial(ParserCache, maxsize=QUERY_CACHE_SIZE),
        functools.partial(AddValidationRules, rules),
        functools.partial(ValidationCache, maxsize=QUERY_CACHE_SIZE),
        functools.partial(
            ArgumentLimiter,
            max_list_items=max_list_items,
            max_page_size=max_page_size,
            max_entities=max_entities,
            max_text=MAX_TEXT,
        ),
        functools.partial(QueryCostLimiter, max_cost=max_cost),
    ]
    if production:
        # internal errors (a graph outage, a bug) become "Unexpected error."; client errors stay readable
        found.append(functools.partial(MaskErrors, should_mask_error=lambda error: not is_public(error)))
        found.append(ServiceSdlGuard)  # `_service { sdl }` only for a gateway key or an admin
    return found
