"""docker-compose.yml can't be run here (no Docker engine); check it by reading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from custgraph.service.settings import ENV_VARS

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_neo4j_service_is_neo4j_5_with_healthcheck_and_volume() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5-community"
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert any(v.endswith(":/data") for v in neo4j["volumes"])


def test_service_is_built_and_points_at_neo4j() -> None:
    doc = compose()
    service = doc["services"]["custgraph"]
    assert service["build"] == "."
    assert (ROOT / "Dockerfile").exists()
    assert service["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = service["environment"]
    assert set(env) == set(ENV_VARS), "compose must set exactly the variables the code reads"
    assert env["NEO4J_URI"] == "bolt://neo4j:7687"
    user, password = doc["services"]["neo4j"]["environment"]["NEO4J_AUTH"].split("/", 1)
    assert (env["NEO4J_USER"], env["NEO4J_PASSWORD"]) == (user, password)


def test_every_env_var_named_in_settings_is_read_by_the_code() -> None:
    source = "\n".join(p.read_text() for p in (ROOT / "custgraph").rglob("*.py"))
    for name in ENV_VARS:
        assert f'"{name}"' in source.replace(f'    "{name}",\n', "")
