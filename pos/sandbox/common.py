"""Helpers shared by the route modules: error replies, the core, query params, listings."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pos.sandbox.core import SandboxCore
from pos.sandbox.data import Store
from pos.sandbox.pagination import CursorError, paginate_offset

T = TypeVar("T")


Endpoint = Callable[[Request], Awaitable[Response]]


def v3_routes(
    table: Iterable[tuple[str, str, Endpoint, str]],
) -> tuple[list[Route], list[tuple[str, str, str]]]:
    """A route group's ``(ROUTES, SCOPES)`` from one table of ``(method, path, endpoint,
    scope)``: the Starlette routes, and the ``(method, path regex, scope)`` entries the ``/v3``
    gate checks the restricted key against (a ``{param}`` matches one path segment)."""
    routes: list[Route] = []
    scopes: list[tuple[str, str, str]] = []
    for method, path, endpoint, scope in table:
        routes.append(Route(path, endpoint, methods=[method]))
        literal = (re.escape(part) for part in re.split(r"\{[^}]+\}", path))
        scopes.append((method, "^" + "[^/]+".join(literal) + "$", scope))
    return routes, scopes


def error(status: int, text: str, **extra: Any) -> JSONResponse:
    """``{"error": text, **extra}`` with ``status`` (``extra`` may carry a ``message`` too)."""
    return JSONResponse({"error": text, **extra}, status_code=status)


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


def search_term(params: Mapping[str, str]) -> str:
    """The ``search`` query parameter, trimmed and case-folded ("" when absent)."""
    return (params.get("search") or "").strip().casefold()


async def json_body(request: Request) -> dict[str, Any] | Response:
    raw = await request.body()
    try:
        body = json.loads(raw or b"null")
    except ValueError:
        return error(400, "Malformed JSON body")
    if not isinstance(body, dict):
        return error(400, "Request body must be a JSON object")
    return body


BodyHandler = Callable[[Request, dict[str, Any]], Awaitable[Response]]


def with_json_body(handler: BodyHandler) -> Endpoint:
    """A route that reads the request's JSON object body and hands it to ``handler`` (a
    malformed or non-object body is answered 400 without calling it)."""

    async def route(request: Request) -> Response:
        body = await json_body(request)
        if isinstance(body, Response):
            return body
        return await handler(request, body)

    route.__name__ = route.__qualname__ = handler.__name__
    route.__doc__ = handler.__doc__
    return route


def int_param(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def by_numeric_id(table: Mapping[int, T], raw: str) -> T | None:
    """``table[int(raw)]`` for a digits-only ``raw`` (a path part), else ``None``."""
    return table.get(int(raw)) if raw.isdigit() else None


def numeric_store(core: SandboxCore, raw: str) -> Store | None:
    return by_numeric_id(core.data.stores_by_id, raw)
