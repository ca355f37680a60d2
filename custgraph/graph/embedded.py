"""The embedded graph server: ArcadeDB speaking Bolt, started as a child process.

Used whenever NEO4J_URI is unset. The server outlives the CLI command that started it so that a
second command (``custgraph export`` after ``custgraph import``) reuses it; its pid, ports and
password live in ``<data dir>/server.json``, and a file lock keeps two processes from starting
two servers on one directory. ``custgraph db stop`` ends it.

No secret goes on the Java command line, where any user of the machine reads it (``ps``): ArcadeDB
reads the root password from a file (``arcadedb.server.rootPasswordPath``). The data dir is made
owner-only (0700) and every file written here is 0600; the server runs with umask 077 so that its
own files (databases, logs) are too.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from custgraph.graph import cypher_log
from custgraph.private_files import PRIVATE_FILE, open_private, private_dir, write_private

DATABASE = "neo4j"
PING = "RETURN 1 AS one"
USER = "root"
STATE_FILE = "server.json"
CREDENTIALS_FILE = "credentials.json"
PASSWORD_FILE = "root.password"  # read by ArcadeDB at its first start; owner-only
LOG_FILE = "server.log"
START_TIMEOUT_S = 120.0
HEAP_ENV = "CUSTGRAPH_GRAPH_HEAP"  # the embedded server's Java heap (-Xmx): 1g holds a few 100k records
DEFAULT_HEAP = "1g"
# ArcadeDB's page cache lives inside that heap (arcadedb.maxPageRAM); unset, ArcadeDB takes a quarter of it
PAGE_CACHE_ENV = "CUSTGRAPH_GRAPH_PAGE_CACHE"


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started or reached."""


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    bolt_port: int
    http_port: int
    password: str
    data_dir: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        """ArcadeDB's own HTTP server (its Studio, when bundled, and the REST API under /api/v1):
        bound to 127.0.0.1 only, on a port picked when the server started (kept in server.json)."""
        return f"http://127.0.0.1:{self.http_port}/"


def package_dir() -> Path:
    import arcadedb_embedded  # imported lazily: only the embedded mode needs it

    return Path(arcadedb_embedded.__file__).resolve().parent


def studio_bundled() -> bool:
    """Whether the installed ArcadeDB ships its Studio web console (the arcadedb-embedded wheel comes
    without it: the server's HTTP root then shows a notice, and only the REST API answers)."""
    return any((package_dir() / "jars").glob("arcadedb-studio*.jar"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as dead.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    return True


@contextlib.contextmanager
def _dir_lock(data_dir: Path) -> Iterator[None]:
    private_dir(data_dir)
    fd = os.open(data_dir / "server.lock", os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)  # not truncated: others lock it
    with os.fdopen(fd, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _password(data_dir: Path) -> str:
    """The root password is made once per data dir: ArcadeDB keeps the first one it was given."""
    path = data_dir / CREDENTIALS_FILE
    if path.exists():
        return str(json.loads(path.read_text())["password"])
    password = secrets.token_urlsafe(18)
    write_private(path, json.dumps({"user": USER, "password": password}))
    return password


def read_state(data_dir: Path) -> ServerInfo | None:
    path = data_dir / STATE_FILE
    if not path.exists():
        return None
    try:
        return ServerInfo(**json.loads(path.read_text()))
    except (ValueError, TypeError):
        return None


def answers(info: ServerInfo, timeout: float = 5.0) -> bool:
    """True when the database itself answers a query (the Bolt port opens before it exists)."""
    cypher_log.record(PING)
    try:
        with GraphDatabase.driver(info.uri, auth=(USER, info.password), connection_timeout=timeout) as driver:
            # session.run, not execute_query: the latter retries for 30 s on its own
            with driver.session(database=DATABASE) as session:
                record = session.run(PING).single()
            return record is not None and record["one"] == 1
    except (ServiceUnavailable, SessionExpired, AuthError, OSError):
        return False
    except Exception:  # noqa: BLE001 - any protocol error while the server boots means "not yet"
        return False


def status(data_dir: Path) -> tuple[ServerInfo | None, bool]:
    """The recorded server, if any, and whether it is alive and answering."""
    info = read_state(data_dir)
    if info is None or not _pid_alive(info.pid):
        return info, False
    return info, answers(info)


def _command(
    pkg: Path, root: Path, password_file: Path, bolt_port: int, http_port: int, heap: str, page_cache: str | None
) -> list[str]:
    cache = [f"-Darcadedb.maxPageRAM={_megabytes(page_cache)}"] if page_cache else []
    return [
        str(pkg / "jre" / "bin" / "java"),
        f"-Xmx{heap}",
        *cache,
        "--add-modules",
        "jdk.incubator.vector",
        f"-Darcadedb.server.rootPath={root}",
        f"-Darcadedb.server.rootPasswordPath={password_file}",
        f"-Darcadedb.server.defaultDatabases={DATABASE}[{USER}]",
        "-Darcadedb.server.plugins=Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        f"-Darcadedb.bolt.port={bolt_port}",
        "-Darcadedb.bolt.host=127.0.0.1",
        "-Darcadedb.server.httpIncomingHost=127.0.0.1",
        f"-Darcadedb.server.httpIncomingPort={http_port}",
        "-cp",
        str(pkg / "jars" / "*"),
        "com.arcadedb.server.ArcadeDBServer",
    ]


def _wait_until_answering(info: ServerInfo, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise EmbeddedServerError(f"embedded graph server exited with code {proc.returncode}:\n{tail}")
        if answers(info, timeout=2.0):
            return
        time.sleep(0.3)
    proc.terminate()
    raise EmbeddedServerError(f"embedded graph server did not answer within {START_TIMEOUT_S:.0f}s; see {log}")


def _java_size(text: str, name: str) -> str:
    size = text.strip().lower()
    if not size[:-1].isdigit() or size[-1] not in "kmg" or int(size[:-1]) == 0:
        raise EmbeddedServerError(f"{name}={size!r} is not a size such as 512m or 4g")
    return size


def _megabytes(size: str) -> int:
    return max(1, int(size[:-1]) * {"k": 1, "m": 1024, "g": 1024 * 1024}[size[-1]] // 1024)


def heap_size(value: str | None = None) -> str:
    """The heap to start a server with: ``value``, else $CUSTGRAPH_GRAPH_HEAP, else 1g (Java's syntax)."""
    return _java_size(value or os.environ.get(HEAP_ENV) or DEFAULT_HEAP, HEAP_ENV)


def page_cache_size(heap: str, value: str | None = None) -> str | None:
    """ArcadeDB's page cache: ``value``, else $CUSTGRAPH_GRAPH_PAGE_CACHE, else None (ArcadeDB's own
    default, a quarter of the heap). It lives inside the heap, so it must be smaller than the heap."""
    text = value or os.environ.get(PAGE_CACHE_ENV)
    if not text:
        return None
    size = _java_size(text, PAGE_CACHE_ENV)
    if _megabytes(size) >= _megabytes(heap):
        raise EmbeddedServerError(f"{PAGE_CACHE_ENV}={size} must be smaller than the heap ({heap})")
    return size


def ensure_running(data_dir: Path, *, heap: str | None = None) -> ServerInfo:
    """Reuse the server recorded in data_dir if it answers, otherwise start one and wait for it
    (with ``heap``, default $CUSTGRAPH_GRAPH_HEAP or 1g, and $CUSTGRAPH_GRAPH_PAGE_CACHE; a running
    server keeps the heap and page cache it has)."""
    heap = heap_size(heap)
    page_cache = page_cache_size(heap)
    data_dir = data_dir.resolve()
    with _dir_lock(data_dir):
        info, alive = status(data_dir)
        if info is not None and alive:
            return info
        if info is not None and _pid_alive(info.pid):
            # Recorded and alive but not answering: it may still be booting.
            deadline = time.monotonic() + START_TIMEOUT_S
            while time.monotonic() < deadline and _pid_alive(info.pid):
                if answers(info, timeout=2.0):
                    return info
                time.sleep(0.5)
            _terminate(info.pid)
        password = _password(data_dir)
        password_file = data_dir / PASSWORD_FILE
        write_private(password_file, password)
        bolt_port, http_port = free_port(), free_port()
        log = data_dir / LOG_FILE
        root = private_dir(data_dir / "arcadedb")
        with open_private(log, "ab") as log_handle:
            # A new session so that Ctrl-C in the shell that ran `custgraph import` leaves the server up.
            proc = subprocess.Popen(
                _command(package_dir(), root, password_file, bolt_port, http_port, heap, page_cache),
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=root,
                start_new_session=True,
                umask=0o077,
            )
        info = ServerInfo(proc.pid, bolt_port, http_port, password, str(data_dir))
        write_private(data_dir / STATE_FILE, json.dumps(asdict(info)))
        try:
            _wait_until_answering(info, proc, log)
        except EmbeddedServerError:
            (data_dir / STATE_FILE).unlink(missing_ok=True)
            raise
        finally:
            # read once at start-up; the client's copy stays in credentials.json (0600)
            password_file.unlink(missing_ok=True)
        return info


def _terminate(pid: int, timeout: float = 30.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _pid_alive(pid):
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    if _pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def stop(data_dir: Path) -> bool:
    """Stop the recorded server. Returns False when none was running."""
    data_dir = data_dir.resolve()
    with _dir_lock(data_dir):
        info = read_state(data_dir)
        if info is None:
            return False
        running = _pid_alive(info.pid)
        if running:
            _terminate(info.pid)
        (data_dir / STATE_FILE).unlink(missing_ok=True)
        return running
