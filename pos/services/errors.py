"""The ONE place where exceptions become short cashier-facing text (Indonesian or English).

Texts never contain secrets, URLs with keys or tracebacks: only fixed sentences, plus the
server's own rejection message for a rejected sale (trimmed).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pos.api.errors as api
from pos.domain.customer import InvalidInput
from pos.domain.messages import text as message_text
from pos.domain.text import display_text
from pos.logs import redact
from pos.storage.errors import StorageError


class SaleRejected(Exception):
    """Scalev rejected the order (400/422). Final: the same body will never be accepted.

    ``user_message`` is the server's explanation for the cashier; ``field`` names the order
    field it is about when Scalev said so (``customer_phone``, ``warehouse_unique_id``, …).
    """

    def __init__(
        self,
        user_message: str,
        api_error: api.APIStatusError | None = None,
        *,
        field: str | None = None,
        pos_ref: str | None = None,
    ) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.api_error = api_error
        self.field = field
        self.pos_ref = pos_ref


class BackendUnavailable(Exception):
    """The server could not be reached (or did not answer for sure).

    The sale stays in the journal: ``queued`` (never reached the server; will be sent later) or
    ``unknown`` (may exist; will be looked up before any resend).
    """

    def __init__(
        self, message: str = "backend unavailable", *, pos_ref: str | None = None,
        queued: bool = False, cause: BaseException | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.pos_ref = pos_ref
        self.queued = queued
        self.cause = cause


class SaleConfirming(BackendUnavailable):
    """The order may exist (a send's outcome is unknown): it is being looked up and is never
    sent again before ``window_ends_at`` (epoch). ``next_check_in``: seconds to the next
    lookup; ``cause``: why the last lookup failed, if it did. The next sale can go on
    meanwhile."""

    def __init__(
        self,
        pos_ref: str,
        window_ends_at: float,
        next_check_in: float = 0.0,
        *,
        cause: BaseException | None = None,
    ) -> None:
        super().__init__("confirming the order", pos_ref=pos_ref, queued=False, cause=cause)
        self.window_ends_at = window_ends_at
        self.next_check_in = next_check_in


class SaleNeedsDecision(BackendUnavailable):
    """The confirmation window ended and the order was not found: the sale waits for the
    cashier (send again or abandon); it is never resent by itself."""

    def __init__(self, pos_ref: str, sent_at: float | None) -> None:
        super().__init__("order not found after the confirmation window", pos_ref=pos_ref)
        self.sent_at = sent_at


_MAX_SERVER_TEXT = 200
_SECRETISH = re.compile(r"(?i)(bearer\s+\S+|sk[-_][A-Za-z0-9_\-]{8,}|[A-Za-z0-9_\-]{32,})")


def is_network_error(exc: BaseException) -> bool:
    """The request did not reach Scalev (as opposed to Scalev answering with an error)."""
    return isinstance(exc, api.APIConnectionError | OSError | BackendUnavailable)


def clean_server_text(value: Any) -> str:
    """A server-provided message made safe to show: one line, no token-like strings, short."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    s = redact(display_text(value, None))  # one visible line; a configured key masked
    s = _SECRETISH.sub("…", s)
    if len(s) > _MAX_SERVER_TEXT:
        s = s[: _MAX_SERVER_TEXT - 1] + "…"
    return s


def rejection_details(exc: api.APIStatusError) -> tuple[str, str | None]:
    """``(message, field)`` from Scalev's error body: ``errors[].message``/``field`` first,
    then ``message``/``error``."""
    errors = exc.errors
    items: list[Any] = []
    if isinstance(errors, list):
        items = errors
    elif isinstance(errors, dict):
        # {"field": ["msg", ...]} or {"field": "msg"}
        for k, v in errors.items():
            msg = v[0] if isinstance(v, list) and v else v
            items.append({"field": k, "message": msg})
    for it in items:
        if isinstance(it, dict):
            msg = clean_server_text(it.get("message") or it.get("error") or it.get("code"))
            if msg:
                field = it.get("field")
                return msg, str(field) if field else None
        elif isinstance(it, str) and it.strip():
            return clean_server_text(it), None
    for candidate in (exc.error, exc.message):
        msg = clean_server_text(candidate)
        if msg:
            return msg, None
    return "", None


# --- exception type -> cashier text ----------------------------------------------------------
# The one table, keyed by exception type and walked along the exception's MRO: a subclass
# gets its nearest mapped ancestor's text unless it has an entry of its own; an exception no
# entry covers gets GENERIC. An entry is a message id (pos.domain.messages) or a function of
# the exception returning an ErrorMessage.


@dataclass(frozen=True, slots=True)
class ErrorMessage:
    """What the cashier is told about an exception: a ``pos.domain.messages`` id and, for a
    refusal quoting the server, its cleaned ``detail`` ("" when the server said nothing)."""

    message_id: str
    detail: str | None = None

    def render(self, lang: str = "id") -> str:
        """The text in ``lang`` ("id" or "en")."""
        head = message_text(self.message_id, lang)
        if self.detail is None:
            return head
        return f"{head}: {self.detail}" if self.detail else f"{head}."


def _backend_unavailable(exc: BackendUnavailable) -> ErrorMessage:
    if exc.queued and isinstance(exc.cause, api.RateLimitedError):
        return ErrorMessage("rate_limited_queued")
    return ErrorMessage("offline_queued" if exc.queued else "outcome_unknown")


def _status(exc: api.APIStatusError) -> ErrorMessage:
    return ErrorMessage("server" if exc.status_code >= 500 else "unexpected")


def _own_message_id(exc: InvalidInput | StorageError) -> ErrorMessage:
    return ErrorMessage(exc.message_id)


ERROR_MESSAGES: dict[type[BaseException], str | Callable[[Any], ErrorMessage]] = {
    asyncio.CancelledError: "cancelled",
    SaleRejected: lambda e: ErrorMessage("rejected", clean_server_text(e.user_message)),
    SaleNeedsDecision: "needs_decision",
    BackendUnavailable: _backend_unavailable,
    InvalidInput: _own_message_id,
    StorageError: _own_message_id,
    api.OrderOutcomeUnknown: "outcome_unknown",
    api.APITimeoutError: "timeout",
    api.APIConnectionError: "offline",
    api.AuthenticationError: "auth",
    api.PermissionDeniedError: "forbidden",
    api.NotFoundError: "not_found",
    api.ConflictError: "conflict",
    api.RateLimitedError: "rate_limited",
    api.ServerError: "server",
    api.BadRequestError: lambda e: ErrorMessage("bad_request", rejection_details(e)[0]),
    api.APIStatusError: _status,
    api.InvalidResponseError: "invalid_response",
}
GENERIC = ErrorMessage("unexpected")
#: message ids whose text quotes the server's own words (shown once, never in two languages)
SERVER_TEXT_IDS = frozenset({"rejected"})


def error_message(exc: BaseException) -> ErrorMessage:
    """The cashier message for ``exc``: the entry of its nearest mapped class."""
    for cls in type(exc).__mro__:
        entry = ERROR_MESSAGES.get(cls)
        if entry is not None:
            return ErrorMessage(entry) if isinstance(entry, str) else entry(exc)
    return GENERIC


def user_message(exc: BaseException, lang: str = "id") -> str:
    """Short cashier text for ``exc`` in ``lang`` ("id" default, or "en")."""
    return error_message(exc).render(lang)
