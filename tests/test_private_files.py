"""Files holding personal data or secrets are created owner-only, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from custgraph.ingest.models import Issue
from custgraph.ingest.report import ImportReport
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
