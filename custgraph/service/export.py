"""GET/POST /export/customers?format=csv|xlsx: the customers of a filter as a spreadsheet.

Managers and admins only. The filter is the ``customers`` query's CustomerFilterInput as JSON (query
parameter ``filter`` on GET, field ``filter`` of a JSON body on POST), with optional ``orderBy``
({field, direction}) and ``purpose``. Personal data is masked unless the role may see full values.
Every export is written to the search log; its RX id comes back in the ``X-Search-Log-Id`` header
and the file name. Rows are read a keyset page at a time: CSV streams as it is read; XLSX (a zip)
is written row by row to a spooled temporary file and then streamed.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import AsyncIterator, Callable
from typing import Any

from openpyxl import Workbook
from pydantic import ValidationError as PydanticValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from custgraph.graph.models import ContactNode, CustomerNode
from custgraph.graph.repositories import customer_edges, customer_list
from custgraph.graph.repositories.customer_filter import CustomerFilter, CustomerOrder, SortField
from custgraph.resolvers import audit
from custgraph.resolvers.context import Context
from custgraph.resolvers.customer_list import check_purpose, for_purpose
from custgraph.resolvers.errors import BadRequest
from custgraph.resolvers.identity import principal_of
from custgraph.resolvers.permissions import may_export

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Chinese headers, as the users' own spreadsheets have them: an export can be corrected and imported again.
COLUMNS: list[tuple[str, Callable[[CustomerNode], Any]]] = [
    ("客户编号", lambda c: c.id),
    ("客户姓名", lambda c: c.name),
    ("客户类型", lambda c: c.customer_type),
    ("客户状态", lambda c: c.lifecycle),
    ("手机号", lambda c: c.mobile),
    ("邮箱", lambda c: c.email),
    ("公司名称", lambda c: c.company),
    ("所属行业", lambda c: c.industry),
    ("地区", lambda c: c.region),
    ("城市", lambda c: c.city),
    ("首次接触时间", lambda c: c.first_contact),
    ("最近互动时间", lambda c: c.last_contact),
    ("交易总额", lambda c: c.total_amount),
    ("订单数", lambda c: c.order_count),
]
EDGE_COLUMNS = ("负责人", "标签")
# appended after the edge columns, so the columns before them keep their places for existing readers
LATER_COLUMNS = ("特殊需求", "联系人")
CHUNK = 64 * 1024


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _arguments(request: Request) -> dict[str, Any]:
    """format, filter, orderBy and purpose, from the query string and (POST) the JSON body."""
    args: dict[str, Any] = dict(request.query_params)
    for name in ("filter", "orderBy"):
        if isinstance(args.get(name), str):
            args[name] = json.loads(args[name])
    if request.method == "POST":
        body = json.loads(await request.body() or b"{}")
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        args.update(body)
    return args


def _order(value: Any) -> CustomerOrder:
    """orderBy as in GraphQL: {field: TOTAL_AMOUNT, direction: DESC}."""
    if not value:
        return CustomerOrder()
    if not isinstance(value, dict):
        raise ValueError("orderBy must be an object")
    field = SortField(value.get("field", "ID"))
    return CustomerOrder(field=field, descending=value.get("direction") == "DESC")


async def _rows(context: Context, clause: Any, order: CustomerOrder) -> AsyncIterator[list[Any]]:
    """One list of cell values per customer, a keyset page at a time (owners and tags batched per page)."""
    async for page in customer_list.iter_customers(context.graph, clause, order):
        ids = [c.id for c in page]
        owners = await customer_edges.owners(context.graph, ids, scope=context.scope)
        tags = await customer_edges.tags(context.graph, ids, scope=context.scope)
        people = await customer_edges.people(context.graph, ids, scope=context.scope)
        for node in page:
            shown = context.view.customer(node)  # personal values as the role sees them (resolvers/view.py)
            yield [
                *(get(shown) for _, get in COLUMNS),
                "、".join(o.name for o in owners.get(node.id, [])),
                "、".join(t.key for t in tags.get(node.id, [])),
                node.special_needs,
                "; ".join(_person(context.view.contact_person(p)) for p in people.get(node.id, [])),
            ]


def _person(person: ContactNode) -> str:
    """One contact person in a cell: 王芳(采购经理) 139****0000 w***@x.com, the parts it has."""
    name = (person.name or "") + (f"({person.title})" if person.title else "")
    return " ".join(part for part in (name, person.mobile, person.email) if part)


def _header() -> list[str]:
    return [name for name, _ in COLUMNS] + list(EDGE_COLUMNS) + list(LATER_COLUMNS)


async def _csv(rows: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer.writerow(_header())
    async for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


async def _xlsx(rows: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("客户")
    sheet.append(_header())
    async for row in rows:
        sheet.append(row)
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            yield chunk


async def export_customers(request: Request) -> Response:
    settings = request.app.state.settings
    identity = principal_of(request)  # service/auth.py authenticated the request
    if not may_export(identity.role):
        return _error(403, "only managers and admins may export")
    try:
        args = await _arguments(request)
        fmt = str(args.get("format") or "csv").lower()
        if fmt not in FORMATS:
            return _error(400, f"format must be one of {', '.join(FORMATS)}")
        flt = CustomerFilter.model_validate(args.get("filter") or {})
        order = _order(args.get("orderBy"))
        purpose = check_purpose(args.get("purpose"))
        flt = for_purpose(flt, purpose)  # a marketing export holds only consenting customers
    except (ValueError, PydanticValidationError, BadRequest) as exc:
        return _error(400, f"invalid export request: {exc}")
    client = request.client.host if request.client else None
    context = Context(
        graph=request.app.state.graph,
        settings=settings,
        user=identity.user,
        role=identity.role,
        teams=identity.teams,
        gateway=identity.gateway,
        request=request,
        ip=client,
    )
    clause = await customer_list.prepare(context.graph, flt, scope=context.scope)
    total = await customer_list.count_customers(context.graph, clause)
    log_id = await audit.log(context, kind="export", result_count=total, filter=flt.to_json_dict(), purpose=purpose)
    rows = _rows(context, clause, order)
    body = _csv(rows) if fmt == "csv" else _xlsx(rows)
    headers = {
        "Content-Disposition": f'attachment; filename="customers-{log_id}.{fmt}"',
        "X-Search-Log-Id": log_id,
        "X-Total-Count": str(total),
    }
    return StreamingResponse(body, media_type=FORMATS[fmt], headers=headers)
