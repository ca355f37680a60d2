"""Interaction log (.csv): visits, call-center calls, complaints, event sign-ups, each with 满意度 (1-5)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from benchmarks.demo_data.assemble import Draft, assemble
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.dirtier import Dirtier
from benchmarks.demo_data.entities import EXPORT_DAY, Entity, World
from benchmarks.demo_data.model import Cell, SourceTable
from benchmarks.demo_data.vocab_business import EVENTS, INTERACTION_NOTES, INTERACTION_TYPES

SOURCE = "interactions"
COLUMNS = (
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


def render(rng: random.Random, world: World, dirt: DirtConfig) -> SourceTable:
    d = Dirtier(rng, dirt, SOURCE)
    drafts: list[Draft] = []
    for e in world.entities:
        span = max(1, (EXPORT_DAY - e.first_contact).days)
        for _ in range(e.plan.n_interactions):
            day = e.first_contact + timedelta(days=rng.randrange(span))
            drafts.append(_draft(d, e, day))
    return assemble(
        rng,
        dirt,
        name=SOURCE,
        fmt="csv",
        columns=COLUMNS,
        key_column="互动编号",
        drafts=drafts,
        key_of=lambda i, draft: f"HD{draft.when:%Y%m}{i:05d}",
    )


def _satisfaction(d: Dirtier, kind: str) -> str:
    if d.chance(0.15):
        return ""
    if kind == "投诉":
        return str(d.rng.choice((1, 2, 2, 3)))
    return str(d.rng.choices((3, 4, 5), weights=(2, 5, 5))[0])


def _draft(d: Dirtier, e: Entity, day: date) -> Draft:
    d.begin()
    kind = d.rng.choices([k for k, _ in INTERACTION_TYPES], weights=[w for _, w in INTERACTION_TYPES])[0]
    employer = e.employer_at(day)
    when = datetime.combine(day, time(d.rng.randrange(9, 19), d.rng.randrange(60)))
    row: dict[str, Cell] = {
        "互动日期": d.date(day),
        "客户姓名": d.person_name(e),
        "手机号": d.mobile(e.mobile_at(day)) if d.chance(0.85) else "",
        "邮箱": d.email(e.email) if d.chance(0.3) else "",
        "公司名称": d.company(employer) if employer and (e.kind == "company" or d.chance(0.5)) else "",
        "互动类型": kind,
        "活动名称": d.rng.choice(EVENTS) if kind == "活动签到" else "",
        "沟通内容": d.rng.choice(INTERACTION_NOTES[kind]),
        "满意度": _satisfaction(d, kind),
        "跟进人": e.owner if d.chance(0.9) else "",
    }
    return Draft(e.id, when, row, tuple(d.tags))
