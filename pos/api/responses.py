"""Reading Scalev's replies: the size limit, JSON, envelopes, model validation, and failures
(transport errors, error statuses) turned into the typed errors of :mod:`pos.api.errors`.

Texts built here never hold the API key or a body's values: only methods, paths, statuses,
the server's error fields, and validation locations and kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InvalidResponseError,
    RateLimitedError,
    status_error_class,
)

MAX_PAGE_SIZE = 25
#: A reply body larger than this is refused (InvalidResponseError), never parsed.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
#: ``on_invalid(what, reason)``: an item that does not fit its model was skipped, or paging
#: stopped early; ``reason`` names locations and kinds only, never values.
InvalidItem = Callable[[str, str], None]

M = TypeVar("M", bound=BaseModel)

# Transport failures where the request provably never left this machine.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures raised before anything is written to the network, never worth a retry.
LOCAL_FAILURES = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)
_ERROR_TEXT_LIMIT = 300


def clamp_page_size(page_size: int) -> int:
    return max(1, min(int(page_size), MAX_PAGE_SIZE))


def validate_model(model: type[M], data: Any, *, what: str, status: int | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Describe locations and kinds only: no input values in the text.
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '<root>'}: {err['type']}"
            for err in exc.errors(include_input=False, include_url=False)[:5]
        )
        raise InvalidResponseError(
            f"{what}: response does not fit {model.__name__} ({problems})", status_code=status
        ) from None
    except (RecursionError, ValueError, TypeError) as exc:  # absurd nesting, huge numbers
        raise InvalidResponseError(
            f"{what}: response does not fit {model.__name__} ({type(exc).__name__})",
            status_code=status,
        ) from None


def unwrap_object(body: Any, *, what: str, status: int) -> Any:
    """A single resource: bare object, or the older ``{code, status, data: {...}}`` envelope."""
    if (
        isinstance(body, dict)
        and isinstance(body.get("data"), dict)
        and ("code" in body or "status" in body)
        and "id" not in body
    ):
        return body["data"]
    if not isinstance(body, dict):
        raise InvalidResponseError(f"{what}: expected a JSON object", status_code=status)
    return body


def unwrap_list(body: Any, *, what: str, status: int) -> tuple[list[Any], bool, str | None]:
    """Items, has_next and next_cursor of a (paginated or plain) collection response."""
    if isinstance(body, list):
        return body, False, None
    if not isinstance(body, dict):
        raise InvalidResponseError(f"{what}: expected a JSON object", status_code=status)
    data = body.get("data")
    container: Mapping[str, Any] = body
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        # Older envelope: {code, status, data: {results: [...]}}.
        container = data
        items = data["results"]
    elif isinstance(body.get("results"), list):
        items = body["results"]
    else:
        raise InvalidResponseError(f"{what}: response has no list of items", status_code=status)
    has_next = container.get("has_next", body.get("has_next", False)) is True
    cursor = container.get("next_cursor", body.get("next_cursor"))
    if not isinstance(cursor, str) or not cursor:
        cursor = None
    return items, has_next, cursor


def error_fields(response: httpx.Response) -> dict[str, Any]:
    """Scalev's error body (JSON ``{error, error_code, message, errors}``, text, or nothing)."""
    fields: dict[str, Any] = {}
    raw = response.content
    if not raw.strip():
        return fields
    try:
        body = response.json()
    except ValueError:
        body = None
        text = response.text.strip()
        fields["error"] = text[:_ERROR_TEXT_LIMIT] if text else None
        return fields
    if isinstance(body, dict):
        fields["error"] = body.get("error")
        code = body.get("error_code")
        fields["error_code"] = code if isinstance(code, str) else None
        message = body.get("message")
        fields["message"] = message if isinstance(message, str) else None
        fields["errors"] = body.get("errors")
    else:
        fields["error"] = body
    return fields


def read_json(response: httpx.Response, method: str, path: str) -> Any:
    """The reply's JSON; :class:`InvalidResponseError` when it is too large or not JSON."""
    size = len(response.content)
    if size > MAX_RESPONSE_BYTES:
        raise InvalidResponseError(
            f"{method} {path}: response of {size} bytes is above the "
            f"{MAX_RESPONSE_BYTES}-byte limit",
            status_code=response.status_code,
        )
    try:
        return response.json()
    except (ValueError, RecursionError):
        raise InvalidResponseError(
            f"{method} {path}: response body is not JSON", status_code=response.status_code
        ) from None


def error_from_transport(exc: httpx.TransportError, method: str, path: str) -> APIConnectionError:
    name = type(exc).__name__
    if isinstance(exc, NOT_SENT + LOCAL_FAILURES):
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        return cls(f"{method} {path}: request not sent ({name})", may_have_sent=False)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{method} {path}: timed out ({name})", may_have_sent=True)
    return APIConnectionError(f"{method} {path}: connection failed ({name})", may_have_sent=True)


def error_from_response(
    response: httpx.Response, method: str, path: str, *, retry_after: float | None = None
) -> APIStatusError:
    fields = error_fields(response)
    cls = status_error_class(response.status_code, fields.get("error_code"))
    headers = {k.lower(): v for k, v in response.headers.items()}
    if cls is RateLimitedError:
        return RateLimitedError(
            response.status_code,
            retry_after=retry_after,
            method=method,
            path=path,
            headers=headers,
            **fields,
        )
    return cls(response.status_code, method=method, path=path, headers=headers, **fields)
