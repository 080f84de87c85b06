"""Sandbox routes for taking the money at the counter (issue 13).

* ``POST /v3/orders/change-status`` — bulk status / payment-status change (``ids`` +
  ``status`` or ``payment_status``), idempotent; the demo key variant
  :data:`~pos.sandbox.keys.NO_CHANGE_STATUS_DEMO_KEY` lacks ``order:change_status`` → ``403``.
* ``POST /v3/orders/{id}/payment`` — the order's raw ``pg_payment_info``; for ``qris`` an
  EMVCo-shaped QRIS string (merchant, amount, bill number, CRC16-CCITT in tag ``63``).
* ``POST /v3/orders/{id}/update-tags`` — replaces the order's tags; returns the Order.
* ``GET /v3/orders/statistics`` — count and gross revenue of the filtered orders, optionally
  broken down by status and/or day.

The ``tags`` filter of ``GET /v3/orders`` lives in :mod:`pos.sandbox.store`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pos.sandbox.common import core_of, error, json_body, not_found, v3_routes, with_json_body
from pos.sandbox.data import ALL_PAYMENT_METHODS
from pos.sandbox.keys import NO_CHANGE_STATUS_DEMO_KEY
from pos.sandbox.orders import mark_canceled, mark_paid, now_iso, render_order

ORDER_STATUSES = (
    "draft", "pending", "confirmed", "in_process", "ready", "shipped", "completed",
    "canceled", "rts", "closed",
)  # fmt: skip
PAYMENT_STATUSES = ("unpaid", "paid", "conflict", "settled")
MAX_TAGS = 50
MAX_TAG_LENGTH = 64


# -- QRIS (EMVCo merchant-presented QR) --------------------------------------------------------
def crc16_ccitt(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), as EMVCo QR tag 63 uses."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"EMV field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _ascii(text: str, limit: int) -> str:
    cleaned = "".join(ch for ch in text if 0x20 <= ord(ch) <= 0x7E).strip()
    return (cleaned or "-")[:limit]


def qris_string(*, merchant: str, city: str, amount: int, bill_number: str, nmid: str) -> str:
    """A dynamic QRIS payload with its CRC (the layout Indonesian acquirers print)."""
    body = "".join(
        (
            _tlv("00", "01"),
            _tlv("01", "12"),  # dynamic: one amount, one payment
            _tlv(
                "26",
                _tlv("00", "ID.CO.SANDBOX.WWW")
                + _tlv("01", "936000000000000000")
                + _tlv("02", nmid)
                + _tlv("03", "UMI"),
            ),
            _tlv("51", _tlv("00", "ID.CO.QRIS.WWW") + _tlv("02", nmid) + _tlv("03", "UMI")),
            _tlv("52", "5499"),
            _tlv("53", "360"),
            _tlv("54", str(int(amount))),
            _tlv("58", "ID"),
            _tlv("59", _ascii(merchant, 25)),
            _tlv("60", _ascii(city, 15)),
            _tlv("62", _tlv("01", _ascii(bill_number, 25)) + _tlv("07", "KASIR")),
        )
    )
    payload = body + "6304"
    return payload + f"{crc16_ccitt(payload.encode('ascii')):04X}"


def qris_for(doc: dict[str, Any]) -> str:
    store = doc.get("store") or {}
    return qris_string(
        merchant=str(store.get("name") or "Sandbox"),
        city="JAKARTA",
        amount=round(float(doc["gross_revenue"])),
        bill_number=str(doc["order_id"]),
        nmid=f"ID10{int(store.get('id') or 0):011d}",
    )


def _payment_info(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    method = doc.get("payment_method") or ""
    info = doc.get("pg_payment_info")
    if method == "qris":
        return {"qr_string": qris_for(doc)}
    if method in ("invoice", "payment_link"):
        return {"invoice_url": f"{base_url}/o/{doc['secret_slug']}/success"}
    if isinstance(info, dict):
        return dict(info)
    return {}


def _token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


# -- routes ------------------------------------------------------------------------------------
async def change_status(request: Request) -> Response:
    core = core_of(request)
    if _token(request) == NO_CHANGE_STATUS_DEMO_KEY:
        return error(403, "Forbidden", message="This API key lacks the order:change_status scope")
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    ids = body.get("ids")
    status = body.get("status")
    payment_status = body.get("payment_status")
    problems: list[dict[str, str]] = []

    def problem(field: str, code: str, message: str) -> None:
        problems.append({"severity": "error", "code": code, "field": field, "message": message})

    if not isinstance(ids, list) or not ids:
        problem("ids", "required", "ids must be a non-empty list")
    elif not all(isinstance(i, str | int) and not isinstance(i, bool) for i in ids):
        problem("ids", "invalid", "ids must be order ids")
    if status is None and payment_status is None:
        problem("status", "required", "status or payment_status is required")
    if status is not None and status not in ORDER_STATUSES:
        problem("status", "invalid", f"Unknown status {status!r}")
    if payment_status is not None and payment_status not in PAYMENT_STATUSES:
        problem("payment_status", "invalid", f"Unknown payment_status {payment_status!r}")
    method = body.get("payment_method")
    if method is not None and method not in ALL_PAYMENT_METHODS:
        problem("payment_method", "invalid", f"Unknown payment_method {method!r}")
    if problems:
        return error(
            400,
            problems[0]["message"],
            error_code="bad_request",
            message=problems[0]["message"],
            errors=problems,
        )
    docs = []
    for raw_id in ids or ():
        doc = core.orders.get(str(raw_id))
        if doc is None:
            return not_found(f"Order {raw_id} not found")
        docs.append(doc)
    out = []
    for doc in docs:
        if method is not None and payment_status in ("paid", "settled"):
            doc["payment_method"] = method
        if isinstance(body.get("transfer_time"), str):
            doc["transfer_time"] = body["transfer_time"]
        if payment_status in ("paid", "settled"):
            doc = mark_paid(doc)
        elif payment_status is not None and doc["payment_status"] != payment_status:
            doc["payment_status"] = payment_status
            doc[f"{payment_status}_time"] = now_iso()
        if status == "canceled":
            doc = mark_canceled(doc)
        elif status is not None and doc["status"] != status:
            now = now_iso()
            doc["status"] = status
            doc[f"{status}_time"] = now
            doc["status_history"].append({"status": status, "time": now, "by": body.get("by")})
        doc["last_updated_at"] = now_iso()
        core.orders.update(doc)
        rendered = render_order(doc, core.base_url)
        out.append(
            {
                "id": doc["id"],
                "order_id": doc["order_id"],
                "public_order_url": rendered["public_order_url"],
                "payment_url": rendered["payment_url"],
                "payment_status": doc["payment_status"],
                "status": doc["status"],
            }
        )
    return JSONResponse({"data": out, "is_paginated": False})


async def create_payment(request: Request) -> Response:
    core = core_of(request)
    doc = core.orders.get(request.path_params["order_id"])
    if doc is None:
        return not_found("Order not found")
    if doc["status"] == "canceled":
        return error(400, "Order is canceled", error_code="bad_request")
    info = _payment_info(doc, core.base_url)
    if doc.get("pg_payment_info") != info and doc.get("payment_method") == "qris":
        doc["pg_payment_info"] = info
        core.orders.update(doc)
    return JSONResponse(info)


@with_json_body
async def update_tags(request: Request, body: dict[str, Any]) -> Response:
    core = core_of(request)
    tags = body.get("tags")
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return error(400, "tags must be a list of strings", error_code="bad_request")
    clean: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if not tag or len(tag) > MAX_TAG_LENGTH:
            return error(400, f"Invalid tag {tag!r}", error_code="bad_request")
        if tag not in clean:
            clean.append(tag)
    if len(clean) > MAX_TAGS:
        return error(400, f"At most {MAX_TAGS} tags", error_code="bad_request")
    doc = core.orders.get(request.path_params["order_id"])
    if doc is None:
        return not_found("Order not found")
    if doc.get("tags") != clean:
        doc["tags"] = clean
        doc["last_updated_at"] = now_iso()
        core.orders.update(doc)
    return JSONResponse(render_order(doc, core.base_url))


def _local_day(iso: str, tz: str) -> str:
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    # The sandbox knows Indonesia's three zones; anything else is UTC.
    offset = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}.get(tz, 0)
    return (moment + timedelta(hours=offset)).strftime("%Y-%m-%d")


async def statistics(request: Request) -> Response:
    core = core_of(request)
    p = dict(request.query_params)
    store = None
    if p.get("store_id"):
        store = core.data.store_by_ref(p["store_id"])
        if store is None:
            return JSONResponse({"data": [], "is_paginated": True})
    statuses = {s for s in (p.get("status") or "").split(",") if s}
    payment = {s for s in (p.get("payment_status") or "").split(",") if s}
    tags = {t for t in (p.get("tags") or "").split(",") if t}
    by_status = p.get("is_breakdown_status") == "true"
    by_day = p.get("breakdown_date") == "day"
    tz = p.get("tz") or "Asia/Jakarta"
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for doc in core.orders.all():
        if store is not None and doc["store"]["id"] != store.id:
            continue
        if statuses and doc["status"] not in statuses:
            continue
        if payment and doc["payment_status"] not in payment:
            continue
        if tags and not tags & set(doc.get("tags") or []):
            continue
        key = (
            doc["status"] if by_status else "",
            _local_day(doc["created_at"], tz) if by_day else "",
        )
        groups[key][0] += 1
        groups[key][1] += round(float(doc["gross_revenue"]))
    if not groups and not by_status and not by_day:
        groups[("", "")] = [0, 0]
    data = []
    for (status, day), (count, gross) in sorted(groups.items()):
        item: dict[str, Any] = {"count": count, "gross_revenue": gross}
        if status:
            item["status"] = status
        if day:
            item["day"] = day
        data.append(item)
    return JSONResponse({"data": data, "is_paginated": True})


ROUTES, SCOPES = v3_routes(
    [
        ("GET", "/v3/orders/statistics", statistics, "order:list"),
        ("POST", "/v3/orders/change-status", change_status, "order:change_status"),
        ("POST", "/v3/orders/{order_id}/payment", create_payment, "order:update"),
        ("POST", "/v3/orders/{order_id}/update-tags", update_tags, "order:update"),
    ]
)
