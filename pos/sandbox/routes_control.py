"""``/__sandbox`` control routes (no auth, never rate-limited or faulted): orders, request log,
faults, rate limit, busy-phone seeding, health.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pos.sandbox.common import core_of, error, json_body, not_found, with_json_body
from pos.sandbox.core import SandboxCore
from pos.sandbox.faults import FaultConfig
from pos.sandbox.orders import mark_canceled, mark_paid, render_order
from pos.sandbox.placing import seed_orders


async def ctl_health(request: Request) -> Response:
    core = core_of(request)
    return JSONResponse(
        {
            "status": "ok",
            "base_url": core.base_url,
            "orders": core.orders.count(),
            "rate_limit": core.limiter.enabled,
            "hourly_limit": core.limiter.hourly_limit,
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


def settings_route(
    show: Callable[[SandboxCore], dict[str, Any]],
    change: Callable[[SandboxCore, dict[str, Any]], Response | None],
) -> Callable[[Request], Awaitable[Response]]:
    """GET: ``show(core)``. PUT: ``change(core, JSON body)`` (a refusal, or ``None`` when the
    change is made), then ``show(core)``."""

    async def route(request: Request) -> Response:
        core = core_of(request)
        if request.method == "PUT":
            body = await json_body(request)
            if isinstance(body, Response):
                return body
            refusal = change(core, body)
            if refusal is not None:
                return refusal
        return JSONResponse(show(core))

    return route


def _set_faults(core: SandboxCore, body: dict[str, Any]) -> Response | None:
    try:
        core.faults.configure(FaultConfig.from_json(body))
    except (ValueError, TypeError) as exc:
        return error(400, str(exc))
    return None


def _set_rate_limit(core: SandboxCore, body: dict[str, Any]) -> Response | None:
    enabled, hourly = body.get("enabled"), body.get("hourly_limit")
    if (enabled is None and "hourly_limit" not in body) or (
        enabled is not None and not isinstance(enabled, bool)
    ):
        return error(400, 'expected {"enabled": true|false, "hourly_limit"?: N}')
    if "hourly_limit" in body:
        if hourly is not None and (
            not isinstance(hourly, int) or isinstance(hourly, bool) or hourly < 0
        ):
            return error(400, "hourly_limit must be a whole number >= 0 (0 or null: off)")
        core.limiter.hourly_limit = hourly
    if enabled is not None:
        core.limiter.enabled = enabled
    core.limiter.reset()
    return None


def _rate_limit(core: SandboxCore) -> dict[str, Any]:
    limiter = core.limiter
    return {
        "enabled": limiter.enabled,
        "limit": limiter.limit,
        "window_s": limiter.window_s,
        "hourly_limit": limiter.hourly_limit,
    }


ctl_faults = settings_route(lambda core: core.faults.config.to_json(), _set_faults)
ctl_rate_limit = settings_route(_rate_limit, _set_rate_limit)


@with_json_body
async def ctl_seed_orders(request: Request, body: dict[str, Any]) -> Response:
    """Insert ``count`` valid orders for one customer phone (a busy phone: a reseller, a
    shared office number), listed as the newest unless ``created_offset_s`` dates them back."""
    core = core_of(request)
    store = core.data.store_by_ref(str(body.get("store_id", "")))
    phone = body.get("customer_phone")
    count, offset = body.get("count", 1), body.get("created_offset_s", 0)
    if store is None:
        return error(400, "store_id must name a sandbox store")
    if not isinstance(phone, str) or not phone.strip():
        return error(400, "customer_phone is required")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 5000:
        return error(400, "count must be a whole number from 1 to 5000")
    if not isinstance(offset, int | float) or isinstance(offset, bool):
        return error(400, "created_offset_s must be a number of seconds")
    try:
        docs = seed_orders(core, store, phone.strip(), count, float(offset))
    except ValueError as exc:
        return error(400, str(exc))
    return JSONResponse({"data": [render_order(d, core.base_url) for d in docs]})


ROUTES = [
    Route("/__sandbox/health", ctl_health),
    Route("/__sandbox/orders", ctl_orders),
    Route("/__sandbox/orders/{order_id}/pay", ctl_pay, methods=["POST"]),
    Route("/__sandbox/orders/{order_id}/cancel", ctl_cancel, methods=["POST"]),
    Route("/__sandbox/requests", ctl_requests, methods=["GET", "DELETE"]),
    Route("/__sandbox/faults", ctl_faults, methods=["GET", "PUT"]),
    Route("/__sandbox/rate-limit", ctl_rate_limit, methods=["GET", "PUT"]),
    Route("/__sandbox/seed-orders", ctl_seed_orders, methods=["POST"]),
]
