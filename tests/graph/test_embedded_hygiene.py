"""The embedded server keeps its secrets off the command line and its files to their owner."""

from __future__ import annotations

import stat
from pathlib import Path

from custgraph.graph import embedded


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_root_password_is_not_on_the_command_line(graph_data_dir: Path) -> None:
    info = embedded.read_state(graph_data_dir)
    assert info is not None and info.password
    cmdline = Path(f"/proc/{info.pid}/cmdline").read_bytes().decode(errors="replace")
    assert "ArcadeDBServer" in cmdline  # the server's own process, not some other pid
    assert info.password not in cmdline
    assert "rootPassword=" not in cmdline


def test_the_password_file_is_gone_once_the_server_answers(graph_data_dir: Path) -> None:
    assert not (graph_data_dir / embedded.PASSWORD_FILE).exists()


def test_the_data_dir_and_its_files_are_owner_only(graph_data_dir: Path) -> None:
    assert _mode(graph_data_dir) == 0o700
    for name in (embedded.STATE_FILE, embedded.CREDENTIALS_FILE, embedded.LOG_FILE, "server.lock"):
        assert _mode(graph_data_dir / name) == 0o600, name
    server_files = list((graph_data_dir / "arcadedb").rglob("*"))
    assert server_files  # ArcadeDB's config, databases and logs
    loose = [p for p in server_files if _mode(p) & 0o077]
    assert not loose, loose[:5]
