"""Web form submissions (.jsonl, English keys): typed by the customers themselves, later than the CRM."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from benchmarks.demo_data.assemble import Draft, assemble
from benchmarks.demo_data.dirt import DirtConfig
from benchmarks.demo_data.dirtier import Dirtier
from benchmarks.demo_data.entities import Entity, World
from benchmarks.demo_data.model import Cell, SourceTable
from benchmarks.demo_data.plan import last_change
from benchmarks.demo_data.vocab_business import MESSAGES_EN, MESSAGES_ZH

SOURCE = "webform"
COLUMNS = ("id", "name", "mobile", "email", "company", "city", "message", "submitted_at")


def render(rng: random.Random, world: World, dirt: DirtConfig) -> SourceTable:
    d = Dirtier(rng, dirt, SOURCE)
    drafts: list[Draft] = []
    for e in world.entities:
        for when in e.plan.webform_times:
            draft = _draft(d, e, when)
            drafts.append(draft)
            if d.hit("duplicate_entry"):  # the submit button pressed twice
                again = when + timedelta(seconds=d.rng.randrange(2, 40))
                row = {**draft.row, "submitted_at": f"{again:%Y-%m-%d %H:%M:%S}"}
                drafts.append(Draft(e.id, again, row, (*draft.dirt, "duplicate_entry")))
    return assemble(
        rng,
        dirt,
        name=SOURCE,
        fmt="jsonl",
        columns=COLUMNS,
        key_column="id",
        drafts=drafts,
        key_of=lambda i, draft: f"wf-{draft.when:%Y%m%d}-{i:05d}",
    )


def _draft(d: Dirtier, e: Entity, when: datetime) -> Draft:
    d.begin()
    day = when.date()
    employer = e.employer_at(day)
    job = e.job_at(day)
    if e.plan.info_email and job:
        email = d.info_email(job.org)
    elif e.kind == "person" and job and not last_change(e) and d.chance(0.3):
        email = d.email(job.email)
    else:
        email = d.email(e.email) if (last_change(e) or e.kind == "company" or d.chance(0.85)) else ""
    english = e.person.english or (e.alias != "" and d.chance(0.5))
    row: dict[str, Cell] = {
        "name": d.person_name(e, alias_ok=True),
        "mobile": d.mobile(e.mobile_at(day), as_number_ok=True) if (email == "" or d.chance(0.9)) else "",
        "email": email,
        "company": d.company(employer) if employer and (e.kind == "company" or d.chance(0.75)) else "",
        "city": d.city(*((employer.city, employer.district) if employer else (e.city, e.district)))
        if d.chance(0.8)
        else "",
        "message": d.rng.choice(MESSAGES_EN if english else MESSAGES_ZH),
        "submitted_at": d.moment(when),
    }
    for field in ("company", "city", "email", "mobile"):
        if row[field] == "" and d.chance(0.5):
            del row[field]  # a field the visitor skipped is not sent at all
    return Draft(e.id, when, row, tuple(d.tags))
