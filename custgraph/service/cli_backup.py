"""Operations commands of the CLI: the audit-log export, backup and restore (docs/security.md)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from custgraph.graph.connection import Graph
from custgraph.service.cli_data import _die, with_graph
from custgraph.service.settings import Settings

audit_app = typer.Typer(help="The audit log (read-only: nothing here changes an entry).", no_args_is_help=True)

AUDIT_COLUMNS = ("id", "at", "user", "ip", "action", "target", "before", "after")


async def export_audit_log(graph: Graph, out: Path, fmt: str) -> int:
    """Every audit event, oldest first, as JSON lines or CSV; the count written. The export is audited."""
    from custgraph.graph.repositories import audit_log
    from custgraph.resolvers.audit_log import cli_user

    written = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        out.chmod(0o600)
        writer = csv.writer(handle) if fmt == "csv" else None
        if writer is not None:
            writer.writerow(AUDIT_COLUMNS)
        async for item in audit_log.iter_events(graph):
            if writer is not None:
                writer.writerow(["" if getattr(item, c) is None else getattr(item, c) for c in AUDIT_COLUMNS])
            else:
                handle.write(json.dumps(item.model_dump(), ensure_ascii=False) + "\n")
            written += 1
    entry = audit_log.event("export", user=cli_user(), target="audit-log", after={"events": written, "format": fmt})
    await audit_log.record(graph, [entry])
    return written


@audit_app.command("export")
def audit_export(
    out: Annotated[Path, typer.Option("--out", help="The file to write (created owner-only).")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: csv for a .csv file, else jsonl).")
    ] = None,
) -> None:
    """Write the whole audit log, oldest first: one JSON object per line (JSONL) or CSV with a header.

    Fields: id, at (UTC), user, ip, action, target, before, after (before/after are JSON text).
    """
    chosen = (fmt or ("csv" if out.suffix.lower() == ".csv" else "jsonl")).lower()
    if chosen not in ("jsonl", "csv"):
        raise _die(f"--format must be jsonl or csv, not {chosen!r}")
    written = with_graph(Settings.from_env(), lambda graph: export_audit_log(graph, out, chosen))
    typer.echo(f"wrote {written} audit events to {out}")


def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup to write (gzipped JSON lines, created owner-only).")],
) -> None:
    """Write the whole graph (every node and edge: customers, records, audit log, users, key hashes)."""
    from custgraph.graph.repositories.backup import backup_file

    counts = with_graph(Settings.from_env(), lambda graph: backup_file(graph, file))
    typer.echo(f"wrote {counts.nodes} nodes and {counts.edges} edges to {file}")


def restore_command(
    file: Annotated[Path, typer.Argument(help="A file written by `custgraph backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Restore into a graph that is not empty, deleting what it holds.")
    ] = False,
) -> None:
    """Recreate the graph of a backup: the schema first, then every node, then every edge."""
    from custgraph.graph.repositories.backup import BackupError, read_header, restore_file

    if not file.is_file():
        raise _die(f"cannot read {file}: no such file")
    try:
        header = read_header(file)  # a wrong file is refused before the graph is touched (or started)
        typer.echo(f"restoring a backup of {header.get('created_at')} from {header.get('server')}")
        counts = with_graph(Settings.from_env(), lambda graph: restore_file(graph, file, force=force))
    except BackupError as exc:
        raise _die(str(exc)) from exc
    except EOFError as exc:  # gzip: the file is cut short
        raise _die(f"cannot read {file}: {exc}") from exc
    typer.echo(f"restored {counts.nodes} nodes and {counts.edges} edges from {file}")
