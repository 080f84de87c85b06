"""Which exceptions the UI expects, and their cashier text.

The text itself always comes from ``pos.services.errors.user_message`` (the one place errors
become words); this module only decides expected vs. unexpected and never shows a traceback.
"""

from __future__ import annotations

import logging

from pos.api.errors import APIConnectionError, AuthenticationError, ScalevError
from ui.common.i18n import lang, tr

log = logging.getLogger(__name__)


def _service_error_types() -> tuple[type[BaseException], ...]:
    try:
        from pos.services import errors as service_errors
    except ImportError:  # pragma: no cover - services not installed yet
        return ()
    found: list[type[BaseException]] = []
    try:
        from pos.storage.errors import StorageError

        found.append(StorageError)
    except ImportError:  # pragma: no cover
        pass
    for name in ("ServiceError", "SaleRejected", "BackendUnavailable", "CheckoutError"):
        cls = getattr(service_errors, name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            found.append(cls)
    return tuple(found)


def is_expected_error(exc: BaseException) -> bool:
    """Errors of the outside world (network, API, invalid input) rather than bugs."""
    from pos.domain.customer import InvalidInput

    expected: tuple[type[BaseException], ...] = (
        ScalevError,
        OSError,
        TimeoutError,
        InvalidInput,
        *_service_error_types(),
    )
    return isinstance(exc, expected)


def describe_error(exc: BaseException) -> str:
    """Cashier-facing text for ``exc`` (never a traceback)."""
    try:
        from pos.services.errors import user_message

        if lang() == "id" and _bilingual() and not _carries_server_text(exc):
            id_text, en_text = user_message(exc, "id"), user_message(exc, "en")
            if id_text and en_text and id_text != en_text:
                return tr(id_text, en_text, "\n")
        text = user_message(exc, lang())
        if text:
            return text
    except Exception:  # pragma: no cover - the mapper itself must never take the UI down
        log.exception("user_message failed for %r", exc)
    return tr("Terjadi kesalahan. Coba lagi.", "Something went wrong. Please try again.")


def _bilingual() -> bool:
    return tr("a", "b") != "a"


def _carries_server_text(exc: BaseException) -> bool:
    """A rejection quoting the server's own words: show it once, not in two languages."""
    return type(exc).__name__ == "SaleRejected"


def is_auth_error(exc: BaseException) -> bool:
    return isinstance(exc, AuthenticationError) or isinstance(
        getattr(exc, "api_error", None), AuthenticationError
    )


def is_connection_error(exc: BaseException) -> bool:
    if isinstance(exc, APIConnectionError | OSError):
        return True
    return any(
        isinstance(exc, t) and t.__name__ == "BackendUnavailable" for t in _service_error_types()
    )
