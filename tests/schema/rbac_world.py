"""A seeded world for the role tests: teams, users, owned customers, records with identifiers shared
across teams, review pairs, an import run with rejected values, saved searches.

Every write goes through the graph repositories. What each role must see is computed here from the
same definitions, so the tests compare the API's answers with an independent expectation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from custgraph.graph.connection import Graph
from custgraph.graph.models import (
    ChannelNode,
    CompanyNode,
    CustomerNode,
    EmailNode,
    MobileNode,
    NationalIdNode,
    OwnerNode,
    SourceRecordNode,
    TagNode,
)
from custgraph.graph.repositories import saved_searches, users
from custgraph.graph.repositories.nodes import link, upsert_nodes
from custgraph.graph.repositories.review import set_decisions
from custgraph.graph.repositories.runs import ImportRunNode, save_run
from custgraph.graph.repositories.scope import Scope
from custgraph.graph.repositories.search_index import index_customers
from custgraph.resolvers.context import Context
from custgraph.service.settings import Settings
from tests.wipe import wipe

# users: name -> (role, teams)
REP_A, REP_B, REP_C = "周晓明", "陈志强", "孙晓燕"
MANAGER_EAST, MANAGER_WEST = "李经理", "赵经理"
ADMIN, AUDITOR = "管理员", "审计员"
USERS: dict[str, tuple[str, tuple[str, ...]]] = {
    REP_A: ("rep", ("east",)),
    REP_B: ("rep", ("east",)),
    REP_C: ("rep", ("west",)),
    MANAGER_EAST: ("manager", ("east",)),
    MANAGER_WEST: ("manager", ("west",)),
    ADMIN: ("admin", ()),
    AUDITOR: ("auditor", ()),
}

SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "桂英",
    "建华",
]
COMPANIES = [
    ("华为技术", "华为技术有限公司"),
    ("永泰软件杭州", "永泰软件(杭州)股份有限公司"),
    ("星河物流", "星河物流集团"),
]
TAGS = [
    TagNode(key="value:high", name="high", dimension="value"),
    TagNode(key="value:low", name="low", dimension="value"),
    TagNode(key="custom:VIP", name="VIP", dimension="custom"),
]
CHANNELS = ["展会", "官网"]
INDUSTRIES = ["制造业", "IT", "零售"]
REGIONS = ["上海市", "浙江省", "北京市"]
COUNT = 24
MISSING_ID = "C999999"
RUN_ID = "RUN-rbac-1"


def _owners(n: int) -> tuple[str, ...]:
    """Who owns customer n: reps of both teams, one co-owned across teams, one owned by nobody,
    one owned by the east manager himself."""
    if n == 7:
        return (REP_A, REP_C)
    if n == 11:
        return ()
    if n == 13:
        return (MANAGER_EAST,)
    return ((REP_A, REP_B, REP_C)[n % 3],)


@dataclass
class Person:
    id: str
    name: str
    mobile: str
    email: str
    national_id: str
    owners: tuple[str, ...]
    company: tuple[str, str]
    merged_into: str | None = None
    tags: list[str] = field(default_factory=list)


def people() -> list[Person]:
    found = []
    for n in range(1, COUNT + 1):
        found.append(
            Person(
                id=f"C{n:06d}",
                name=SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)],
                mobile=f"+86139{n:04d}{(n * 7919) % 10000:04d}",
                email=f"user{n:02d}x{n * 31}@example{n % 4}.com",
                national_id=f"1101051980{n:02d}01{(n * 37) % 1000:03d}X",
                owners=_owners(n),
                company=COMPANIES[n % len(COMPANIES)],
                tags=[TAGS[n % 3].key] + (["custom:VIP"] if n % 5 == 0 else []),
            )
        )
    # n=24 was merged into n=1 (a rep's own customer); n=23 into n=2 (the other east rep's)
    found[23].merged_into, found[22].merged_into = "C000001", "C000002"
    return found


PEOPLE = people()
BY_ID = {p.id: p for p in PEOPLE}
# a mobile shared by customers of both teams (a related-customer edge across the boundary)
SHARED_MOBILE = PEOPLE[0].mobile  # C000001 (rep A) and C000003 (rep C) and C000005 (rep B)
SHARING = ["C000001", "C000003", "C000005"]


def team_users(teams: tuple[str, ...]) -> set[str]:
    return {name for name, (_, own) in USERS.items() if set(own) & set(teams)}


def owners_seen(user: str) -> set[str] | None:
    """The owners whose customers ``user`` sees; None: every customer (admin)."""
    role, teams = USERS[user]
    if role == "admin":
        return None
    if role == "rep":
        return {user}
    if role == "manager":
        return team_users(teams) | {user}
    return set()


def survivor(cid: str) -> str:
    while BY_ID[cid].merged_into:
        cid = BY_ID[cid].merged_into  # type: ignore[assignment]
    return cid


def visible_live(user: str) -> set[str]:
    """Live customers ``user`` sees."""
    seen = owners_seen(user)
    return {p.id for p in PEOPLE if not p.merged_into and (seen is None or set(p.owners) & seen)}


def allowed_ids(user: str) -> set[str]:
    """Customer ids that may appear in an answer to ``user``: the live ones seen, and the merged-away
    ids whose survivor is one of them (a customer's own history)."""
    live = visible_live(user)
    return live | {p.id for p in PEOPLE if p.merged_into and survivor(p.id) in live}


def secrets() -> list[str]:
    """Every personal value of the world in full, as they must never reach a masked role."""
    found: list[str] = []
    for p in PEOPLE:
        digits = p.mobile.removeprefix("+86")
        found += [p.name, p.mobile, digits, p.email, p.email.split("@")[0] + "@", p.national_id]
    return found


def record_of(p: Person, source: str = "crm") -> SourceRecordNode:
    fields = {"name": p.name, "mobile": p.mobile, "email": p.email, "national_id": p.national_id}
    raw = {"客户姓名": p.name, "手机号": p.mobile.removeprefix("+86"), "邮箱": p.email, "身份证号": p.national_id}
    extra = {"备用联系": p.mobile.removeprefix("+86")}  # an unmapped column holding a mobile
    return SourceRecordNode(
        uid=f"{source}|{p.id}",
        source=source,
        source_key=p.id,
        row=int(p.id[1:]) + 1,
        customer_id=survivor(p.id),
        outcome="matched",
        fields_json=json.dumps(fields, ensure_ascii=False),
        raw_json=json.dumps(raw, ensure_ascii=False),
        extra_json=json.dumps(extra, ensure_ascii=False),
        run_id=RUN_ID,
        seq=int(p.id[1:]),
    )


def evidence(a: Person, b: Person) -> str:
    return json.dumps(
        [
            {
                "comparison": "mobile",
                "field": "mobile",
                "level": "exact",
                "weight": 9.5,
                "value_a": a.mobile,
                "value_b": b.mobile,
                "similarity": None,
                "uid_b": f"crm|{b.id}",
            },
            {
                "comparison": "name",
                "field": "full_name",
                "level": "pinyin",
                "weight": 3.0,
                "value_a": a.name,
                "value_b": b.name,
                "similarity": 0.9,
                "uid_b": f"crm|{b.id}",
            },
            {
                "comparison": "national_id",
                "field": "national_id",
                "level": "else",
                "weight": -2.0,
                "value_a": a.national_id,
                "value_b": b.national_id,
                "similarity": None,
                "uid_b": f"crm|{b.id}",
            },
        ],
        ensure_ascii=False,
    )


# review pairs (record uids): within rep A's customers, across teams, within the east team
REVIEW_PAIRS = [("crm|C000001", "crm|C000004"), ("crm|C000001", "crm|C000003"), ("crm|C000002", "crm|C000004")]


def review_visible(user: str) -> set[str]:
    live = allowed_ids(user)
    return {
        f"{a}||{b}" for a, b in REVIEW_PAIRS if survivor(a.split("|")[1]) in live and survivor(b.split("|")[1]) in live
    }


async def seed(graph: Graph) -> None:
    await wipe(graph)
    for name, (role, teams) in USERS.items():
        await users.add_user(graph, users.UserIn(name=name, role=role, teams=list(teams)))  # type: ignore[arg-type]
    customers = [
        CustomerNode(
            id=p.id,
            name=p.name,
            customer_type="person",
            lifecycle="customer",
            industry=INDUSTRIES[int(p.id[1:]) % 3],
            region=REGIONS[int(p.id[1:]) % 3],
            mobile=p.mobile,
            email=p.email,
            company=p.company[1],
            total_amount=float(int(p.id[1:]) * 1000),
            order_count=int(p.id[1:]) % 4,
            first_contact=f"2024-0{int(p.id[1:]) % 9 + 1}-01",
            merged_into=p.merged_into,
        )
        for p in PEOPLE
    ]
    await upsert_nodes(graph, customers)
    await upsert_nodes(graph, TAGS)
    await upsert_nodes(graph, [OwnerNode(name=n, role="sales") for n in USERS])
    await upsert_nodes(graph, [ChannelNode(name=c) for c in CHANNELS])
    await upsert_nodes(graph, [CompanyNode(key=k, name=v) for k, v in COMPANIES])
    await link(graph, "Customer", "TAGGED", "Tag", [(p.id, t, {}) for p in PEOPLE for t in p.tags])
    await link(graph, "Customer", "OWNED_BY", "Owner", [(p.id, o, {}) for p in PEOPLE for o in p.owners])
    await link(graph, "Customer", "CAME_FROM", "Channel", [(p.id, CHANNELS[int(p.id[1:]) % 2], {}) for p in PEOPLE])
    await link(
        graph, "Customer", "WORKS_AT", "Company", [(p.id, p.company[0], {}) for p in PEOPLE if not p.merged_into]
    )
    await link(
        graph, "Customer", "MERGED_INTO", "Customer", [(p.id, p.merged_into, {}) for p in PEOPLE if p.merged_into]
    )
    records = [record_of(p) for p in PEOPLE]
    await upsert_nodes(graph, records)
    # identifiers: each record its own, and the shared mobile on three customers of both teams
    await upsert_nodes(graph, [MobileNode(value=p.mobile) for p in PEOPLE])
    await upsert_nodes(graph, [EmailNode(value=p.email) for p in PEOPLE])
    await upsert_nodes(graph, [NationalIdNode(value=p.national_id) for p in PEOPLE])
    mobiles = [(f"crm|{p.id}", p.mobile, {}) for p in PEOPLE] + [(f"crm|{c}", SHARED_MOBILE, {}) for c in SHARING[1:]]
    await link(graph, "SourceRecord", "HAS_MOBILE", "Mobile", mobiles)
    await link(graph, "SourceRecord", "HAS_EMAIL", "Email", [(f"crm|{p.id}", p.email, {}) for p in PEOPLE])
    await link(
        graph, "SourceRecord", "HAS_NATIONAL_ID", "NationalId", [(f"crm|{p.id}", p.national_id, {}) for p in PEOPLE]
    )
    resolved = []
    for p in PEOPLE:
        # each record matched against the record of the next customer (often another team's)
        other = PEOPLE[int(p.id[1:]) % COUNT]
        link_props: dict[str, Any] = {"score": 0.97, "rule": "mobile_exact", "outcome": "matched"}
        link_props |= {"evidence_json": evidence(p, other), "matched_uid": f"crm|{other.id}"}
        resolved.append((f"crm|{p.id}", survivor(p.id), link_props))
    await link(graph, "SourceRecord", "RESOLVED_TO", "Customer", resolved)
    await set_decisions(
        graph, REVIEW_PAIRS, None, by="matcher", at="2024-07-01T00:00:00+00:00", note=None, origin="review"
    )
    await graph.write(
        "UNWIND $rows AS row MATCH (r:ReviewItem {key: row.key}) SET r.status = 'open', r.evidence_json = row.ev, "
        "r.score = 0.8",
        rows=[{"key": f"{a}||{b}", "ev": evidence(BY_ID[a[4:]], BY_ID[b[4:]])} for a, b in REVIEW_PAIRS],
    )
    issues = [
        {
            "row": 3,
            "field": "national_id",
            "value": PEOPLE[2].national_id,
            "reason": "checksum fails",
            "severity": "error",
            "source_key": PEOPLE[2].id,
        },
        {
            "row": 9,
            "field": "mobile",
            "value": PEOPLE[8].mobile.removeprefix("+86") + "9",
            "reason": "too long",
            "severity": "error",
            "source_key": PEOPLE[8].id,
        },
        {
            "row": 12,
            "field": "file",
            "value": "/srv/custgraph/imports/客户名单.xlsx",
            "reason": "read /srv/custgraph/imports/客户名单.xlsx sheet 2",
            "severity": "warning",
        },
    ]
    await save_run(
        graph,
        ImportRunNode(
            id=RUN_ID,
            source="crm",
            kind="customers",
            files=["/srv/custgraph/imports/客户名单.xlsx"],
            status="completed",
            started_at="2024-07-01T00:00:00+00:00",
            counts={"rows": COUNT, "rejected": 1},
            report_json="/srv/custgraph/reports/RUN-rbac-1.json",
            report_csv="/srv/custgraph/reports/RUN-rbac-1.csv",
            issues=issues,
        ),
    )
    for name in USERS:
        await saved_searches.create_saved_search(
            graph, user=name, name="全部", filter={}, order={"field": "ID", "descending": False}
        )
        await saved_searches.create_saved_search(
            graph, user=name, name="VIP", filter={"tags": {"all": ["custom:VIP"]}}, order=None
        )
    await index_customers(graph, [p.id for p in PEOPLE])


async def saved_search_ids(graph: Graph) -> dict[str, list[str]]:
    """user -> their saved-search ids."""
    found: dict[str, list[str]] = {}
    for name in USERS:
        found[name] = [s.id for s in await saved_searches.saved_searches_of(graph, name)]
    return found


def context(graph: Graph, user: str) -> Context:
    """The request context of ``user``, as the app builds it after authenticating them."""
    role, teams = USERS[user]
    ctx = Context(graph=graph, settings=Settings.from_env(), user=user, role=role, teams=teams, ip="10.0.0.9")
    assert ctx.scope == Scope(role, user, teams)
    return ctx
