"""The client's error tree.

Every failure the client raises is a :class:`ScalevError`. The tree separates what a caller
must treat differently:

- :class:`APIConnectionError` — the request certainly did not produce a response. For a
  request that was never sent (connect failure, connect timeout) a resend is safe.
- :class:`OrderOutcomeUnknown` — ``POST /v3/orders`` may have reached the server (timeout
  after sending, reset, 5xx). The caller must reconcile (look the order up) before resending.
- :class:`APIStatusError` and its subclasses — the server answered with an error status.
- :class:`InvalidResponseError` — the server answered 2xx with a body that does not fit.

No exception text ever contains the API key: messages are built from status, path and the
server's error fields only.
"""

from __future__ import annotations

from typing import Any


class ScalevError(Exception):
    """Base of every error raised by :mod:`pos.api`."""


class APIConnectionError(ScalevError):
    """No usable response: DNS, refused connection, TLS failure, reset before sending."""

    def __init__(self, message: str = "Connection error", *, may_have_sent: bool = False) -> None:
        super().__init__(message)
        self.may_have_sent = may_have_sent


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class OrderOutcomeUnknown(ScalevError):
    """``POST /v3/orders`` may or may not have created the order.

    Raised instead of a plain connection/5xx error when the request may have reached the
    server. Never resend blindly: reconcile by looking the order up first.
    """

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class InvalidResponseError(ScalevError):
    """A 2xx response whose body does not fit the expected model."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class APIStatusError(ScalevError):
    """The server answered with a 4xx/5xx status.

    Carries Scalev's error body fields (``error``, ``error_code``, ``message``, ``errors``)
    when the body was JSON of that shape; otherwise ``error`` holds the plain text.
    """

    def __init__(
        self,
        status_code: int,
        *,
        method: str = "",
        path: str = "",
        error: Any = None,
        error_code: str | None = None,
        message: str | None = None,
        errors: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status_code = status_code
        self.method = method
        self.path = path
        self.error = error
        self.error_code = error_code
        self.message = message
        self.errors = errors
        self.headers = dict(headers or {})
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.method or self.path:
            parts.append(f"{self.method} {self.path}".strip())
        if self.error:
            parts.append(str(self.error))
        if self.message and self.message != self.error:
            parts.append(str(self.message))
        return ": ".join(parts)


class BadRequestError(APIStatusError):
    """400/422: the request was rejected as invalid. Final: do not resend unchanged."""


class ValidationFailed(BadRequestError):
    """422 (or 400 with ``error_code=validation_failed``): field validation failed."""


class AuthenticationError(APIStatusError):
    """401: missing, invalid or expired API key."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but not allowed (e.g. a restricted key without the scope)."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class RateLimitedError(APIStatusError):
    """429 after the client's own retries were used up. ``retry_after`` in seconds."""

    def __init__(self, status_code: int = 429, *, retry_after: float | None = None, **kw: Any):
        self.retry_after = retry_after
        super().__init__(status_code, **kw)


class ServerError(APIStatusError):
    """5xx."""


class HourlyBudgetReserved(ScalevError):
    """A bulk request (catalog paging) would take the key's hourly budget below its reserve:
    the refresh stops, the cached catalog stays, orders and payment checks go on (raised by
    :class:`pos.api.ratelimit.HourlyBudget`)."""

    def __init__(self, remaining: int, reserve: int) -> None:
        super().__init__(f"hourly budget: {remaining} requests left, {reserve} kept in reserve")
        self.remaining = remaining
        self.reserve = reserve


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationFailed,
    429: RateLimitedError,
}


def status_error_class(status_code: int, error_code: str | None = None) -> type[APIStatusError]:
    """Map a status code to its error class."""
    if status_code == 400 and error_code == "validation_failed":
        return ValidationFailed
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    return ServerError if status_code >= 500 else APIStatusError
