"""Writes a generated set to disk: .xlsx / .csv (UTF-8 with BOM, as Excel saves) / .jsonl, plus truth.csv.

Files are byte-for-byte reproducible: the .xlsx zip gets fixed timestamps.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from benchmarks.demo_data.model import GeneratedSet, SourceTable

_FIXED_TIME = (2025, 6, 30, 18, 0, 0)
_CORE_TIMES = re.compile(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def write_set(gs: GeneratedSet, out_dir: str | Path, *, title_row: bool = False) -> dict[str, Path]:
    """Every table as <source>.<fmt>, truth.csv and dirt.csv; returns name -> path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, table in gs.tables.items():
        path = out / table.filename
        write_table(table, path, title_row=title_row)
        paths[name] = path
    paths["truth"] = write_truth(gs, out / "truth.csv")
    paths["dirt"] = write_dirt(gs, out / "dirt.csv")
    return paths


def write_table(table: SourceTable, path: Path, *, title_row: bool = False) -> None:
    if table.fmt == "xlsx":
        write_xlsx(table, path, title=_title(table) if title_row else None)
    elif table.fmt == "csv":
        write_csv(table, path)
    elif table.fmt == "jsonl":
        write_jsonl(table, path)
    else:
        raise ValueError(f"unknown format {table.fmt!r}")


def _title(table: SourceTable) -> str:
    day = "{:04d}-{:02d}-{:02d}".format(*_FIXED_TIME[:3])
    return f"客户信息导出(导出时间:{day},共{len(table.records)}条)"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_csv(table: SourceTable, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)  # CRLF line ends, as Excel writes them
        writer.writerow(table.columns)
        for r in table.records:
            writer.writerow([_text(r.row.get(c)) for c in table.columns])


def write_jsonl(table: SourceTable, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for r in table.records:
            f.write(json.dumps(r.row, ensure_ascii=False, default=_text) + "\n")


def write_truth(gs: GeneratedSet, path: Path) -> Path:
    """source,source_key,entity — the format /checks/pair_f1.py reads."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("source", "source_key", "entity"))
        writer.writerows(gs.truth())
    return path


def write_dirt(gs: GeneratedSet, path: Path) -> Path:
    """source,source_key,dirt — the dirt kinds of each record, joined by '|' (for per-kind error analysis)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("source", "source_key", "dirt"))
        seen: set[tuple[str, str]] = set()
        for r in gs.records():
            if (r.source, r.key) not in seen:
                seen.add((r.source, r.key))
                writer.writerow((r.source, r.key, "|".join(r.dirt)))
    return path


def write_xlsx(table: SourceTable, path: Path, *, title: str | None = None) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "客户列表"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(table.columns))
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append(list(table.columns))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for r in table.records:
        ws.append([r.row.get(c) if r.row.get(c) != "" else None for c in table.columns])
    ws.freeze_panes = f"A{header_row + 1}"
    for cell in ws.iter_rows(min_row=header_row + 1):
        for c in cell:
            if isinstance(c.value, datetime | date):
                c.number_format = "yyyy-mm-dd"
    for i, column in enumerate(table.columns, start=1):
        width = max([len(column) * 2] + [len(_text(r.row.get(column))) for r in table.records[:200]])
        ws.column_dimensions[get_column_letter(i)].width = min(40, width + 2)
    wb.properties.creator = "custgraph demo generator"
    wb.properties.created = datetime(*_FIXED_TIME)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_reproducible_zip(buffer.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """The same archive with fixed entry timestamps and fixed document times."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*_FIXED_TIME)
                content = _CORE_TIMES.sub(rf"\g<1>{stamp}\g<2>", content.decode("utf-8")).encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()
