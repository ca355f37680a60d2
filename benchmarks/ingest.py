"""Ingest throughput: rows per second for a 100k-row customer file written to the embedded graph.

    .venv/bin/python benchmarks/ingest.py [--rows 100000] [--seed 3] [--files K]

Generates a CSV of distinct customers with Chinese headers and typical dirt (spaces and +86 in
phones, 北京 vs 北京市, upper-case emails), then measures in one run:
- `read`: reading, mapping, standardizing and validating every row (no graph);
- `import`: the whole `custgraph import` path into a fresh embedded graph (store, link identifiers,
  resolve, write golden profiles);
- `reimport`: the same file again, which must change nothing.
With `--files K`, K files of `--rows` distinct customers each are imported one after another into the
same graph (one `custgraph import` run each, as a company loading its exports), and `files` lists each
file's rows/s, so that a cost growing with the graph shows as a falling curve; `reimport` is then the
first file again. `peak_rss_mb` is the importing process's peak resident memory (the embedded server's
is `server_peak_rss_mb`, bounded by its -Xmx heap).
Prints one JSON object. Times vary run to run on a shared machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import string
import sys
import tempfile
import time
from pathlib import Path

from custgraph.graph import embedded
from custgraph.graph.connection import Graph, GraphConfig
from custgraph.ingest.reading import iter_records
from custgraph.matching.rules import load_rules
from custgraph.pipeline.run import ImportOptions, run_import

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯晨欣怡佳琪雪梅"
REGIONS = ["北京", "北京市", "上海", "广东省", "浙江", "江苏省", "四川", "湖北省", "山东", "福建省"]
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "济南", "厦门"]
INDUSTRIES = ["制造业", "教育", "金融", "零售", "互联网", "医疗", "物流"]


def write_file(path: Path, rows: int, seed: int, start: int = 0) -> None:
    """``rows`` distinct customers keyed K<start>..K<start + rows - 1>."""
    rng = random.Random(seed)
    mobiles = rng.sample(range(10**9), rows)
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "客户姓名", "手机号", "邮箱", "省份", "城市", "行业", "首次接触日期", "累计金额"])
        for i in range(rows):
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            digits = f"1{rng.choice('35789')}{mobiles[i]:09d}"
            mobile = rng.choice([digits, f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}", f"{digits[:3]}-{digits[3:]}"])
            mailbox = "".join(rng.choices(string.ascii_lowercase, k=8)) + str(start + i)
            email = rng.choice([f"{mailbox}@example.com", f"{mailbox.upper()}@EXAMPLE.COM"])
            first = f"202{rng.randint(0, 4)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            amount = rng.choice([f"¥{rng.randint(100, 99999):,}", f"{rng.randint(1, 50) / 10}万", ""])
            writer.writerow(
                [
                    f"K{start + i:07d}",
                    name,
                    mobile,
                    email,
                    rng.choice(REGIONS),
                    rng.choice(CITIES),
                    rng.choice(INDUSTRIES),
                    first,
                    amount,
                ]
            )


async def import_once(data_dir: Path, path: Path) -> tuple[float, str]:
    graph = Graph.connect(GraphConfig(uri=None, data_dir=data_dir))
    try:
        started = time.perf_counter()
        summary = await run_import(
            graph, [path], ImportOptions(source="bench"), load_rules(), reports_dir=data_dir / "reports"
        )
        return time.perf_counter() - started, summary.line()
    finally:
        await graph.close()


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident set size (VmHWM) of a process, in MB."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows per file")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--files", type=int, default=1, help="import this many files one after another")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="custgraph-ingest-") as tmp:
        work = Path(tmp)
        paths = [work / f"customers-{n + 1}.csv" for n in range(args.files)]
        for n, path in enumerate(paths):
            write_file(path, args.rows, args.seed + n, start=n * args.rows)
        path = paths[0]
        started = time.perf_counter()
        read = sum(1 for _ in iter_records(path, source="bench"))
        read_s = time.perf_counter() - started
        data_dir = work / "data"
        info = embedded.ensure_running(data_dir)  # server start-up is not part of the import time
        per_file = []
        try:
            for n, each in enumerate(paths):
                seconds, line = asyncio.run(import_once(data_dir, each))
                per_file.append((seconds, line))
                if args.files > 1:
                    print(f"file {n + 1}/{args.files}: {args.rows / seconds:.1f} rows/s", file=sys.stderr, flush=True)
            reimport_s, reline = asyncio.run(import_once(data_dir, path))
            server_rss = peak_rss_mb(info.pid)
        finally:
            embedded.stop(data_dir)
    import_s = sum(seconds for seconds, _ in per_file)
    result = {
        "benchmark": "ingest",
        "rows": args.rows * args.files,
        "read_rows_per_s": round(read / read_s, 1),
        "import_rows_per_s": round(args.rows * args.files / import_s, 1),
        "import_seconds": round(import_s, 1),
        "reimport_rows_per_s": round(args.rows / reimport_s, 1),
        "summary": per_file[-1][1],
        "reimport_summary": reline,
        "peak_rss_mb": peak_rss_mb(),
        "server_peak_rss_mb": server_rss,
    }
    if args.files > 1:
        result["files"] = [
            {"file": n + 1, "seconds": round(seconds, 1), "rows_per_s": round(args.rows / seconds, 1)}
            for n, (seconds, _) in enumerate(per_file)
        ]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
