"""Scalev API v3 client: one async client, typed errors, pydantic models."""

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
