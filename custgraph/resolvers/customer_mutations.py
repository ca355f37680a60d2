"""The customer mutations: validate with pydantic, check the caller may edit, write, re-index.

Each returns either the changed data or one of the typed errors (schema/errors.py) — never an
exception — so a client handles a refused edit like any other result.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import ValidationError as PydanticValidationError

from custgraph.classification import config as classification_config
from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import audit_log as audit_log_repo
from custgraph.graph.repositories import classification as classification_repo
from custgraph.graph.repositories import customer_writes as writes
from custgraph.graph.repositories import customers as customers_repo
from custgraph.graph.repositories.resolution import load_model
from custgraph.graph.repositories.scope import EVERYTHING
from custgraph.graph.repositories.search_index import index_customers
from custgraph.matching.standardize import company_key, name_key
from custgraph.pipeline.recompute import classify_customers, today
from custgraph.pipeline.run import ingest_posted
from custgraph.resolvers import audit_log
from custgraph.resolvers.context import Context
from custgraph.resolvers.ingest import rules_for
from custgraph.resolvers.inputs import (
    CreateCustomerInput,
    InteractionInput,
    OrderInput,
    OwnersInput,
    TagInput,
    UpdateCustomerInput,
)
from custgraph.resolvers.permissions import MANAGERS, may_edit
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError
from custgraph.vocabulary import interaction_type

M = TypeVar("M")
Refusal = ValidationError | NotFoundError | PermissionDenied
PROFILE_ONLY = {"owners", "channels", "tags"}  # create input fields that are edges, not properties


def _validate(model: Callable[..., M], data: dict[str, Any]) -> M | ValidationError:
    try:
        return model(**data)
    except PydanticValidationError as exc:
        return ValidationError.from_pydantic(exc)


def _props(values: dict[str, Any]) -> dict[str, Any]:
    """Profile properties as stored: the matching key travels with the name (Customer.name_key index)."""
    props = dict(values)
    if "name" in props:
        props["name_key"] = name_key(props["name"]) if props["name"] else None
    return props


def _with_consent(context: Context, values: dict[str, Any]) -> dict[str, Any]:
    """Consent set over the API records where it came from and when (today, the business's day);
    clearing it clears both."""
    if "consent_marketing" not in values:
        return values
    given = values["consent_marketing"] is not None
    today = datetime.now(ZoneInfo(context.settings.timezone)).date().isoformat()
    return {**values, "consent_source": "api" if given else None, "consent_date": today if given else None}


async def _editable(context: Context, customer_id: str) -> CustomerNode | NotFoundError | PermissionDenied:
    """The customer (following merges) if the caller may edit it.

    Read within the caller's scope: a customer a rep does not own (or outside a manager's teams)
    answers NotFound exactly like a missing id, so a refusal never tells that it exists.
    """
    if context.scope.nothing:
        return PermissionDenied(message="auditors read the audit log only")
    node = await customers_repo.get_customer(context.graph, customer_id, scope=context.scope)
    access = await writes.access(context.graph, node.id) if node else None
    if node is None or access is None:
        return NotFoundError(message=f"no customer {customer_id}", id=customer_id)
    if not may_edit(context, access.owners):  # the scope already decided; kept as a second lock
        return NotFoundError(message=f"no customer {customer_id}", id=customer_id)
    return node


async def _after_write(
    context: Context, customer_id: str, *, reindex: bool = False, classify: bool = False
) -> CustomerNode:
    """Re-read the customer once the write is done; loaders cached before it are now stale.

    ``classify``: recompute its tags, stage and rule owners first (an order, an interaction, a tag
    or an owner changed what the rules see; custgraph/pipeline/recompute.py)."""
    context.loaders.clear()
    if reindex:
        await index_customers(context.graph, [customer_id])
    if classify:
        await classify_customers(context.graph, [customer_id], as_of=today(context.settings.timezone))
    # the write's own result, for a caller who was allowed to make it (a manager may just have given
    # the customer to an owner outside the team)
    node = await customers_repo.get_customer(context.graph, customer_id, scope=EVERYTHING)
    assert node is not None, customer_id
    return node


API_SOURCE = "api"  # the source of the records createCustomer posts (as addOrder marks its orders)


@dataclass(frozen=True)
class Created:
    """What createCustomer did: the customer, and whether the record made it or matched it."""

    customer: CustomerNode
    outcome: str  # created | matched | review


def _posted(context: Context, valid: CreateCustomerInput) -> dict[str, Any]:
    """The input as a record of the API source: canonical fields, like a row of an import."""
    record = {k: v for k, v in valid.model_dump(exclude=PROFILE_ONLY).items() if v is not None}
    if record.get("consent_marketing") is not None:  # the record says when the answer was given
        record["consent_date"] = datetime.now(ZoneInfo(context.settings.timezone)).date().isoformat()
    return record


async def create_customer(context: Context, data: dict[str, Any]) -> Created | Refusal:
    """A customer by hand, through the same path as an import: the input becomes a record of the
    ``api`` source, matched against every customer first. When it matches one, that customer is the
    answer (with the record's values joining its profile): createCustomer never makes a duplicate."""
    valid = _validate(CreateCustomerInput, {k: v for k, v in data.items() if v is not None})
    if isinstance(valid, ValidationError):
        return valid
    owners = sorted(set(valid.owners))
    if context.scope.nothing:
        return PermissionDenied(message="auditors read the audit log only")
    if context.role not in MANAGERS:
        if owners and owners != [context.user]:
            return PermissionDenied(message="reps may only create customers they own themselves")
        owners = [context.user]  # a rep's new customer is theirs, or they could not see it
    graph = context.graph
    _, (posted,) = await ingest_posted(
        graph,
        [_posted(context, valid)],
        source=API_SOURCE,
        kind="customers",
        rules=rules_for(context.settings.rules_path),
        params=await load_model(graph),
    )
    if posted.customer_id is None:  # validated above, so a refusal here is the import's own
        reasons = "; ".join(str(i.get("reason")) for i in posted.issues) or f"the record was {posted.outcome}"
        return ValidationError.single("input", reasons)
    customer_id = posted.customer_id
    # review: a new customer, with the pair it might duplicate queued for a steward
    outcome = {"matched": "matched", "review": "review"}.get(str(posted.outcome), "created")
    existing = outcome == "matched"
    if (
        existing
        and context.role not in MANAGERS
        and not isinstance(await _editable(context, customer_id), CustomerNode)
    ):
        # the details are those of a customer the rep does not own: no duplicate is made, and the rep
        # is told so without being shown that customer (nor made its owner). Their record did join it,
        # so the audit log says who brought what where.
        after = {"outcome": "matched", "record": posted.uid, "refused": "the customer is not the caller's"}
        await audit_log_repo.record(graph, [audit_log.event(context, "create", customer_id, after=after)])
        return PermissionDenied(message="a customer with these details exists and is not yours; ask a manager")
    await writes.link_created(
        graph,
        customer_id,
        by=context.user,
        # a matched customer's company follows survivorship over its records, this one's included
        company=(company_key(valid.company), valid.company) if valid.company and not existing else None,
        owners=owners if not existing or context.role in MANAGERS else [],
        channels=sorted(set(valid.channels)),
        tags=[(t.key, t.name, t.dimension) for t in valid.tags],
        audit=audit_log.audited(context, "create"),
        audit_extra={"outcome": outcome, "record": posted.uid},
        created=not existing,
    )
    return Created(await _after_write(context, customer_id, reindex=True, classify=True), outcome)


async def _edit(
    context: Context,
    customer_id: str,
    change: Callable[[CustomerNode], Awaitable[Refusal | None]],
    *,
    reindex: bool = False,
    classify: bool = False,
) -> CustomerNode | Refusal:
    node = await _editable(context, customer_id)
    if not isinstance(node, CustomerNode):
        return node
    refused = await change(node)
    if refused is not None:
        return refused
    return await _after_write(context, node.id, reindex=reindex, classify=classify)


async def update_customer(context: Context, customer_id: str, data: dict[str, Any]) -> CustomerNode | Refusal:
    valid = _validate(UpdateCustomerInput, data)
    if isinstance(valid, ValidationError):
        return valid
    sent = _with_consent(context, valid.model_dump(include=valid.model_fields_set))
    if "name" in sent and not sent["name"]:
        return ValidationError.single("name", "a customer's name cannot be removed")

    company = None
    if "company" in sent:
        company = (company_key(sent["company"]) if sent["company"] else None, sent["company"])

    async def change(node: CustomerNode) -> None:
        await writes.update_customer(
            context.graph,
            node.id,
            _props(sent),
            by=context.user,
            company=company,
            audit=audit_log.audited(context, "edit"),
        )

    return await _edit(context, customer_id, change, reindex=True)


async def add_interaction(
    context: Context, customer_id: str, data: dict[str, Any]
) -> tuple[CustomerNode, dict[str, Any]] | Refusal:
    valid = _validate(InteractionInput, data)
    if isinstance(valid, ValidationError):
        return valid
    created: dict[str, Any] = {}

    async def change(node: CustomerNode) -> None:
        props = {
            "interaction_type": interaction_type(valid.interaction_type),  # the vocabulary: 拜访 -> visit
            "interaction_date": valid.date,
            "content": valid.content,
            "satisfaction": valid.satisfaction,
            "source": "api",
        }
        uid = f"api|interaction|{uuid.uuid4().hex}"
        event = writes.Event(uid, {k: v for k, v in props.items() if v is not None}, str(valid.date))
        audit = audit_log.audited(context, "edit.interaction")
        created.update(await writes.add_interaction(context.graph, node.id, event, context.user, audit=audit))

    result = await _edit(context, customer_id, change, classify=True)
    return (result, created) if isinstance(result, CustomerNode) else result


async def add_order(
    context: Context, customer_id: str, data: dict[str, Any]
) -> tuple[CustomerNode, dict[str, Any], bool] | Refusal:
    valid = _validate(OrderInput, data)
    if isinstance(valid, ValidationError):
        return valid
    uid = f"api|order|{valid.order_id or uuid.uuid4().hex}"
    created: dict[str, Any] = {}
    counted: list[bool] = []

    async def change(node: CustomerNode) -> ValidationError | None:
        props = {
            "order_id": valid.order_id,
            "order_date": valid.date,
            "amount": valid.amount,
            "product": valid.product,
            "source": "api",
        }
        event = writes.Event(uid, {k: v for k, v in props.items() if v is not None}, str(valid.date))
        audit = audit_log.audited(context, "edit.order")
        added = await writes.add_order(context.graph, node.id, event, valid.amount, context.user, audit=audit)
        if added is None:
            return ValidationError.single("orderId", "this order id belongs to another customer")
        order, fresh = added
        created.update(order)
        counted.append(fresh)
        return None

    result = await _edit(context, customer_id, change, classify=True)
    return (result, created, counted[0]) if isinstance(result, CustomerNode) else result


async def add_tags(context: Context, customer_id: str, tags: list[dict[str, Any]]) -> CustomerNode | Refusal:
    parsed: list[TagInput] = []
    for index, tag in enumerate(tags):
        valid = _validate(TagInput, tag)
        if isinstance(valid, ValidationError):
            for error in valid.fields:
                error.field = f"tags.{index}.{error.field}"
            return valid
        parsed.append(valid)
    if not parsed:
        return ValidationError.single("tags", "give at least one tag")
    library = classification_config.current().library
    triples: dict[str, tuple[str, str, str]] = {}
    for index, tag in enumerate(parsed):
        try:  # the tag library's names: 高价值 is value:high, a value tier must be one of its tiers
            dimension, name = library.person_tag(tag.dimension, tag.name)
        except ValueError as exc:
            return ValidationError.single(f"tags.{index}.name", str(exc))
        triples[f"{dimension}:{name}"] = (f"{dimension}:{name}", name, dimension)
    exclusive = [d for _, _, d in triples.values() if library.exclusive(d)]
    if len(exclusive) != len(set(exclusive)):
        return ValidationError.single("tags", "a customer has one tag per exclusive dimension (value, frequency ...)")

    async def change(node: CustomerNode) -> None:
        await writes.add_tags(
            context.graph, node.id, list(triples.values()), context.user, audit=audit_log.audited(context, "tag.add")
        )
        for key, _, dimension in triples.values():
            if library.exclusive(dimension):  # one value tier at a time: the person's replaces the others
                await classification_repo.drop_dimension_peers(context.graph, node.id, dimension, [key])

    return await _edit(context, customer_id, change, classify=True)


async def remove_tags(context: Context, customer_id: str, keys: list[str]) -> CustomerNode | Refusal:
    wanted = sorted({k.strip() for k in keys if k.strip()})
    if not wanted:
        return ValidationError.single("keys", "give at least one tag key")

    async def change(node: CustomerNode) -> None:
        audit = audit_log.audited(context, "tag.remove")
        await writes.remove_tags(context.graph, node.id, wanted, context.user, audit=audit)

    return await _edit(context, customer_id, change, classify=True)


async def assign_owners(
    context: Context, customer_id: str, owners: list[str], *, replace: bool
) -> CustomerNode | Refusal:
    if context.role not in MANAGERS:
        return PermissionDenied(message="only managers and admins assign owners")
    valid = _validate(OwnersInput, {"owners": owners})
    if isinstance(valid, ValidationError):
        return valid

    async def change(node: CustomerNode) -> None:
        audit = audit_log.audited(context, "owner.assign")
        await writes.assign_owners(context.graph, node.id, valid.owners, context.user, replace=replace, audit=audit)

    return await _edit(context, customer_id, change, classify=True)  # a person's owners replace the rules'
