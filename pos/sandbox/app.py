"""The sandbox ASGI application: the route groups behind the ``/v3`` gate.

``build_app(core)`` returns a pure-ASGI callable. Requests under ``/v3`` pass through
:class:`~pos.sandbox.gate.V3Gate` (request log -> faults -> auth -> rate limit -> scope check)
before reaching the Starlette router; everything else goes straight to the router.

A new group of routes is a module with ``ROUTES`` (Starlette routes) and, for ``/v3`` routes,
``SCOPES`` (``(method, path regex, scope)``, checked for the restricted key), both made from one
table by :func:`pos.sandbox.common.v3_routes`: add it to ``ROUTE_GROUPS`` below (any position:
literal paths are tried before parametrised ones).
"""

from __future__ import annotations

from types import ModuleType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from pos.sandbox import (
    routes_catalog,
    routes_control,
    routes_counter,
    routes_orders,
    routes_pages,
    routes_shipping,
)
from pos.sandbox.common import not_found
from pos.sandbox.core import SandboxCore
from pos.sandbox.gate import ScopeTable, V3Gate

ROUTE_GROUPS: tuple[ModuleType, ...] = (
    routes_catalog,
    routes_shipping,
    routes_orders,
    routes_counter,
    routes_pages,
    routes_control,
)


async def not_found_v3(request: Request) -> Response:
    return not_found()


def routes() -> list[BaseRoute]:
    """Every group's routes, literal paths before parametrised ones (``/v3/orders/statistics``
    before ``/v3/orders/{order_id}``, whatever the group order), then the ``/v3`` catch-all."""
    out: list[BaseRoute] = [route for group in ROUTE_GROUPS for route in group.ROUTES]
    out.sort(key=lambda route: str(getattr(route, "path", "")).count("{"))  # stable
    out.append(
        Route("/v3/{rest:path}", not_found_v3, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    )
    return out


def scopes() -> ScopeTable:
    return ScopeTable(entry for group in ROUTE_GROUPS for entry in getattr(group, "SCOPES", ()))


def build_app(core: SandboxCore) -> ASGIApp:
    starlette = Starlette(routes=routes())
    starlette.state.core = core
    return V3Gate(starlette, core, scopes())
