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

from benchmarks.demo_data import render_crm, render_interactions, render_orders, render_webform
from benchmarks.demo_data.model import Cell, SourceRecord, SourceTable
from benchmarks.demo_data.writers import write_table

Row = tuple[str, dict[str, Cell]]  # (who the record really is: truth.csv's entity, column -> cell)

# fmt: off
CRM: list[Row] = [
    ("lin_jing", {"客户编号": "KH1001", "客户姓名": "林静", "客户类型": "个人", "手机号": "135 0000 1234",
                  "邮箱": "lin.jing@yongtai.com.cn", "公司名称": "永泰软件(杭州)股份有限公司", "行业": "软件",
                  "省份": "浙江", "城市": "杭州市", "负责人": "周晓明", "来源渠道": "展会",
                  "首次接触日期": "2024-03-05", "客户状态": "成交", "标签": "重点关注",
                  "备注": "采购负责人,关注数据安全"}),
    ("zhang_wei", {"客户编号": "KH1002", "客户姓名": "张伟", "客户类型": "个人", "手机号": "13812345678",
                   "邮箱": "zhangwei@huawei.com", "公司名称": "华为技术有限公司", "行业": "制造业", "省份": "广东",
                   "城市": "深圳市", "负责人": "陈志强", "来源渠道": "转介绍", "首次接触日期": "2023-11-20",
                   "客户状态": "成交", "标签": "老客户"}),
    ("wang_fang", {"客户编号": "KH1003", "客户姓名": "王芳", "客户类型": "个人", "手机号": "13900002222",
                   "邮箱": "wangfang@163.com", "行业": "零售", "省份": "上海", "城市": "上海市", "负责人": "周晓明",
                   "来源渠道": "官网", "首次接触日期": "2024-05-10", "客户状态": "潜在",
                   "备注": "想了解会员积分功能"}),
    ("chen_xiaodong", {"客户编号": "KH1004", "客户姓名": "陈晓东", "客户类型": "个人", "手机号": "13611112222",
                       "邮箱": "chenxd@bjtech.cn", "公司名称": "北京博远科技有限公司", "行业": "IT", "省份": "北京",
                       "城市": "北京市", "负责人": "陈志强", "来源渠道": "电话营销", "首次接触日期": "2024-01-15",
                       "客户状态": "成交"}),
    ("liu_yang", {"客户编号": "KH1005", "客户姓名": "刘洋", "客户类型": "个人", "手机号": "18600003333",
                  "公司名称": "成都天府物流有限公司", "行业": "物流", "省份": "四川", "城市": "成都市",
                  "负责人": "周晓明", "来源渠道": "转介绍", "首次接触日期": "2024-02-28", "客户状态": "沉默",
                  "标签": "近30天未互动"}),
    ("yongtai", {"客户编号": "KH1006", "客户姓名": "永泰软件(杭州)股份有限公司", "客户类型": "企业",
                 "手机号": "0571-88880000", "邮箱": "info@yongtai.com.cn", "公司名称": "永泰软件(杭州)股份有限公司",
                 "行业": "软件", "省份": "浙江", "城市": "杭州市", "负责人": "周晓明", "来源渠道": "展会",
                 "首次接触日期": "2024-03-05", "客户状态": "成交", "标签": "重点关注", "备注": "联系人:林静"}),
]
WEBFORM: list[Row] = [
    ("zhao_min", {"id": "wf-0001", "name": "赵敏", "mobile": "15800004444", "email": "zhaomin@qq.com",
                  "city": "成都市", "message": "想了解一下CRM专业版的价格", "submitted_at": "2024-05-28 09:12:00"}),
    ("lin_jing", {"id": "wf-0002", "name": "Lin Jing", "mobile": "+86 135-0000-1234",
                  "email": "LIN.JING@YONGTAI.COM.CN", "company": "永泰软件", "city": "Hangzhou",
                  "message": "想预约一次产品演示", "submitted_at": "2024-06-02 10:15:00"}),
    ("zhang_wei_2", {"id": "wf-0003", "name": "张玮", "city": "深圳市", "message": "请发一份报价单",
                     "submitted_at": "2024-06-20 16:40:00"}),
    ("zhou_lei", {"id": "wf-0004", "name": "周磊", "mobile": "17700006666", "email": "zhoulei@outlook.com",
                  "company": "上海云帆网络科技有限公司", "city": "上海市", "message": "需要开具增值税专用发票",
                  "submitted_at": "2024-07-01 14:05:00"}),
    ("anonymous", {"id": "wf-0005", "city": "广州市", "message": "请尽快联系我",
                   "submitted_at": "2024-07-03 20:30:00"}),
]
ORDERS: list[Row] = [
    ("lin_jing", {"订单号": "SO2406001", "下单日期": "2024-06-05", "客户姓名": "林女士", "手机号": "135-0000-1234",
                  "收货地址": "浙江省杭州市西湖区文三路90号", "商品": "CRM专业版(年费)", "数量": 1,
                  "订单金额(元)": "12800元", "支付方式": "对公转账", "订单状态": "已完成"}),
    ("sun_li", {"订单号": "SO2406002", "下单日期": "2024/6/18", "客户姓名": "孙丽", "手机号": "18800005555",
                "收货地址": "江苏省南京市鼓楼区中山路18号", "商品": "企业微信集成模块", "数量": 1,
                "订单金额(元)": "3200.00", "支付方式": "支付宝", "订单状态": "已完成"}),
    ("lin_jing", {"订单号": "SO2407003", "下单日期": "2024-07-02", "客户姓名": "林静", "手机号": "13500001234",
                  "收货地址": "浙江省杭州市西湖区文三路90号", "商品": "数据迁移服务", "数量": 1,
                  "订单金额(元)": "¥4,500.00", "支付方式": "对公转账", "订单状态": "已完成"}),
]
INTERACTIONS: list[Row] = [
    ("lin_jing", {"互动编号": "HD0001", "互动日期": "2024-06-10", "客户姓名": "林静", "手机号": "13500001234",
                  "邮箱": "lin.jing@yongtai.com.cn", "公司名称": "永泰软件(杭州)股份有限公司", "互动类型": "拜访",
                  "沟通内容": "现场演示,客户关注数据安全", "满意度": 5, "跟进人": "周晓明"}),
    ("lin_jing", {"互动编号": "HD0002", "互动日期": "2024-07-15", "客户姓名": "林静", "手机号": "13500001234",
                  "互动类型": "电话回访", "沟通内容": "续费意向明确", "满意度": 4, "跟进人": "周晓明"}),
    ("chen_xiaodong", {"互动编号": "HD0003", "互动日期": "2024-05-20", "客户姓名": "陈晓东", "手机号": "13611112222",
                       "公司名称": "北京博远科技有限公司", "互动类型": "投诉", "沟通内容": "发票延迟", "满意度": 2,
                       "跟进人": "陈志强"}),
]
# fmt: on


def _table(name: str, fmt: str, columns: tuple[str, ...], rows: list[Row]) -> SourceTable:
    """The rows under the source's own columns (render_*.COLUMNS, what the generator writes too); a
    column a row leaves out is empty (JSON lines: absent)."""
    keep = fmt == "jsonl"
    records = tuple(
        SourceRecord(name, str(row[columns[0]]), entity, row if keep else {c: row.get(c) for c in columns})
        for entity, row in rows
    )
    return SourceTable(name, fmt, columns, columns[0], records)


def story_tables() -> list[SourceTable]:
    """The four sources, in load order (custgraph/service/cli_data.py DEMO_FILES)."""
    return [
        _table("crm_export", "xlsx", render_crm.COLUMNS, CRM),
        _table("webform", "jsonl", render_webform.COLUMNS, WEBFORM),
        _table("orders", "csv", render_orders.COLUMNS, ORDERS),
        _table("interactions", "csv", render_interactions.COLUMNS, INTERACTIONS),
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
