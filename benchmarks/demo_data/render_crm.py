"""The CRM export (.xlsx, Chinese headers): what sales reps typed when they first met each customer."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from benchmarks.demo_data.assemble import Draft, assemble, at
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.dirtier import Dirtier
from benchmarks.demo_data.entities import Entity, World
from benchmarks.demo_data.model import Cell, SourceTable
from benchmarks.demo_data.plan import last_change
from benchmarks.demo_data.vocab_business import OWNERS

SOURCE = "crm_export"
COLUMNS = (
    "客户编号",
    "客户姓名",
    "客户类型",
    "手机号",
    "邮箱",
    "身份证号",
    "公司名称",
    "统一社会信用代码",
    "行业",
    "省份",
    "城市",
    "详细地址",
    "负责人",
    "来源渠道",
    "首次接触日期",
    "客户状态",
    "标签",
    "备注",
)
_TAG_SEPARATORS = ("、", "、", ",", ";", " ", "，")


def render(rng: random.Random, world: World, dirt: DirtConfig) -> SourceTable:
    d = Dirtier(rng, dirt, SOURCE)
    drafts: list[Draft] = []
    for e in world.entities:
        if not e.plan.in_crm:
            continue
        draft = _draft(d, e, e.first_contact, reentry=False)
        drafts.append(draft)
        if d.hit("duplicate_entry"):  # the same customer entered twice by hand
            drafts.append(replace(draft, dirt=(*draft.dirt, "duplicate_entry")))
        if e.plan.crm_reentry and e.mobile_changed_on:
            drafts.append(_draft(d, e, e.mobile_changed_on, reentry=True))
    return assemble(
        rng,
        dirt,
        name=SOURCE,
        fmt="xlsx",
        columns=COLUMNS,
        key_column="客户编号",
        drafts=drafts,
        key_of=lambda i, draft: f"KH{draft.when:%y}{i:05d}",
    )


def _draft(d: Dirtier, e: Entity, day: date, *, reentry: bool) -> Draft:
    d.begin()
    if reentry:
        d.tag("crm_reentry")
    specific = _company_row(d, e, day) if e.kind == "company" else _person_row(d, e, day, reentry=reentry)
    row: dict[str, Cell] = {
        "行业": d.blank_or(d.label(e.industry)) if e.industry else "",
        "省份": d.blank_or(d.province(e.city)),
        "城市": d.city(e.city, e.district),
        "详细地址": d.blank_or(d.address(e.address, e.city)) if d.chance(0.8) else "",
        "负责人": _owner(d, e),
        "来源渠道": d.blank_or(d.label(e.channel)),
        "首次接触日期": d.date(day, cell_ok=True),
        "客户状态": d.label(e.lifecycle),
        "标签": d.rng.choice(_TAG_SEPARATORS).join(e.tags),
        "备注": e.note if d.chance(0.7) else "",
    }
    row.update(specific)
    return Draft(e.id, at(day), row, tuple(d.tags))


def _person_row(d: Dirtier, e: Entity, day: date, *, reentry: bool) -> dict[str, Cell]:
    job = e.job_at(day)
    p = e.plan
    if p.placeholder_mobile and not reentry:
        mobile: Cell = d.placeholder()
    elif p.switchboard and job and not reentry:
        mobile = d.switchboard(job.org)
    else:
        mobile = d.mobile(e.mobile_at(day), as_number_ok=True)
    if p.info_email and job:
        email = d.info_email(job.org)
    elif d.chance(0.6 if not e.mobile_changed_on else 0.95):
        email = d.email(job.email if job and not last_change(e) and d.chance(0.5) else e.email)
    else:
        email = ""
    national_id = ""
    if e.national_id and (reentry or e.plan.crm_reentry or d.chance(0.45)):
        national_id = d.national_id(e.national_id)
    company = d.company(job.org) if job else ("个人" if d.chance(0.3) else "")
    return {
        "客户姓名": d.person_name(e),
        "客户类型": "个人" if d.chance(0.95) else "个人客户",
        "手机号": mobile,
        "邮箱": email,
        "身份证号": national_id,
        "公司名称": company,
        "统一社会信用代码": "",
    }


def _company_row(d: Dirtier, e: Entity, day: date) -> dict[str, Cell]:
    org = e.org
    assert org is not None
    if d.chance(0.25):
        mobile: Cell = d.switchboard(org, own=True)
    else:
        mobile = d.mobile(e.mobile_at(day), as_number_ok=True)
    note = e.note
    if d.chance(0.6):
        note = f"联系人:{e.person.full}" + (f";{note}" if note else "")
    return {
        "客户姓名": d.company(org, english_ok=False),
        "客户类型": "企业" if d.chance(0.95) else "企业客户",
        "手机号": mobile,
        "邮箱": d.email(e.email) if d.chance(0.8) else "",
        "身份证号": "",
        "公司名称": d.company(org) if d.chance(0.6) else "",
        "统一社会信用代码": d.credit_code(org.credit_code) if d.chance(0.85) else "",
        "备注": note,
    }


def _owner(d: Dirtier, e: Entity) -> str:
    if d.chance(0.05):
        return ""
    others = [o for o in OWNERS[e.city.region] if o != e.owner]
    if others and d.chance(0.08):  # shared accounts list two owners
        return f"{e.owner}/{d.rng.choice(others)}"
    return e.owner
