from __future__ import annotations

import asyncio

import pytest

from pos.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InvalidResponseError,
    NotFoundError,
    OrderOutcomeUnknown,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from pos.domain.customer import InvalidInput
from pos.services.errors import (
    BackendUnavailable,
    SaleRejected,
    clean_server_text,
    rejection_details,
    user_message,
)
from pos.storage import AlreadyRunning, StorageError

SECRET = "sk_live_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"

CASES: list[tuple[BaseException, str, str]] = [
    (BackendUnavailable(queued=True), "Tidak bisa terhubung ke server", "Cannot reach the server"),
    (BackendUnavailable(queued=False), "jangan buat pesanan ini lagi", "do not ring it up again"),
    (AuthenticationError(401, error="Invalid API key"), "API key ditolak", "API key was refused"),
    (PermissionDeniedError(403), "tidak punya izin", "not allowed"),
    (NotFoundError(404), "tidak ditemukan", "Not found"),
    (RateLimitedError(retry_after=3), "Terlalu banyak permintaan", "Too many requests"),
    (ServerError(502), "Server Scalev sedang bermasalah", "server has a problem"),
    (APITimeoutError("t"), "terlalu lama", "too long"),
    (APIConnectionError("x"), "Periksa koneksi internet", "Check the internet"),
    (OrderOutcomeUnknown("x"), "dicek ulang otomatis", "checked again"),
    (InvalidResponseError("x"), "tidak bisa dibaca", "could not be read"),
    (InvalidInput("phone", "phone_invalid"), "Nomor HP tidak valid", "Invalid phone number"),
    (StorageError("storage_full"), "Disk penuh", "disk is full"),
    (StorageError("storage_readonly"), "tidak bisa ditulis", "not writable"),
    (AlreadyRunning(__import__("pathlib").Path("/x")), "sudah berjalan", "already running"),
    (SaleRejected("Stok habis"), "Pesanan ditolak: Stok habis", "Order rejected: Stok habis"),
    (APIStatusError(418), "kesalahan tak terduga", "unexpected error"),
    (RuntimeError(f"boom {SECRET}"), "kesalahan tak terduga", "unexpected error"),
    (asyncio.CancelledError(), "Dibatalkan", "Cancelled"),
]


@pytest.mark.parametrize(("exc", "ind", "eng"), CASES)
def test_user_message(exc: BaseException, ind: str, eng: str) -> None:
    assert ind in user_message(exc)
    assert ind in user_message(exc, "id")
    assert eng in user_message(exc, "en")
    for lang in ("id", "en"):
        text = user_message(exc, lang)
        assert SECRET not in text and "Traceback" not in text and len(text) < 300


def test_bad_request_shows_server_reason_without_secrets() -> None:
    exc = BadRequestError(400, error=f"Bad token Bearer {SECRET} here", message="x")
    text = user_message(exc)
    assert text.startswith("Permintaan ditolak server: Bad token")
    assert SECRET not in text


def test_rejection_details_shapes() -> None:
    e = ValidationFailed(422, errors=[{"field": "customer_phone", "message": "Nomor salah"}])
    assert rejection_details(e) == ("Nomor salah", "customer_phone")
    e2 = ValidationFailed(422, errors={"customer_email": ["is invalid"]})
    assert rejection_details(e2) == ("is invalid", "customer_email")
    e3 = BadRequestError(400, error="Warehouse tidak ditemukan", message="warehouse is invalid")
    assert rejection_details(e3) == ("Warehouse tidak ditemukan", None)
    assert rejection_details(BadRequestError(400)) == ("", None)


def test_clean_server_text() -> None:
    assert clean_server_text("a\n  b") == "a b"
    assert len(clean_server_text("x " * 500)) <= 200
    assert clean_server_text(None) == ""
    assert clean_server_text({"a": 1}) == "{'a': 1}"
