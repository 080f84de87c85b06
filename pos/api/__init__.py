"""Scalev API v3 client: one async client, typed errors, pydantic models.

The names below load on first use (PEP 562): ``import pos.api.errors`` (or
``pos.api.ratelimit``) must not import httpx and pydantic through ``pos.api.client`` — the
app paints its cached catalog before it needs either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pos.lazy import lazy_exports

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

__getattr__ = lazy_exports(__name__, {name: _WHERE.get(name, "errors") for name in __all__})
