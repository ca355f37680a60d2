"""Incremental equals batch: one import of N rows and N imports of one row give the same customers."""

from __future__ import annotations

from custgraph.graph.connection import Graph

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
    await clean_graph.write("MATCH (n) DETACH DELETE n")
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
    await clean_graph.write("MATCH (n) DETACH DELETE n")
    for row in rows:
        await importer([row])
    assert await partition() == batch
