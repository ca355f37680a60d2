"""A 20k-row import killed mid-way and started again ends with every record stored and resolved once."""

from __future__ import annotations

import csv
import os
import random
import signal
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from custgraph.graph.connection import Graph

ROWS = 20_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯晨欣怡佳琪雪梅松柏"
CITIES = ["杭州", "上海", "北京", "广州", "深圳", "成都", "武汉", "南京"]


def write_rows(path: Path) -> None:
    """20k different people: distinct names, random mobiles and mailboxes (this test is about
    storage, not about telling namesakes apart)."""
    rng = random.Random(20)
    mobiles = rng.sample(range(10**8), ROWS)
    names = rng.sample(range(len(SURNAMES) * len(GIVEN) ** 2), ROWS)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["客户编号", "客户姓名", "手机号", "邮箱", "城市"])
        for i in range(ROWS):
            family, given = divmod(names[i], len(GIVEN) ** 2)
            name = SURNAMES[family] + GIVEN[given // len(GIVEN)] + GIVEN[given % len(GIVEN)]
            mailbox = "".join(rng.choices(string.ascii_lowercase, k=10))
            city = rng.choice(CITIES)
            mobile = f"1{rng.choice('3589')}{mobiles[i]:09d}"
            writer.writerow([f"K{i:06d}", name, mobile, f"{mailbox}@example.com", city])


async def count(graph: Graph, query: str) -> int:
    return int((await graph.read(query))[0]["n"])


@pytest.mark.slow
async def test_kill_and_resume_stores_every_record_once(
    clean_graph: Graph, graph_data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    write_rows(path)
    env = {**os.environ, "CUSTGRAPH_DATA_DIR": str(graph_data_dir)}
    command = [sys.executable, "-m", "custgraph.service.cli", "import", str(path), "--source", "bulk"]

    victim = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    landed = 0
    while time.monotonic() < deadline and victim.poll() is None:
        landed = await count(clean_graph, "MATCH (s:SourceRecord) RETURN count(s) AS n")
        if landed >= 5000:  # at least one batch is in; the run is somewhere in the middle
            break
        time.sleep(0.2)
    if victim.poll() is not None:
        out = victim.stdout.read().decode() if victim.stdout else ""
        pytest.fail(f"the import ended (code {victim.returncode}) before it could be killed: {out}")
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert 0 < landed < ROWS

    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert f"rows={ROWS} " in finished.stdout

    assert await count(clean_graph, "MATCH (s:SourceRecord) RETURN count(s) AS n") == ROWS
    assert await count(clean_graph, "MATCH (s:SourceRecord) RETURN count(DISTINCT s.uid) AS n") == ROWS
    assert await count(clean_graph, "MATCH (s:SourceRecord) WHERE s.outcome IS NULL RETURN count(s) AS n") == 0
    # each record resolved to exactly one customer, and each customer holds what the records say
    assert await count(clean_graph, "MATCH (s:SourceRecord)-[r:RESOLVED_TO]->() RETURN count(r) AS n") == ROWS
    assert (
        await count(
            clean_graph,
            "MATCH (s:SourceRecord)-[:RESOLVED_TO]->(c:Customer) WHERE s.customer_id <> c.id RETURN count(s) AS n",
        )
        == 0
    )
    assert (
        await count(
            clean_graph,
            "MATCH (c:Customer) WHERE c.merged_into IS NULL AND NOT EXISTS { MATCH (c)<-[:RESOLVED_TO]-() } "
            "RETURN count(c) AS n",
        )
        == 0
    )
    # the rows are 20k different people: one customer each
    assert await count(clean_graph, "MATCH (c:Customer) WHERE c.merged_into IS NULL RETURN count(c) AS n") == ROWS
    runs = await clean_graph.read("MATCH (r:ImportRun {source: 'bulk'}) RETURN r.status AS status ORDER BY status")
    assert [r["status"] for r in runs] == ["completed", "interrupted"]
