"""The data keys at start-up and `custgraph reencrypt`, through the real app and CLI against the session graph."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
from pathlib import Path

import pytest
from typer.testing import CliRunner

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories.sealed import stale_count
from custgraph.matching.rules import load_rules
from custgraph.matching.standardize import make_national_id
from custgraph.pipeline.run import ImportOptions, run_import
from custgraph.service.app import create_app
from custgraph.service.cli import app as cli
from custgraph.service.settings import ENV_VARS, Settings


def invoke(*args: str) -> tuple[int, str]:
    # the CLI installs the key ring it loads: keep the session's for the tests that follow
    with crypto.using(crypto.current()):
        result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_key_file_is_a_setting() -> None:
    assert "CUSTGRAPH_DATA_KEY_FILE" in ENV_VARS
    assert Settings.from_env({"CUSTGRAPH_DATA_KEY_FILE": "/k/data.keys"}).data_key_file == Path("/k/data.keys")
    assert Settings.from_env({}).data_key_file is None


def test_production_refuses_to_start_without_a_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = dataclasses.replace(Settings.from_env(), production=True, data_key_file=None, data_dir=tmp_path / "data")
    with crypto.using(crypto.current()), pytest.raises(crypto.KeyFileError, match="CUSTGRAPH_DATA_KEY_FILE"):
        create_app(settings)
    monkeypatch.setenv("CUSTGRAPH_ENV", "production")
    monkeypatch.setenv("CUSTGRAPH_DATA_KEY_FILE", str(tmp_path / "missing.keys"))
    code, output = invoke("serve")
    assert code == 2 and "missing.keys" in output and "does not exist" in output
    code, output = invoke("reencrypt")
    assert code == 2 and "does not exist" in output
    assert not (tmp_path / "missing.keys").exists()


def test_development_starts_with_a_key_file_it_creates(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings.from_env(), data_key_file=None, data_dir=tmp_path / "data")
    with crypto.using(crypto.current()):
        create_app(settings)
        assert crypto.current().path == tmp_path / "data.keys"
    assert (tmp_path / "data.keys").stat().st_mode & 0o777 == 0o600


async def test_reencrypt_command(clean_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys = tmp_path / "data.keys"
    keys.write_text(crypto.generate_key_line("a1") + "\n")
    path = tmp_path / "ids.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "客户姓名", "身份证号", "银行卡号"])
        for n in range(6):
            writer.writerow([f"R{n}", f"赵{n}", make_national_id("110105", "1980-01-01", n), f"62220212345678{n:02d}"])
    with crypto.using(crypto.KeyRing.from_file(keys)):
        await run_import(clean_graph, [path], ImportOptions(source="r"), load_rules(), reports_dir=tmp_path / "r")
    with open(keys, "a", encoding="utf-8") as handle:
        handle.write(crypto.generate_key_line("a2") + "\n")
    rotated = crypto.KeyRing.from_file(keys)
    assert await stale_count(clean_graph, rotated) >= 24

    monkeypatch.setenv("CUSTGRAPH_DATA_KEY_FILE", str(keys))
    code, output = await asyncio.to_thread(invoke, "reencrypt", "--batch", "4")
    assert code == 0, output
    assert "reencrypt to key a2" in output and "rewritten=6" in output
    assert await stale_count(clean_graph, rotated) == 0
    code, output = await asyncio.to_thread(invoke, "reencrypt")
    assert code == 0 and "rewritten=0 edges rewritten=0" in output
