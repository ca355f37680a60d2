"""Steward commands of the CLI: explain a customer, the quality report, review decisions, splits."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from custgraph.graph.connection import Graph
from custgraph.resolution.errors import NotFound, ResolutionError
from custgraph.service.cli_data import RulesOption, load_rules, with_graph
from custgraph.service.settings import Settings

review_app = typer.Typer(help="The review queue: pairs the matcher was unsure about.", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why: kept with the decision.")]


def _by_option() -> Any:
    return typer.Option("--by", help="Who decides (default: cli:<login>).")


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a container
        return "cli"


def _refuse(exc: ResolutionError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(3 if isinstance(exc, NotFound) else 2)


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def explain_command(
    customer_id: Annotated[str, typer.Argument(help="A customer id such as C000123 (merged-away ids work).")],
    as_json: JsonOption = False,
    rules: RulesOption = None,
) -> None:
    """Why a customer holds its records: rule, compared fields, levels and weights, matched record."""
    from custgraph.resolution.explain import explain_customer, render_text, to_dict

    settings = Settings.from_env()
    rule_set = load_rules(settings, rules)
    explanation = with_graph(settings, lambda graph: explain_customer(graph, customer_id, rule_set))
    if explanation is None:
        typer.echo(f"error: no customer {customer_id}", err=True)
        raise typer.Exit(3)
    if as_json:
        _print_json(to_dict(explanation))
    else:
        typer.echo(render_text(explanation))


def quality_command(
    as_json: JsonOption = False,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the JSON report here.")] = None,
) -> None:
    """The data-quality report: failure rates per field and source, completeness, recurring duplicates."""
    from custgraph.resolution.quality import quality_report, render_text

    report = with_graph(Settings.from_env(), quality_report)
    if out:
        out.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        _print_json(report.to_dict())
    else:
        typer.echo(render_text(report))


@review_app.command("list")
def review_list(
    status: Annotated[str, typer.Option("--status", help="open, decided, lifted or all.")] = "open",
    first: Annotated[int, typer.Option("--first", help="How many items.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Review pairs, highest score first, with the fields that decided their score."""
    from custgraph.resolution.queue import review_queue

    wanted = None if status == "all" else status

    async def work(graph: Graph) -> Any:
        return await review_queue(graph, first=first, status=wanted)

    try:
        page = with_graph(Settings.from_env(), work)
    except ResolutionError as exc:
        raise _refuse(exc) from exc
    if as_json:
        _print_json(
            [
                {
                    "key": v.item.key,
                    "score": v.item.score,
                    "status": v.item.status,
                    "decision": v.item.decision,
                    "customer_a": v.record_a.customer_id if v.record_a else None,
                    "customer_b": v.record_b.customer_id if v.record_b else None,
                    "evidence": [e.to_dict() for e in v.evidence],
                }
                for v in page.items
            ]
        )
        return
    typer.echo(f"{page.total} item(s) {status}")
    for v in page.items:
        a = v.record_a.customer_id if v.record_a else "?"
        b = v.record_b.customer_id if v.record_b else "?"
        decided = f" {v.item.decision} by {v.item.decided_by}" if v.item.decision else ""
        typer.echo(f"{v.item.key}  p={v.item.score or 0:.3f}  {a} / {b}{decided}")
        for e in v.evidence:
            if e.weight:
                values = f"{e.value_a!s} | {e.value_b!s}"
                typer.echo(f"    {e.comparison:<14} {e.level:<22} {e.weight:+8.2f}  {values}")


@review_app.command("unmatched")
def review_unmatched(
    out: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).")],
    source: Annotated[str | None, typer.Option("--source", help="Only this source's records.")] = None,
) -> None:
    """Export the unmatched pool to a workbook; correct it and `custgraph import` each sheet back."""
    from custgraph.graph.repositories import audit_log
    from custgraph.resolvers.audit_log import cli_user
    from custgraph.service.pool_export import write_pool

    if out.suffix.lower() != ".xlsx":
        typer.echo("error: --out must name an .xlsx file", err=True)
        raise typer.Exit(2)

    async def work(graph: Graph) -> Any:
        sheets = await write_pool(graph, out, source=source)
        details = {"records": sum(s.rows for s in sheets), "sources": sorted({s.source for s in sheets})}
        await audit_log.record(graph, [audit_log.event("export", user=cli_user(), target="unmatched", after=details)])
        return sheets

    sheets = with_graph(Settings.from_env(), work)
    total = sum(sheet.rows for sheet in sheets)
    typer.echo(f"wrote {total} record(s) of the unmatched pool to {out}")
    if sheets:
        typer.echo("correct the cells, then import each sheet into its source:")
    for sheet in sheets:
        typer.echo(f"  {sheet.import_command(out)}   # {sheet.rows} record(s)")


@review_app.command("decide")
def review_decide(
    key: Annotated[str, typer.Argument(help="The item key: 'uidA||uidB'.")],
    decision: Annotated[str, typer.Argument(help="MERGE or SEPARATE.")],
    note: NoteOption = None,
    by: Annotated[str | None, _by_option()] = None,
    rules: RulesOption = None,
) -> None:
    """Decide a review pair and apply it (MERGE joins the customers, SEPARATE keeps them apart)."""
    from custgraph.resolution.decide import decide_review

    settings = Settings.from_env()
    rule_set = load_rules(settings, rules)

    async def work(graph: Graph) -> Any:
        from custgraph.graph.repositories import audit_log
        from custgraph.resolvers.audit_log import steward_events

        who = _who(by)
        decided = await decide_review(graph, key, decision.upper(), by=who, rules=rule_set, note=note)
        events = steward_events(who, None, decided.change, review_key=key, decision=decision.upper(), note=note)
        await audit_log.record(graph, events)
        return decided

    try:
        decided = with_graph(settings, work)
    except ResolutionError as exc:
        raise _refuse(exc) from exc
    typer.echo(f"{key}: {decided.item.decision} ({decided.change.message or decided.change.kind})")


def split_command(
    customer_id: Annotated[str, typer.Argument(help="The customer to split.")],
    records: Annotated[
        list[str] | None, typer.Option("--record", help="Split out only these record uids (repeatable).")
    ] = None,
    note: NoteOption = None,
    by: Annotated[str | None, _by_option()] = None,
    rules: RulesOption = None,
) -> None:
    """Undo the merges into a customer, or (--record) move some of its records to a new customer."""
    from custgraph.resolution.split import split_customer, split_records

    settings = Settings.from_env()
    rule_set = load_rules(settings, rules)
    who = _who(by)

    async def work(graph: Graph) -> Any:
        from custgraph.graph.repositories import audit_log
        from custgraph.resolvers.audit_log import steward_events

        if records:
            change = await split_records(graph, customer_id, records, by=who, rules=rule_set, note=note)
        else:
            change = await split_customer(graph, customer_id, by=who, rules=rule_set, note=note)
        await audit_log.record(graph, steward_events(who, None, change))
        return change

    try:
        change = with_graph(settings, work)
    except ResolutionError as exc:
        raise _refuse(exc) from exc
    typer.echo(f"{change.message} (event {change.event.id if change.event else '-'})")
    for line in change.notes:
        typer.echo(f"note: {line}")
