"""Which exceptions the UI expects, and their cashier text.

The text itself always comes from ``pos.services.errors.error_message`` (the one table where
exception types become words); this module only decides expected vs. unexpected, renders the
message in the UI's language and never shows a traceback. ``pos.services.errors`` is imported
on first use: it pulls in the services, which the first paint does without.
"""

from __future__ import annotations

import logging

from pos.api.errors import AuthenticationError, ScalevError
from ui.common.i18n import lang, tr

log = logging.getLogger(__name__)


def is_expected_error(exc: BaseException) -> bool:
    """Errors of the outside world (network, API, invalid input) rather than bugs."""
    from pos.domain.customer import InvalidInput
    from pos.services.errors import BackendUnavailable, SaleRejected
    from pos.storage.errors import StorageError

    expected = (
        ScalevError,
        OSError,
        TimeoutError,
        InvalidInput,
        StorageError,
        SaleRejected,
        BackendUnavailable,
    )
    return isinstance(exc, expected)


def describe_error(exc: BaseException) -> str:
    """Cashier-facing text for ``exc`` (never a traceback)."""
    try:
        from pos.services.errors import SERVER_TEXT_IDS, error_message

        message = error_message(exc)
        # a rejection quoting the server's own words is shown once, not in two languages
        if lang() == "id" and _bilingual() and message.message_id not in SERVER_TEXT_IDS:
            id_text, en_text = message.render("id"), message.render("en")
            if id_text and en_text and id_text != en_text:
                return tr(id_text, en_text, "\n")
        text = message.render(lang())
        if text:
            return text
    except Exception:  # pragma: no cover - the mapper itself must never take the UI down
        log.exception("error_message failed for %r", exc)
    return tr("Terjadi kesalahan. Coba lagi.", "Something went wrong. Please try again.")


def _bilingual() -> bool:
    return tr("a", "b") != "a"


def is_auth_error(exc: BaseException) -> bool:
    return isinstance(exc, AuthenticationError) or isinstance(
        getattr(exc, "api_error", None), AuthenticationError
    )


def is_connection_error(exc: BaseException) -> bool:
    """The request did not reach Scalev (``pos.services.errors.is_network_error``)."""
    from pos.services.errors import is_network_error

    return is_network_error(exc)
