"""Resolvers of the steward features: review queue and decisions, splits, explanations, quality.

Thin: check the role, call a use case in custgraph/resolution/ and map its refusals the way the
rest of the API does: mutations return ValidationError / NotFoundError / PermissionDenied members
of their result union; queries raise PublicErrors (shown in production too).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from custgraph.graph.models import CustomerNode
from custgraph.graph.repositories import audit_log as audit_log_repo
from custgraph.graph.repositories import customers as customer_repo
from custgraph.matching.rules import Rules, load_rules
from custgraph.resolution import decide, explain, quality, queue, split, undo
from custgraph.resolution.changes import Change
from custgraph.resolution.errors import NotFound, ResolutionError
from custgraph.resolvers import audit_log, errors
from custgraph.resolvers.context import Context, Info
from custgraph.resolvers.permissions import MANAGERS
from custgraph.schema.errors import NotFoundError, PermissionDenied, ValidationError

T = TypeVar("T")
Refusal = ValidationError | NotFoundError | PermissionDenied
STEWARD_ONLY = "only managers and admins may review, merge or split customers"


@lru_cache(maxsize=4)
def _rules(path: Path | None) -> Rules:
    return load_rules(path)


def rules_of(info: Info) -> Rules:
    """The rules in force, read once per rules file (settings don't change while serving)."""
    return _rules(info.context.settings.rules_path)


async def _mutate(
    context: Context, work: Callable[[], Awaitable[T]], *, key: str | None = None, customer_id: str | None = None
) -> T | Refusal:
    """Run a steward action on the review item ``key`` or the customer ``customer_id``, if the
    caller's role and scope allow it (outside the scope: NotFound, as for a missing one)."""
    if context.role not in MANAGERS:
        return PermissionDenied(message=STEWARD_ONLY)
    try:
        await _in_scope(context, key=key, customer_id=customer_id)
        return await work()
    except NotFound as exc:
        return NotFoundError(message=str(exc), id=exc.id)
    except ResolutionError as exc:
        return ValidationError.single(exc.field or "input", str(exc))


async def _query(work: Awaitable[T]) -> T:
    try:
        return await work
    except NotFound as exc:
        raise errors.NotFound(str(exc)) from exc
    except ResolutionError as exc:
        raise errors.BadRequest(str(exc)) from exc


async def customers(info: Info, ids: Sequence[str]) -> list[CustomerNode]:
    """The customers of a change that the caller sees."""
    ctx = info.context
    found = [await customer_repo.get_customer(ctx.graph, cid, scope=ctx.scope) for cid in ids]
    return [node for node in found if node is not None]


async def review_queue(info: Info, first: int, after: str | None, status: str | None) -> queue.ReviewPage:
    ctx = info.context
    return await _query(queue.review_queue(ctx.graph, first=first, after=after, status=status, scope=ctx.scope))


async def review_item(info: Info, key: str) -> queue.ReviewView | None:
    return await queue.review_item(info.context.graph, key, info.context.scope)


async def _in_scope(context: Context, *, key: str | None = None, customer_id: str | None = None) -> None:
    """Refuse a steward action on an item or customer outside the caller's scope exactly as on a
    missing one (NotFound), before anything is written."""
    if key is not None and await queue.review_item(context.graph, key, context.scope) is None:
        raise NotFound(f"no review item {key}", id=key, field="key")
    if (
        customer_id is not None
        and await customer_repo.get_customer(context.graph, customer_id, scope=context.scope) is None
    ):
        raise NotFound(f"no customer {customer_id}", id=customer_id, field="id")


async def decide_review(info: Info, key: str, decision: str, note: str | None) -> decide.Decided | Refusal:
    ctx = info.context
    decided = await _mutate(
        ctx,
        lambda: decide.decide_review(ctx.graph, key, decision, by=ctx.user, rules=rules_of(info), note=note, ip=ctx.ip),
        key=key,
    )
    if isinstance(decided, decide.Decided):
        # awaited after the action: it spans many statements and leaves MergeEvent/ReviewItem provenance
        events = audit_log.steward_events(
            ctx.user, ctx.ip, decided.change, review_key=key, decision=decision, note=note
        )
        await audit_log_repo.record(ctx.graph, events)
    return decided


async def undo_review_decision(info: Info, key: str, note: str | None) -> decide.Decided | Refusal:
    ctx = info.context
    undone = await _mutate(
        ctx,
        lambda: undo.undo_review_decision(ctx.graph, key, by=ctx.user, rules=rules_of(info), note=note, ip=ctx.ip),
        key=key,
    )
    if isinstance(undone, decide.Decided):
        last = undone.item.history[-1]  # the decision just undone
        events = audit_log.steward_events(
            ctx.user,
            ctx.ip,
            undone.change,
            review_key=key,
            decision=last.get("decision"),
            note=note,
            review_action="review.undo",
        )
        await audit_log_repo.record(ctx.graph, events)
    return undone


async def _audited_split(context: Context, result: Change | Refusal) -> Change | Refusal:
    if isinstance(result, Change):
        await audit_log_repo.record(context.graph, audit_log.steward_events(context.user, context.ip, result))
    return result


async def split_customer(info: Info, customer_id: str, note: str | None) -> Change | Refusal:
    ctx = info.context
    return await _audited_split(
        ctx,
        await _mutate(
            ctx,
            lambda: split.split_customer(
                ctx.graph, customer_id, by=ctx.user, rules=rules_of(info), note=note, ip=ctx.ip
            ),
            customer_id=customer_id,
        ),
    )


async def split_records(info: Info, customer_id: str, uids: Sequence[str], note: str | None) -> Change | Refusal:
    ctx = info.context
    return await _audited_split(
        ctx,
        await _mutate(
            ctx,
            lambda: split.split_records(
                ctx.graph, customer_id, uids, by=ctx.user, rules=rules_of(info), note=note, ip=ctx.ip
            ),
            customer_id=customer_id,
        ),
    )


async def explain_customer(info: Info, customer_id: str) -> explain.CustomerExplanation | None:
    return await explain.explain_customer(info.context.graph, customer_id, rules_of(info), info.context.scope)


async def quality_report(info: Info) -> quality.QualityReport:
    return await quality.quality_report(info.context.graph, info.context.scope)
