"""Browser tests: the real app served by uvicorn on a free port, driven by headless Chromium.

The app is the one ``custgraph serve`` runs (``create_app(Settings.from_env())``) against the
session's embedded graph; data comes in through ``run_import`` like ``custgraph import``. Playwright
drives Debian's ``chromium`` (``executable_path``): it can't download browsers here, and .ci/run
installs the package when it is missing. Screenshots go to .ci-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import os
import shutil
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright, expect

from custgraph.graph.connection import Graph
from custgraph.graph.embedded import free_port
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, run_import
from custgraph.service.app import create_app
from custgraph.service.settings import Settings

# a decision merges customers and recomputes profiles on a shared 2-core machine: wait for the page
# longer than Playwright's 5 s default (a wait, never an assertion on time)
expect.set_options(timeout=30_000)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / ".ci-artifacts" / "screenshots"
README_IMAGES = ROOT / "docs" / "img"
CHROMIUM_NAMES = ("chromium", "chromium-browser")


@dataclass(frozen=True)
class Server:
    url: str


@contextmanager
def serving(env: dict[str, str] | None = None) -> Iterator[Server]:
    """The app in a uvicorn server on a thread of its own (its own event loop), stopped on exit."""
    settings = Settings.from_env({**os.environ, **(env or {})})
    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", loop="asyncio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture(scope="module")
def server(graph: Graph) -> Iterator[Server]:
    """Development mode: loopback requests act as the local admin (no sign-in)."""
    with serving() as running:
        yield running


def chromium_path() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no chromium on PATH: `apt-get install chromium` (.ci/run installs it when missing)")


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh tab; the test fails if a script on it threw an uncaught error."""
    context = await browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
    finally:
        await context.close()
    assert not errors, errors


async def screenshot(page: Page, name: str, *, readme: bool = False) -> Path:
    """Save a test artifact; ``readme``: also the README's copy under docs/img/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    if readme:
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_IMAGES / f"{name}.png")
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    headers = list(dict.fromkeys(h for row in rows for h in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


async def import_rows(graph: Graph, folder: Path, source: str, kind: str, rows: list[dict[str, str]]) -> None:
    """``custgraph import`` of a CSV holding ``rows``."""
    path = write_csv(folder / f"{source}-{kind}.csv", rows)
    await run_import(
        graph, [path], ImportOptions(source=source, kind=kind), load_rules(), reports_dir=folder / "reports"
    )


async def placement(graph: Graph, *uids: str) -> dict[str, str | None]:
    rows = await graph.read(
        "MATCH (s:SourceRecord) WHERE s.uid IN $uids RETURN s.uid AS uid, s.customer_id AS customer_id",
        uids=list(uids),
    )
    return {r["uid"]: r["customer_id"] for r in rows}
