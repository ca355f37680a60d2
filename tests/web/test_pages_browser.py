"""The pages in headless Chromium against the real app and graph: decide a pair, undo it, read a
customer, read the quality report, sign in in production mode.

The tests share one imported data set (module fixture) and run in file order, as a steward's session
would: each one starts from the decisions the ones before it took."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from custgraph.graph.connection import Graph
from tests.credentials import register, token
from tests.web.conftest import Server, import_rows, placement, screenshot, serving
from tests.wipe import wipe

CRM = [
    {
        "编号": "1",
        "姓名": "张伟",
        "手机": "13812345678",
        "邮箱": "zhang.wei@yunshan-tech.cn",
        "公司名称": "上海云杉科技有限公司",
        "城市": "上海市",
        "负责人": "李销售",
        "标签": "重点客户",
    },
    {"编号": "2", "姓名": "张玮", "城市": "上海市"},  # same pinyin, nothing else: queued for review against 1
    {"编号": "3", "姓名": "John Smith", "邮箱": "john.smith@acme.com"},
    {"编号": "4", "姓名": "Jon Smith"},  # queued against 3
    {"编号": "5", "城市": "杭州市", "备注": "展会名片"},  # nothing to match on: the unmatched pool
]
WEB_FORM = [{"编号": "6", "姓名": "Zhang Wei", "城市": "上海市"}]  # 张伟 in pinyin, a later import: queued too
ORDERS = [
    {
        "订单号": "SO1001",
        "下单日期": "2024-03-05",
        "客户姓名": "张伟",
        "手机号": "13812345678",
        "商品": "CRM标准版(年费)",
        "订单金额(元)": "6800",
    },
    {
        "订单号": "SO1002",
        "下单日期": "2024-09-12",
        "客户姓名": "张伟",
        "手机号": "13812345678",
        "商品": "定制礼盒",
        "订单金额(元)": "536",
    },
]
INTERACTIONS = [
    {
        "互动编号": "HD1",
        "互动日期": "2024-06-18",
        "客户姓名": "张伟",
        "手机号": "13812345678",
        "互动类型": "拜访",
        "沟通内容": "现场调研,客户关注数据安全",
    },
]
ZHANG = ("crm|1", "crm|2")
ZHANG_KEY = "crm|1||crm|2"


@pytest.fixture(scope="module")
async def seeded(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    await wipe(graph)
    folder: Path = tmp_path_factory.mktemp("web-imports")
    await import_rows(graph, folder, "crm", "customers", CRM)
    await import_rows(graph, folder, "shop", "orders", ORDERS)
    await import_rows(graph, folder, "service", "interactions", INTERACTIONS)
    await import_rows(graph, folder, "web", "customers", WEB_FORM)
    return graph


async def open_pair(page: Page, key: str) -> None:
    """Walk the queue with j until the pair ``key`` is on screen."""
    pair = page.locator("#pair")
    await expect(pair).to_be_visible()
    seen = []
    for _ in range(10):
        seen.append(await pair.get_attribute("data-key"))
        if seen[-1] == key:
            return
        await page.keyboard.press("j")
    raise AssertionError(f"pair {key} not in the queue: {seen}")


async def test_review_decide_by_key_then_undo(seeded: Graph, server: Server, page: Page) -> None:
    before = await placement(seeded, *ZHANG)
    assert before["crm|1"] != before["crm|2"]
    await page.goto(server.url + "/review")
    await open_pair(page, ZHANG_KEY)
    pair = page.locator("#pair")
    # names are page text, side by side, with the evidence of the name comparisons
    await expect(pair.locator("tr[data-field=name] .side-a")).to_have_text("张伟")
    await expect(pair.locator("tr[data-field=name] .side-b")).to_have_text("张玮")
    await expect(pair.locator("tr[data-field=given_name]")).to_contain_text("pinyin")
    await page.keyboard.press("?")
    await expect(page.locator("#help")).to_be_visible()
    await page.keyboard.press("Escape")
    await screenshot(page, "review-test-pair")

    await page.keyboard.press("m")
    await expect(page.locator("#toast")).to_contain_text("MERGE")
    merged = await placement(seeded, *ZHANG)
    assert merged["crm|1"] == merged["crm|2"] == before["crm|1"]  # the older customer survives
    status = await seeded.read("MATCH (r:ReviewItem {key: $key}) RETURN r.decision AS d", key=ZHANG_KEY)
    assert status == [{"d": "MERGE"}]

    await page.keyboard.press("u")
    await expect(page.locator("#toast")).to_contain_text("undone")
    await expect(pair).to_have_attribute("data-key", ZHANG_KEY)  # back on the pair, to decide again
    await expect(page.locator("#status")).to_have_text("open")
    undone = await placement(seeded, *ZHANG)
    assert undone == before  # the absorbed customer is back, with its record
    # the decision is forgotten, not replaced by a SEPARATE: the pair is in the queue again
    status = await seeded.read("MATCH (r:ReviewItem {key: $key}) RETURN r.status AS s, r.decision AS d", key=ZHANG_KEY)
    assert status == [{"s": "open", "d": None}]
    await screenshot(page, "review-after-undo")
    await page.reload()
    await open_pair(page, ZHANG_KEY)
    await expect(page.locator("#status")).to_have_text("open")


async def test_a_refused_credential_mid_session_brings_back_the_sign_in(
    seeded: Graph, server: Server, page: Page
) -> None:
    await page.goto(server.url + "/review")
    await expect(page.locator("#pair")).to_be_visible()
    await page.evaluate("sessionStorage.setItem('custgraph.credential', 'cgk_revoked-meanwhile')")
    await page.keyboard.press("m")  # the decision is refused (401): nothing decided, sign in again
    await expect(page.locator("#signin")).to_contain_text("Sign in again")
    assert await page.evaluate("sessionStorage.getItem('custgraph.credential')") is None


async def test_undo_takes_out_only_the_last_merge(seeded: Graph, server: Server, page: Page) -> None:
    """Two merges into one customer: undoing the second moves only its record out again."""
    await page.goto(server.url + "/review")
    count = page.locator("#session-count")
    await open_pair(page, "crm|1||web|6")
    await page.keyboard.press("m")
    await expect(count).to_have_text("1 decided here")
    await open_pair(page, "crm|2||web|6")  # 张玮 again, whom the undo above brought back
    await page.keyboard.press("m")
    await expect(count).to_have_text("2 decided here")
    merged = await placement(seeded, "crm|1", "crm|2", "web|6")
    assert len(set(merged.values())) == 1
    await page.keyboard.press("u")
    await expect(count).to_have_text("1 decided here")
    after = await placement(seeded, "crm|1", "crm|2", "web|6")
    assert after["crm|1"] == after["web|6"] == merged["crm|1"]  # the first merge stands
    assert after["crm|2"] not in (None, merged["crm|1"])


async def test_review_separate_with_button(seeded: Graph, server: Server, page: Page) -> None:
    await page.goto(server.url + "/review")
    await open_pair(page, "crm|3||crm|4")
    await page.locator("#separate").click()
    await expect(page.locator("#toast")).to_contain_text("SEPARATE")
    status = await seeded.read("MATCH (r:ReviewItem {key: $key}) RETURN r.decision AS d", key="crm|3||crm|4")
    assert status == [{"d": "SEPARATE"}]
    smith = await placement(seeded, "crm|3", "crm|4")
    assert smith["crm|3"] != smith["crm|4"]


async def test_unmatched_tab_corrects_and_rematches_a_record(seeded: Graph, server: Server, page: Page) -> None:
    assert await placement(seeded, "crm|5") == {"crm|5": None}
    await page.goto(server.url + "/review")
    await expect(page.locator("h1")).to_have_text("Review queue")
    await page.keyboard.press("2")
    row = page.locator("#pool tr", has_text="crm|5")
    await expect(row).to_be_visible()
    await row.click()
    form = page.locator("#record-edit")
    await form.locator("input[name=name]").fill("王芳")
    await form.locator("input[name=city]").fill("杭州")
    await screenshot(page, "review-unmatched")
    await form.get_by_role("button", name="Save and rematch").click()
    await expect(page.locator("#toast")).to_contain_text("crm|5: new")
    await expect(page.locator("#pool tr", has_text="crm|5")).to_have_count(0)
    placed = (await placement(seeded, "crm|5"))["crm|5"]
    assert placed is not None
    fields = await seeded.read("MATCH (s:SourceRecord {uid: 'crm|5'}) RETURN s.fields_json AS f")
    assert "王芳" in fields[0]["f"]


async def test_customer_page_shows_profile_timeline_and_why(seeded: Graph, server: Server, page: Page) -> None:
    cid = (await placement(seeded, "crm|1"))["crm|1"]
    assert cid
    await page.goto(f"{server.url}/customer/{cid}")
    await expect(page.locator("#customer-name")).to_have_text("张伟")
    timeline = page.locator("#timeline li")
    await expect(timeline).to_have_count(3)  # two orders and a visit, newest first
    await expect(timeline.nth(0)).to_contain_text("2024-09-12")
    await expect(timeline.nth(1)).to_contain_text("现场调研")
    await expect(page.locator("#owners")).to_contain_text("李销售")
    records = page.locator("#records")
    await expect(records).to_contain_text("crm|1")
    await expect(records).to_contain_text("shop|SO1001")
    await expect(records.locator("tr", has_text="shop|SO1001")).to_contain_text("matched")
    await screenshot(page, "customer-test")
    await page.keyboard.press("/")  # the header's customer box, on every page
    await page.keyboard.type("crm-nobody")
    await page.keyboard.press("Enter")
    await expect(page.locator("h1")).to_have_text("No customer crm-nobody")


async def test_quality_page_draws_its_charts(seeded: Graph, server: Server, page: Page) -> None:
    await page.goto(server.url + "/quality")
    await expect(page.locator("#completeness-chart")).to_be_visible()
    await expect(page.locator("#completeness-chart")).to_contain_text("name")
    await expect(page.locator("#sources-chart")).to_contain_text("crm")
    await screenshot(page, "quality")


async def test_production_pages_ask_for_a_credential(seeded: Graph, browser: Browser) -> None:
    await register(seeded, "王经理", "manager")
    with serving({"CUSTGRAPH_ENV": "production"}) as prod:
        context = await browser.new_context()
        page = await context.new_page()
        try:
            await page.goto(prod.url + "/review")
            await expect(page.locator("#signin")).to_be_visible()  # the API answered 401: no data shown
            await screenshot(page, "signin")
            await page.locator("#credential").fill("cgk_not-a-key")
            await page.keyboard.press("Enter")
            await expect(page.locator("#signin")).to_contain_text("refused")
            await page.locator("#credential").fill(token("王经理"))
            await page.keyboard.press("Enter")
            await expect(page.locator("h1")).to_have_text("Review queue")
            assert "eyJ" not in page.url  # the credential never goes in a URL
            stored = await page.evaluate("sessionStorage.getItem('custgraph.credential')")
            assert stored and stored.startswith("eyJ")
            await page.goto(prod.url + "/quality")  # the same tab keeps the sign-in
            await expect(page.locator("h1")).to_have_text("Data quality")
            await expect(page.locator("#signout")).to_be_visible()
        finally:
            await context.close()


PORTAL = """<!doctype html><title>portal</title><iframe id="cg" src="{page}" width="1200" height="800"></iframe>
<script>
window.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "custgraph.ready") {{
    event.source.postMessage({{ type: "custgraph.credential", credential: "{jwt}" }}, "{origin}");
  }}
}});
</script>"""


@contextmanager
def portal_serving(content: dict[str, str]) -> Iterator[str]:
    """Another origin on this machine: a portal page (``content["html"]``, set once our URL is known)
    that frames ours and signs it in."""

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = content["html"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


async def test_a_portal_frames_the_customer_page_and_hands_it_a_jwt(seeded: Graph, browser: Browser) -> None:
    await register(seeded, "portal-admin", "admin")
    cid = (await placement(seeded, "crm|1"))["crm|1"]
    jwt = token("portal-admin")
    holder: dict[str, str] = {}
    with portal_serving(holder) as portal:
        env = {"CUSTGRAPH_ENV": "production", "CUSTGRAPH_FRAME_ANCESTORS": "'self' " + portal}
        with serving(env) as prod:
            holder["html"] = PORTAL.format(page=f"{prod.url}/customer/{cid}", jwt=jwt, origin=prod.url)
            context = await browser.new_context()
            page = await context.new_page()
            try:
                await page.goto(portal + "/")
                framed = page.frame_locator("#cg")
                await expect(framed.locator("#customer-name")).to_have_text("张伟")
                await expect(framed.locator("#timeline li")).to_have_count(3)
            finally:
                await context.close()


async def test_a_rep_sees_their_customer_masked_and_no_review_queue(seeded: Graph, browser: Browser) -> None:
    await register(seeded, "李销售", "rep")  # the owner of 张伟 in the CRM file
    cid = (await placement(seeded, "crm|1"))["crm|1"]
    with serving({"CUSTGRAPH_ENV": "production"}) as prod:
        context = await browser.new_context()
        page = await context.new_page()
        try:
            await page.goto(f"{prod.url}/customer/{cid}")
            await page.locator("#credential").fill(token("李销售"))
            await page.keyboard.press("Enter")
            await expect(page.locator("#customer-name")).to_have_text("张*")  # masked for reps, as in the API
            await expect(page.locator("#records")).to_contain_text("crm|1")
            await expect(page.locator("#records")).not_to_contain_text("张伟")
            await page.goto(prod.url + "/review")
            await expect(page.locator("[role=alert]")).to_contain_text("only managers and admins")
        finally:
            await context.close()


ERP = [
    {
        "编号": "1",
        "客户名称": "杭州永泰软件股份有限公司",  # beside a name column, 联系人 is the company's contact
        "客户类型": "企业",
        "公司名称": "杭州永泰软件股份有限公司",
        "城市": "杭州市",
        "联系人": "王芳",
        "联系人职位": "采购经理",
        "联系人手机": "13900001111",
        "联系人邮箱": "wang.fang@yongtai-soft.cn",
        "特殊需求": "发票须加盖公章",
    }
]


async def test_customer_page_shows_contact_people_and_special_needs(
    seeded: Graph, server: Server, page: Page, tmp_path: Path
) -> None:
    """Last in the file: the company it imports changes no pair or count the tests above look at."""
    await import_rows(seeded, tmp_path, "erp", "customers", ERP)
    cid = (await placement(seeded, "erp|1"))["erp|1"]
    assert cid
    await page.goto(f"{server.url}/customer/{cid}")
    await expect(page.locator("#customer-name")).to_have_text("杭州永泰软件股份有限公司")
    person = page.locator("#contact-people tr")
    await expect(person).to_have_count(1)
    await expect(person.locator("td")).to_have_text(["王芳", "采购经理", "+8613900001111", "wang.fang@yongtai-soft.cn"])
    await expect(page.locator("#profile")).to_contain_text("发票须加盖公章")
    await screenshot(page, "customer-company-test")
    # a person has no contact people: the page shows no empty table for them
    zhang = (await placement(seeded, "crm|1"))["crm|1"]
    await page.goto(f"{server.url}/customer/{zhang}")
    await expect(page.locator("#customer-name")).to_have_text("张伟")
    await expect(page.locator("#contact-people")).to_have_count(0)
