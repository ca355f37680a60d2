"""Big files stream in flat memory, and every one of 100k rows reads and standardizes correctly.

How fast this runs is a benchmark's question (benchmarks/ingest.py), not a test's: no durations here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from custgraph.ingest.models import IngestedRecord
from custgraph.ingest.reading import iter_records

pytestmark = pytest.mark.slow


def _rss() -> int:
    """Resident memory now (not the peak, which earlier tests may have set)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        pytest.skip("needs /proc (Linux)")


def test_a_50_mb_csv_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    pad = "这是一段很长的备注文字，用来把每一行撑到五百字节左右。" * 6
    line = "C{0},张{1}三,138{0:08d},北京,第{0}行,{2}\n"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("客户编号,客户姓名,手机号,地区,备注,说明文字\n")
        fh.writelines(line.format(n, n % 97, pad) for n in range(100_000))
    assert path.stat().st_size > 50_000_000

    before = peak = _rss()
    count = 0
    for item in iter_records(path, source="big"):  # noqa: B007 - the last item is checked below
        count += 1
        if count % 5000 == 0:
            peak = max(peak, _rss())

    assert count == 100_000 and isinstance(item, IngestedRecord)
    assert item.source_key == "C99999" and item.row == 100_001 and len(item.extra["说明文字"]) == len(pad)
    # Holding the file's rows would take several hundred MB; what grows is the per-key duplicate index.
    assert peak - before < 100_000_000


REGIONS = ["北京", "上海", "广东省", "浙江", "江苏省"]
STANDARD_REGIONS = ["北京市", "上海市", "广东省", "浙江省", "江苏省"]


def _wide_row(n: int) -> str:
    return (
        f"C{n},张{n % 97}三,138{n:08d},user{n}@example.com,{REGIONS[n % 5]},杭州,"
        f"某某科技有限公司{n % 50},19{n % 90 + 10:02d}-0{n % 9 + 1}-1{n % 9},{n % 1000}.5,"
        f'"vip,华东",备注{n},线上,男,x{n}\n'
    )


def _wide_expected(n: int) -> dict[str, object]:
    return {
        "name": f"张{n % 97}三",
        "mobile": f"+86138{n:08d}",
        "email": f"user{n}@example.com",
        "region": STANDARD_REGIONS[n % 5],
        "city": "杭州",
        "company": f"某某科技有限公司{n % 50}",
        "birth_date": f"19{n % 90 + 10:02d}-0{n % 9 + 1}-1{n % 9}",
        "total_amount": f"{n % 1000}.5",
        "tags": ["vip", "华东"],
        "notes": f"备注{n}",
        "channel": "线上",
        "gender": "M",
    }


def test_100k_rows_with_many_standardized_fields_all_standardize(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("客户编号,客户姓名,手机号,邮箱,地区,城市,公司,出生日期,累计金额,标签,备注,来源渠道,性别,自定义\n")
        fh.writelines(_wide_row(n) for n in range(100_000))
    count = 0
    for n, item in enumerate(iter_records(path, source="wide")):
        assert isinstance(item, IngestedRecord), item
        assert (item.source_key, item.row, item.status) == (f"C{n}", n + 2, "ok"), item
        assert item.fields == _wide_expected(n), item
        assert item.extra == {"自定义": f"x{n}"} and not item.issues and not item.missing, item
        count += 1
    assert count == 100_000


def test_a_big_xlsx_streams(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("客户")
    ws.append(["客户编号", "客户姓名", "手机号", "地区"])
    for n in range(20_000):
        ws.append([n, f"张{n % 97}三", 13800000000 + n, "北京"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    keys = [item.source_key for item in iter_records(path, source="x")]  # type: ignore[union-attr]
    assert keys == [str(n) for n in range(20_000)]
