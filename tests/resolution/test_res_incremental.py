"""Incremental equals batch: one import of N rows and N imports of one row give the same customers."""

from __future__ import annotations

from custgraph.graph.connection import Graph
from tests.wipe import wipe

ROWS = [
    {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳"},
    {"编号": "2", "邮箱": "zhangwei@qq.com", "城市": "深圳"},
    # links 1 and 2: one batch joins them on the fly, one-by-one merges two existing customers
    {"编号": "3", "姓名": "张伟", "手机": "13812345678", "邮箱": "zhangwei@qq.com"},
    {"编号": "4", "姓名": "张玮"},  # review against 张伟
    {"编号": "5", "姓名": "John Smith", "邮箱": "john.smith@acme.com", "城市": "London"},
    {"编号": "6", "姓名": "J. Smith", "邮箱": "John.Smith@ACME.com"},
    {"编号": "7", "姓名": "李娜", "手机": "13800000000"},  # placeholder mobile
    {"编号": "8", "姓名": "王芳", "手机": "13800000000"},
    {"编号": "9", "姓名": "Mary Jones", "手机": "13700001111", "公司": "Acme Ltd"},
    {"编号": "10", "姓名": "Mary Jones", "手机": "+86 137 0000 1111", "公司": "ACME Limited"},
    {"编号": "11", "城市": "北京"},  # unmatched pool
    {"编号": "12", "姓名": "陈静", "座机": "0755-88881234", "公司": "远景能源"},
    {"编号": "13", "姓名": "孙丽", "座机": "0755-88881234", "公司": "远景能源"},
    {"编号": "14", "姓名": "陈静", "手机": "13655557777", "公司": "远景能源有限公司"},
]


async def test_res_incremental_equals_batch(clean_graph: Graph, importer, partition) -> None:
    await importer(ROWS)
    batch = await partition()
    await wipe(clean_graph)
    for row in ROWS:
        await importer([row])
    one_by_one = await partition()
    assert one_by_one == batch
    # the set is not trivial: some customers hold several records, some records stay alone
    sizes = sorted(len(group) for group in batch)
    assert sizes[-1] >= 3 and sizes.count(1) >= 4
    assert frozenset({"crm|1", "crm|2", "crm|3"}) in batch


async def test_res_incremental_equals_batch_around_a_hub(clean_graph: Graph, importer, partition) -> None:
    """A mobile shared by more records than the hub limit: counted within a batch, or (one import per
    row) from the graph as each batch merges its identifier nodes; either way the same customers."""
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉"
    rows = [{"编号": f"H{i}", "姓名": "王" + given[i], "手机": "13912345678"} for i in range(25)]
    rows += [{"编号": "H25", "姓名": "王伟", "手机": "13912345678", "城市": "深圳"}]
    await importer(rows)
    batch = await partition()
    await wipe(clean_graph)
    for row in rows:
        await importer([row])
    assert await partition() == batch


async def import_in_batches(graph: Graph, tmp_path, rows: list[dict[str, str]], batch_rows: int) -> None:
    import csv

    from custgraph.matching.rules import load_rules
    from custgraph.pipeline.run import ImportOptions, run_import

    headers = list(dict.fromkeys(h for row in rows for h in row))
    path = tmp_path / f"batches-{batch_rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    options = ImportOptions(source="crm", batch_rows=batch_rows)
    await run_import(graph, [path], options, load_rules(), reports_dir=tmp_path / "reports")


async def test_res_batches_of_any_size_give_the_same_customers(clean_graph: Graph, tmp_path, partition) -> None:
    """Batches are pipelined (the engine decides one while the graph stores the next); any batch size
    gives the customers one batch gives."""
    await import_in_batches(clean_graph, tmp_path, ROWS, 100)
    whole = await partition()
    for size in (1, 2, 5):
        await wipe(clean_graph)
        await import_in_batches(clean_graph, tmp_path, ROWS, size)
        assert await partition() == whole, f"batches of {size}"


async def test_res_a_key_repeated_in_the_next_batch_is_resolved_once(clean_graph: Graph, tmp_path) -> None:
    """A row updated by a later row of the same file, one batch later: the update waits for the first
    version to be written, and the record ends resolved once, to one customer."""
    rows = [*ROWS[:2], {"编号": "2", "姓名": "张伟", "邮箱": "zhangwei@qq.com", "城市": "广州"}, *ROWS[2:5]]
    await import_in_batches(clean_graph, tmp_path, rows, 2)
    links = await clean_graph.read(
        "MATCH (s:SourceRecord) OPTIONAL MATCH (s)-[r:RESOLVED_TO]->(c:Customer) "
        "RETURN s.uid AS uid, s.outcome AS outcome, s.customer_id AS sid, collect(c.id) AS cids"
    )
    assert len(links) == 5
    for link in links:
        assert link["outcome"] is not None and link["cids"] == [link["sid"]], link


def small_block_rules(cap: int):
    """The shipped rules with blocks capped at ``cap`` records."""
    from importlib import resources

    import yaml

    from custgraph.matching.rules import rules_from_dict

    data = yaml.safe_load((resources.files("custgraph") / "data" / "rules.default.yaml").read_text(encoding="utf-8"))
    data["clustering"]["max_block_size"] = cap
    return rules_from_dict(data)


# Sixteen people of one family name in one city, each with their own mobile: blocks (family name +
# city) far over a cap of 3, with two true duplicates after them (same name and email; same mobile).
GIVEN = "伟芳娜敏静丽强磊军洋"
CROWD = [
    {"编号": f"W{i}", "姓名": "王" + GIVEN[i % 10], "城市": "深圳", "手机": f"1371{i:02d}8{i:02d}63"} for i in range(16)
]
CROWD += [
    {"编号": "W16", "姓名": "王伟", "城市": "深圳", "邮箱": "wangwei@163.com", "手机": "13911112222"},
    {"编号": "W17", "姓名": "王伟", "城市": "深圳", "邮箱": "wangwei@163.com"},
    {"编号": "W18", "姓名": "王芳", "城市": "深圳", "手机": "13933334444"},
    {"编号": "W19", "姓名": "王芳", "手机": "13933334444"},
]


async def test_res_oversized_blocks_give_the_same_customers_one_row_at_a_time(
    clean_graph: Graph, importer, partition
) -> None:
    """The graph returns only a block's oldest ``max_block_size`` records (all the engine offers):
    one import per row, resolving against the graph, places records as one import does in memory."""
    rules = small_block_rules(3)
    await importer(CROWD, rule_set=rules)
    whole = await partition()
    await wipe(clean_graph)
    for row in CROWD:
        await importer([row], rule_set=rules)
    assert await partition() == whole
    pairs = {group for group in whole if len(group) > 1}
    assert pairs == {frozenset({"crm|W16", "crm|W17"}), frozenset({"crm|W18", "crm|W19"})}


async def test_res_candidates_per_key_are_the_oldest_of_the_block(clean_graph: Graph, importer) -> None:
    from custgraph.graph.repositories.resolution import candidates

    await importer(CROWD[:16], rule_set=small_block_rules(3))
    rows = await clean_graph.read("MATCH (s:SourceRecord {uid: 'crm|W0'}) RETURN s.bk_family_city AS key")
    keys = {"family_city": [rows[0]["key"]]}
    everyone, oldest = await candidates(clean_graph, keys), await candidates(clean_graph, keys, per_key=3)
    assert len(everyone) == 16
    assert sorted(r["seq"] for r in oldest) == sorted(r["seq"] for r in everyone)[:3]


async def test_res_a_block_is_full_for_records_newer_than_its_first_cap_members(clean_graph: Graph, importer) -> None:
    """``full_keys`` counts only resolved members older than the incoming record: the same key is full
    for a record after the crowd and still filling for a changed record stored among its first members."""
    from custgraph.graph.repositories.resolution import full_keys

    await importer(CROWD[:16], rule_set=small_block_rules(3))
    rows = await clean_graph.read(
        "MATCH (s:SourceRecord) WHERE s.uid IN ['crm|W0', 'crm|W2', 'crm|W15'] "
        "RETURN s.uid AS uid, s.bk_family_city AS key, s.seq AS seq"
    )
    seq = {r["uid"]: r["seq"] for r in rows}
    key = rows[0]["key"]
    assert {r["key"] for r in rows} == {key}
    assert await full_keys(clean_graph, {"family_city": {key: seq["crm|W15"] + 1}}, cap=3) == {"family_city": {key}}
    assert await full_keys(clean_graph, {"family_city": {key: seq["crm|W15"] + 1}}, cap=17) == {}
    assert await full_keys(clean_graph, {"family_city": {key: seq["crm|W2"]}}, cap=3) == {}  # W0 and W1 only
    assert await full_keys(clean_graph, {"family_city": {"no such key": 10**9}}, cap=3) == {}


async def test_res_candidate_cache_reads_a_record_whole_once_until_it_changes(clean_graph: Graph, importer) -> None:
    from custgraph.matching.rules import load_rules
    from custgraph.matching.state import EngineState
    from custgraph.pipeline.resolve import CandidateCache

    await importer(CROWD)
    rows = await clean_graph.read("MATCH (s:SourceRecord {uid: 'crm|W0'}) RETURN s.bk_family_city AS key")
    keys = {"family_city": [rows[0]["key"]]}
    cache = CandidateCache(EngineState(load_rules()))
    first = await cache.candidates(clean_graph, keys, exclude=set(), per_key=100)
    assert (cache.reads, cache.hits) == (len(CROWD) - 1, 0)  # W19 has no city
    again = await cache.candidates(clean_graph, keys, exclude=set(), per_key=100)
    assert (cache.reads, cache.hits) == (len(CROWD) - 1, len(CROWD) - 1)
    assert [(r.uid, r.customer_id, dict(r.fields)) for r in again] == [
        (r.uid, r.customer_id, dict(r.fields)) for r in first
    ]
    await importer([{**CROWD[3], "邮箱": "wang.min@163.com"}])  # W3 changes: read whole again
    changed = await cache.candidates(clean_graph, keys, exclude=set(), per_key=100)
    assert cache.reads == len(CROWD)
    assert next(r for r in changed if r.uid == "crm|W3").fields.get("email") == "wang.min@163.com"
