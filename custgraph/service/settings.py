"""Settings, read once from the environment at start-up (tests set the environment first)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from custgraph.graph.connection import GraphConfig
from custgraph.vocabulary import ROLES


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _flag(value: str | None, default: bool) -> bool:
    """An on/off variable: 1/true/yes/on or 0/false/no/off; unset or empty keeps ``default``."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not an on/off value: {value!r}")


# a CSP source: 'self', 'none', a scheme (https:), or a host with optional scheme, port and path
_CSP_SOURCE = re.compile(
    r"'self'|'none'|\*|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?(\*\.)?[A-Za-z0-9.-]+(:(\d+|\*))?(/[^\s;,']*)?"
)


def _frame_ancestors(value: str | None) -> str:
    """CSP ``frame-ancestors`` sources, space-separated (``'self' https://portal.example.com``).

    Sources only: a ``;`` or a line break would smuggle in other directives or headers.
    """
    sources = (value or "").split(" ")
    if not value or not value.strip():
        return Settings.frame_ancestors
    bad = [s for s in sources if s and not _CSP_SOURCE.fullmatch(s)]
    if bad:
        raise ValueError(f"CUSTGRAPH_FRAME_ANCESTORS: not a CSP source: {bad[0]!r} (space-separated sources only)")
    return " ".join(s for s in sources if s)


def _roles(value: str | None) -> tuple[str, ...]:
    """CUSTGRAPH_FULL_VALUE_ROLES: comma-separated role names; unset or empty keeps the default (admin).

    A misspelt role would silently leave values masked (or, worse, meant for a role that does not
    exist): refused at start-up instead."""
    roles = _split(value)
    if not roles:
        return Settings.full_value_roles
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        known = ", ".join(ROLES)
        raise ValueError(f"CUSTGRAPH_FULL_VALUE_ROLES: unknown role {unknown[0]!r} (roles are {known})")
    return tuple(dict.fromkeys(roles))


@dataclass(frozen=True)
class Settings:
    graph: GraphConfig
    data_dir: Path
    rules_path: Path | None = None
    production: bool = False
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    # Data keys for national IDs and bank cards (custgraph/crypto.py): None is <data_dir>.keys in
    # development (created if missing) and an error in production.
    data_key_file: Path | None = None
    # Identity (custgraph/service/auth.py, docs/security.md): JWT keys and the claims they must carry;
    # the public key is PEM text or the path of a PEM file. GraphiQL and introspection default to on in
    # development, off in production. Users and keys looked up are kept this many seconds at most.
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_public_key: str | None = field(default=None, repr=False)
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    graphiql: bool = True
    introspection: bool = True
    auth_cache_seconds: float = 5.0
    full_value_roles: tuple[str, ...] = ("admin",)  # roles that see personal data unmasked
    max_page_size: int = 100  # largest `first` of any connection
    max_query_depth: int = 10
    max_query_tokens: int = 2000
    max_query_aliases: int = 15
    max_query_cost: int = 5000  # see custgraph/schema/limits.py for what costs what
    apq_cache_size: int = 1000  # automatic persisted queries kept per worker
    search_candidates: int = 200  # customers ranked per keyword search
    timezone: str = "Asia/Shanghai"  # names the day of search-log ids (RX + yyyymmdd + seq)
    # Request limits (custgraph/service/limits.py, custgraph/schema/argument_limits.py; docs/security.md#limits)
    max_body_bytes: int = 2 * 1024 * 1024  # a longer request body is refused with 413
    max_list_items: int = 1000  # items in any list argument
    max_entities: int = 100  # representations per `_entities` call (each is a graph read)
    rate_limit_per_minute: float = 600.0  # requests per credential (or client IP); 0 turns it off
    rate_limit_burst: int = 100
    # Who may show the customer page in a frame (CSP frame-ancestors; custgraph/service/pages.py)
    frame_ancestors: str = "'self'"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("CUSTGRAPH_DATA_DIR") or ".custgraph")
        graph = GraphConfig(
            uri=env.get("NEO4J_URI") or None,
            user=env.get("NEO4J_USER", "neo4j"),
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE", "neo4j"),
            data_dir=data_dir,
        )
        rules = env.get("CUSTGRAPH_RULES")
        production = env.get("CUSTGRAPH_ENV", "development").lower() == "production"
        return cls(
            graph=graph,
            data_dir=data_dir,
            rules_path=Path(rules) if rules else None,
            production=production,
            cors_origins=_split(env.get("CUSTGRAPH_CORS_ORIGINS")),
            data_key_file=Path(env["CUSTGRAPH_DATA_KEY_FILE"]) if env.get("CUSTGRAPH_DATA_KEY_FILE") else None,
            jwt_secret=env.get("CUSTGRAPH_JWT_SECRET") or None,
            jwt_public_key=env.get("CUSTGRAPH_JWT_PUBLIC_KEY") or None,
            jwt_issuer=env.get("CUSTGRAPH_JWT_ISSUER") or None,
            jwt_audience=env.get("CUSTGRAPH_JWT_AUDIENCE") or None,
            graphiql=_flag(env.get("CUSTGRAPH_GRAPHIQL"), not production),
            introspection=_flag(env.get("CUSTGRAPH_INTROSPECTION"), not production),
            auth_cache_seconds=float(env.get("CUSTGRAPH_AUTH_CACHE_SECONDS") or 5.0),
            full_value_roles=_roles(env.get("CUSTGRAPH_FULL_VALUE_ROLES")),
            max_body_bytes=int(env.get("CUSTGRAPH_MAX_BODY_BYTES") or cls.max_body_bytes),
            max_list_items=int(env.get("CUSTGRAPH_MAX_LIST_ITEMS") or cls.max_list_items),
            max_entities=int(env.get("CUSTGRAPH_MAX_ENTITIES") or cls.max_entities),
            rate_limit_per_minute=float(env.get("CUSTGRAPH_RATE_LIMIT") or cls.rate_limit_per_minute),
            rate_limit_burst=int(env.get("CUSTGRAPH_RATE_LIMIT_BURST") or cls.rate_limit_burst),
            frame_ancestors=_frame_ancestors(env.get("CUSTGRAPH_FRAME_ANCESTORS")),
        )


# Every environment variable the code reads; the docker-compose test checks the service sets them.
ENV_VARS = (
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "CUSTGRAPH_DATA_DIR",
    "CUSTGRAPH_RULES",
    "CUSTGRAPH_ENV",
    "CUSTGRAPH_CORS_ORIGINS",
    "CUSTGRAPH_JWT_SECRET",
    "CUSTGRAPH_JWT_PUBLIC_KEY",
    "CUSTGRAPH_JWT_ISSUER",
    "CUSTGRAPH_JWT_AUDIENCE",
    "CUSTGRAPH_GRAPHIQL",
    "CUSTGRAPH_INTROSPECTION",
    "CUSTGRAPH_AUTH_CACHE_SECONDS",
    "CUSTGRAPH_FULL_VALUE_ROLES",
    "CUSTGRAPH_MAX_BODY_BYTES",
    "CUSTGRAPH_MAX_LIST_ITEMS",
    "CUSTGRAPH_MAX_ENTITIES",
    "CUSTGRAPH_RATE_LIMIT",
    "CUSTGRAPH_RATE_LIMIT_BURST",
    "CUSTGRAPH_DATA_KEY_FILE",
    "CUSTGRAPH_FRAME_ANCESTORS",
    "CUSTGRAPH_CUSTOMER_ID_FORMAT",  # read by custgraph/customer_ids.py, once per process
    "CUSTGRAPH_CUSTOMER_IDS",
    "CUSTGRAPH_TAGS",  # read by custgraph/classification/config.py, once per process
    "CUSTGRAPH_ASSIGNMENT",
)
