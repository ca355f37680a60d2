"""The data keys and the value tokens (custgraph/crypto.py): formats, rotation, dev and production key files."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest

from custgraph import crypto
from custgraph.crypto import KeyFileError, KeyRing

NATIONAL_ID = "11010519491231002X"


def ring(*ids: str) -> KeyRing:
    return KeyRing.from_lines([crypto.generate_key_line(i) for i in ids])


def test_a_token_names_its_key_and_decrypts() -> None:
    keys = ring("k1")
    token = keys.encrypt(NATIONAL_ID)
    assert token.startswith("enc:v1:k1:") and NATIONAL_ID not in token
    assert keys.decrypt(token) == NATIONAL_ID
    assert keys.encrypt(NATIONAL_ID) != token  # a fresh nonce every time


def test_the_last_line_encrypts_and_every_line_decrypts() -> None:
    old = ring("k1")
    old_token = old.encrypt(NATIONAL_ID)
    rotated = KeyRing.from_lines([f"k1 {base64.b64encode(old.keys['k1']).decode()}", crypto.generate_key_line("k2")])
    assert rotated.active_id == "k2"
    assert rotated.decrypt(old_token) == NATIONAL_ID
    assert rotated.stale(old_token) and not rotated.stale(rotated.encrypt("x"))
    new_token = rotated.rekey(old_token)
    assert new_token.startswith("enc:v1:k2:") and rotated.decrypt(new_token) == NATIONAL_ID
    assert rotated.rekey(new_token) == new_token  # idempotent


def test_digests_survive_a_rotation_and_separate_fields() -> None:
    first = crypto.generate_key_line("k1")
    before = KeyRing.from_lines([first])
    after = KeyRing.from_lines([first, crypto.generate_key_line("k2")])
    assert before.digest("national_id", NATIONAL_ID) == after.digest("national_id", NATIONAL_ID)
    assert before.digest("national_id", NATIONAL_ID) != before.digest("bank_card", NATIONAL_ID)
    assert before.digest("national_id", NATIONAL_ID) != ring("k1").digest("national_id", NATIONAL_ID)


def test_tokens_inside_json_text_are_revealed_and_escaped() -> None:
    keys = ring("k1")
    text = json.dumps({"national_id": keys.encrypt(NATIONAL_ID), "note": keys.encrypt('say "hi"\\')})
    assert json.loads(keys.reveal_json(text) or "") == {"national_id": NATIONAL_ID, "note": 'say "hi"\\'}
    props = keys.reveal_props({"raw": keys.encrypt(NATIONAL_ID), "fields_json": text, "n": 3})
    assert props["raw"] == NATIONAL_ID and json.loads(props["fields_json"])["national_id"] == NATIONAL_ID


def test_a_value_of_an_unknown_key_is_a_clear_error() -> None:
    token = ring("gone").encrypt(NATIONAL_ID)
    with pytest.raises(KeyFileError, match="no key 'gone'"):
        ring("k1").decrypt(token)


def test_fields_extra_columns_evidence_and_issues_are_sealed() -> None:
    keys = ring("k1")
    fields = keys.seal_fields({"name": "张伟", "national_id": NATIONAL_ID, "bank_card": "6222021234567890123"})
    assert fields["name"] == "张伟" and crypto.is_token(fields["national_id"]) and crypto.is_token(fields["bank_card"])
    extra = keys.seal_extra({"配偶身份证号码": "x1", "开户行卡号": "x2", "ID-Card": "x3", "备注": "plain"})
    assert [crypto.is_token(v) for v in extra.values()] == [True, True, True, False]
    evidence = keys.seal_evidence([{"field": "national_id", "value_a": "1", "value_b": None}, {"field": "name"}])
    assert (
        crypto.is_token(evidence[0]["value_a"]) and evidence[0]["value_b"] is None and evidence[1] == {"field": "name"}
    )
    issues = keys.seal_issues([{"field": "bank_card", "value": "12"}, {"field": "email", "value": "bad"}])
    assert crypto.is_token(issues[0]["value"]) and issues[1]["value"] == "bad"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "holds no key"),
        ("k1", "expected 'KEY_ID BASE64_32_BYTES'"),
        ("k:1 " + base64.b64encode(b"x" * 32).decode(), "expected"),
        ("k1 not-base64!", "not base64"),
        ("k1 " + base64.b64encode(b"x" * 16).decode(), "must be 32 bytes"),
        ("k1 {k}\nk1 {k}".format(k=base64.b64encode(b"x" * 32).decode()), "appears twice"),
    ],
)
def test_a_malformed_key_file_is_refused(text: str, problem: str) -> None:
    with pytest.raises(KeyFileError, match=problem):
        KeyRing.from_lines(text.splitlines())


def test_development_creates_a_missing_key_file_owner_only_outside_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "graph"
    keys = crypto.load(None, data_dir=data_dir, production=False)
    path = tmp_path / "graph.keys"
    assert keys.path == path and path.exists()
    assert not path.resolve().is_relative_to(data_dir.resolve())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = crypto.load(None, data_dir=data_dir, production=False)
    assert again.keys == keys.keys  # reused, never replaced
    named = tmp_path / "elsewhere" / "data.keys"
    assert crypto.load(named, data_dir=data_dir, production=False).path == named
    assert stat.S_IMODE(named.stat().st_mode) == 0o600


def test_production_refuses_to_start_without_a_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="CUSTGRAPH_DATA_KEY_FILE is not set"):
        crypto.load(None, data_dir=tmp_path / "graph", production=True)
    with pytest.raises(KeyFileError, match="does not exist"):
        crypto.load(tmp_path / "missing.keys", data_dir=tmp_path / "graph", production=True)
    assert not (tmp_path / "graph.keys").exists() and not (tmp_path / "missing.keys").exists()
    given = tmp_path / "prod.keys"
    given.write_text(crypto.generate_key_line("p1") + "\n")
    assert crypto.load(given, data_dir=tmp_path / "graph", production=True).active_id == "p1"


def test_from_env_reads_the_key_file_variable(tmp_path: Path) -> None:
    given = tmp_path / "env.keys"
    given.write_text(crypto.generate_key_line("e1") + "\n" + crypto.generate_key_line("e2") + "\n")
    env = {"CUSTGRAPH_DATA_KEY_FILE": str(given), "CUSTGRAPH_ENV": "production"}
    assert crypto.from_env(env).active_id == "e2"
    with pytest.raises(KeyFileError):
        crypto.from_env({"CUSTGRAPH_ENV": "production", "CUSTGRAPH_DATA_DIR": str(tmp_path / "d")})
