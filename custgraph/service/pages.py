"""The people's pages: /review, /customer/{id} and /quality, plain HTML/CSS/JS from ``service/web/``.

A page is a static shell: it holds no data and is served to anyone, so it can show its sign-in form.
Its script calls /graphql with the credential the user typed (kept in sessionStorage, sent as
``Authorization: Bearer``): the API decides what the caller sees, exactly as for any other client.
No build step, no library fetched at run time; the Content-Security-Policy allows scripts, styles
and requests to this origin only. ``CUSTGRAPH_FRAME_ANCESTORS`` says who may frame the customer
page (a portal embedding it); the review and quality pages may be framed by this origin only.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from custgraph.service.settings import Settings

WEB = Path(__file__).parent / "web"
ASSETS = "/web/"
PAGES = {"/review": ("Review", "review.js"), "/quality": ("Data quality", "quality.js")}
CUSTOMER = ("Customer", "customer.js")
CUSTOMER_PAGE = re.compile(r"^/customer/[^/]+$")


def is_open(path: str) -> bool:
    """The pages and their assets need no credential (their data does)."""
    return path in PAGES or path.startswith(ASSETS) or CUSTOMER_PAGE.match(path) is not None


def content_security_policy(frame_ancestors: str) -> str:
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        f"base-uri 'none'; form-action 'none'; frame-ancestors {frame_ancestors}"
    )


def _page(title: str, script: str, frame_ancestors: str) -> Callable[[Request], Awaitable[Response]]:
    """One shell (web/page.html) naming the page's script; built once, served as is."""
    html = (WEB / "page.html").read_text(encoding="utf-8").format(title=title, script=script)
    headers = {
        "Content-Security-Policy": content_security_policy(frame_ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }

    async def endpoint(request: Request) -> Response:
        return HTMLResponse(html, headers=headers)

    return endpoint


def routes(settings: Settings) -> list[BaseRoute]:
    pages: list[BaseRoute] = [Route(path, _page(*page, "'self'"), methods=["GET"]) for path, page in PAGES.items()]
    return [
        *pages,
        Route("/customer/{id}", _page(*CUSTOMER, settings.frame_ancestors), methods=["GET"]),
        Mount(ASSETS.rstrip("/"), StaticFiles(directory=WEB), name="web"),
    ]
