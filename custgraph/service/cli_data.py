"""Data commands of the CLI: import, export, rules and the demo data set."""

from __future__ import annotations

import asyncio
import csv
import sys
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.embedded import EmbeddedServerError
from custgraph.ingest.errors import IngestError
from custgraph.service.settings import Settings

T = TypeVar("T")

export_app = typer.Typer(help="Export data from the graph.", no_args_is_help=True)
rules_app = typer.Typer(help="The matching rules in force.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo data set shipped with the package.", no_args_is_help=True)

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
# (file, source, kind) in load order: customer sources first, then orders, then interactions. The files
# are written by benchmarks/demo_data/story.py (custgraph/data/demo/README.md); source names match truth.csv.
DEMO_FILES: list[tuple[str, str, str]] = [
    (str(DEMO_DIR / "crm_export.xlsx"), "crm_export", "customers"),
    (str(DEMO_DIR / "webform.jsonl"), "webform", "customers"),
    (str(DEMO_DIR / "orders.csv"), "orders", "orders"),
    (str(DEMO_DIR / "interactions.csv"), "interactions", "interactions"),
]

RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="Rules YAML replacing the defaults (or CUSTGRAPH_RULES).")
]


def _die(reason: str) -> typer.Exit:
    typer.echo(f"error: {reason}", err=True)
    return typer.Exit(2)


def load_rules(settings: Settings, override: Path | None) -> Any:
    from custgraph.matching.rules import load_rules as load

    path = override or settings.rules_path
    try:
        return load(path)
    except (OSError, ValueError) as exc:
        raise _die(f"bad rules file {path}: {_one_line(exc)}") from exc


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500]


def with_graph(settings: Settings, work: Callable[[Graph], Awaitable[T]]) -> T:
    """Run ``work`` with a connected graph; a graph that is down ends the command with one line.

    The data keys are loaded first (custgraph/crypto.py): a missing key file in production, or a
    malformed one, ends the command before anything is read or written."""
    try:
        crypto.install(crypto.load(settings.data_key_file, data_dir=settings.data_dir, production=settings.production))
    except crypto.KeyFileError as exc:
        raise _die(str(exc)) from None

    async def run() -> T:
        graph = Graph.connect(settings.graph)
        try:
            return await work(graph)
        finally:
            await graph.close()

    try:
        return asyncio.run(run())
    except (ServiceUnavailable, EmbeddedServerError, OSError) as exc:
        if isinstance(exc, IngestError):
            raise
        raise _die(f"graph unavailable: {_one_line(exc)}") from exc


def import_command(
    paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX or JSONL files.")],
    source: Annotated[str | None, typer.Option("--source", help="Source name (wins over the mapping's).")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="Mapping YAML: key and columns.")] = None,
    kind: Annotated[str, typer.Option("--kind", help="customers, orders or interactions.")] = "customers",
    sheet: Annotated[str | None, typer.Option("--sheet", help="XLSX sheet (default: the first).")] = None,
    rules: RulesOption = None,
) -> None:
    """Import files as source records and resolve them into customers."""
    from custgraph.ingest.fields import KINDS
    from custgraph.ingest.mapping import load_mapping
    from custgraph.pipeline.run import ImportOptions, run_import

    settings = Settings.from_env()
    if kind not in KINDS:
        raise _die(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    for path in paths:
        if not path.is_file():
            raise _die(f"cannot read {path}: no such file")
    try:
        profile = load_mapping(mapping) if mapping else None
    except IngestError as exc:
        raise _die(f"bad mapping {mapping}: {_one_line(exc)}") from exc
    name = source or (profile.source if profile else None)
    if not name:
        raise _die("give --source NAME (or `source:` in the mapping file)")
    rule_set = load_rules(settings, rules)
    options = ImportOptions(source=name, kind=kind, mapping=profile, sheet=sheet)
    progress_ctx = _progress() if sys.stderr.isatty() else nullcontext(None)

    async def work(graph: Graph) -> Any:
        from custgraph.graph.repositories import audit_log
        from custgraph.graph.repositories.resolution import load_model
        from custgraph.resolvers.audit_log import cli_user, import_event

        with progress_ctx as bar:
            advance = (lambda n: bar[0].advance(bar[1], n)) if bar else None
            summary = await run_import(
                graph,
                paths,
                options,
                rule_set,
                reports_dir=settings.data_dir / "reports",
                progress=advance,
                params=await load_model(graph),
            )
        await audit_log.record(graph, [import_event(cli_user(), None, summary, name, kind, [p.name for p in paths])])
        return summary

    try:
        summary = with_graph(settings, work)
    except IngestError as exc:
        raise _die(_one_line(exc)) from exc
    except Neo4jError as exc:
        raise _die(f"graph refused the import: {_one_line(exc)}") from exc
    typer.echo(summary.line())
    typer.echo(summary.stages_line())
    typer.echo(f"report: {summary.report_json} {summary.report_csv}")


def _progress() -> Any:
    from contextlib import contextmanager

    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    @contextmanager
    def bar() -> Any:
        with Progress(
            SpinnerColumn(),
            TextColumn("importing"),
            BarColumn(),
            TextColumn("{task.completed} rows"),
            TimeElapsedColumn(),
            transient=True,
        ) as progress:
            task = progress.add_task("rows", total=None)
            yield progress, task

    return bar()


@export_app.command("links")
def export_links(
    out: Annotated[Path | None, typer.Option("--out", help="CSV file (default: standard output).")] = None,
) -> None:
    """One row per source record: source,source_key,customer_id,outcome."""
    from custgraph.graph.repositories.resolution import export_links as fetch

    settings = Settings.from_env()

    async def work(graph: Graph) -> list[dict[str, Any]]:
        from custgraph.graph.repositories import audit_log
        from custgraph.resolvers.audit_log import cli_user

        found = await fetch(graph)
        details = {"rows": len(found), "file": str(out) if out else None}
        await audit_log.record(graph, [audit_log.event("export", user=cli_user(), target="links", after=details)])
        return found

    rows = with_graph(settings, work)
    with open(out, "w", newline="", encoding="utf-8") if out else nullcontext(sys.stdout) as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "source_key", "customer_id", "outcome"])
        for row in rows:
            outcome = row["outcome"] or "unmatched"
            customer = row["customer_id"] if outcome != "unmatched" else ""
            writer.writerow([row["source"], row["source_key"], customer or "", outcome])
    if out:
        typer.echo(f"wrote {len(rows)} links to {out}", err=True)


@rules_app.command("show")
def rules_show(rules: RulesOption = None) -> None:
    """Print the matching rules in force as YAML."""
    settings = Settings.from_env()
    typer.echo(load_rules(settings, rules).to_yaml())


@demo_app.command("load")
def demo_load(rules: RulesOption = None) -> None:
    """Import the shipped demo data set (idempotent: loading it twice changes nothing)."""
    for path, source, kind in DEMO_FILES:
        typer.echo(f"loading {Path(path).name} as {source} ({kind})")
        import_command([Path(path)], source=source, kind=kind, rules=rules)
