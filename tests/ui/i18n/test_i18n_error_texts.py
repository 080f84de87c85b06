"""The UI renders exception texts through the one type-keyed table of pos.services.errors."""

from __future__ import annotations

import pos.api.errors as api
from pos.domain.messages import MESSAGES
from pos.services.errors import BackendUnavailable, SaleConfirming, SaleRejected, user_message
from ui.common import i18n
from ui.common.errors import describe_error, is_connection_error, is_expected_error


class _Subclass(api.AuthenticationError):
    pass


class _Confusing(SaleRejected):
    """Named like nothing the table knows: only its type decides."""


def test_the_ui_renders_through_the_same_table() -> None:
    previous = i18n.mode()
    i18n.set_mode("en")
    try:
        assert describe_error(_Subclass(401)) == user_message(api.AuthenticationError(401), "en")
        assert describe_error(RuntimeError("x")) == MESSAGES["unexpected"][1]
    finally:
        i18n.set_mode(previous)
    assert is_expected_error(_Confusing("x")) and not is_expected_error(RuntimeError("x"))
    assert is_connection_error(SaleConfirming("POS-1", 0.0))
    assert not is_connection_error(api.AuthenticationError(401))


def test_a_quoted_rejection_is_shown_once_in_bilingual_mode() -> None:
    previous = i18n.mode()
    i18n.set_mode("both")
    try:
        assert describe_error(_Confusing("Stok habis")).count("Stok habis") == 1
        assert "\n" in describe_error(BackendUnavailable(queued=True))
    finally:
        i18n.set_mode(previous)
