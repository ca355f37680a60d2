"""Authentication through the real app and graph (service/auth.py): API keys, JWTs, the gateway key,
the development and production defaults, the refusals and what production hides."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.testclient import TestClient

from custgraph.graph.connection import Graph
from custgraph.graph.models import CustomerNode, OwnerNode
from custgraph.graph.repositories import api_keys, users
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.resolvers.identity import principal_of
from custgraph.service import auth
from custgraph.service.app import create_app
from custgraph.service.settings import Settings
from tests.credentials import AUDIENCE, ISSUER, SECRET, bearer, new_key, register, token

REP = "周晓明"
OTHER_REP = "陈志强"
MANAGER = "王经理"
GONE = "离职员工"
OWN_QUERY = "{ customers(first: 10) { totalCount edges { node { id } } } }"


def rsa_pair() -> tuple[Any, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode("ascii")


RSA_PRIVATE, RSA_PUBLIC = rsa_pair()
OTHER_RSA_PRIVATE, _ = rsa_pair()


async def whoami(request: Request) -> JSONResponse:
    principal = principal_of(request)
    return JSONResponse(dataclasses.asdict(principal))


def make_client(settings: Settings, ip: str = "203.0.113.9") -> TestClient:
    app = create_app(settings)
    app.add_route("/whoami", whoami, methods=["GET"])  # behind the same middleware as every route
    return TestClient(app, client=(ip, 50000))


def dev_settings(**changes: Any) -> Settings:
    return dataclasses.replace(Settings.from_env(), jwt_public_key=RSA_PUBLIC, **changes)


@pytest.fixture
async def people(clean_graph: Graph) -> dict[str, str]:
    """Users, two customers each owned by a rep, and the keys the tests present."""
    await register(clean_graph, REP, "rep", ["华东"])
    await register(clean_graph, OTHER_REP, "rep", ["华南"])
    await register(clean_graph, MANAGER, "manager", ["华东"])
    await register(clean_graph, "管理员", "admin")
    await register(clean_graph, GONE, "rep")
    await users.disable_user(clean_graph, GONE)
    await upsert_nodes(clean_graph, [CustomerNode(id="C000001", name="张伟"), CustomerNode(id="C000002", name="李娜")])
    await upsert_nodes(clean_graph, [OwnerNode(name=REP), OwnerNode(name=OTHER_REP)])
    await link(clean_graph, "Customer", "OWNED_BY", "Owner", [("C000001", REP, {}), ("C000002", OTHER_REP, {})])
    keys = {
        "rep": await new_key(clean_graph, "rep-key", user=REP),
        "gone": await new_key(clean_graph, "gone-key", user=GONE),
        "role": await new_key(clean_graph, "report-bot", role="manager"),
        "gateway": await new_key(clean_graph, "portal", role="rep", gateway=True),
        "revoked": await new_key(clean_graph, "old", user=REP),
    }
    await api_keys.revoke_key(clean_graph, "old")
    return keys


@pytest.fixture
def client(people: dict[str, str]) -> Iterator[TestClient]:
    with make_client(dev_settings()) as c:
        yield c


@pytest.fixture
def production(people: dict[str, str]) -> Iterator[TestClient]:
    with make_client(dev_settings(production=True, graphiql=False, introspection=False)) as c:
        yield c


def who(client: TestClient, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.get("/whoami", headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


def refused(client: TestClient, headers: dict[str, str] | None = None, path: str = "/whoami") -> None:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "data" not in response.json()


def graphql(client: TestClient, query: str, headers: dict[str, str]) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- API keys -------------------------------------------------------------------------------------


def test_a_user_key_acts_as_the_user(client: TestClient, people: dict[str, str]) -> None:
    me = who(client, bearer(people["rep"]))
    assert (me["user"], me["role"], me["teams"]) == (REP, "rep", ["华东"])
    assert (me["method"], me["key"], me["credential"]) == ("api_key", "rep-key", "key:rep-key")
    body = graphql(client, OWN_QUERY, bearer(people["rep"]))
    assert [e["node"]["id"] for e in body["data"]["customers"]["edges"]] == ["C000001"]


def test_a_user_key_follows_the_users_role_change(client: TestClient, people: dict[str, str]) -> None:
    graph = client.app.state.graph  # type: ignore[attr-defined]
    assert who(client, bearer(people["rep"]))["role"] == "rep"
    client.portal.call(lambda: users.update_user(graph, REP, role="manager", teams=["华北"]))  # type: ignore[union-attr]
    me = who(client, bearer(people["rep"]))
    assert (me["role"], me["teams"]) == ("manager", ["华北"])
    client.portal.call(users.disable_user, graph, REP)  # type: ignore[union-attr]
    refused(client, bearer(people["rep"]))


def test_a_role_key_acts_with_its_role_and_no_teams(client: TestClient, people: dict[str, str]) -> None:
    me = who(client, bearer(people["role"]))
    assert (me["user"], me["role"], me["teams"]) == ("key:report-bot", "manager", [])


def test_revoked_unknown_and_disabled_keys_are_refused(client: TestClient, people: dict[str, str]) -> None:
    refused(client, bearer(people["revoked"]))
    refused(client, bearer(people["rep"] + "x"))
    refused(client, bearer("cgk_" + "A" * 43))
    refused(client, bearer(people["gone"]))


def test_a_key_revoked_while_in_use_is_refused_from_then_on(client: TestClient, people: dict[str, str]) -> None:
    graph = client.app.state.graph  # type: ignore[attr-defined]
    assert who(client, bearer(people["role"]))["role"] == "manager"
    client.portal.call(api_keys.revoke_key, graph, "report-bot")  # type: ignore[union-attr]
    refused(client, bearer(people["role"]))


def test_malformed_authorization_is_refused(client: TestClient) -> None:
    refused(client, {"Authorization": "Basic YWRtaW46YWRtaW4="})
    refused(client, {"Authorization": "Bearer"})
    refused(client, {"Authorization": "Bearer a.b.c"})


# --- X-User / X-Role and the gateway key -----------------------------------------------------------


def test_x_role_and_x_user_grant_nothing_without_a_gateway_key(client: TestClient, people: dict[str, str]) -> None:
    """The hole: `X-Role: admin` from any client gave admin. Now it is ignored, with or without a credential."""
    refused(client, {"X-Role": "admin"})
    refused(client, {"X-Role": "admin", "X-User": "admin"}, path="/graphql")
    spoofed = {**bearer(people["rep"]), "X-Role": "admin", "X-User": quote(OTHER_REP)}
    me = who(client, spoofed)
    assert (me["user"], me["role"]) == (REP, "rep")
    body = graphql(client, OWN_QUERY, spoofed)
    assert [e["node"]["id"] for e in body["data"]["customers"]["edges"]] == ["C000001"]


def test_x_role_admin_is_refused_in_production(production: TestClient) -> None:
    response = production.post("/graphql", json={"query": OWN_QUERY}, headers={"X-Role": "admin", "X-User": "admin"})
    assert response.status_code == 401 and "data" not in response.json()


def test_a_gateway_key_names_a_registered_user_in_x_user(client: TestClient, people: dict[str, str]) -> None:
    portal = bearer(people["gateway"])
    me = who(client, {**portal, "X-User": quote(REP), "X-Role": "admin"})  # percent-encoded UTF-8
    assert (me["user"], me["role"], me["teams"], me["method"], me["gateway"]) == (REP, "rep", ["华东"], "gateway", True)
    assert who(client, {**portal, "X-User": REP.encode()})["user"] == REP  # raw UTF-8 bytes are read too
    manager = who(client, {**portal, "X-User": quote(MANAGER)})
    assert (manager["user"], manager["role"]) == (MANAGER, "manager")
    body = graphql(client, OWN_QUERY, {**portal, "X-User": quote(OTHER_REP)})
    assert [e["node"]["id"] for e in body["data"]["customers"]["edges"]] == ["C000002"]


def test_a_gateway_key_without_x_user_acts_as_itself(client: TestClient, people: dict[str, str]) -> None:
    me = who(client, bearer(people["gateway"]))
    assert (me["user"], me["role"], me["gateway"], me["method"]) == ("key:portal", "rep", True, "api_key")


def test_a_gateway_may_not_name_an_unknown_or_disabled_user(client: TestClient, people: dict[str, str]) -> None:
    portal = bearer(people["gateway"])
    refused(client, {**portal, "X-User": quote("不存在的人")})
    refused(client, {**portal, "X-User": quote(GONE)})


# --- JWTs -------------------------------------------------------------------------------------------


def test_hs256_jwt(client: TestClient, people: dict[str, str]) -> None:
    me = who(client, bearer(token(MANAGER)))
    assert (me["user"], me["role"], me["teams"], me["method"]) == (MANAGER, "manager", ["华东"], "jwt")


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: token(MANAGER, expires_in=-120), id="expired"),
        pytest.param(lambda: token(MANAGER, audience="another-service"), id="wrong audience"),
        pytest.param(lambda: token(MANAGER, audience=None), id="no audience"),
        pytest.param(lambda: token(MANAGER, issuer="https://evil.example.com"), id="wrong issuer"),
        pytest.param(lambda: token(MANAGER, key="another-secret-of-at-least-32-bytes!!"), id="wrong signature"),
        pytest.param(lambda: token("不存在的人"), id="unknown sub"),
        pytest.param(lambda: token(GONE), id="disabled user"),
        pytest.param(lambda: token(MANAGER, key=OTHER_RSA_PRIVATE, algorithm="RS256"), id="RS256 wrong key"),
        pytest.param(lambda: token(MANAGER, key=RSA_PRIVATE, algorithm="RS256", expires_in=-120), id="RS256 expired"),
        pytest.param(lambda: token(MANAGER, key=RSA_PRIVATE, algorithm="RS256", audience="x"), id="RS256 audience"),
        pytest.param(lambda: token(GONE, key=RSA_PRIVATE, algorithm="RS256"), id="RS256 disabled user"),
        pytest.param(
            lambda: jwt.encode({"sub": MANAGER, "iss": ISSUER, "aud": AUDIENCE}, SECRET, algorithm="HS256"),
            id="no exp",
        ),
        pytest.param(
            lambda: jwt.encode(
                {"sub": MANAGER, "iss": ISSUER, "aud": AUDIENCE, "exp": 4102444800}, None, algorithm="none"
            ),
            id="alg none",
        ),
        pytest.param(
            lambda: jwt.encode(
                {"sub": MANAGER, "iss": ISSUER, "aud": AUDIENCE, "exp": 4102444800}, SECRET * 2, algorithm="HS512"
            ),
            id="HS512 not accepted",
        ),
    ],
)
def test_bad_jwts_are_refused(client: TestClient, bad: Any) -> None:
    refused(client, bearer(bad()))


def test_rs256_jwt_with_the_public_key_as_pem_text_or_path(
    people: dict[str, str], tmp_path: Path, client: TestClient
) -> None:
    me = who(client, bearer(token(REP, key=RSA_PRIVATE, algorithm="RS256")))
    assert (me["user"], me["role"], me["method"]) == (REP, "rep", "jwt")
    pem = tmp_path / "issuer.pem"
    pem.write_text(RSA_PUBLIC)
    settings = dataclasses.replace(Settings.from_env(), jwt_secret=None, jwt_public_key=str(pem))
    with make_client(settings) as by_path:
        assert who(by_path, bearer(token(REP, key=RSA_PRIVATE, algorithm="RS256")))["user"] == REP
        refused(by_path, bearer(token(REP)))  # no HS256 secret configured: HS256 tokens are refused


def test_jwt_settings_that_cannot_work_stop_the_start(tmp_path: Path) -> None:
    base = Settings.from_env()
    with pytest.raises(auth.AuthConfigError, match="at least 32 bytes"):
        create_app(dataclasses.replace(base, jwt_secret="short"))
    with pytest.raises(auth.AuthConfigError, match="ISSUER and CUSTGRAPH_JWT_AUDIENCE"):
        create_app(dataclasses.replace(base, jwt_issuer=None))
    with pytest.raises(auth.AuthConfigError, match="not a PEM public key"):
        bad_pem = "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"
        create_app(dataclasses.replace(base, jwt_public_key=bad_pem))
    with pytest.raises(auth.AuthConfigError, match="can't read"):
        create_app(dataclasses.replace(base, jwt_public_key=str(tmp_path / "missing.pem")))


def test_without_a_jwt_key_tokens_are_refused(people: dict[str, str]) -> None:
    settings = dataclasses.replace(Settings.from_env(), jwt_secret=None, jwt_public_key=None)
    with make_client(settings) as c:
        refused(c, bearer(token(MANAGER)))
        assert who(c, bearer(people["rep"]))["user"] == REP  # keys work all the same


# --- development and production -------------------------------------------------------------------


@pytest.mark.parametrize("ip", ["127.0.0.1", "::1"])
def test_development_anonymous_from_loopback_is_the_local_admin(people: dict[str, str], ip: str) -> None:
    with make_client(dev_settings(), ip=ip) as local:
        me = who(local)
        assert (me["user"], me["role"], me["method"]) == ("local-admin", "admin", "local")
        body = graphql(local, OWN_QUERY, {"X-Role": "rep"})  # X-Role changes nothing
        assert body["data"]["customers"]["totalCount"] == 2
        assert local.get("/graphql", headers={"Accept": "text/html"}).status_code == 200  # GraphiQL


def test_development_anonymous_from_elsewhere_is_refused(client: TestClient) -> None:
    refused(client)
    refused(client, path="/graphql")
    refused(client, path="/export/customers")
    assert client.get("/healthz").status_code == 200


def test_production_refuses_anonymous_requests_even_from_loopback(people: dict[str, str]) -> None:
    with make_client(dev_settings(production=True), ip="127.0.0.1") as local:
        refused(local)
        response = local.get("/graphql", headers={"Accept": "text/html"})  # GraphiQL's page too
        assert response.status_code == 401 and "graphiql" not in response.text.lower()
        response = local.post("/graphql", json={"query": OWN_QUERY})
        assert response.status_code == 401 and "data" not in response.json()
        assert local.get("/healthz").status_code == 200
        assert who(local, bearer(token(MANAGER)))["user"] == MANAGER


def test_production_hides_introspection_and_graphiql(production: TestClient, people: dict[str, str]) -> None:
    admin = bearer(token("管理员"))
    body = graphql(production, "{ __schema { queryType { name } } }", admin)
    assert body.get("data") is None and "introspection" in body["errors"][0]["message"].lower()
    page = production.get("/graphql", headers={"Accept": "text/html", **admin})
    assert "graphiql" not in page.text.lower()
    assert graphql(production, "{ __typename }", admin) == {"data": {"__typename": "Query"}}


def test_introspection_and_graphiql_can_be_enabled_in_production(
    people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUSTGRAPH_ENV", "production")
    monkeypatch.setenv("CUSTGRAPH_GRAPHIQL", "1")
    monkeypatch.setenv("CUSTGRAPH_INTROSPECTION", "1")
    settings = Settings.from_env()
    assert settings.production and settings.graphiql and settings.introspection
    with make_client(settings) as c:
        admin = bearer(token("管理员"))
        assert graphql(c, "{ __schema { queryType { name } } }", admin)["data"]["__schema"]
        assert "graphiql" in c.get("/graphql", headers={"Accept": "text/html", **admin}).text.lower()


def test_defaults_of_graphiql_and_introspection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUSTGRAPH_ENV", raising=False)
    dev = Settings.from_env()
    assert dev.graphiql and dev.introspection and not dev.production
    monkeypatch.setenv("CUSTGRAPH_ENV", "production")
    prod = Settings.from_env()
    assert not prod.graphiql and not prod.introspection
    monkeypatch.setenv("CUSTGRAPH_GRAPHIQL", "maybe")
    with pytest.raises(ValueError, match="on/off"):
        Settings.from_env()


def test_service_sdl_only_for_a_gateway_key_or_an_admin_in_production(
    production: TestClient, people: dict[str, str]
) -> None:
    query = "{ _service { sdl } }"
    denied = graphql(production, query, bearer(token(MANAGER)))
    assert denied["data"] is None and denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert graphql(production, query, bearer(token("管理员")))["data"]["_service"]["sdl"]
    assert graphql(production, query, bearer(people["gateway"]))["data"]["_service"]["sdl"]
    named = {**bearer(people["gateway"]), "X-User": quote(REP)}
    assert graphql(production, query, named)["data"]["_service"]["sdl"]


# --- refusals: one log line, and the hook ------------------------------------------------------------


def test_a_refusal_is_one_log_line_without_the_credential_or_a_name(
    client: TestClient, people: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    expired = token(GONE, expires_in=-120)
    with caplog.at_level(logging.INFO):
        caplog.clear()
        refused(client, bearer(expired))
        refused(client, bearer(people["gone"]))
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 2, [r.getMessage() for r in caplog.records]
    for record in lines:
        text = record.getMessage()
        assert record.exc_info is None and "\n" not in text and "Traceback" not in text
        assert expired not in text and people["gone"] not in text and GONE not in text
    assert "expired token" in lines[0].getMessage() and "203.0.113.9" in lines[0].getMessage()
    assert "disabled user" in lines[1].getMessage()


def test_refusals_reach_the_hook(client: TestClient, people: dict[str, str]) -> None:
    seen: list[auth.Refusal] = []

    async def hook(refusal: auth.Refusal, graph: Graph) -> None:
        assert graph is client.app.state.graph  # type: ignore[attr-defined]
        seen.append(refusal)

    async def broken(refusal: auth.Refusal, graph: Graph) -> None:
        raise RuntimeError("a hook that fails changes nothing")

    auth.on_refused(broken)
    auth.on_refused(hook)
    try:
        refused(client, bearer(token(GONE)))
        refused(client)
        who(client, bearer(people["rep"]))  # accepted: no call
    finally:
        auth.remove_refused_hook(hook)
        auth.remove_refused_hook(broken)
    assert [(r.reason, r.ip, r.method, r.claimed_user, r.path) for r in seen] == [
        ("disabled user", "203.0.113.9", "jwt", GONE, "/whoami"),
        ("no credential", "203.0.113.9", "none", None, "/whoami"),
    ]


# --- the look-up cache ------------------------------------------------------------------------------


def test_the_cache_keeps_a_look_up_for_its_seconds_only() -> None:
    now = [100.0]
    cache = auth.TtlCache(5, clock=lambda: now[0])
    cache.put("k", "v")
    now[0] += 4.9
    assert cache.get("k") == "v"
    now[0] += 0.2
    assert cache.get("k") is None
    off = auth.TtlCache(0)
    off.put("k", "v")
    assert off.get("k") is None


async def test_a_revoked_key_is_refused_once_its_cached_look_up_expires(people: dict[str, str], graph: Graph) -> None:
    now = [0.0]
    settings = dataclasses.replace(Settings.from_env(), auth_cache_seconds=5)
    authenticator = auth.Authenticator(settings, clock=lambda: now[0])
    headers = {"authorization": f"Bearer {people['role']}"}
    assert (await authenticator.authenticate(graph, headers, "10.0.0.1")).role == "manager"
    await api_keys.revoke_key(graph, "report-bot")
    sent = graph.queries_run
    assert (await authenticator.authenticate(graph, headers, "10.0.0.1")).role == "manager"  # cached
    assert graph.queries_run == sent
    now[0] += 5.5
    with pytest.raises(auth.Refused, match="revoked API key"):
        await authenticator.authenticate(graph, headers, "10.0.0.1")


def test_loopback_addresses() -> None:
    assert auth.is_loopback("127.0.0.1") and auth.is_loopback("::1") and auth.is_loopback("::ffff:127.0.0.1")
    assert not auth.is_loopback("10.0.0.7") and not auth.is_loopback("testclient") and not auth.is_loopback(None)
