"""The sandbox ASGI application: /v3 routes, payment pages, /__sandbox control routes.

``build_app(core)`` returns a pure-ASGI callable. Requests under ``/v3`` pass through
:class:`V3Gate` (request log -> faults -> auth -> rate limit -> scope check) before reaching the
Starlette router; everything else goes straight to the router.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import re
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos.sandbox.data import Bundle, DemoData, Product, Store
from pos.sandbox.faults import FaultConfig, FaultInjector
from pos.sandbox.keys import DEMO_API_KEY, NO_CHANGE_STATUS_DEMO_KEY, RESTRICTED_DEMO_KEY
from pos.sandbox.orders import (
    OrderBuilder,
    ValidationFailed,
    mark_canceled,
    mark_paid,
    new_order_number,
    now_iso,
    render_list_item,
    render_order,
)
from pos.sandbox.pagination import (
    CursorError,
    decode_cursor,
    encode_cursor,
    filter_hash,
    page_size_of,
    paginate_offset,
)
from pos.sandbox.ratelimit import RateLimiter
from pos.sandbox.routes_counter import COUNTER_ROUTES
from pos.sandbox.shipping import ShippingCalculator, courier_result_json, warehouse_json
from pos.sandbox.store import OrderStore

RESTRICTED_SCOPES = frozenset({"store:list", "store:read", "product:list", "bundle:list"})

_SCOPE_TABLE: list[tuple[str, re.Pattern[str], str]] = [
    (m, re.compile(p), s)
    for m, p, s in (
        ("GET", r"^/v3/stores/simplified$", "store:list"),
        ("GET", r"^/v3/stores/[^/]+/payment-methods$", "store:read"),
        ("GET", r"^/v3/stores/[^/]+/products$", "product:list"),
        ("GET", r"^/v3/stores/[^/]+/bundles$", "bundle:list"),
        ("GET", r"^/v3/products$", "product:list"),
        ("GET", r"^/v3/bundles/simplified$", "bundle:list"),
        ("GET", r"^/v3/bundles/[^/]+$", "bundle:read"),
        ("GET", r"^/v3/locations(/.*)?$", "order:create"),
        ("POST", r"^/v3/shipping-costs/.*$", "order:create"),
        ("POST", r"^/v3/orders$", "order:create"),
        ("GET", r"^/v3/orders$", "order:list"),
        ("GET", r"^/v3/orders/[^/]+$", "order:read"),
        ("POST", r"^/v3/orders/[^/]+/check-payment$", "order:read"),
    )
]


def scope_for(method: str, path: str) -> str:
    for m, pattern, scope in _SCOPE_TABLE:
        if m == method and pattern.match(path):
            return scope
    return "unknown"


class SandboxCore:
    """Shared state of one sandbox instance (used by the routes and the control API)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        rate_limit: bool = True,
        faults: FaultConfig | None = None,
        products: int | None = None,
        seed: int = 7,
        log_requests: bool = False,
    ) -> None:
        self.data = DemoData(seed=seed, products=products)
        self.shipping = ShippingCalculator(self.data)
        self.builder = OrderBuilder(self.data, self.shipping)
        self.orders = OrderStore(Path(data_dir) / "sandbox.sqlite3")
        self.faults = FaultInjector(faults)
        self.limiter = RateLimiter(100, 10.0, enabled=rate_limit)
        self.requests: deque[dict[str, Any]] = deque(maxlen=5000)
        self.requests_lock = threading.Lock()
        self.base_url = ""
        self.log_requests = log_requests
        self.stopping = threading.Event()

    def close(self) -> None:
        self.orders.close()

    def record(self, entry: dict[str, Any]) -> None:
        with self.requests_lock:
            self.requests.append(entry)


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------
def error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def not_found(what: str = "Not found") -> JSONResponse:
    return error(404, what)


def core_of(request: Request) -> SandboxCore:
    core: SandboxCore = request.app.state.core
    return core


def params_of(request: Request) -> dict[str, str]:
    return dict(request.query_params)


def listing(
    request: Request, items: list[Any], render: Callable[[Any], dict[str, Any]]
) -> JSONResponse:
    params = params_of(request)
    try:
        chunk, meta = paginate_offset(items, request.url.path, params)
    except CursorError as exc:
        return error(400, str(exc))
    return JSONResponse({"data": [render(x) for x in chunk], "is_paginated": True, **meta})


async def json_body(request: Request) -> dict[str, Any] | Response:
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        return error(400, "Malformed JSON body")
    if not isinstance(body, dict):
        return error(400, "Request body must be a JSON object")
    return body


def store_simplified(store: Store) -> dict[str, Any]:
    return {
        "id": store.id,
        "unique_id": store.unique_id,
        "uuid": store.uuid,
        "name": store.name,
        "logo": store.logo,
        "business_id": store.business_id,
        "custom_domain": (
            {"id": store.id % 1000, "full_url": store.domain, "is_verified": True}
            if store.domain
            else None
        ),
        "payment_methods": list(store.payment_methods),
        "sub_payment_methods": store.sub_payment_methods,
    }


def store_product(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "name": product.name,
        "display": product.display,
        "is_visible": product.is_visible,
        "variants": [
            {
                "id": v.id,
                "unique_id": v.unique_id,
                "fullname": v.fullname,
                "sku": v.sku,
                "price": v.price,
            }
            for v in product.variants
            if v.is_visible
        ],
    }


def image_url(product_id: int) -> str:
    return f"https://cdn.scalev.id/Image/product-{product_id}.webp"


def full_product(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "uuid": f"00000000-0000-4000-8000-{product.id:012d}",
        "name": product.name,
        "display": product.display,
        "slug": product.slug,
        "item_type": product.item_type,
        "pricing_type": product.pricing_type,
        "is_inventory": product.item_type == "physical",
        "is_visible": product.is_visible,
        "store_id": product.store_id,
        "images": [image_url(product.id)],
        "option1_name": product.option1_name,
        "option2_name": None,
        "option3_name": None,
        "variants": [
            {
                "id": v.id,
                "unique_id": v.unique_id,
                "fullname": v.fullname,
                "name": v.option1_value or product.name,
                "sku": v.sku,
                "price": v.price,
                "weight": v.weight,
                "item_type": v.item_type,
                "is_checked": v.is_visible,
                "option1_value": v.option1_value,
                "option2_value": None,
                "option3_value": None,
                "images": [image_url(product.id)],
            }
            for v in product.variants
        ],
    }


def price_option(o: Any) -> dict[str, Any]:
    return {
        "id": o.id,
        "unique_id": o.unique_id,
        "name": o.name,
        "price": o.price,
        "is_visible": o.is_visible,
    }


def store_bundle(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "weight_bump": b.weight_bump,
        "bundle_price_options": [price_option(o) for o in b.price_options],
    }


def simplified_bundle(b: Bundle, store_id: int) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "public_name": b.display,
        "custom_id": b.custom_id,
        "images": [f"https://cdn.scalev.id/Image/bundle-{b.id}.webp"],
        "is_bundle_sharing": False,
        "weight_bump": b.weight_bump,
        "bundle_price_options": [
            {
                "id": o.id,
                "unique_id": o.unique_id,
                "name": o.name,
                "price": o.price,
                "price_bt": o.price,
                "slug": o.slug,
                "is_owned_by_store": b.store_id == store_id,
                "is_visible": o.is_visible,
            }
            for o in b.price_options
        ],
    }


def bundle_detail(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "public_name": b.display,
        "custom_id": b.custom_id,
        "store_id": b.store_id,
        "item_type": b.item_type,
        "weight_bump": b.weight_bump,
        "images": [f"https://cdn.scalev.id/Image/bundle-{b.id}.webp"],
        "bundle_price_options": [price_option(o) | {"slug": o.slug} for o in b.price_options],
        "bundlelines": [
            {
                "id": line_id,
                "quantity": qty,
                "variant": {
                    "id": v.id,
                    "unique_id": v.unique_id,
                    "sku": v.sku,
                    "fullname": v.fullname,
                    "weight": v.weight,
                    "price": v.price,
                    "item_type": v.item_type,
                },
            }
            for line_id, v, qty in b.lines
        ],
    }


def _int_param(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


# ---------------------------------------------------------------------------------------------
# /v3 routes
# ---------------------------------------------------------------------------------------------
async def stores_simplified(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    stores = core.data.stores
    search = (p.get("search") or "").strip().casefold()
    if search:
        stores = [s for s in stores if search in s.name.casefold()]
    domain = (p.get("domain") or "").strip().lower()
    if domain:
        stores = [s for s in stores if s.domain and domain in s.domain.lower()]
    if p.get("has_domain") in ("true", "false"):
        want = p["has_domain"] == "true"
        stores = [s for s in stores if bool(s.domain) == want]
    return listing(request, stores, store_simplified)


def _numeric_store(core: SandboxCore, raw: str) -> Store | None:
    return core.data.stores_by_id.get(int(raw)) if raw.isdigit() else None


async def store_payment_methods(request: Request) -> Response:
    store = _numeric_store(core_of(request), request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return JSONResponse({"data": list(store.payment_methods), "is_paginated": False})


async def store_products(request: Request) -> Response:
    store = core_of(request).data.store_by_ref(request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return listing(request, store.products, store_product)


async def products(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    items: list[Product]
    if p.get("store_id"):
        items = []
        for ref in p["store_id"].split(","):
            store = core.data.store_by_ref(ref.strip())
            if store is not None:
                items.extend(store.products)
    else:
        items = [prod for s in core.data.stores for prod in s.products]
    if p.get("item_type"):
        items = [x for x in items if x.item_type == p["item_type"]]
    if p.get("is_inventory") in ("true", "false"):
        want = p["is_inventory"] == "true"
        items = [x for x in items if (x.item_type == "physical") == want]
    search = (p.get("search") or "").strip().casefold()
    if search:
        items = [
            x
            for x in items
            if search in x.name.casefold() or any(search in v.sku.casefold() for v in x.variants)
        ]
    return listing(request, items, full_product)


async def store_bundles(request: Request) -> Response:
    store = _numeric_store(core_of(request), request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return listing(request, store.bundles, store_bundle)


async def bundles_simplified(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    raw = p.get("store_id") or p.get("for_store_id")
    if raw:
        store = _numeric_store(core, raw)
        if store is None:
            return error(400, "store_id must be a numeric store id")
        bundles, sid = store.bundles, store.id
    else:
        bundles, sid = [b for s in core.data.stores for b in s.bundles], 0
    search = (p.get("search") or "").strip().casefold()
    if search:
        bundles = [b for b in bundles if search in b.name.casefold()]
    return listing(request, bundles, lambda b: simplified_bundle(b, sid or b.store_id))


async def bundle_get(request: Request) -> Response:
    raw = request.path_params["bundle_id"]
    bundle = core_of(request).data.bundles_by_id.get(int(raw)) if raw.isdigit() else None
    if bundle is None:
        return not_found("Bundle not found")
    return JSONResponse(bundle_detail(bundle))


async def locations(request: Request) -> Response:
    core = core_of(request)
    search = (params_of(request).get("search") or "").strip().casefold()
    items = core.data.locations
    if search:
        items = [
            loc
            for loc in items
            if search in loc.subdistrict_name.casefold()
            or search in loc.city_name.casefold()
            or search in loc.province_name.casefold()
            or search in loc.display.casefold()
        ]
        # Subdistrict-name matches first, then the rest (stable).
        items.sort(key=lambda loc: 0 if loc.subdistrict_name.casefold().startswith(search) else 1)
    return listing(request, items, lambda loc: loc.public())


async def location_postal_codes(request: Request) -> Response:
    raw = request.path_params["location_id"]
    loc = core_of(request).data.locations_by_id.get(int(raw)) if raw.isdigit() else None
    if loc is None:
        return not_found("Location not found")
    return JSONResponse(
        {"data": [{"postal_code": c} for c in loc.postal_codes], "is_paginated": False}
    )


async def search_warehouse(request: Request) -> Response:
    core = core_of(request)
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    store_id = _int_param(body.get("store_id"))
    dest_id = _int_param(body.get("destination_id"))
    variants = body.get("variants")
    if store_id is None or dest_id is None or not isinstance(variants, list):
        return error(
            400, "store_id, destination_id and variants are required", error_code="bad_request"
        )
    store = core.data.stores_by_id.get(store_id)
    if store is None:
        return error(400, f"Store {store_id} not found", error_code="bad_request")
    dest = core.data.locations_by_id.get(dest_id)
    if dest is None:
        return error(400, f"Location {dest_id} not found", error_code="bad_request")
    ids: list[int] = []
    for item in variants:
        vid = _int_param(item.get("variant_id")) if isinstance(item, dict) else None
        qty = _int_param(item.get("qty")) if isinstance(item, dict) else None
        variant = core.data.variants_by_id.get(vid) if vid is not None else None
        if variant is None or qty is None or qty < 1:
            return error(400, f"Invalid variant entry {item!r}", error_code="bad_request")
        if core.data.product_of(variant).store_id != store.id:
            return error(
                400, f"Variant {vid} is not sold in store {store.id}", error_code="bad_request"
            )
        ids.append(variant.id)
    results = [
        {
            "destination": dest.public(),
            "distance_km": km,
            "warehouse": warehouse_json(w, store.business_id, store.username),
            "warehouse_partner": None,
        }
        for w, km in core.shipping.warehouses_for_items(store.id, ids, dest)
    ]
    for r in results:  # warehouse_partner is optional and not nullable in the contract
        r.pop("warehouse_partner")
    return JSONResponse({"data": results, "is_paginated": False})


async def search_courier_service(request: Request) -> Response:
    core = core_of(request)
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    store_id = _int_param(body.get("store_id"))
    loc_id = _int_param(body.get("location_id"))
    wid = _int_param(body.get("warehouse_id"))
    weight = _int_param(body.get("weight"))
    method = body.get("payment_method")
    if None in (store_id, loc_id, wid, weight) or not isinstance(method, str):
        return error(
            400,
            "store_id, location_id, warehouse_id, payment_method and weight are required",
            error_code="bad_request",
        )
    assert store_id is not None and loc_id is not None and wid is not None and weight is not None
    store = core.data.stores_by_id.get(store_id)
    dest = core.data.locations_by_id.get(loc_id)
    warehouse = core.data.warehouses.get(wid)
    if store is None or dest is None or warehouse is None or wid not in store.warehouse_ids:
        return error(400, "Unknown store, location or warehouse", error_code="bad_request")
    postal = body.get("postal_code")
    if postal and postal not in dest.postal_codes:
        return error(
            400, f"Postal code {postal} is not in {dest.display}", error_code="bad_request"
        )
    quotes = core.shipping.quotes(warehouse, dest, weight, method)
    return JSONResponse(
        {"data": [courier_result_json(q, warehouse) for q in quotes], "is_paginated": False}
    )


async def create_order(request: Request) -> Response:
    core = core_of(request)
    body = await json_body(request)
    if isinstance(body, Response):
        return body
    phone = body.get("customer_phone")
    name = body.get("customer_name")
    key = f"phone:{phone}" if isinstance(phone, str) and phone else f"name:{name}"
    try:
        doc = core.builder.build(body, customer_id=0)
    except ValidationFailed as exc:
        return JSONResponse(exc.body(), status_code=422)
    doc["customer"]["id"] = core.orders.customer_id(key, now_iso())
    if "destination_address" in doc:
        doc["destination_address"]["id"] = doc["customer"]["id"]
    number = new_order_number()
    while core.orders.exists_order_number(number):
        number = new_order_number()
    doc["order_id"] = number
    core.orders.insert(doc)
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


# ---------------------------------------------------------------------------------------------
# payment pages (public, no auth)
# ---------------------------------------------------------------------------------------------
def rupiah(value: str | int | float) -> str:
    amount = int(float(value))
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Pesanan {order_id}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}}
table{{width:100%;border-collapse:collapse}}td{{padding:.3rem 0}}td.r{{text-align:right}}
.status{{padding:.2rem .6rem;border-radius:1rem;background:#eee}}
.paid{{background:#c8f7c5}}button{{font-size:1.1rem;padding:.7rem 1.2rem;margin-top:1rem}}
.demo{{color:#a00;font-weight:bold}}</style></head>
<body><p class="demo">SANDBOX / DEMO — bukan pembayaran sungguhan</p>
<h1>{store}</h1><p>Nomor pesanan: <strong id="order-number">{order_id}</strong></p>
<table>{rows}<tr><td><strong>Total</strong></td>
<td class="r"><strong id="amount">{total}</strong></td></tr></table>
<p>Status: <span id="status" class="status {cls}">{status}</span>
 Pembayaran: <span id="payment-status" class="status {cls}">{payment_status}</span></p>
{form}</body></html>"""


def payment_page(doc: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(line['product_name'])} &times; {line['quantity']}</td>"
        f"<td class='r'>{rupiah(line['product_price'])}</td></tr>"
        for line in doc["orderlines"]
    )
    if float(doc["shipping_cost"]):
        rows += f"<tr><td>Ongkos kirim</td><td class='r'>{rupiah(doc['shipping_cost'])}</td></tr>"
    paid = doc["payment_status"] in ("paid", "settled")
    form = (
        ""
        if paid or doc["status"] == "canceled"
        else f"<form method='post' action='/o/{doc['secret_slug']}/pay'>"
        "<button id='pay' type='submit'>Bayar (simulasi) / Simulate payment</button></form>"
    )
    return _PAGE.format(
        order_id=html.escape(doc["order_id"]),
        store=html.escape(doc["store"]["name"]),
        rows=rows,
        total=rupiah(doc["gross_revenue"]),
        status=html.escape(doc["status"]),
        payment_status=html.escape(doc["payment_status"]),
        cls="paid" if paid else "",
        form=form,
    )


async def public_order(request: Request) -> Response:
    doc = core_of(request).orders.get_by_slug(request.path_params["slug"])
    if doc is None:
        return HTMLResponse("<h1>Pesanan tidak ditemukan</h1>", status_code=404)
    return HTMLResponse(payment_page(doc))


async def public_pay(request: Request) -> Response:
    core = core_of(request)
    slug = request.path_params["slug"]
    doc = core.orders.get_by_slug(slug)
    if doc is None:
        return HTMLResponse("<h1>Pesanan tidak ditemukan</h1>", status_code=404)
    core.orders.update(mark_paid(doc))
    return RedirectResponse(f"/o/{slug}/success", status_code=303)


# ---------------------------------------------------------------------------------------------
# /__sandbox control routes (no auth)
# ---------------------------------------------------------------------------------------------
async def ctl_health(request: Request) -> Response:
    core = core_of(request)
    return JSONResponse(
        {
            "status": "ok",
            "base_url": core.base_url,
            "orders": core.orders.count(),
            "rate_limit": core.limiter.enabled,
            "stores": len(core.data.stores),
            "products": len(core.data.products_by_id),
        }
    )


async def ctl_orders(request: Request) -> Response:
    core = core_of(request)
    docs = core.orders.all()
    pos_ref = request.query_params.get("pos_ref")
    if pos_ref:
        docs = [d for d in docs if (d.get("metadata") or {}).get("pos_ref") == pos_ref]
    return JSONResponse({"data": [render_order(d, core.base_url) for d in docs]})


async def _ctl_transition(
    request: Request, change: Callable[[dict[str, Any]], dict[str, Any]]
) -> Response:
    core = core_of(request)
    doc = core.orders.get(request.path_params["order_id"])
    if doc is None:
        return not_found("Order not found")
    doc = change(doc)
    core.orders.update(doc)
    return JSONResponse(render_order(doc, core.base_url))


async def ctl_pay(request: Request) -> Response:
    return await _ctl_transition(request, mark_paid)


async def ctl_cancel(request: Request) -> Response:
    return await _ctl_transition(request, mark_canceled)


async def ctl_requests(request: Request) -> Response:
    core = core_of(request)
    if request.method == "DELETE":
        with core.requests_lock:
            core.requests.clear()
        return Response(status_code=204)
    with core.requests_lock:
        data = list(core.requests)
    return JSONResponse({"data": data})


async def ctl_faults(request: Request) -> Response:
    core = core_of(request)
    if request.method == "PUT":
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        try:
            core.faults.configure(FaultConfig.from_json(body))
        except (ValueError, TypeError) as exc:
            return error(400, str(exc))
    return JSONResponse(core.faults.config.to_json())


async def ctl_rate_limit(request: Request) -> Response:
    core = core_of(request)
    if request.method == "PUT":
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        if not isinstance(body.get("enabled"), bool):
            return error(400, 'expected {"enabled": true|false}')
        core.limiter.enabled = body["enabled"]
        core.limiter.reset()
    return JSONResponse(
        {
            "enabled": core.limiter.enabled,
            "limit": core.limiter.limit,
            "window_s": core.limiter.window_s,
        }
    )


async def not_found_v3(request: Request) -> Response:
    return not_found()


ROUTES = [
    Route("/v3/stores/simplified", stores_simplified),
    Route("/v3/stores/{store_id}/payment-methods", store_payment_methods),
    Route("/v3/stores/{store_id}/products", store_products),
    Route("/v3/stores/{store_id}/bundles", store_bundles),
    Route("/v3/products", products),
    Route("/v3/bundles/simplified", bundles_simplified),
    Route("/v3/bundles/{bundle_id}", bundle_get),
    Route("/v3/locations", locations),
    Route("/v3/locations/{location_id}/postal-codes", location_postal_codes),
    Route("/v3/shipping-costs/search-warehouse", search_warehouse, methods=["POST"]),
    Route("/v3/shipping-costs/search-courier-service", search_courier_service, methods=["POST"]),
    Route("/v3/orders", list_orders, methods=["GET"]),
    Route("/v3/orders", create_order, methods=["POST"]),
    *COUNTER_ROUTES,
    Route("/v3/orders/{order_id}", get_order),
    Route("/v3/orders/{order_id}/check-payment", check_payment, methods=["POST"]),
    Route("/o/{slug}", public_order),
    Route("/o/{slug}/success", public_order),
    Route("/o/{slug}/pay", public_pay, methods=["POST"]),
    Route("/__sandbox/health", ctl_health),
    Route("/__sandbox/orders", ctl_orders),
    Route("/__sandbox/orders/{order_id}/pay", ctl_pay, methods=["POST"]),
    Route("/__sandbox/orders/{order_id}/cancel", ctl_cancel, methods=["POST"]),
    Route("/__sandbox/requests", ctl_requests, methods=["GET", "DELETE"]),
    Route("/__sandbox/faults", ctl_faults, methods=["GET", "PUT"]),
    Route("/__sandbox/rate-limit", ctl_rate_limit, methods=["GET", "PUT"]),
]


# ---------------------------------------------------------------------------------------------
# the /v3 gate: log, faults, auth, rate limit, scopes
# ---------------------------------------------------------------------------------------------
def abort_connection(send: Send) -> None:
    """Abort the TCP connection with an RST (SO_LINGER 0) and no HTTP response."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:  # pragma: no cover - only with a non-uvicorn server
        raise RuntimeError("cannot reach the transport to reset the connection")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    if cycle is not None and hasattr(cycle, "disconnected"):
        cycle.disconnected = True  # uvicorn must not try to send a 500 afterwards


async def _send_simple(
    send: Send, status: int, body: bytes, content_type: str, headers: Iterable[tuple[str, str]] = ()
) -> None:
    raw_headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj).encode()


class V3Gate:
    def __init__(self, app: ASGIApp, core: SandboxCore) -> None:
        self.app = app
        self.core = core

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status_box = {"status": 0}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
            await send(message)

        try:
            if scope["path"].startswith("/v3/") or scope["path"] == "/v3":
                await self._v3(scope, receive, send, status_box)
            else:
                await self.app(scope, receive, logged_send)
        finally:
            if self.core.log_requests:
                ms = (time.perf_counter() - started) * 1000
                status = status_box["status"] or "RST"
                query = ("?" + scope["query_string"].decode()) if scope.get("query_string") else ""
                print(
                    f"{scope['method']} {scope['path']}{query} -> {status} ({ms:.0f} ms)",
                    file=sys.stderr,
                    flush=True,
                )

    async def _v3(
        self, scope: Scope, receive: Receive, send: Send, status_box: dict[str, Any]
    ) -> None:
        core = self.core
        method = scope["method"]
        path = scope["path"]
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        raw = b"".join(chunks)
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        parsed: Any = None
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        decision = core.faults.decide(method, path)
        entry: dict[str, Any] = {
            "time": now_iso(),
            "method": method,
            "path": path,
            "query": dict(
                parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
            ),
            "json": parsed,
            "body": raw.decode("utf-8", "replace") if raw and parsed is None else None,
            "authorization": headers.get("authorization"),
            "fault": decision.fault,
        }
        core.record(entry)

        async def respond(
            status: int, body: bytes, ctype: str, extra: Iterable[tuple[str, str]] = ()
        ) -> None:
            status_box["status"] = status
            await _send_simple(send, status, body, ctype, extra)

        if decision.latency_ms:
            await asyncio.sleep(decision.latency_ms / 1000)
        if decision.fault == "timeout":
            deadline = time.monotonic() + decision.hang_s
            # core.stopping is a threading.Event set by stop() from another thread.
            while time.monotonic() < deadline and not core.stopping.is_set():  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        if decision.fault == "reset":
            abort_connection(send)
            await asyncio.sleep(0)
            return
        if decision.fault == "5xx":
            await respond(
                decision.status, _json_bytes({"error": "Service Unavailable"}), "application/json"
            )
            return

        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if token not in (DEMO_API_KEY, RESTRICTED_DEMO_KEY, NO_CHANGE_STATUS_DEMO_KEY):
            # Unauthenticated callers share a per-IP bucket, so 401s carry the headers too.
            client = scope.get("client") or ("?", 0)
            anon = core.limiter.hit(f"anon:{client[0]}")
            await respond(
                401,
                _json_bytes({"error": "Invalid API key"}),
                "application/json",
                anon.headers().items(),
            )
            return
        if decision.fault == "429":
            core.limiter.block(token, core.faults.config.burst_s)
        state = core.limiter.hit(token)
        rl_headers = list(state.headers().items())
        if not state.allowed:
            await respond(
                429,
                b"Too many requests",
                "text/plain; charset=utf-8",
                [*rl_headers, ("Retry-After", str(state.retry_after))],
            )
            return
        if token == RESTRICTED_DEMO_KEY and scope_for(method, path) not in RESTRICTED_SCOPES:
            await respond(403, _json_bytes({"error": "Forbidden"}), "application/json", rl_headers)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        dropping = decision.fault == "drop_after_commit"
        delaying = decision.fault == "delay_after_commit"
        encoded = [(k.lower().encode(), v.encode()) for k, v in rl_headers]

        async def gated_send(message: Message) -> None:
            if dropping:
                if message["type"] == "http.response.start":
                    abort_connection(send)
                return
            if delaying and message["type"] == "http.response.start":
                # committed; hold the reply (a slow network after the commit)
                deadline = time.monotonic() + decision.hang_s
                while time.monotonic() < deadline and not core.stopping.is_set():  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
            if message["type"] == "http.response.start":
                status_box["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *encoded]}
            await send(message)

        await self.app(scope, replay, gated_send)
        if dropping:
            await asyncio.sleep(0)


def build_app(core: SandboxCore) -> ASGIApp:
    starlette = Starlette(
        routes=[
            *ROUTES,
            Route(
                "/v3/{rest:path}", not_found_v3, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]
            ),
        ]
    )
    starlette.state.core = core
    return V3Gate(starlette, core)
