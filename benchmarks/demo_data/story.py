"""The shipped demo data set (custgraph/data/demo/): a few customers and one duplicate story, by hand.

`make run` loads it (`custgraph demo load`). What a newcomer should see in it:

- **one person from three systems**: 林静 is in the CRM export (KH1001), wrote in through the web form
  as "Lin Jing" with her mobile in another format and her email in capitals (wf-0002), and bought in
  the shop as 林女士 (SO2406001, SO2407003). All become one customer, and `explainCustomer` says why:
  the same mobile, the same email, a pinyin spelling of the same name. Her visit and call (HD0001,
  HD0002) land on the same customer, so her page has a timeline;
- **one pair waiting for review**: 张伟 of the CRM (KH1002) and 张玮 from the web form (wf-0003), a
  homophone of the same name in the same city with nothing else in common: not enough to merge, too
  much to ignore;
- **one record in the unmatched pool**: a web-form message with neither a name nor a contact (wf-0005);
- everyone else appears once, so nothing distracts from the story.

The rows are data here, in the sources' own column names; ``build_story`` writes them with the
generator's writers (byte-reproducible xlsx, CSV with BOM as Excel saves, JSON lines) and
``truth.csv`` says which records are one person.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.demo_data.model import Cell, SourceRecord, SourceTable
from benchmarks.demo_data.writers import write_table

CRM_COLUMNS = (
    "客户编号",
    "客户姓名",
    "客户类型",
    "手机号",
    "邮箱",
    "公司名称",
    "行业",
    "省份",
    "城市",
    "负责人",
    "来源渠道",
    "首次接触日期",
    "客户状态",
    "标签",
    "备注",
)
ORDER_COLUMNS = (
    "订单号",
    "下单日期",
    "客户姓名",
    "手机号",
    "收货地址",
    "商品",
    "数量",
    "订单金额(元)",
    "支付方式",
    "订单状态",
)
INTERACTION_COLUMNS = (
    "互动编号",
    "互动日期",
    "客户姓名",
    "手机号",
    "邮箱",
    "公司名称",
    "互动类型",
    "活动名称",
    "沟通内容",
    "满意度",
    "跟进人",
)
WEBFORM_COLUMNS = ("id", "name", "mobile", "email", "company", "city", "message", "submitted_at")

# (entity, row) per source; the entity names who the record really is (truth.csv)
CRM: list[tuple[str, tuple[Cell, ...]]] = [
    (
        "lin_jing",
        (
            "KH1001",
            "林静",
            "个人",
            "135 0000 1234",
            "lin.jing@yongtai.com.cn",
            "永泰软件(杭州)股份有限公司",
            "软件",
            "浙江",
            "杭州市",
            "周晓明",
            "展会",
            "2024-03-05",
            "成交",
            "重点关注",
            "采购负责人,关注数据安全",
        ),
    ),
    (
        "zhang_wei",
        (
            "KH1002",
            "张伟",
            "个人",
            "13812345678",
            "zhangwei@huawei.com",
            "华为技术有限公司",
            "制造业",
            "广东",
            "深圳市",
            "陈志强",
            "转介绍",
            "2023-11-20",
            "成交",
            "老客户",
            None,
        ),
    ),
    (
        "wang_fang",
        (
            "KH1003",
            "王芳",
            "个人",
            "13900002222",
            "wangfang@163.com",
            None,
            "零售",
            "上海",
            "上海市",
            "周晓明",
            "官网",
            "2024-05-10",
            "潜在",
            None,
            "想了解会员积分功能",
        ),
    ),
    (
        "chen_xiaodong",
        (
            "KH1004",
            "陈晓东",
            "个人",
            "13611112222",
            "chenxd@bjtech.cn",
            "北京博远科技有限公司",
            "IT",
            "北京",
            "北京市",
            "陈志强",
            "电话营销",
            "2024-01-15",
            "成交",
            None,
            None,
        ),
    ),
    (
        "liu_yang",
        (
            "KH1005",
            "刘洋",
            "个人",
            "18600003333",
            None,
            "成都天府物流有限公司",
            "物流",
            "四川",
            "成都市",
            "周晓明",
            "转介绍",
            "2024-02-28",
            "沉默",
            "近30天未互动",
            None,
        ),
    ),
    (
        "yongtai",
        (
            "KH1006",
            "永泰软件(杭州)股份有限公司",
            "企业",
            "0571-88880000",
            "info@yongtai.com.cn",
            "永泰软件(杭州)股份有限公司",
            "软件",
            "浙江",
            "杭州市",
            "周晓明",
            "展会",
            "2024-03-05",
            "成交",
            "重点关注",
            "联系人:林静",
        ),
    ),
]
WEBFORM: list[tuple[str, dict[str, Cell]]] = [
    (
        "zhao_min",
        {
            "id": "wf-0001",
            "name": "赵敏",
            "mobile": "15800004444",
            "email": "zhaomin@qq.com",
            "city": "成都市",
            "message": "想了解一下CRM专业版的价格",
            "submitted_at": "2024-05-28 09:12:00",
        },
    ),
    (
        "lin_jing",
        {
            "id": "wf-0002",
            "name": "Lin Jing",
            "mobile": "+86 135-0000-1234",
            "email": "LIN.JING@YONGTAI.COM.CN",
            "company": "永泰软件",
            "city": "Hangzhou",
            "message": "想预约一次产品演示",
            "submitted_at": "2024-06-02 10:15:00",
        },
    ),
    (
        "zhang_wei_2",
        {
            "id": "wf-0003",
            "name": "张玮",
            "city": "深圳市",
            "message": "请发一份报价单",
            "submitted_at": "2024-06-20 16:40:00",
        },
    ),
    (
        "zhou_lei",
        {
            "id": "wf-0004",
            "name": "周磊",
            "mobile": "17700006666",
            "email": "zhoulei@outlook.com",
            "company": "上海云帆网络科技有限公司",
            "city": "上海市",
            "message": "需要开具增值税专用发票",
            "submitted_at": "2024-07-01 14:05:00",
        },
    ),
    (
        "anonymous",
        {"id": "wf-0005", "city": "广州市", "message": "请尽快联系我", "submitted_at": "2024-07-03 20:30:00"},
    ),
]
ORDERS: list[tuple[str, tuple[Cell, ...]]] = [
    (
        "lin_jing",
        (
            "SO2406001",
            "2024-06-05",
            "林女士",
            "135-0000-1234",
            "浙江省杭州市西湖区文三路90号",
            "CRM专业版(年费)",
            1,
            "12800元",
            "对公转账",
            "已完成",
        ),
    ),
    (
        "sun_li",
        (
            "SO2406002",
            "2024/6/18",
            "孙丽",
            "18800005555",
            "江苏省南京市鼓楼区中山路18号",
            "企业微信集成模块",
            1,
            "3200.00",
            "支付宝",
            "已完成",
        ),
    ),
    (
        "lin_jing",
        (
            "SO2407003",
            "2024-07-02",
            "林静",
            "13500001234",
            "浙江省杭州市西湖区文三路90号",
            "数据迁移服务",
            1,
            "¥4,500.00",
            "对公转账",
            "已完成",
        ),
    ),
]
INTERACTIONS: list[tuple[str, tuple[Cell, ...]]] = [
    (
        "lin_jing",
        (
            "HD0001",
            "2024-06-10",
            "林静",
            "13500001234",
            "lin.jing@yongtai.com.cn",
            "永泰软件(杭州)股份有限公司",
            "拜访",
            None,
            "现场演示,客户关注数据安全",
            5,
            "周晓明",
        ),
    ),
    (
        "lin_jing",
        ("HD0002", "2024-07-15", "林静", "13500001234", None, None, "电话回访", None, "续费意向明确", 4, "周晓明"),
    ),
    (
        "chen_xiaodong",
        (
            "HD0003",
            "2024-05-20",
            "陈晓东",
            "13611112222",
            None,
            "北京博远科技有限公司",
            "投诉",
            None,
            "发票延迟",
            2,
            "陈志强",
        ),
    ),
]


def _table(name: str, fmt: str, columns: tuple[str, ...], rows: list[tuple[str, tuple[Cell, ...]]]) -> SourceTable:
    records = tuple(
        SourceRecord(name, str(row[0]), entity, dict(zip(columns, row, strict=True))) for entity, row in rows
    )
    return SourceTable(name, fmt, columns, columns[0], records)


def story_tables() -> list[SourceTable]:
    """The four sources, in load order (custgraph/service/cli_data.py DEMO_FILES)."""
    webform = tuple(SourceRecord("webform", str(row["id"]), entity, row) for entity, row in WEBFORM)
    return [
        _table("crm_export", "xlsx", CRM_COLUMNS, CRM),
        SourceTable("webform", "jsonl", WEBFORM_COLUMNS, "id", webform),
        _table("orders", "csv", ORDER_COLUMNS, ORDERS),
        _table("interactions", "csv", INTERACTION_COLUMNS, INTERACTIONS),
    ]


def build_story(out_dir: Path) -> list[Path]:
    """Write the demo's files and truth.csv (source,source_key,entity) into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    truth = ["source,source_key,entity"]
    for table in story_tables():
        path = out_dir / table.filename
        write_table(table, path)
        written.append(path)
        truth += [f"{r.source},{r.key},{r.entity}" for r in table.records]
    (out_dir / "truth.csv").write_text("\n".join(truth) + "\n", encoding="utf-8")
    return [*written, out_dir / "truth.csv"]
