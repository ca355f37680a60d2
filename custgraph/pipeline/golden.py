"""A customer's profile from its resolved records: survivorship plus what orders and visits add up to.

Pure functions over plain records; graph/ stores the result on the Customer node.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from custgraph.vocabulary import has_han

PROFILE_FIELDS = (
    "name",
    "customer_type",
    "lifecycle",
    "gender",
    "birth_date",
    "title",
    "mobile",
    "phone",
    "email",
    "company",
    "industry",
    "region",
    "city",
    "address",
    "country",
    "first_contact",
    "last_contact",
    "total_amount",
    "order_count",
    "notes",
    "special_needs",
    "consent_marketing",
    "consent_source",  # set with consent_marketing by profiles.profile_of, from the same record
    "consent_date",
)


@dataclass
class Links:
    """The customer's edges that follow from its records."""

    company: str | None = None
    owners: set[str] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    orders: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)  # contact people: name, title, mobile, email


CONTACT_FIELDS = {
    "contact_name": "name",
    "contact_title": "title",
    "contact_mobile": "mobile",
    "contact_email": "email",
}


def contact_people(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contact people the records name (a company's 联系人), one per person.

    A person is the same across records by name, else by mobile, else by email; a later record fills
    in what an earlier one left blank (a title, an email). Each gets an ``id`` from what identifies
    them, so the same person named by two records of one customer is one Contact node.
    """
    people: dict[str, dict[str, Any]] = {}
    for fields in records:
        person = {prop: fields[f] for f, prop in CONTACT_FIELDS.items() if fields.get(f)}
        if not person.get("name") and not person.get("mobile") and not person.get("email"):
            continue
        key = str(person.get("name") or person.get("mobile") or person.get("email"))
        known = people.setdefault(key, {})
        for prop, value in person.items():
            known.setdefault(prop, value)
    out = []
    for person in people.values():
        identity = "|".join(str(person.get(p) or "") for p in ("name", "mobile", "email"))
        out.append({"id": "K" + hashlib.sha1(identity.encode()).hexdigest()[:20], **person})
    return sorted(out, key=lambda p: p["id"])


def display_name(fields: dict[str, Any]) -> str | None:
    """`name`, else family + given name (no space between CJK parts), else the company."""
    if fields.get("name"):
        return str(fields["name"])
    first, last = fields.get("first_name"), fields.get("last_name")
    if first or last:
        parts = [str(p) for p in (last, first) if p]
        if all(has_han(p) for p in parts):
            return "".join(parts)
        return " ".join(str(p) for p in (first, last) if p)
    return str(fields["company"]) if fields.get("company") else None


def address_line(fields: dict[str, Any]) -> str | None:
    if fields.get("address"):
        return str(fields["address"])
    parts = [fields.get(k) for k in ("address_number", "address_line1", "address_line2")]
    joined = " ".join(str(p) for p in parts if p)
    return joined or None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _as_list(value: Any) -> Iterable[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value if v]
    return [str(value)]


@dataclass(frozen=True)
class AddedEvent:
    """An order or interaction a person added through the API (addOrder / addInteraction).

    It belongs to no source record, so the records alone would forget it: the profile adds it to the
    sums and dates every time it is recomputed.
    """

    kind: str  # order | interaction
    date: str | None = None
    amount: float | None = None


def aggregate(
    golden: dict[str, Any],
    records: Sequence[tuple[str, str, dict[str, Any]]],
    added: Sequence[AddedEvent] = (),
) -> tuple[dict, Links]:
    """Complete the survivorship result with edges and sums.

    ``records`` are (uid, kind, fields) of every record resolved to the customer; ``added`` the
    orders and interactions added to it through the API. An added order counts on top of what the
    records say (the records' orders, or the total a CRM export states), as ``addOrder`` counted it.
    """
    props = {k: golden.get(k) for k in PROFILE_FIELDS}
    props["name"] = golden.get("name") or display_name(golden)
    props["address"] = address_line(golden)
    if not props.get("customer_type"):
        person = golden.get("name") or golden.get("first_name") or golden.get("last_name")
        props["customer_type"] = "person" if person or not golden.get("company") else "company"
    links = Links(company=golden.get("company"))
    dates: list[str] = []
    order_total = Decimal(0)
    for uid, kind, fields in records:
        links.owners.update(_as_list(fields.get("owner")))
        links.channels.update(_as_list(fields.get("channel")))
        links.tags.update(_as_list(fields.get("tags")))
        dates += [str(fields[k]) for k in ("first_contact", "last_contact") if fields.get(k)]
        if kind == "orders":
            amount = _decimal(fields.get("amount"))
            order_total += amount or 0
            links.orders.append(
                {
                    "uid": uid,
                    **{k: fields.get(k) for k in ("order_id", "order_date", "product")},
                    "amount": float(amount) if amount is not None else None,
                }
            )
            if fields.get("order_date"):
                dates.append(str(fields["order_date"]))
        elif kind == "interactions":
            links.interactions.append(
                {
                    "uid": uid,
                    **{k: fields.get(k) for k in ("interaction_type", "interaction_date", "content", "satisfaction")},
                }
            )
            if fields.get("interaction_date"):
                dates.append(str(fields["interaction_date"]))
    links.contacts = contact_people(fields for _, _, fields in records)
    if links.orders:
        props["order_count"] = max(len(links.orders), int(golden.get("order_count") or 0))
        props["total_amount"] = float(max(order_total, _decimal(golden.get("total_amount")) or Decimal(0)))
    else:
        total = _decimal(golden.get("total_amount"))
        props["total_amount"] = float(total) if total is not None else None
        props["order_count"] = int(golden["order_count"]) if golden.get("order_count") not in (None, "") else None
    added_orders = [e for e in added if e.kind == "order"]
    if added_orders:
        props["order_count"] = int(props.get("order_count") or 0) + len(added_orders)
        extra = sum((_decimal(e.amount) or Decimal(0) for e in added_orders), Decimal(0))
        props["total_amount"] = float((_decimal(props.get("total_amount")) or Decimal(0)) + extra)
    dates += [e.date for e in added if e.date]
    if dates:
        props["first_contact"] = min([*dates, *([props["first_contact"]] if props.get("first_contact") else [])])
        props["last_contact"] = max([*dates, *([props["last_contact"]] if props.get("last_contact") else [])])
    return props, links
