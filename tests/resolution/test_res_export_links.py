"""``custgraph export links``: one CSV row per source record, in import order, with its customer."""

from __future__ import annotations

import csv
import io

ZHANG = {"编号": "1", "姓名": "张伟", "手机": "13812345678", "城市": "深圳"}
ZHANG_AGAIN = {"编号": "2", "姓名": "张伟", "手机": "138 1234 5678", "邮箱": "zhangwei@qq.com", "城市": "深圳"}
# imported after ZHANG in one batch, under a key (crm|0) that sorts before his (crm|1): import order, not key order
LI = {"编号": "0", "姓名": "李娜", "手机": "13900001111", "城市": "上海"}


async def test_res_export_links_lists_every_record_with_its_customer(importer, run_cli) -> None:
    await importer([ZHANG, LI])
    await importer([ZHANG_AGAIN], source="webform")
    out = await run_cli("export", "links")
    assert list(csv.reader(io.StringIO(out))) == [
        ["source", "source_key", "customer_id", "outcome"],
        ["crm", "1", "C000001", "new"],
        ["crm", "0", "C000002", "new"],
        ["webform", "2", "C000001", "matched"],
    ]
