"""The one exception-type -> cashier-text table (``pos.services.errors.ERROR_MESSAGES``): keyed
by type and walked along the MRO, every entry reachable, every error text used."""

from __future__ import annotations

import asyncio

import pytest

import pos.api.errors as api
from pos.domain.customer import InvalidInput
from pos.domain.messages import ERROR_TEXTS, MESSAGES
from pos.services.errors import (
    ERROR_MESSAGES,
    GENERIC,
    BackendUnavailable,
    SaleConfirming,
    SaleNeedsDecision,
    SaleRejected,
    error_message,
    user_message,
)
from pos.storage.db import StorageError

#: one instance of each mapped type, and the message id it gets
SAMPLES: dict[type[BaseException], tuple[BaseException, str]] = {
    asyncio.CancelledError: (asyncio.CancelledError(), "cancelled"),
    SaleRejected: (SaleRejected("Stok habis"), "rejected"),
    SaleNeedsDecision: (SaleNeedsDecision("POS-1", None), "needs_decision"),
    BackendUnavailable: (BackendUnavailable(queued=True), "offline_queued"),
    InvalidInput: (InvalidInput("phone", "phone_invalid"), "phone_invalid"),
    StorageError: (StorageError("storage_full"), "storage_full"),
    api.OrderOutcomeUnknown: (api.OrderOutcomeUnknown("x"), "outcome_unknown"),
    api.APITimeoutError: (api.APITimeoutError("t"), "timeout"),
    api.APIConnectionError: (api.APIConnectionError("x"), "offline"),
    api.AuthenticationError: (api.AuthenticationError(401), "auth"),
    api.PermissionDeniedError: (api.PermissionDeniedError(403), "forbidden"),
    api.NotFoundError: (api.NotFoundError(404), "not_found"),
    api.ConflictError: (api.ConflictError(409), "conflict"),
    api.RateLimitedError: (api.RateLimitedError(), "rate_limited"),
    api.ServerError: (api.ServerError(502), "server"),
    api.BadRequestError: (api.BadRequestError(400, message="bad"), "bad_request"),
    api.APIStatusError: (api.APIStatusError(418), "unexpected"),
    api.InvalidResponseError: (api.InvalidResponseError("x"), "invalid_response"),
}


def test_every_entry_is_sampled_and_reached() -> None:
    assert set(SAMPLES) == set(ERROR_MESSAGES)
    for cls, (exc, message_id) in SAMPLES.items():
        assert type(exc) is cls
        assert error_message(exc).message_id == message_id, cls


def test_every_error_text_is_used_and_every_id_has_a_text() -> None:
    produced = {error_message(exc).message_id for exc, _ in SAMPLES.values()}
    produced |= {
        error_message(BackendUnavailable(queued=False)).message_id,
        error_message(BackendUnavailable(queued=True, cause=api.RateLimitedError())).message_id,
        error_message(api.APIStatusError(599)).message_id,
    }
    assert set(ERROR_TEXTS) <= produced
    assert produced <= set(MESSAGES)


class _Subclass(api.AuthenticationError):
    pass


class _Confusing(SaleRejected):
    """Named like nothing the table knows: only its type decides."""


@pytest.mark.parametrize(
    ("exc", "parent"),
    [
        (_Subclass(401), api.AuthenticationError(401)),
        (_Confusing("Stok habis"), SaleRejected("Stok habis")),
        (api.ValidationFailed(422, message="x"), api.BadRequestError(400, message="x")),
        (SaleConfirming("POS-1", 0.0), BackendUnavailable(queued=False)),
    ],
)
def test_a_subclass_gets_its_parents_text(exc: BaseException, parent: BaseException) -> None:
    for lang in ("id", "en"):
        assert user_message(exc, lang) == user_message(parent, lang)


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyError("k"), api.ScalevError("x")])
def test_an_unknown_exception_gets_the_generic_text(exc: BaseException) -> None:
    assert error_message(exc) == GENERIC
    assert user_message(exc, "en") == MESSAGES["unexpected"][1]
