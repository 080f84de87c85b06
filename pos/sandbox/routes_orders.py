"""/v3 order routes: create (validation errors are 400), list (newest first, cursors), read."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pos.sandbox.common import core_of, error, not_found, params_of, v3_routes, with_json_body
from pos.sandbox.orders import ValidationFailed, render_list_item, render_order
from pos.sandbox.pagination import (
    CursorError,
    decode_cursor,
    encode_cursor,
    filter_hash,
    page_size_of,
)
from pos.sandbox.placing import place_order


@with_json_body
async def create_order(request: Request, body: dict[str, Any]) -> Response:
    core = core_of(request)
    try:
        doc = place_order(core, body)
    except ValidationFailed as exc:
        return JSONResponse(exc.body(), status_code=400)
    return JSONResponse(render_order(doc, core.base_url))


async def list_orders(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    path = request.url.path
    try:
        size = page_size_of(p)
    except CursorError as exc:
        return error(400, str(exc))
    filters: dict[str, Any] = {
        "status": p.get("status") or None,
        "payment_status": p.get("payment_status") or None,
        "payment_method": p.get("payment_method") or None,
        "search": p.get("search") or None,
        "search_field": p.get("search_field") or "order_id",
        "order_id_exact": p.get("order_id") or None,
        "tags": p.get("tags") or None,
    }
    if p.get("store_id"):
        store = core.data.store_by_ref(p["store_id"])
        filters["store_id"] = store.id if store else -1
    fh = filter_hash(path, p)
    after = before = None
    nxt, prv = p.get("next_cursor"), p.get("previous_cursor")
    if nxt and prv:
        return error(400, "Send either next_cursor or previous_cursor, not both")
    try:
        if nxt:
            after = decode_cursor(nxt, fh).get("s")
            if not isinstance(after, int):
                raise CursorError("Invalid cursor")
        elif prv:
            before = decode_cursor(prv, fh).get("s")
            if not isinstance(before, int):
                raise CursorError("Invalid cursor")
    except CursorError as exc:
        return error(400, str(exc))
    rows = core.orders.page(filters=filters, after_seq=after, before_seq=before, limit=size + 1)
    more = len(rows) > size
    if before is not None:
        page = rows[-size:] if more else rows
        has_previous, has_next = more, True
    else:
        page = rows[:size]
        has_next, has_previous = more, after is not None
    columns = (
        [c.strip() for c in p["columns"].split(",") if c.strip()] if p.get("columns") else None
    )
    data = [render_list_item(doc, core.base_url, columns) for _, doc in page]
    return JSONResponse(
        {
            "data": data,
            "is_paginated": True,
            "has_next": has_next,
            "has_previous": has_previous,
            "next_cursor": encode_cursor({"s": page[-1][0], "f": fh})
            if has_next and page
            else None,
            "previous_cursor": (
                encode_cursor({"s": page[0][0], "f": fh}) if has_previous and page else None
            ),
            "page_size": size,
        }
    )


async def get_order(request: Request) -> Response:
    core = core_of(request)
    doc = core.orders.get(request.path_params["order_id"])
    if doc is None:
        return not_found("Order not found")
    return JSONResponse(render_order(doc, core.base_url))


async def check_payment(request: Request) -> Response:
    return await get_order(request)


ROUTES, SCOPES = v3_routes(
    [
        ("GET", "/v3/orders", list_orders, "order:list"),
        ("POST", "/v3/orders", create_order, "order:create"),
        ("GET", "/v3/orders/{order_id}", get_order, "order:read"),
        ("POST", "/v3/orders/{order_id}/check-payment", check_payment, "order:read"),
    ]
)
