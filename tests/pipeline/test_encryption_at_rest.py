"""Encryption at rest, end to end on the real graph: no national ID or bank card in a raw dump, matching
still links records by them, and a key rotation followed by ``reencrypt`` leaves every value readable."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from custgraph import crypto
from custgraph.graph.connection import Graph
from custgraph.graph.repositories import customer_edges
from custgraph.graph.repositories.review import records_by_uid
from custgraph.graph.repositories.runs import get_run
from custgraph.graph.repositories.scope import Scope
from custgraph.graph.repositories.sealed import reencrypt, stale_count
from custgraph.matching.rules import load_rules
from custgraph.matching.standardize import make_national_id
from custgraph.pipeline.resolve import sensitive_blocking
from custgraph.pipeline.run import ImportOptions, ImportSummary, run_import

DEMO = Path(__file__).resolve().parents[2] / "custgraph" / "data" / "demo"
HEADER = ["客户编号", "客户姓名", "手机号", "身份证号", "银行卡号", "配偶身份证号码", "开户行卡号"]


def _card(rng: random.Random) -> str:
    return "62" + "".join(rng.choice("0123456789") for _ in range(rng.choice((14, 15, 17))))


def generated_rows(count: int = 60, seed: int = 12) -> list[list[str]]:
    """People with national IDs and bank cards, in the dirty spellings sources use; every fifth one
    appears twice (another key, no mobile) so matching has to link on the ID alone."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for n in range(count):
        nid = make_national_id("110105", f"19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", n)
        card = _card(rng)
        shown = nid.lower() if n % 3 == 0 else nid  # a lower-case check character, as typed
        spaced = " ".join(card[i : i + 4] for i in range(0, len(card), 4)) if n % 2 else card
        spouse = make_national_id("310101", "1980-01-01", 500 + n)
        rows.append([f"G{n:03d}", f"测试{chr(0x4E00 + n)}", f"1390000{n:04d}", shown, spaced, spouse, _card(rng)])
        if n % 5 == 0:
            rows.append([f"G{n:03d}b", f"测试{chr(0x4E00 + n)}", "", nid, "", "", ""])
    # rejected values, reported as import issues: a wrong check digit, a card too short
    bad = make_national_id("110105", "1970-05-05", 7)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")
    rows.append(["G900", "坏号", "13900009900", bad, "62220212", "", ""])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


async def do_import(graph: Graph, path: Path, tmp_path: Path, source: str, kind: str = "customers") -> ImportSummary:
    options = ImportOptions(source=source, kind=kind)
    return await run_import(graph, [path], options, load_rules(), reports_dir=tmp_path / "reports")


def _sensitive_numbers(rows: list[list[str]]) -> set[str]:
    numbers = set()
    for row in rows:
        for cell in row[3:]:
            digits = cell.replace(" ", "")
            if digits:
                numbers.update({digits.upper(), cell.upper()})
    return numbers


async def dump(graph: Graph) -> Iterator[str]:
    """Every node's labels and properties and every edge's properties, as JSON text."""
    nodes = await graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    edges = await graph.read("MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS props")
    return (json.dumps(row, ensure_ascii=False, default=str).upper() for row in [*nodes, *edges])


def _stored_numbers(nodes: list[Any]) -> set[str]:
    numbers = set()
    for node in nodes:
        for text in (node.fields_json, node.raw_json, node.extra_json):
            for name, value in json.loads(text).items():
                if value and (name in crypto.SENSITIVE_FIELDS or crypto.header_is_sensitive(name)):
                    numbers.add(str(value).replace(" ", "").upper())
    return numbers


async def test_a_raw_dump_holds_no_national_id_or_bank_card(clean_graph: Graph, tmp_path: Path) -> None:
    await do_import(clean_graph, DEMO / "crm_export.xlsx", tmp_path, "crm")
    await do_import(clean_graph, DEMO / "webform.jsonl", tmp_path, "web")
    await do_import(clean_graph, DEMO / "orders.csv", tmp_path, "shop", kind="orders")
    rows = generated_rows()
    summary = await do_import(clean_graph, write_csv(tmp_path / "people.csv", rows), tmp_path, "bank")

    # the numbers, as the graph gives them back through the one read boundary
    uids = [r["uid"] for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid")]
    nodes = list((await records_by_uid(clean_graph, uids)).values())
    stored = _stored_numbers(nodes)
    numbers = stored | _sensitive_numbers(rows)
    crm_ids = {n for n in stored if len(n) == 18}
    assert len(crm_ids) > 60, "the demo CRM export and the generated file carry national IDs"
    assert any(json.loads(n.extra_json).get("配偶身份证号码") for n in nodes), "the unmapped column is read back"

    run = await get_run(clean_graph, summary.run_id)
    assert run is not None and any(i["field"] == "national_id" and i["value"] for i in run.issues)
    assert any(i["field"] == "bank_card" and i["value"] == "62220212" for i in run.issues)

    leaks = [(n, text[:200]) for text in await dump(clean_graph) for n in numbers if n in text]
    assert leaks == []
    # the check itself can fail: the same dump before sealing would show them
    assert any(n in json.dumps(json.loads(node.fields_json)).upper() for node in nodes for n in numbers)


async def test_records_sharing_a_national_id_are_linked_across_runs(clean_graph: Graph, tmp_path: Path) -> None:
    nid, other = make_national_id("440106", "1988-08-08", 17), make_national_id("650102", "1971-02-03", 342)
    first = [
        ["A1", "陈静", "13711112222", nid, "", "", ""],
        ["A2", "陈静", "", nid.lower(), "", "", ""],  # only the ID in common with A1
        ["A3", "陈静", "", other, "", "", ""],  # a namesake with another ID
    ]
    await do_import(clean_graph, write_csv(tmp_path / "a.csv", first), tmp_path, "a")
    # a later run: the earlier records are read back from the graph (decrypted at the boundary)
    await do_import(clean_graph, write_csv(tmp_path / "b.csv", [["B1", "陈 静", "", nid, "", "", ""]]), tmp_path, "b")
    placed = {
        r["uid"]: r["cid"]
        for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS cid")
    }
    assert placed["a|A1"] is not None
    assert placed["a|A1"] == placed["a|A2"] == placed["b|B1"]
    assert placed["a|A3"] != placed["a|A1"]
    nodes = await clean_graph.read("MATCH (i:NationalId)<-[:HAS_NATIONAL_ID]-(s) RETURN i.value AS v, count(s) AS n")
    assert sorted(row["n"] for row in nodes) == [1, 3]
    assert all(row["v"].startswith("hmac:") for row in nodes)


async def test_the_customer_view_reads_plaintext(clean_graph: Graph, tmp_path: Path) -> None:
    nid, other = make_national_id("320102", "1979-11-30", 21), make_national_id("510104", "1990-02-14", 88)
    rows = [["V1", "刘洋", "13622223333", nid, "", "", ""], ["V2", "刘洋", "", nid, "", "", ""]]
    rows.append(["V3", "周杰", "13544445555", other, "", "", ""])
    await do_import(clean_graph, write_csv(tmp_path / "v.csv", rows), tmp_path, "v")
    placed = {
        r["uid"]: r["cid"]
        for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS cid")
    }
    admin = Scope("admin", "root")
    records = (await customer_edges.records(clean_graph, [placed["v|V1"]], scope=admin))[placed["v|V1"]]
    evidence = [
        item
        for r in records
        for item in (r.resolution.evidence or [])
        if isinstance(item, dict) and item.get("field") == "national_id" and item.get("value_a")
    ]
    assert evidence and all(item["value_a"] == item["value_b"] == nid for item in evidence)
    assert {json.loads(r.record.fields_json)["national_id"] for r in records} == {nid}

    # V3 shares V1's national ID node (as a second record of V1's ID would): a related customer,
    # shown with the ID itself, not its digest
    await clean_graph.write(
        "MATCH (s:SourceRecord {uid: 'v|V1'})-[h:HAS_NATIONAL_ID]->(i:NationalId) "
        "MATCH (t:SourceRecord {uid: 'v|V3'}) CREATE (t)-[:HAS_NATIONAL_ID {raw: h.raw, sealed: h.sealed}]->(i)"
    )
    related = (await customer_edges.related(clean_graph, [placed["v|V1"]], scope=admin))[placed["v|V1"]]
    assert [(r.customer_id, r.kind, r.value) for r in related if r.kind == "national_id"] == [
        (placed["v|V3"], "national_id", nid)
    ]


@pytest.fixture
def first_key(tmp_path: Path) -> str:
    return crypto.generate_key_line("old")


async def test_rotation_then_reencrypt(clean_graph: Graph, tmp_path: Path, first_key: str) -> None:
    rows = generated_rows(count=25, seed=3)
    before = KeyRingFile(tmp_path / "data.keys", [first_key])
    with crypto.using(before.ring()):
        await do_import(clean_graph, write_csv(tmp_path / "p.csv", rows), tmp_path, "p")
        uids = [r["uid"] for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid")]
        plain = _stored_numbers((await records_by_uid(clean_graph, uids)).values())
    assert len(plain) > 25

    rotated = before.add(crypto.generate_key_line("new"))
    with crypto.using(rotated):
        # old rows readable before the rewrite
        assert _stored_numbers((await records_by_uid(clean_graph, uids)).values()) == plain
        stale = await stale_count(clean_graph, rotated)
        assert stale > 50
        summary = await reencrypt(clean_graph, rotated, batch=7)  # many batches
        assert summary.nodes_rewritten >= 25 and summary.edges_rewritten > 0
        assert await stale_count(clean_graph, rotated) == 0
        assert _stored_numbers((await records_by_uid(clean_graph, uids)).values()) == plain
        again = await reencrypt(clean_graph, rotated)
        assert again.nodes_rewritten == 0 and again.edges_rewritten == 0  # idempotent
        text = "\n".join(await dump(clean_graph))
        assert "ENC:V1:OLD:" not in text and "ENC:V1:NEW:" in text
        # a re-import of the same file after the rotation still finds the records unchanged
        again_summary = await do_import(clean_graph, write_csv(tmp_path / "p.csv", rows), tmp_path, "p")
        assert again_summary.stored["created"] == 0 and again_summary.stored["changed"] == 0

    only_new = crypto.KeyRing.from_lines([rotated_line(rotated, "new")])
    with crypto.using(only_new):
        # the old key is no longer needed once everything was rewritten
        assert _stored_numbers((await records_by_uid(clean_graph, uids)).values()) == plain


async def test_reencrypt_resumes_from_its_checkpoint(clean_graph: Graph, tmp_path: Path, first_key: str) -> None:
    before = KeyRingFile(tmp_path / "data.keys", [first_key])
    with crypto.using(before.ring()):
        await do_import(clean_graph, write_csv(tmp_path / "p.csv", generated_rows(count=12, seed=5)), tmp_path, "p")
    rotated = before.add(crypto.generate_key_line("new"))
    seen: list[str] = []

    def stop_after_two_batches(label: str, count: int) -> None:
        seen.append(label)
        if seen.count("SourceRecord") == 2:
            raise KeyboardInterrupt

    with crypto.using(rotated):
        with pytest.raises(KeyboardInterrupt):
            await reencrypt(clean_graph, rotated, batch=4, progress=stop_after_two_batches)
        assert await stale_count(clean_graph, rotated) > 0
        resumed = await reencrypt(clean_graph, rotated, batch=4)
        assert await stale_count(clean_graph, rotated) == 0
        # the resumed run started at the checkpoint: it did not read the customers nor the first two
        # record batches again, which a whole pass (the run after it) reads
        whole = await reencrypt(clean_graph, rotated, batch=4)
        assert whole.nodes_rewritten == 0
        assert resumed.nodes_read <= whole.nodes_read - 8


class PlaintextRing(crypto.KeyRing):
    """What the code stored before encryption: every value as it is, identifier nodes keyed by it."""

    def seal(self, value: Any) -> Any:
        return value

    def digest(self, field: str, value: Any) -> str:
        return str(value)


async def test_reencrypt_seals_what_was_stored_in_plaintext(clean_graph: Graph, tmp_path: Path) -> None:
    rows = generated_rows(count=20, seed=8)
    numbers = _sensitive_numbers(rows)
    plain = PlaintextRing.from_lines([crypto.generate_key_line("unused")])
    with crypto.using(plain):
        await do_import(clean_graph, write_csv(tmp_path / "p.csv", rows), tmp_path, "p")
    assert any(n in text for text in await dump(clean_graph) for n in numbers)  # the old state leaks

    keys = crypto.KeyRing.from_lines([crypto.generate_key_line("k1")])
    with crypto.using(keys):
        summary = await reencrypt(clean_graph, keys, batch=9, blocking=sensitive_blocking(load_rules()))
        assert summary.nodes_rewritten >= 20 and summary.edges_rewritten >= 20
        assert [(n, t[:120]) for t in await dump(clean_graph) for n in numbers if n in t] == []
        uids = [r["uid"] for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid")]
        assert _stored_numbers((await records_by_uid(clean_graph, uids)).values()) >= {
            row[3].upper() for row in rows if len(row[3]) == 18 and row[0] != "G900"
        }
        assert (await reencrypt(clean_graph, keys, blocking=sensitive_blocking(load_rules()))).nodes_rewritten == 0
        # a new record with a migrated national ID meets the old ones (digest blocking key, identifier node)
        known = next(row for row in rows if row[0] == "G005")
        await do_import(
            clean_graph, write_csv(tmp_path / "n.csv", [["N1", known[1], "", known[3], "", "", ""]]), tmp_path, "n"
        )
        placed = {
            r["uid"]: r["cid"]
            for r in await clean_graph.read("MATCH (s:SourceRecord) RETURN s.uid AS uid, s.customer_id AS cid")
        }
        assert placed["n|N1"] == placed["p|G005"] == placed["p|G005b"]
        linked = await clean_graph.read(
            "MATCH (s:SourceRecord)-[:HAS_NATIONAL_ID]->(i:NationalId) WHERE s.uid IN $uids "
            "RETURN count(DISTINCT i) AS nodes, count(s) AS records",
            uids=["n|N1", "p|G005", "p|G005b"],
        )
        assert linked[0] == {"nodes": 1, "records": 3}


class KeyRingFile:
    """A key file's lines, as an operator edits them."""

    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path, self.lines = path, lines
        path.write_text("\n".join(lines) + "\n")

    def ring(self) -> crypto.KeyRing:
        return crypto.KeyRing.from_file(self.path)

    def add(self, line: str) -> crypto.KeyRing:
        self.lines.append(line)
        self.path.write_text("\n".join(self.lines) + "\n")
        return self.ring()


def rotated_line(ring: crypto.KeyRing, key_id: str) -> str:
    import base64

    return f"{key_id} {base64.b64encode(ring.keys[key_id]).decode()}"
