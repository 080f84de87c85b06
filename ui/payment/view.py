"""The payment screen: a large QR of the order's ``payment_url``, amount, order number,
method, the URL with a copy button and the live payment status.

The QR is drawn only for an ``https`` URL, or — in demo mode — for the embedded sandbox's own
loopback origin; any other URL shows a warning instead of a code the customer might trust.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos.domain.order_status import is_closed, is_paid
from pos.domain.urls import payment_url_allowed
from ui.checkout.view import method_label
from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.common.notifier import Notifier
from ui.common.shortcuts import with_label
from ui.payment.share_buttons import CopyLinkButton, WhatsAppButton

if TYPE_CHECKING:
    from pos.api.models import Order

QR_SIZE = 380


def qr_image(data: str, size: int = QR_SIZE) -> QImage:
    """``data`` as a QR code, black on white with a quiet zone, about ``size`` pixels wide."""
    import qrcode  # on the first QR (payment screen), not at start-up
    import qrcode.constants

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    n = len(matrix)
    scale = max(1, size // n)
    image = QImage(n * scale, n * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    black = QColor("black")
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(QRect(x * scale, y * scale, scale, scale), black)
    painter.end()
    return image


def qr_allowed(url: str | None, sandbox_origin: str | None = None) -> bool:
    """True for an https URL with a host, or for the demo sandbox's own loopback origin
    (the rule lives in :func:`pos.domain.urls.payment_url_allowed`)."""
    return payment_url_allowed(url, sandbox_origin)


def status_text(order: Order) -> tuple[str, str]:
    """``(state, text)``; state is ``"paid"``, ``"closed"``, ``"conflict"`` or ``"waiting"``."""
    if is_paid(order.payment_status):
        return "paid", tr("LUNAS", "PAID")
    if is_closed(order.status):
        if (order.status or "").strip().lower() in ("canceled", "cancelled"):
            return "closed", tr("DIBATALKAN", "CANCELED")
        return "closed", tr("DITUTUP", "CLOSED")
    if order.payment_status == "conflict":
        return "conflict", tr(
            "Pembayaran bermasalah — cek di Scalev", "Payment conflict — check in Scalev"
        )
    return "waiting", tr("Menunggu pembayaran…", "Waiting for payment…")


class PaymentView(QWidget):
    """The payment page.

    Signals:
        new_sale_requested(): clear the cart and go back to the catalog.
        check_requested(): ask the server now (check-payment).
    """

    new_sale_requested = Signal()
    check_requested = Signal()
    #: "Cetak struk" / "Simpan PDF" for the order on screen (``ui.receipts.actions``)
    print_requested = Signal()
    pdf_requested = Signal()

    def __init__(
        self,
        sandbox_origin: str | None = None,
        parent: QWidget | None = None,
        *,
        notifier: Notifier | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("paymentPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("state", "waiting")
        self._sandbox_origin = sandbox_origin
        self._order: Order | None = None

        self.qr = QLabel(self)
        self.qr.setObjectName("paymentQr")
        self.qr.setAccessibleName(tr("Kode QR pembayaran", "Payment QR code"))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(QR_SIZE + 16, QR_SIZE + 16)
        self.qr.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.qr.setWordWrap(True)
        self.scan_hint = scan = QLabel(tr("Pindai untuk membayar", "Scan to pay"), self)
        scan.setObjectName("scanHint")
        scan.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scan.setWordWrap(True)
        self._qr_pixmap: QPixmap | None = None
        self._qris_pending = False

        self.status = QLabel(self)
        self.status.setObjectName("paymentStatus")
        self.status.setAccessibleName(tr("Status pembayaran", "Payment status"))
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setWordWrap(True)
        self.status.setProperty("status", "")
        self.check_trouble = QLabel(
            tr(
                "Tidak bisa memeriksa pembayaran saat ini — mencoba lagi otomatis…",
                "Cannot check the payment right now — retrying automatically…",
            ),
            self,
        )
        self.check_trouble.setObjectName("paymentCheckTrouble")
        self.check_trouble.setTextFormat(Qt.TextFormat.PlainText)
        self.check_trouble.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.check_trouble.setWordWrap(True)
        self.check_trouble.hide()

        self.amount = QLabel(self)
        self.amount.setObjectName("paymentAmount")
        self.amount.setAccessibleName(tr("Jumlah", "Amount"))
        self.order_number = QLabel(self)
        self.order_number.setObjectName("orderNumber")
        # Server text (order number, customer, method, status) is shown as plain text.
        for label in (self.qr, self.status, self.amount, self.order_number):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.order_number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.method = QLabel(self)
        self.method.setObjectName("paymentMethodLabel")
        self.method.setTextFormat(Qt.TextFormat.PlainText)
        self.customer = QLabel(self)
        self.customer.setObjectName("paymentCustomer")
        # issue 13: discount, cash received and change, QRIS / cash notes
        self.discount = QLabel(self)
        self.discount.setObjectName("paymentDiscount")
        self.discount.hide()
        self.cash = QLabel(self)
        self.cash.setObjectName("paymentCash")
        self.cash.setWordWrap(True)
        self.cash.hide()
        self.qris_string = ""
        self.cash_amounts: tuple[int, int] | None = None
        self.customer.setTextFormat(Qt.TextFormat.PlainText)

        self.url = QLineEdit(self)
        self.url.setObjectName("paymentUrl")
        self.url.setAccessibleName(tr("Tautan pembayaran", "Payment link"))
        self.url.setReadOnly(True)
        self.url.setMinimumHeight(44)
        self.copy_button = CopyLinkButton(self, sandbox_origin=sandbox_origin)
        self.copy_button.setObjectName("copyUrlButton")
        self.whatsapp = WhatsAppButton(notifier, self, sandbox_origin=sandbox_origin)
        self.whatsapp.setObjectName("paymentWhatsApp")
        self.whatsapp.setMinimumHeight(44)
        self.store_name = ""
        self.print_button = QPushButton(
            with_label(tr("Cetak struk", "Print receipt"), "print"), self
        )
        self.print_button.setObjectName("printReceiptButton")
        self.print_button.setAccessibleName(tr("Cetak struk", "Print receipt"))
        self.print_button.setMinimumHeight(44)
        self.print_button.clicked.connect(self.print_requested)
        self.pdf_button = QPushButton(tr("Simpan PDF", "Save PDF"), self)
        self.pdf_button.setObjectName("savePdfButton")
        self.pdf_button.setAccessibleName(tr("Simpan struk sebagai PDF", "Save receipt as PDF"))
        self.pdf_button.setMinimumHeight(44)
        self.pdf_button.clicked.connect(self.pdf_requested)

        self.check_button = QPushButton(tr("Cek sekarang", "Check now") + "  (F5)", self)
        self.check_button.setObjectName("checkNowButton")
        self.check_button.setAccessibleName(tr("Cek pembayaran sekarang", "Check payment now"))
        self.check_button.setMinimumHeight(52)
        self.check_button.clicked.connect(self.check_requested)
        self.new_sale_button = QPushButton(
            with_label(tr("Penjualan baru", "New sale"), "new_sale"), self
        )
        self.new_sale_button.setObjectName("newSaleButton")
        self.new_sale_button.setAccessibleName(tr("Penjualan baru", "New sale"))
        self.new_sale_button.setProperty("role", "primary")
        self.new_sale_button.setMinimumHeight(52)
        self.new_sale_button.clicked.connect(self.new_sale_requested)

        left = QVBoxLayout()
        left.addStretch(1)
        left.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        left.addWidget(scan)
        left.addStretch(1)

        details = QGridLayout()
        details.setVerticalSpacing(6)
        for r, (caption, widget) in enumerate(
            [
                (tr("No. pesanan", "Order no."), self.order_number),
                (tr("Metode", "Method"), self.method),
                (tr("Pelanggan", "Customer"), self.customer),
            ]
        ):
            cap = QLabel(caption, self)
            cap.setObjectName("fieldLabel")
            details.addWidget(cap, r, 0)
            details.addWidget(widget, r, 1)
        details.setColumnStretch(1, 1)
        url_row = QHBoxLayout()
        url_row.addWidget(self.url, 1)
        url_row.addWidget(self.copy_button)

        card = QFrame(self)
        card.setObjectName("paymentCard")
        right = QVBoxLayout(card)
        right.setSpacing(10)
        self.amount_caption = QLabel(tr("Total tagihan", "Amount due"), self)
        self.amount_caption.setObjectName("fieldLabel")
        right.addWidget(self.status)
        right.addWidget(self.check_trouble)
        right.addSpacing(8)
        right.addWidget(self.amount_caption)
        right.addWidget(self.amount)
        right.addWidget(self.discount)
        right.addWidget(self.cash)
        right.addLayout(details)
        right.addWidget(QLabel(tr("Tautan pembayaran", "Payment link"), self))
        right.addLayout(url_row)
        share_row = QHBoxLayout()
        share_row.addWidget(self.whatsapp, 1)
        right.addLayout(share_row)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.print_button, 1)
        receipt_row.addWidget(self.pdf_button, 1)
        right.addLayout(receipt_row)
        right.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.new_sale_button, 1)
        right.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(24)
        layout.addLayout(left, 1)
        layout.addWidget(card, 1)

    # --- state ------------------------------------------------------------------------
    @property
    def order(self) -> Order | None:
        return self._order

    def set_check_trouble(self, failing: bool) -> None:
        """Payment status checks are failing (the watcher retries by itself) or work again."""
        self.check_trouble.setVisible(failing and self.state() == "waiting")

    def show_order(self, order: Order, customer_name: str = "", customer_phone: str = "") -> None:
        """A new order: draw the QR and all fields."""
        self._order = order
        url = order.payment_url or ""
        self.url.setText(url)
        self.url.setCursorPosition(0)
        self.copy_button.set_link(url)
        # a QRIS order draws its qr_string (show_qris) — the link's QR only as the fallback
        self._qris_pending = order.payment_method == "qris" and not order.is_paid
        if not self._qris_pending and qr_allowed(url, self._sandbox_origin):
            self._qr_pixmap = QPixmap.fromImage(qr_image(url))
        else:
            self._qr_pixmap = None
        self.amount.setText(format_idr(order.gross_revenue))
        self.qris_string = ""
        self.cash.hide()
        self.cash_amounts = None
        self.qr.setProperty("kind", "link")
        self.qr.setAccessibleName(tr("Kode QR pembayaran", "Payment QR code"))
        off = int((order.product_discount or 0) + (order.shipping_discount or 0))
        self.discount.setText(tr("Diskon", "Discount") + f"  −{format_idr(off)}" if off else "")
        self.discount.setVisible(bool(off))
        self.order_number.setText(order.order_id or order.id)
        self.method.setText(
            method_label(order.payment_method or "") if order.payment_method else "—"
        )
        name = customer_name or (
            order.customer.name if order.customer and order.customer.name else ""
        )
        self.customer.setText(name or "—")
        phone = customer_phone or (
            order.customer.phone if order.customer and order.customer.phone else ""
        )
        self.whatsapp.set_payment(
            phone,
            name,
            self.store_name or (order.store.name if order.store and order.store.name else ""),
            order.order_id or order.id,
            int(order.gross_revenue or 0),
            url,
        )
        self.print_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.update_order(order)

    def update_order(self, order: Order) -> None:
        """A fresh status of the same order."""
        if self._order is not None and order.id != self._order.id:
            return
        self._order = order
        state, text = status_text(order)
        self.status.setText(text)
        self.status.setProperty("status", order.payment_status or "")
        self.status.setProperty("state", state)
        self.setProperty("state", state)
        if order.payment_method:
            self.method.setText(method_label(order.payment_method))
        self.check_button.setEnabled(state in ("waiting", "conflict"))
        if state != "waiting":
            self.check_trouble.hide()
        self.amount_caption.setText(
            tr("Total dibayar", "Amount paid")
            if state == "paid"
            else tr("Total pesanan", "Order total")
            if state == "closed"
            else tr("Total tagihan", "Amount due")
        )
        self.whatsapp.set_paid(state == "paid")
        self._show_qr(state)
        self._repolish(self.status)
        self._repolish(self)

    def show_qris(self, qr_string: str) -> None:
        """Draw the QRIS payload itself (any bank or e-wallet app pays it in one scan) in
        place of the payment link's QR."""
        if not qr_string or self._order is None:
            return
        self.qris_string = qr_string
        self._qris_pending = False
        self._qr_pixmap = QPixmap.fromImage(qr_image(qr_string))
        self.qr.setProperty("kind", "qris")
        self.qr.setAccessibleName(tr("Kode QRIS", "QRIS code"))
        self.update_order(self._order)

    def show_link_qr(self) -> None:
        """No QRIS payload for this order: its payment link's QR after all."""
        if self._order is None or not self._qris_pending:
            return
        self._qris_pending = False
        url = self._order.payment_url or ""
        if qr_allowed(url, self._sandbox_origin):
            self._qr_pixmap = QPixmap.fromImage(qr_image(url))
        self.update_order(self._order)

    def show_cash(self, received: int, change: int, *, forbidden: bool = False) -> None:
        """A cash sale: what was handed over and the change (and, when the key may not mark
        orders paid, what the cashier has to do)."""
        text = (
            tr("Tunai diterima", "Cash received")
            + f"  {format_idr(received)}   ·   "
            + tr("Kembalian", "Change")
            + f"  {format_idr(change)}"
        )
        if forbidden:
            from ui.common.i18n import message

            text += "\n" + message("cash_forbidden")
        self.cash.setText(text)
        self.cash_amounts = (int(received), int(change))
        self.cash.setProperty("forbidden", forbidden)
        self.cash.show()
        self._repolish(self.cash)

    def _show_qr(self, state: str) -> None:
        """The QR while the order can be paid; a clear mark once it is paid or closed."""
        self.qr.setProperty("warning", False)
        self.qr.setProperty("done", state if state in ("paid", "closed") else "")
        if state == "paid":
            self.qr.clear()
            self.qr.setText("✓")
            self.scan_hint.setText(tr("Pembayaran diterima", "Payment received"))
        elif state == "closed":
            self.qr.clear()
            self.qr.setText("✕")
            self.scan_hint.setText(tr("Jangan bayar pesanan ini", "Do not pay this order"))
        elif self._qr_pixmap is None and self._qris_pending:
            self.qr.clear()
            self.qr.setText(tr("Menyiapkan QRIS…", "Preparing the QRIS…"))
            self.scan_hint.setText("")
        elif self._qr_pixmap is not None:
            self.qr.setPixmap(self._qr_pixmap)
            if self.qris_string and self._order is not None:
                self.scan_hint.setText(
                    "QRIS  ·  "
                    + format_idr(self._order.gross_revenue)
                    + "  ·  "
                    + tr("pindai dengan aplikasi bank/e-wallet", "scan with any bank/e-wallet app")
                )
            else:
                self.scan_hint.setText(tr("Pindai untuk membayar", "Scan to pay"))
        else:
            self.qr.clear()
            self.qr.setText(
                tr(
                    "⚠ Tautan pembayaran tidak aman atau kosong — QR tidak ditampilkan. "
                    "Periksa pesanan di Scalev.",
                    "⚠ The payment link is missing or not secure — no QR shown. "
                    "Check the order in Scalev.",
                )
            )
            self.qr.setProperty("warning", True)
            self.scan_hint.setText("")
        self._repolish(self.qr)
        self._repolish(self.scan_hint)

    def state(self) -> str:
        return str(self.property("state"))

    def set_from_history(self, from_history: bool) -> None:
        """An earlier sale opened from the history: the bottom button goes back there (the
        cart in progress is kept) instead of starting a new sale."""
        self.setProperty("fromHistory", from_history)
        if from_history:
            self.new_sale_button.setText(tr("Kembali ke riwayat", "Back to history") + "  (Esc)")
            self.new_sale_button.setAccessibleName(tr("Kembali ke riwayat", "Back to history"))
        else:
            self.new_sale_button.setText(with_label(tr("Penjualan baru", "New sale"), "new_sale"))
            self.new_sale_button.setAccessibleName(tr("Penjualan baru", "New sale"))

    def from_history(self) -> bool:
        return bool(self.property("fromHistory"))

    def copy_url(self) -> None:
        self.copy_button.copy()

    def reset(self) -> None:
        self._order = None
        self._qr_pixmap = None
        self.qris_string = ""
        self.cash.hide()
        self.discount.hide()
        self.cash_amounts = None
        self.qr.clear()
        self.url.clear()
        self.copy_button.set_link(None)
        self.whatsapp.clear()
        self.print_button.setEnabled(False)
        self.pdf_button.setEnabled(False)
        self.check_trouble.hide()
        self.setProperty("state", "waiting")
        self._repolish(self)

    def _repolish(self, widget: QWidget) -> None:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
