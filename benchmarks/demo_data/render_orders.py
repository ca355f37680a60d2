"""E-commerce orders (.csv): one row per order, so a repeat buyer shows up on several rows."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from benchmarks.demo_data.assemble import Draft, assemble
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.dirtier import Dirtier
from benchmarks.demo_data.entities import EXPORT_DAY, Entity, World
from benchmarks.demo_data.model import Cell, SourceTable
from benchmarks.demo_data.vocab_business import ORDER_STATUSES, PAYMENTS, PRODUCTS

SOURCE = "orders"
COLUMNS = (
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
_LAST_ORDER_BEFORE = {"成交": 0, "潜在": 0, "沉默": 100, "流失": 200}  # days before the export


def render(rng: random.Random, world: World, dirt: DirtConfig) -> SourceTable:
    d = Dirtier(rng, dirt, SOURCE)
    drafts: list[Draft] = []
    for e in world.entities:
        for when in _order_times(rng, e):
            drafts.append(_draft(d, e, when))
    return assemble(
        rng,
        dirt,
        name=SOURCE,
        fmt="csv",
        columns=COLUMNS,
        key_column="订单号",
        drafts=drafts,
        key_of=lambda i, draft: f"SO{draft.when:%Y%m%d}{i:05d}",
    )


def _order_times(rng: random.Random, e: Entity) -> list[datetime]:
    end = EXPORT_DAY - timedelta(days=_LAST_ORDER_BEFORE[e.lifecycle])
    start = min(e.first_contact + timedelta(days=3), end - timedelta(days=30))
    days = [start + timedelta(days=rng.randrange((end - start).days)) for _ in range(e.plan.n_orders)]
    return sorted(
        datetime.combine(day, time(rng.randrange(7, 24), rng.randrange(60), rng.randrange(60))) for day in days
    )


def _draft(d: Dirtier, e: Entity, when: datetime) -> Draft:
    d.begin()
    day = when.date()
    company = e.kind == "company"
    if company and e.org and d.chance(0.8):
        name = d.company(e.org, english_ok=False)
    else:
        if company:
            d.tag("contact_name_for_company")
        name = d.person_name(e)
    if e.plan.placeholder_mobile and d.chance(0.3):
        mobile: Cell = d.placeholder()
    else:
        mobile = d.mobile(e.mobile_at(day))
    employer = e.employer_at(day)
    at_work = employer is not None and (company or d.chance(0.4))
    address, city = (employer.address, employer.city) if employer and at_work else (e.address, e.city)
    product, price, for_company = _product(d, company)
    qty = d.rng.choice((1, 1, 1, 2, 3)) if price > 500 else d.rng.randrange(1, 11)
    amount = price * qty
    if d.chance(0.1):
        amount = round(amount * 0.9)
    row: dict[str, Cell] = {
        "下单日期": d.moment(when),
        "客户姓名": name,
        "手机号": mobile,
        "收货地址": d.address(address, city),
        "商品": product,
        "数量": str(qty),
        "订单金额(元)": d.amount(amount),
        "支付方式": "对公转账" if company and for_company and d.chance(0.6) else d.rng.choice(PAYMENTS[:3]),
        "订单状态": d.rng.choices([s for s, _ in ORDER_STATUSES], weights=[w for _, w in ORDER_STATUSES])[0],
    }
    return Draft(e.id, when, row, tuple(d.tags))


def _product(d: Dirtier, company: bool) -> tuple[str, int, bool]:
    wanted = company if d.chance(0.8) else not company
    return d.rng.choice([p for p in PRODUCTS if p[2] == wanted])
