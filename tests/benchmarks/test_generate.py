"""The benchmark generator is deterministic and has the rates asked of it; the pairwise F1 is right.

No timing here: the figures belong in benchmarks/run_all.py.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import FLAT_COLUMNS, Generator  # noqa: E402
from benchmarks.pairwise import pair_scores, read_truth  # noqa: E402


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen")
    manifest = Generator(n=3000, out=out, dup_rate=0.3, namesake_rate=0.1, seed=5, flat=True, buffer_rows=500).run()
    return out, manifest


def test_same_seed_same_files(generated: tuple[Path, dict], tmp_path: Path) -> None:
    out, _ = generated
    again = Generator(n=3000, out=tmp_path, dup_rate=0.3, namesake_rate=0.1, seed=5, flat=True, buffer_rows=500)
    again.run()
    assert _digests(tmp_path) == _digests(out)
    other = tmp_path / "other"
    Generator(n=3000, out=other, dup_rate=0.3, namesake_rate=0.1, seed=6, flat=True, buffer_rows=500).run()
    assert (other / "truth.csv").read_bytes() != (out / "truth.csv").read_bytes()


def test_n_counts_records_and_rates_hold_roughly(generated: tuple[Path, dict]) -> None:
    out, manifest = generated
    truth = read_truth(out / "truth.csv")
    assert manifest["records"] == len(truth) == 3000
    assert sum(f["rows"] for f in manifest["files"]) == 3000
    entities = Counter(truth.values())
    assert manifest["entities"] == len(entities)
    dup_share = 1 - len(entities) / len(truth)
    assert 0.25 < dup_share < 0.35, dup_share
    assert 0.07 < manifest["planted_namesakes"] / manifest["entities"] < 0.13
    assert manifest["namesake_people"] >= manifest["planted_namesakes"]


def test_no_duplicates_and_no_namesakes_when_asked(tmp_path: Path) -> None:
    manifest = Generator(n=1500, out=tmp_path, dup_rate=0.0, namesake_rate=0.0, seed=2).run()
    assert manifest["entities"] == manifest["records"] == 1500
    assert manifest["planted_namesakes"] == 0


def test_sources_and_flat_files_agree(generated: tuple[Path, dict]) -> None:
    out, manifest = generated
    assert {f["source"] for f in manifest["files"]} == {"crm_export", "store_members", "webform"}
    assert (out / "store_members.csv").read_bytes().decode("gb18030").startswith("会员卡号")
    assert (out / "crm_export.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's UTF-8 BOM
    first = json.loads((out / "webform.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["id"].startswith("wf-")
    truth = read_truth(out / "truth.csv")
    flat_ids = []
    for spec in manifest["flat"]:
        with open(out / spec["path"], newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert tuple(reader.fieldnames or ()) == FLAT_COLUMNS
            flat_ids += [row["unique_id"] for row in reader]
    assert sorted(flat_ids) == sorted(truth)
    for name in ("crm_export", "store_members", "webform", "flat"):
        assert (out / "mappings" / f"{name}.yaml").exists()


def test_records_carry_the_variations(generated: tuple[Path, dict]) -> None:
    out, _ = generated
    with open(out / "truth.csv", newline="", encoding="utf-8") as handle:
        dirt = Counter(tag for row in csv.DictReader(handle) for tag in row["dirt"].split("|") if tag)
    for tag in ("name_pinyin", "name_title_only", "name_traditional", "no_mobile", "second_mobile", "mobile_format"):
        assert dirt[tag] > 0, tag


def _brute_force(assignment: list[tuple[str, str | None]], truth: dict[str, str]) -> tuple[float, float]:
    """pair_f1.py's set arithmetic, for comparison."""
    groups: dict[str, set[str]] = {}
    for record, cluster in assignment:
        if record in truth and cluster:
            groups.setdefault(cluster, set()).add(record)
    predicted = {p for members in groups.values() for p in combinations(sorted(members), 2)}
    entities: dict[str, set[str]] = {}
    for record, entity in truth.items():
        entities.setdefault(entity, set()).add(record)
    true = {p for members in entities.values() for p in combinations(sorted(members), 2)}
    tp = len(predicted & true)
    return tp / len(predicted), tp / len(true)


def test_pairwise_f1_on_a_hand_made_example() -> None:
    truth = {"a": "X", "b": "X", "c": "X", "d": "Y", "e": "Y", "f": "Z"}  # true pairs: ab ac bc de
    # predicted: {a, b} {c, d, e} {f}; "g" is unknown to the truth and ignored
    assignment = [("a", "1"), ("b", "1"), ("c", "2"), ("d", "2"), ("e", "2"), ("f", "3"), ("g", "2")]
    scores = pair_scores(assignment, truth)
    # predicted pairs ab cd ce de: 4, of which ab and de are true
    assert (scores["predicted_pairs"], scores["true_pairs"], scores["tp"]) == (4, 4, 2)
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5 and scores["f1"] == 0.5
    assert (scores["precision"], scores["recall"]) == _brute_force(assignment, truth)


def test_pairwise_f1_singletons_and_perfect() -> None:
    truth = {"a": "X", "b": "X", "c": "Y"}
    assert pair_scores([("a", "1"), ("b", "1"), ("c", "2")], truth)["f1"] == 1.0
    # a record without a cluster, or missing, is a singleton: the true pair is missed
    missing = pair_scores([("a", "1"), ("b", None)], truth)
    assert (missing["precision"], missing["recall"], missing["f1"]) == (0.0, 0.0, 0.0)
    merged = pair_scores([("a", "1"), ("b", "1"), ("c", "1")], truth)
    assert merged["recall"] == 1.0 and merged["precision"] == pytest.approx(1 / 3, abs=1e-4)
