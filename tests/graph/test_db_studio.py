"""`custgraph db studio`: where ArcadeDB's own web console and REST API answer, and with which credentials."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from custgraph.graph import embedded

CLI = [sys.executable, "-m", "custgraph.service.cli"]


def studio(env: dict[str, str]) -> str:
    done = subprocess.run([*CLI, "db", "studio"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def get(url: str, user: str | None = None, password: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if user is not None:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def test_db_studio_prints_a_live_url_and_the_credentials_of_the_embedded_server(graph_data_dir: Path) -> None:
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(graph_data_dir)}
    env.pop("NEO4J_URI", None)
    printed = studio(env)
    url = re.search(r"^ArcadeDB Studio: (http://\S+)$", printed, re.MULTILINE)
    user = re.search(r"^user: (\S+)$", printed, re.MULTILINE)
    password = re.search(r"^password: (\S+)$", printed, re.MULTILINE)
    assert url and user and password, printed

    state = json.loads((graph_data_dir / embedded.STATE_FILE).read_text())
    stored = json.loads((graph_data_dir / embedded.CREDENTIALS_FILE).read_text())
    assert url.group(1) == f"http://127.0.0.1:{state['http_port']}/"
    assert (user.group(1), password.group(1)) == (stored["user"], stored["password"])

    status, page = get(url.group(1))
    assert status == 200 and "ArcadeDB" in page
    status, body = get(url.group(1) + "api/v1/server", user.group(1), password.group(1))
    assert status == 200 and json.loads(body)["user"] == "root"
    assert get(url.group(1) + "api/v1/server", user.group(1), "not-the-password")[0] in (401, 403)
    # the wheel's build comes without Studio's pages: the command says so rather than send people to a notice
    assert ("ships without the Studio pages" in printed) is (not embedded.studio_bundled())


def test_db_studio_with_neo4j_points_at_neo4j_browser(tmp_path: Path) -> None:
    env = {**os.environ, "NEO4J_URI": "bolt://graph.internal:7687", "CUSTGRAPH_DATA_DIR": str(tmp_path)}
    printed = studio(env)
    assert "http://graph.internal:7474" in printed and "password:" not in printed
