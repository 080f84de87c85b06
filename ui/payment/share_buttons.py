"""Share a payment link: :class:`WhatsAppButton` (opens a ``wa.me`` link with the prepared
Indonesian message and copies that link) and :class:`CopyLinkButton` (copies the payment URL).

The link itself is built by :func:`pos.share.payment_whatsapp_link` (phone normalised, message
percent-encoded); this module only opens it and talks to the clipboard. Messages go through the
one :class:`~ui.common.notifier.Notifier` when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QPushButton, QWidget

from pos.domain.customer import InvalidInput
from pos.domain.urls import safe_payment_url
from pos.share import payment_whatsapp_link
from ui.common.i18n import lang, message, tr
from ui.common.notifier import Notifier

COPIED_RESET_MS = 2500


def copy_to_clipboard(text: str) -> bool:
    """Put ``text`` on the clipboard; False when there is no clipboard or nothing to copy."""
    clipboard = QGuiApplication.clipboard()
    if clipboard is None or not text:
        return False
    clipboard.setText(text)
    return True


def open_link(link: str) -> bool:
    """Open an already percent-encoded URL exactly as given (no re-encoding by ``QUrl``)."""
    url = QUrl.fromEncoded(QByteArray(link.encode("ascii")), QUrl.ParsingMode.StrictMode)
    return url.isValid() and QDesktopServices.openUrl(url)


@dataclass(frozen=True)
class PaymentShare:
    """What a WhatsApp payment message needs."""

    phone: str
    customer_name: str
    store_name: str
    order_number: str
    amount: int
    payment_url: str
    sandbox_origin: str | None = None
    paid: bool = False

    def link(self, language: str | None = None) -> str:
        """The ``wa.me`` link; raises :class:`~pos.domain.customer.InvalidInput` for a phone
        that cannot be normalised."""
        return payment_whatsapp_link(
            self.phone,
            self.customer_name,
            self.store_name,
            self.order_number,
            self.amount,
            self.payment_url,
            lang=language or lang(),
            sandbox_origin=self.sandbox_origin,
            paid=self.paid,
        )


def share_on_whatsapp(share: PaymentShare, language: str | None = None) -> tuple[str, bool]:
    """Build the link, copy it to the clipboard and open it. Returns ``(link, opened)``.

    Raises :class:`~pos.domain.customer.InvalidInput` for a bad phone number.
    """
    link = share.link(language)
    copy_to_clipboard(link)
    return link, open_link(link)


class WhatsAppButton(QPushButton):
    """The "Kirim via WhatsApp" button for the payment screen and history.

    Disabled until :meth:`set_payment` gets a phone and a payment URL that may be sent to a
    customer (:func:`pos.domain.urls.payment_url_allowed`: https, or the demo sandbox's own
    origin given as ``sandbox_origin``).

    Signals:
        shared(str): the ``wa.me`` link that was opened (and copied).
        failed(str): cashier text when the link could not be built or opened.
    """

    shared = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        notifier: Notifier | None = None,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        sandbox_origin: str | None = None,
    ) -> None:
        super().__init__(tr("Kirim via WhatsApp", "Send via WhatsApp"), parent)
        self.sandbox_origin = sandbox_origin
        self.setObjectName("whatsappButton")
        self.setAccessibleName(
            tr("Kirim tautan pembayaran via WhatsApp", "Send the payment link via WhatsApp")
        )
        self.setMinimumHeight(52)
        self._notifier = notifier
        self._language = language
        self._share: PaymentShare | None = None
        self.clicked.connect(self.send)
        self.clear()

    @property
    def share(self) -> PaymentShare | None:
        return self._share

    def set_payment(
        self,
        phone: str,
        customer_name: str,
        store_name: str,
        order_number: str,
        amount: int,
        payment_url: str,
        *,
        paid: bool = False,
    ) -> None:
        """The order to share; the button is enabled when phone and URL are both present.
        A ``paid`` order's message thanks for the payment instead of asking for it."""
        self._share = PaymentShare(
            phone,
            customer_name,
            store_name,
            order_number,
            int(amount),
            payment_url,
            self.sandbox_origin,
            paid,
        )
        safe = safe_payment_url(payment_url, self.sandbox_origin) is not None
        usable = bool(phone.strip()) and safe
        self.setEnabled(usable)
        if usable:
            self.setToolTip("")
        elif payment_url.strip() and not safe:
            self.setToolTip(message("payment_link_unsafe"))
        else:
            self.setToolTip(
                tr(
                    "Nomor HP pelanggan atau tautan pembayaran kosong.",
                    "The customer's phone or the payment link is missing.",
                )
            )

    def set_paid(self, paid: bool) -> None:
        """The shared order's payment arrived (or not): the message follows."""
        if self._share is not None and self._share.paid != paid:
            from dataclasses import replace

            self._share = replace(self._share, paid=paid)

    def clear(self) -> None:
        self._share = None
        self.setEnabled(False)

    def link(self) -> str | None:
        """The link the button would open, or ``None`` (nothing set, or a bad phone)."""
        if self._share is None:
            return None
        try:
            return self._share.link(self._language)
        except InvalidInput:
            return None

    def send(self) -> None:
        if self._share is None:
            return
        try:
            link, opened = share_on_whatsapp(self._share, self._language)
        except InvalidInput as exc:
            self._fail(message(exc.message_id))
            return
        if opened:
            self._info(
                tr(
                    "WhatsApp dibuka; tautannya juga sudah disalin.",
                    "WhatsApp opened; the link is also copied.",
                )
            )
        else:
            self._fail(
                tr(
                    "WhatsApp tidak bisa dibuka. Tautannya sudah disalin — tempel di browser.",
                    "Could not open WhatsApp. The link is copied — paste it into a browser.",
                )
            )
        self.shared.emit(link)

    def _info(self, text: str) -> None:
        if self._notifier is not None:
            self._notifier.info(text)

    def _fail(self, text: str) -> None:
        self.failed.emit(text)
        if self._notifier is not None:
            self._notifier.warning(text)


class CopyLinkButton(QPushButton):
    """Copies a link (the payment URL) and says "Tersalin ✓" for a moment. Only a link a
    customer may be sent is accepted (:func:`pos.domain.urls.payment_url_allowed`); any other
    leaves the button disabled.

    Signals:
        copied(str): the text that was put on the clipboard.
    """

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, sandbox_origin: str | None = None) -> None:
        super().__init__(parent)
        self.sandbox_origin = sandbox_origin
        self.setObjectName("copyLinkButton")
        self.setAccessibleName(tr("Salin tautan pembayaran", "Copy payment link"))
        self.setMinimumHeight(44)
        self._link = ""
        self._reset = QTimer(self)
        self._reset.setSingleShot(True)
        self._reset.setInterval(COPIED_RESET_MS)
        self._reset.timeout.connect(self._show_idle_text)
        self.clicked.connect(self.copy)
        self._show_idle_text()
        self.setEnabled(False)

    def link(self) -> str:
        return self._link

    def set_link(self, link: str | None) -> None:
        self._link = safe_payment_url(link, self.sandbox_origin) or ""
        self.setEnabled(bool(self._link))
        self._reset.stop()
        self._show_idle_text()

    def copy(self) -> None:
        if copy_to_clipboard(self._link):
            self.setText(tr("Tersalin ✓", "Copied ✓"))
            self._reset.start()
            self.copied.emit(self._link)

    def _show_idle_text(self) -> None:
        self.setText(tr("Salin tautan", "Copy link"))


__all__ = [
    "CopyLinkButton",
    "PaymentShare",
    "WhatsAppButton",
    "copy_to_clipboard",
    "open_link",
    "share_on_whatsapp",
]
