"""The demo `make run` loads, seen in the browser: the README's two screenshots are taken here, so they
show what a newcomer sees on /review and /customer/C000001."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Page, expect
from typer.testing import CliRunner

from custgraph.graph.connection import Graph
from custgraph.service.cli import app
from tests.web.conftest import Server, screenshot
from tests.wipe import wipe

PAIR = "crm_export|KH1002||webform|wf-0003"  # the demo's one pair waiting for review


@pytest.fixture(scope="module")
async def demo(graph: Graph) -> Graph:
    """The session graph, emptied, with the demo loaded by the real command."""
    await wipe(graph)
    result = await asyncio.to_thread(CliRunner().invoke, app, ["demo", "load"])
    assert result.exit_code == 0, (result.output, result.exception)
    return graph


async def test_demo_review_page(demo: Graph, server: Server, page: Page) -> None:
    await page.goto(server.url + "/review")
    pair = page.locator("#pair")
    await expect(pair).to_have_attribute("data-key", PAIR)
    names = pair.locator("tr[data-field=name]")
    await expect(names.locator(".side-a")).to_have_text("张伟")
    await expect(names.locator(".side-b")).to_have_text("张玮")
    await screenshot(page, "review", readme=True)


async def test_demo_customer_page(demo: Graph, server: Server, page: Page) -> None:
    await page.goto(server.url + "/customer/C000001")
    await expect(page.locator("#customer-name")).to_have_text("林静")
    records = page.locator("#records")
    for uid in ("crm_export|KH1001", "webform|wf-0002", "orders|SO2406001"):
        await expect(records).to_contain_text(uid)
    await expect(page.locator("#timeline li").first).to_be_visible()
    await screenshot(page, "customer", readme=True)
