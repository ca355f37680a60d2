"""``custgraph reencrypt``: after a key is added to the data key file, rewrite every encrypted value."""

from __future__ import annotations

from typing import Annotated

import typer

from custgraph import crypto
from custgraph.service.cli_data import load_rules, with_graph
from custgraph.service.settings import Settings


def reencrypt_command(
    batch: Annotated[int, typer.Option("--batch", min=1, max=50_000, help="Nodes read and written at a time.")] = 1000,
) -> None:
    """Re-encrypt every national ID and bank card with the active key (the key file's last line).

    Batched and resumable: a killed run continues where it stopped, and a second run changes nothing.
    Values stay readable throughout, as long as the key file keeps the old keys. Values stored before
    encryption existed are encrypted on the same pass.
    """
    from custgraph.graph.repositories.sealed import reencrypt
    from custgraph.pipeline.resolve import sensitive_blocking

    settings = Settings.from_env()
    blocking = sensitive_blocking(load_rules(settings, None))  # plaintext keys of older data: hashed
    # with_graph installs the key ring of the settings (and refuses a missing one in production)
    summary = with_graph(settings, lambda graph: reencrypt(graph, crypto.current(), batch=batch, blocking=blocking))
    typer.echo(summary.line())
