"""The web pages' shells: served without a credential (their data is not), with a strict CSP whose
frame-ancestors the settings choose for the customer page."""

from __future__ import annotations

import os

import pytest
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.service.app import create_app
from custgraph.service.settings import Settings


def production(**env: str) -> TestClient:
    return TestClient(create_app(Settings.from_env({**os.environ, "CUSTGRAPH_ENV": "production", **env})))


@pytest.mark.parametrize("path", ["/review", "/quality", "/customer/C000001", "/web/review.js", "/web/style.css"])
def test_pages_load_without_a_credential_but_their_data_does_not(graph: Graph, path: str) -> None:
    with production() as client:
        assert client.get(path).status_code == 200
        assert client.post("/graphql", json={"query": '{ customer(id: "C000001") { id } }'}).status_code == 401


def test_only_the_page_paths_are_open(graph: Graph) -> None:
    with production() as client:
        assert client.get("/customer/C000001/more").status_code == 401
        assert client.get("/reviews").status_code == 401
        assert client.get("/export/customers").status_code == 401


def test_pages_carry_a_content_security_policy(graph: Graph) -> None:
    with production() as client:
        review = client.get("/review")
        customer = client.get("/customer/C000001")
    assert review.headers["content-type"].startswith("text/html")
    csp = review.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp
    assert customer.headers["content-security-policy"].endswith("frame-ancestors 'self'")
    assert review.headers["x-content-type-options"] == "nosniff"


def test_frame_ancestors_setting_applies_to_the_customer_page(graph: Graph) -> None:
    with production(CUSTGRAPH_FRAME_ANCESTORS="'self'  https://portal.example.com") as client:
        customer = client.get("/customer/C000001").headers["content-security-policy"]
        review = client.get("/review").headers["content-security-policy"]
    assert customer.endswith("frame-ancestors 'self' https://portal.example.com")
    assert review.endswith("frame-ancestors 'self'")  # stewards' decisions are never framed by others


@pytest.mark.parametrize("value", ["'self'; script-src *", "https://a.example\r\nX-Evil: 1", "a, b", "'unsafe-inline'"])
def test_frame_ancestors_refuses_anything_but_sources(value: str) -> None:
    with pytest.raises(ValueError, match="CUSTGRAPH_FRAME_ANCESTORS"):
        Settings.from_env({"CUSTGRAPH_FRAME_ANCESTORS": value})
