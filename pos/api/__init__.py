"""Scalev API v3 client: one async client, typed errors, pydantic models.

The names below load on first use (PEP 562): ``import pos.api.errors`` (or
``pos.api.ratelimit``) must not import httpx and pydantic through ``pos.api.client`` — the
app paints its cached catalog before it needs either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import DEFAULT_BASE_URL, MAX_PAGE_SIZE, ScalevClient
    from .errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConflictError,
        InvalidResponseError,
        NotFoundError,
        OrderOutcomeUnknown,
        PermissionDeniedError,
        RateLimitedError,
        ScalevError,
        ServerError,
        ValidationFailed,
    )
    from .ratelimit import RateLimiter

_WHERE = {
    "DEFAULT_BASE_URL": "client",
    "MAX_PAGE_SIZE": "client",
    "ScalevClient": "client",
    "RateLimiter": "ratelimit",
}


def __getattr__(name: str) -> Any:
    if name in __all__:
        module = importlib.import_module(f".{_WHERE.get(name, 'errors')}", __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_BASE_URL",
    "MAX_PAGE_SIZE",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InvalidResponseError",
    "NotFoundError",
    "OrderOutcomeUnknown",
    "PermissionDeniedError",
    "RateLimitedError",
    "RateLimiter",
    "ScalevClient",
    "ScalevError",
    "ServerError",
    "ValidationFailed",
]
