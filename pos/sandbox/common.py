"""Helpers shared by the route modules: error replies, the core, query params, listings."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pos.sandbox.core import SandboxCore
from pos.sandbox.data import Store
from pos.sandbox.pagination import CursorError, paginate_offset


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


def int_param(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def numeric_store(core: SandboxCore, raw: str) -> Store | None:
    return core.data.stores_by_id.get(int(raw)) if raw.isdigit() else None
