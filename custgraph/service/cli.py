"""The ``custgraph`` command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from custgraph import crypto
from custgraph.graph import embedded
from custgraph.service import cli_access, cli_backup, cli_classification, cli_crypto, cli_data, cli_resolution
from custgraph.service.settings import Settings

app = typer.Typer(help="customer-graph: resolve scattered customer records into one graph.", no_args_is_help=True)
db_app = typer.Typer(help="The embedded graph server (used when NEO4J_URI is unset).", no_args_is_help=True)
schema_app = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(schema_app, name="schema")
app.add_typer(cli_data.export_app, name="export")
app.add_typer(cli_data.rules_app, name="rules")
app.add_typer(cli_data.demo_app, name="demo")
app.command("import")(cli_data.import_command)
app.add_typer(cli_resolution.review_app, name="review")
app.command("explain")(cli_resolution.explain_command)
app.command("quality")(cli_resolution.quality_command)
app.command("split")(cli_resolution.split_command)
app.add_typer(cli_backup.audit_app, name="audit")
app.command("backup")(cli_backup.backup_command)
app.command("restore")(cli_backup.restore_command)
app.add_typer(cli_access.users_app, name="users")
app.add_typer(cli_access.keys_app, name="keys")
app.command("reencrypt")(cli_crypto.reencrypt_command)
app.command("recompute")(cli_classification.recompute_command)


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (a line per request costs CPU).")] = True,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql, health at /healthz)."""
    import uvicorn

    try:
        settings = Settings.from_env()
    except ValueError as exc:  # a setting that makes no sense (an unknown role ...): one line, no traceback
        raise fail(str(exc), 2) from None
    try:  # each worker loads the keys again (create_app); a missing key file is said once, here
        crypto.load(settings.data_key_file, data_dir=settings.data_dir, production=settings.production)
    except crypto.KeyFileError as exc:
        raise fail(str(exc), 2) from None
    if settings.graph.embedded:
        # Start the embedded server once here, so workers reuse it instead of racing to start it.
        info = embedded.ensure_running(settings.data_dir)
        typer.echo(f"embedded graph server at {info.uri} (data dir {settings.data_dir})")
    base = f"http://{host}:{port}"
    typer.echo(f"GraphiQL: {base}/graphql   pages: {base}/review  {base}/customer/C000001  {base}/quality")
    # the app says at start-up whether development mode lets local requests in (service/auth.py)
    uvicorn.run(
        "custgraph.service.asgi:app",  # an import string: each worker process builds its own app
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
        lifespan="on",
    )


@db_app.command("status")
def db_status() -> None:
    """Show the embedded server of this data dir."""
    settings = Settings.from_env()
    if not settings.graph.embedded:
        typer.echo(f"using external graph at {settings.graph.uri}; no embedded server")
        return
    info, alive = embedded.status(settings.data_dir)
    if info is None:
        typer.echo(f"stopped (data dir {settings.data_dir.resolve()})")
        raise typer.Exit(3)
    state = "running" if alive else "not answering"
    typer.echo(f"{state} pid={info.pid} bolt={info.uri} http_port={info.http_port} data_dir={info.data_dir}")
    if not alive:
        raise typer.Exit(3)


@db_app.command("studio")
def db_studio() -> None:
    """Print where ArcadeDB's own web console (Studio) and REST API answer, with their credentials."""
    settings = Settings.from_env()
    if not settings.graph.embedded:
        host = urlsplit(settings.graph.uri or "").hostname or "localhost"
        typer.echo(f"using external graph at {settings.graph.uri}: open Neo4j Browser at http://{host}:7474")
        typer.echo("(sign in as NEO4J_USER with NEO4J_PASSWORD; a style and ready queries are in docs/browser/)")
        return
    info = embedded.ensure_running(settings.data_dir)
    typer.echo(f"ArcadeDB Studio: {info.http_url}")
    typer.echo(f"user: {embedded.USER}")
    typer.echo(f"password: {info.password}")
    typer.echo(f"database: {embedded.DATABASE} (Cypher: choose the opencypher language)")
    if not embedded.studio_bundled():
        typer.echo(
            f"note: this arcadedb-embedded build ships without the Studio pages; {info.http_url} shows a notice, "
            f"and the REST API answers with these credentials at {info.http_url}api/v1/ "
            f"(e.g. curl -u {embedded.USER}:PASSWORD {info.http_url}api/v1/server)"
        )
    typer.echo("the server listens on 127.0.0.1 only; it stops with `custgraph db stop`")


@db_app.command("start")
def db_start() -> None:
    """Start the embedded server (or reuse the running one) and create the schema."""
    from custgraph.graph.connection import Graph
    from custgraph.graph.schema import ensure_schema

    settings = Settings.from_env()

    async def run() -> None:
        graph = Graph.connect(settings.graph)
        try:
            await ensure_schema(graph)
        finally:
            await graph.close()

    asyncio.run(run())
    info, _ = embedded.status(settings.data_dir)
    typer.echo(f"running bolt={info.uri if info else settings.graph.uri}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded server of this data dir."""
    settings = Settings.from_env()
    if embedded.stop(settings.data_dir):
        typer.echo("stopped")
    else:
        typer.echo("was not running")


@schema_app.command("export")
def schema_export(out: Annotated[Path, typer.Option(help="Where to write the SDL.")] = Path("schema.graphql")) -> None:
    """Write the GraphQL SDL (committed as schema.graphql)."""
    from custgraph.schema import schema

    out.write_text(schema.as_str() + "\n", encoding="utf-8")
    typer.echo(f"wrote {out}")


if __name__ == "__main__":
    app()
