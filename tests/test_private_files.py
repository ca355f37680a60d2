"""Files holding personal data or secrets are created owner-only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from custgraph.graph.connection import Graph
from custgraph.ingest.models import Issue
from custgraph.ingest.report import ImportReport
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, run_import
from custgraph.private_files import open_private, private_dir


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o002)  # a shared machine's umask: files would be world-readable
    try:
        yield
    finally:
        os.umask(previous)


def test_import_reports_are_owner_only(tmp_path: Path, loose_umask: None) -> None:
    report = ImportReport(run_id="IR1", source="crm")
    report.add_issue(Issue(row=2, field="national_id", value="110101199003078888", reason="bad checksum"))
    assert _mode(report.to_json(tmp_path / "IR1.json")) == 0o600
    assert _mode(report.to_csv(tmp_path / "IR1.csv")) == 0o600


def test_open_private_tightens_and_appends(tmp_path: Path, loose_umask: None) -> None:
    path = tmp_path / "log"
    path.write_text("one\n")
    path.chmod(0o644)
    with open_private(path, "a") as handle:
        handle.write("two\n")
    assert _mode(path) == 0o600 and path.read_text() == "one\ntwo\n"


def test_private_dir_is_made_and_tightened(tmp_path: Path, loose_umask: None) -> None:
    made = private_dir(tmp_path / "a" / "b")
    assert _mode(made) == 0o700
    made.chmod(0o755)
    assert _mode(private_dir(made)) == 0o700


async def test_an_import_writes_owner_only_reports_with_oversized_cells_as_errors(
    clean_graph: Graph, tmp_path: Path, loose_umask: None
) -> None:
    crm = tmp_path / "crm.csv"
    crm.write_text("姓名,手机,备注\n林静,13500001234," + "长" * 5000 + "\n", encoding="utf-8")
    summary = await run_import(
        clean_graph, [crm], ImportOptions(source="crm"), load_rules(), reports_dir=tmp_path / "r"
    )
    assert _mode(tmp_path / "r") == 0o700
    assert summary.report_json is not None and summary.report_csv is not None
    assert _mode(Path(summary.report_json)) == 0o600 and _mode(Path(summary.report_csv)) == 0o600
    report = Path(summary.report_json).read_text(encoding="utf-8")
    assert '"field": "notes"' in report and "longer than" in report
    stored = await clean_graph.read("MATCH (n) RETURN properties(n) AS p")
    assert "长长长长长长长长长长长长长长长长长长长长长" not in str(stored)  # past the 20-character preview
