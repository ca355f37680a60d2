"""``custgraph recompute``: tags, lifecycle and rule-assigned owners as of a date."""

from __future__ import annotations

import sys
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from custgraph.graph.connection import Graph
from custgraph.service.cli_data import _die, _one_line, with_graph
from custgraph.service.settings import Settings


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _die(f"--as-of must be YYYY-MM-DD, not {text!r}") from None


def recompute_command(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date D, YYYY-MM-DD (default today).")] = None,
    tags: Annotated[Path | None, typer.Option("--tags", help="Tag library YAML (or CUSTGRAPH_TAGS).")] = None,
    assignment: Annotated[
        Path | None, typer.Option("--assignment", help="Owner assignment rules YAML (or CUSTGRAPH_ASSIGNMENT).")
    ] = None,
    batch: Annotated[int, typer.Option("--batch", min=1, max=10_000, help="Customers per batch.")] = 1000,
    restart: Annotated[bool, typer.Option("--restart", help="Start over instead of resuming a stopped run.")] = False,
) -> None:
    """Recompute every customer's tags, lifecycle and rule-assigned owners; writes only what changed.

    A run stopped half-way continues where it stopped when started again with the same date and files.
    """
    from custgraph.classification import config
    from custgraph.pipeline.recompute import count_live, recompute_all
    from custgraph.resolvers.audit_log import cli_user

    day = _as_of(as_of)
    try:
        classifier = config.current() if tags is None and assignment is None else _load(tags, assignment)
    except (OSError, ValueError) as exc:
        raise _die(f"bad classification file: {_one_line(exc)}") from exc
    settings = Settings.from_env()
    tty = sys.stderr.isatty()

    async def work(graph: Graph) -> Any:
        from custgraph.graph.repositories import audit_log

        total = await count_live(graph) if tty else None
        with _bar(total) if tty else nullcontext(None) as bar:
            advance = (lambda n: bar[0].advance(bar[1], n)) if bar else None
            summary = await recompute_all(
                graph,
                as_of=day,
                classifier=classifier,
                batch_size=batch,
                progress=advance,
                by=cli_user(),
                resume=not restart,
            )
        event = audit_log.event("recompute", user=cli_user(), target=summary.run_id, after=summary.details())
        await audit_log.record(graph, [event])
        return summary

    summary = with_graph(settings, work)
    typer.echo(summary.line())


def _load(tags: Path | None, assignment: Path | None) -> Any:
    from custgraph.classification import config

    defaults = config.current()
    return config.Classifier(
        config.load_library(tags) if tags else defaults.library,
        config.load_assignment(assignment) if assignment else defaults.assignment,
    )


@contextmanager
def _bar(total: int | None) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("recomputing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("customers"),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task("customers", total=total)
        yield progress, task
