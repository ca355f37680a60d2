"""Encryption at rest of sensitive values (national IDs, bank cards): AES-256-GCM and HMAC-SHA256.

A sensitive value reaches the graph only as a token, ``enc:v1:KEYID:base64(nonce | ciphertext+tag)``:
the key id inside it says which key decrypts it, so a rotated key leaves old values readable. Exact
look-ups (identifier nodes, blocking keys) use ``hmac:`` + hex HMAC-SHA256 of the field and its
standardized value instead, which needs no plaintext in the graph.

Keys come from a key file (``CUSTGRAPH_DATA_KEY_FILE``): one ``KEY_ID BASE64_32_BYTES`` per line, the
last line the active key that encrypts. The HMAC key is derived (HKDF-SHA256) from the FIRST line's
key: look-up digests must not change when a key is added, so the first line is kept for good. In
development a missing file is created next to the graph's data dir (``<data_dir>.keys``), owner-only;
in production a missing file is an error.

This module imports only the standard library, ``cryptography`` and the vocabulary: every layer may
use it. Whole-value tokens are decrypted by ``reveal``; JSON text holding tokens by ``reveal_json``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from custgraph.vocabulary import SENSITIVE_FIELDS, header_is_sensitive

__all__ = [
    "SENSITIVE_FIELDS",
    "DIGEST_PREFIX",
    "KeyFileError",
    "KeyRing",
    "TOKEN_PREFIX",
    "current",
    "default_key_file",
    "from_env",
    "generate_key_line",
    "header_is_sensitive",
    "install",
    "is_token",
    "load",
    "using",
]

TOKEN_PREFIX = "enc:v1:"
DIGEST_PREFIX = "hmac:"
KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
KEY_BYTES = 32
NONCE_BYTES = 12
# the tokens inside a text (JSON of a record's fields, an evidence list): base64 never holds '"'
TOKEN = re.compile(r"enc:v1:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9+/=]+)")
HMAC_INFO = b"custgraph identifier hmac v1"
ENV_KEY_FILE = "CUSTGRAPH_DATA_KEY_FILE"


class KeyFileError(RuntimeError):
    """The key file is missing (in production), unreadable or malformed."""


@dataclass(frozen=True)
class KeyRing:
    """The data keys: every key decrypts, the active one encrypts, the first one's derivative hashes."""

    keys: Mapping[str, bytes]
    active_id: str
    hmac_key: bytes
    path: Path | None = None
    # one AESGCM per key, built once: constructing it costs more than encrypting a short value
    _ciphers: dict[str, AESGCM] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_lines(cls, lines: Iterable[str], path: Path | None = None) -> KeyRing:
        keys: dict[str, bytes] = {}
        where = str(path) if path else "key file"
        for number, line in enumerate(lines, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            parts = text.split()
            if len(parts) != 2 or not KEY_ID.match(parts[0]):
                raise KeyFileError(f"{where} line {number}: expected 'KEY_ID BASE64_32_BYTES'")
            try:
                key = base64.b64decode(parts[1], validate=True)
            except binascii.Error:
                raise KeyFileError(f"{where} line {number}: the key is not base64") from None
            if len(key) != KEY_BYTES:
                raise KeyFileError(f"{where} line {number}: the key must be {KEY_BYTES} bytes, got {len(key)}")
            if parts[0] in keys:
                raise KeyFileError(f"{where} line {number}: key id {parts[0]!r} appears twice")
            keys[parts[0]] = key
        if not keys:
            raise KeyFileError(f"{where} holds no key")
        first = next(iter(keys.values()))
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HMAC_INFO).derive(first)
        return cls(keys=keys, active_id=list(keys)[-1], hmac_key=derived, path=path)

    @classmethod
    def from_file(cls, path: Path) -> KeyRing:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyFileError(f"cannot read the data key file {path}: {exc.strerror}") from None
        return cls.from_lines(text.splitlines(), path)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ciphers", {kid: AESGCM(key) for kid, key in self.keys.items()})

    # --- encryption ---------------------------------------------------------------------------

    def encrypt(self, plaintext: str) -> str:
        """A token of ``plaintext`` under the active key (a fresh random nonce each time)."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.active_id].encrypt(nonce, plaintext.encode("utf-8"), None)
        return f"{TOKEN_PREFIX}{self.active_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str) -> str:
        match = TOKEN.fullmatch(token)
        if match is None:
            raise ValueError("not an encrypted value")
        return self._open(match.group(1), match.group(2))

    def _open(self, key_id: str, data: str) -> str:
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise KeyFileError(f"no key {key_id!r} in the data key file: a value encrypted with it cannot be read")
        raw = base64.b64decode(data)
        try:
            return str(cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode("utf-8"))
        except InvalidTag:
            raise KeyFileError(f"key {key_id!r} does not decrypt a value made with it: wrong key file?") from None

    def seal(self, value: Any) -> Any:
        """``value`` encrypted (as text) unless it is empty or a token already."""
        if value is None or value == "" or (isinstance(value, str) and value.startswith(TOKEN_PREFIX)):
            return value
        return self.encrypt(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))

    def reveal(self, value: Any) -> Any:
        """A whole-value token decrypted; anything else as it is."""
        if isinstance(value, str) and value.startswith(TOKEN_PREFIX):
            return self.decrypt(value)
        return value

    def reveal_json(self, text: str | None) -> str | None:
        """JSON text with every token in it replaced by its (JSON-escaped) plaintext."""
        if not text or TOKEN_PREFIX not in text:
            return text
        return TOKEN.sub(lambda m: json.dumps(self._open(m.group(1), m.group(2)), ensure_ascii=False)[1:-1], text)

    def reveal_props(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """A node's or an edge's properties with every token in them decrypted: whole values and
        tokens inside JSON text (``fields_json``, ``evidence_json``) alike."""
        out = dict(props)
        for name, value in props.items():
            if isinstance(value, str) and TOKEN_PREFIX in value:
                out[name] = self.decrypt(value) if TOKEN.fullmatch(value) else self.reveal_json(value)
        return out

    def rekey(self, token: str) -> str:
        """A token under the active key: re-encrypted when another key made it, else unchanged."""
        match = TOKEN.fullmatch(token)
        if match is None or match.group(1) == self.active_id:
            return token
        return self.encrypt(self._open(match.group(1), match.group(2)))

    def rekey_json(self, text: str | None) -> str | None:
        if not text or TOKEN_PREFIX not in text:
            return text
        return TOKEN.sub(lambda m: self.rekey(m.group(0)), text)

    def stale(self, text: str | None) -> bool:
        """True when ``text`` holds a token made with a key other than the active one."""
        if not text or TOKEN_PREFIX not in text:
            return False
        return any(m.group(1) != self.active_id for m in TOKEN.finditer(text))

    # --- look-ups -------------------------------------------------------------------------------

    def digest(self, field: str, value: Any) -> str:
        """The look-up key of a standardized value: HMAC-SHA256 over the field and the value.

        The field is part of the message, so one number held as a national ID and as a bank card gives
        two unrelated digests."""
        message = f"{field}\x00{value}".encode()
        return DIGEST_PREFIX + hmac.new(self.hmac_key, message, hashlib.sha256).hexdigest()

    # --- records -------------------------------------------------------------------------------

    def seal_fields(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A record's canonical fields with the sensitive ones encrypted."""
        out = dict(fields)
        for name in SENSITIVE_FIELDS:
            if out.get(name) not in (None, ""):
                out[name] = self.seal(out[name])
        return out

    def seal_extra(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        """Unmapped columns, those whose header names a sensitive field encrypted."""
        return {k: self.seal(v) if header_is_sensitive(k) else v for k, v in extra.items()}

    def seal_keys(self, keys: Mapping[str, str], sensitive: Collection[str]) -> dict[str, str]:
        """Blocking keys (rule -> key) with those of the ``sensitive`` rules replaced by their digest:
        records still meet on them, and the graph holds no national ID (nor its sorted digits)."""
        hits = [rule for rule in sensitive if rule in keys]
        if not hits:  # most records: no national ID, no bank card
            return dict(keys)
        out = dict(keys)
        for rule in hits:
            out[rule] = self.digest(f"blocking:{rule}", keys[rule])
        return out

    def seal_evidence(self, items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Match evidence (FieldEvidence dicts) with the compared values of sensitive fields encrypted."""
        out: list[dict[str, Any]] = []
        for item in items:
            if item.get("field") in SENSITIVE_FIELDS or item.get("comparison") in SENSITIVE_FIELDS:
                entry = dict(item)
                entry["value_a"] = self.seal(entry.get("value_a"))
                entry["value_b"] = self.seal(entry.get("value_b"))
                out.append(entry)
            else:  # most comparisons: the item as it is (an import seals millions of them)
                out.append(item if isinstance(item, dict) else dict(item))
        return out

    def seal_issues(self, issues: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Import issues (ingest Issue dicts) with the rejected value of a sensitive field or column encrypted."""
        out = []
        for issue in issues:
            entry = dict(issue)
            name = str(entry.get("field") or "")
            if entry.get("value") and (name in SENSITIVE_FIELDS or header_is_sensitive(name)):
                entry["value"] = self.seal(entry["value"])
            out.append(entry)
        return out


def is_token(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def generate_key_line(key_id: str) -> str:
    if not KEY_ID.match(key_id):
        raise ValueError(f"a key id is 1-64 letters, digits, '.', '_' or '-': {key_id!r}")
    return f"{key_id} {base64.b64encode(os.urandom(KEY_BYTES)).decode('ascii')}"


def default_key_file(data_dir: Path) -> Path:
    """Development's key file: beside the data dir, never inside it (a copy of the data has no key)."""
    resolved = data_dir.expanduser().resolve()
    return resolved.parent / f"{resolved.name or 'custgraph'}.keys"


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # a random id: data made with another development key then fails as "no key dev-…", not as a bad tag
    line = generate_key_line(f"dev-{os.urandom(3).hex()}") + "\n"
    # O_EXCL: two processes starting at once must not both write a key (one would lose its data)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# customer-graph data keys: KEY_ID BASE64_32_BYTES, the last line encrypts\n")
        handle.write(line)


def load(key_file: Path | None, *, data_dir: Path, production: bool) -> KeyRing:
    """The key ring the settings name. Development creates a missing file; production refuses to."""
    if key_file is None:
        if production:
            raise KeyFileError(
                f"{ENV_KEY_FILE} is not set: production needs a data key file "
                "(lines 'KEY_ID BASE64_32_BYTES'; see docs/security.md)"
            )
        key_file = default_key_file(data_dir)
    if not key_file.exists():
        if production:
            raise KeyFileError(f"the data key file {key_file} ({ENV_KEY_FILE}) does not exist")
        _create(key_file)
    return KeyRing.from_file(key_file)


def from_env(env: Mapping[str, str] | None = None) -> KeyRing:
    env = os.environ if env is None else env
    named = env.get(ENV_KEY_FILE)
    return load(
        Path(named) if named else None,
        data_dir=Path(env.get("CUSTGRAPH_DATA_DIR") or ".custgraph"),
        production=env.get("CUSTGRAPH_ENV", "development").lower() == "production",
    )


_current: list[KeyRing] = []


def install(ring: KeyRing) -> None:
    """Make ``ring`` the process's key ring (start-up does this once, from the settings)."""
    _current[:] = [ring]


def current() -> KeyRing:
    """The installed key ring; loaded from the environment the first time when none was installed."""
    if not _current:
        _current.append(from_env())
    return _current[0]


@contextmanager
def using(ring: KeyRing) -> Iterator[KeyRing]:
    """Use ``ring`` for the duration (tests: a rotation, a second key file)."""
    previous = list(_current)
    _current[:] = [ring]
    try:
        yield ring
    finally:
        _current[:] = previous
