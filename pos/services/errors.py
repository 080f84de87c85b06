"""The ONE place where exceptions become short cashier-facing text (Indonesian or English).

Texts never contain secrets, URLs with keys or tracebacks: only fixed sentences, plus the
server's own rejection message for a rejected sale (trimmed).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from pos.api.errors import (
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
    ServerError,
)
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
        api_error: APIStatusError | None = None,
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


def rejection_details(exc: APIStatusError) -> tuple[str, str | None]:
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


_T: dict[str, tuple[str, str]] = {
    "offline_queued": (
        "Tidak bisa terhubung ke server. Periksa internet; penjualan disimpan dan akan dikirim "
        "otomatis.",
        "Cannot reach the server. Check the internet; the sale is saved and will be sent "
        "automatically.",
    ),
    "rate_limited_queued": (
        "Server Scalev sedang membatasi permintaan. Pesanan belum diproses; penjualan disimpan "
        "dan dikirim otomatis begitu batasnya mengizinkan.",
        "Scalev is limiting requests right now. The order was not processed; the sale is saved "
        "and sent automatically as soon as the limit allows.",
    ),
    "needs_decision": (
        "Pesanan tidak ditemukan di server setelah lama diperiksa. Buka Riwayat (F4) untuk "
        "mengirim ulang atau membatalkannya.",
        "The order was not found on the server after a long check. Open History (F4) to send "
        "it again or abandon it.",
    ),
    "outcome_unknown": (
        "Server belum memastikan pesanan. Penjualan disimpan dan akan dicek ulang otomatis — "
        "jangan buat pesanan ini lagi.",
        "The server has not confirmed the order. The sale is saved and will be checked again "
        "automatically — do not ring it up again.",
    ),
    "offline": (
        "Tidak bisa terhubung ke server. Periksa koneksi internet.",
        "Cannot reach the server. Check the internet connection.",
    ),
    "timeout": (
        "Server terlalu lama menjawab. Coba lagi sebentar lagi.",
        "The server took too long to answer. Try again in a moment.",
    ),
    "auth": (
        "API key ditolak. Periksa API key di Pengaturan.",
        "The API key was refused. Check the API key in Settings.",
    ),
    "forbidden": (
        "API key tidak punya izin untuk tindakan ini.",
        "The API key is not allowed to do this.",
    ),
    "not_found": ("Data tidak ditemukan di server.", "Not found on the server."),
    "conflict": (
        "Data berubah di server. Muat ulang lalu coba lagi.",
        "The data changed on the server. Reload and try again.",
    ),
    "rate_limited": (
        "Terlalu banyak permintaan ke server. Tunggu sebentar lalu coba lagi.",
        "Too many requests to the server. Wait a moment and try again.",
    ),
    "server": (
        "Server Scalev sedang bermasalah. Coba lagi sebentar lagi.",
        "Scalev's server has a problem. Try again in a moment.",
    ),
    "bad_request": ("Permintaan ditolak server", "The server refused the request"),
    "rejected": ("Pesanan ditolak", "Order rejected"),
    "invalid_response": (
        "Jawaban server tidak bisa dibaca. Coba lagi sebentar lagi.",
        "The server's answer could not be read. Try again in a moment.",
    ),
    "cancelled": ("Dibatalkan.", "Cancelled."),
    "unexpected": (
        "Terjadi kesalahan tak terduga. Coba lagi; jika berulang, hubungi dukungan.",
        "An unexpected error occurred. Try again; if it repeats, contact support.",
    ),
}


def _t(key: str, lang: str) -> str:
    pair = _T[key]
    return pair[1] if lang == "en" else pair[0]


def _with_detail(key: str, detail: str, lang: str) -> str:
    head = _t(key, lang)
    return f"{head}: {detail}" if detail else f"{head}."


def user_message(exc: BaseException, lang: str = "id") -> str:
    """Short cashier text for ``exc`` in ``lang`` ("id" default, or "en")."""
    if isinstance(exc, asyncio.CancelledError):
        return _t("cancelled", lang)
    if isinstance(exc, SaleRejected):
        return _with_detail("rejected", clean_server_text(exc.user_message), lang)
    if isinstance(exc, SaleNeedsDecision):
        return _t("needs_decision", lang)
    if isinstance(exc, BackendUnavailable):
        if exc.queued and isinstance(exc.cause, RateLimitedError):
            return _t("rate_limited_queued", lang)
        return _t("offline_queued" if exc.queued else "outcome_unknown", lang)
    if isinstance(exc, InvalidInput | StorageError):
        return message_text(exc.message_id, lang)
    if isinstance(exc, OrderOutcomeUnknown):
        return _t("outcome_unknown", lang)
    if isinstance(exc, APITimeoutError):
        return _t("timeout", lang)
    if isinstance(exc, APIConnectionError):
        return _t("offline", lang)
    if isinstance(exc, AuthenticationError):
        return _t("auth", lang)
    if isinstance(exc, PermissionDeniedError):
        return _t("forbidden", lang)
    if isinstance(exc, NotFoundError):
        return _t("not_found", lang)
    if isinstance(exc, ConflictError):
        return _t("conflict", lang)
    if isinstance(exc, RateLimitedError):
        return _t("rate_limited", lang)
    if isinstance(exc, ServerError):
        return _t("server", lang)
    if isinstance(exc, BadRequestError):
        return _with_detail("bad_request", rejection_details(exc)[0], lang)
    if isinstance(exc, APIStatusError):
        return _t("server" if exc.status_code >= 500 else "unexpected", lang)
    if isinstance(exc, InvalidResponseError):
        return _t("invalid_response", lang)
    return _t("unexpected", lang)
