"""The customer display: a second, customer-facing window for a second screen.

A pure view. The cashier's side drives it through five slots — :meth:`CustomerDisplay.show_idle`,
:meth:`~CustomerDisplay.show_cart`, :meth:`~CustomerDisplay.show_payment`,
:meth:`~CustomerDisplay.show_paid` and :meth:`~CustomerDisplay.show_canceled` — and it never
calls a service. The window's dynamic property ``state`` (``idle`` / ``cart`` / ``payment`` /
``paid`` / ``canceled``) drives its colours; :meth:`CustomerDisplay.state` reads it.

The QR code reuses :func:`ui.payment.view.qr_image` and, like the payment screen, is drawn only
for an ``https`` URL (or the demo sandbox's own loopback origin).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.display.style import DISPLAY_QSS
from ui.payment.view import qr_allowed, qr_image

CartLineView = tuple[str, int, int]  # (name, quantity, subtotal in rupiah)

PAGE_IDLE, PAGE_CART, PAGE_PAYMENT, PAGE_PAID, PAGE_CANCELED = range(5)
STATES = ("idle", "cart", "payment", "paid", "canceled")


def _label(text: str, name: str, parent: QWidget, *, center: bool = True) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # store names and order numbers: server text
    label.setWordWrap(True)
    if center:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class CustomerDisplay(QWidget):
    """The customer-facing window (a top-level window of its own).

    No signals: it only renders what the cashier's side tells it. It takes no focus and ignores
    keyboard input, so a customer touching the second screen cannot change the sale.
    """

    def __init__(
        self,
        store_name: str = "",
        *,
        sandbox_origin: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(tr("Kasir — Layar pelanggan", "Kasir — Customer display"))
        self.setAccessibleName(tr("Layar pelanggan", "Customer display"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        # closing the cashier's window must end Kasir even while this one is still open
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(DISPLAY_QSS)
        self.setMinimumSize(640, 480)
        self._sandbox_origin = sandbox_origin
        self._qr_url: str | None = None
        self._qr_side = 0

        # --- header: store name ---
        header = QFrame(self)
        header.setObjectName("customerDisplayHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.store = _label("", "customerDisplayStore", header, center=False)
        self.store.setAccessibleName(tr("Nama toko", "Store name"))
        brand = _label("Kasir", "customerDisplayBrand", header, center=False)
        brand.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head = QHBoxLayout(header)
        head.setContentsMargins(32, 12, 32, 12)
        head.addWidget(self.store, 1)
        head.addWidget(brand)

        # --- status headline (every state) ---
        self.status = _label("", "customerDisplayStatus", self)
        self.status.setAccessibleName(tr("Status", "Status"))

        # --- pages ---
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("customerDisplayPages")
        self.pages.addWidget(self._build_idle())
        self.pages.addWidget(self._build_cart())
        self.pages.addWidget(self._build_payment())
        self.pages.addWidget(self._build_done("paid"))
        self.pages.addWidget(self._build_done("canceled"))

        # --- total bar (cart, payment, paid) ---
        bar = QFrame(self)
        bar.setObjectName("customerDisplayTotalBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.total_bar = bar
        caption = _label(tr("Total", "Total"), "customerDisplayTotalCaption", bar, center=False)
        self.count = _label("", "customerDisplayCount", bar, center=False)
        self.total = _label("", "customerDisplayTotal", bar, center=False)
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.total.setWordWrap(False)
        self.total.setAccessibleName(tr("Total belanja", "Total"))
        left = QVBoxLayout()
        left.setSpacing(0)
        left.addWidget(caption)
        left.addWidget(self.count)
        row = QHBoxLayout(bar)
        row.setContentsMargins(28, 8, 28, 8)
        row.addLayout(left)
        row.addStretch(1)
        row.addWidget(self.total)

        # pushes the idle greeting down to the middle of the screen (idle state only)
        self._idle_spacer = QWidget(self)
        self._idle_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        body = QVBoxLayout()
        body.setContentsMargins(32, 16, 32, 24)
        body.setSpacing(14)
        body.addWidget(self._idle_spacer, 2)
        body.addWidget(self.status)
        body.addWidget(self.pages, 3)
        body.addWidget(bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(body, 1)

        self.set_store_name(store_name)
        self.show_idle()

    # --- pages ------------------------------------------------------------------------
    def _build_idle(self) -> QWidget:
        page = QWidget(self)
        self.welcome = _label("", "customerDisplayWelcome", page)
        box = QVBoxLayout(page)
        box.addWidget(self.welcome)
        box.addStretch(1)
        return page

    def _build_cart(self) -> QWidget:
        page = QWidget(self)
        table = QTableWidget(0, 3, page)
        table.setObjectName("customerDisplayLines")
        table.setAccessibleName(tr("Daftar belanja", "Items"))
        table.setHorizontalHeaderLabels(
            [tr("Barang", "Item"), tr("Jml", "Qty"), tr("Subtotal", "Subtotal")]
        )
        for col in range(3):
            head_item = table.horizontalHeaderItem(col)
            if head_item is not None:
                head_item.setTextAlignment(
                    Qt.AlignmentFlag.AlignVCenter
                    | (Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight)
                )
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.verticalHeader().setDefaultSectionSize(56)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.lines = table
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(table)
        return page

    def _build_payment(self) -> QWidget:
        page = QWidget(self)
        self.qr = QLabel(page)
        self.qr.setObjectName("customerDisplayQr")
        self.qr.setAccessibleName(tr("Kode QR pembayaran", "Payment QR code"))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setWordWrap(True)
        self.qr.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.qr.setMinimumSize(240, 240)
        self.qr.installEventFilter(self)
        self.amount = _label("", "customerDisplayAmount", page)
        self.amount.setAccessibleName(tr("Jumlah yang dibayar", "Amount to pay"))
        self.order = _label("", "customerDisplayOrder", page)
        self.order.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        hint = _label(
            tr(
                "Buka aplikasi bank atau e-wallet, lalu pindai kode QR ini.",
                "Open your banking or e-wallet app and scan this QR code.",
                "\n",
            ),
            "customerDisplayHint",
            page,
        )
        caption = _label(tr("Jumlah", "Amount"), "customerDisplayAmountCaption", page)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addStretch(1)
        right.addWidget(caption)
        right.addWidget(self.amount)
        right.addWidget(self.order)
        right.addSpacing(16)
        right.addWidget(hint)
        right.addStretch(1)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(32)
        row.addWidget(self.qr, 5)
        row.addLayout(right, 4)
        return page

    def _build_done(self, state: str) -> QWidget:
        page = QWidget(self)
        mark = _label("✓" if state == "paid" else "✕", "customerDisplayMark", page)
        box = QVBoxLayout(page)
        box.addStretch(1)
        box.addWidget(mark)
        if state == "paid":
            self.thanks = _label("", "customerDisplayThanks", page)
            box.addWidget(self.thanks)
        else:
            self.canceled_hint = _label("", "customerDisplayThanks", page)
            box.addWidget(self.canceled_hint)
        box.addStretch(1)
        return page

    # --- slots ------------------------------------------------------------------------
    def set_store_name(self, name: str) -> None:
        self.store.setText(" ".join((name or "").split()))
        self.welcome.setText(
            tr(
                "Silakan — kasir kami akan segera melayani Anda.",
                "Please wait — our cashier will be with you shortly.",
                "\n",
            )
        )

    def show_idle(self) -> None:
        """The welcome screen between customers."""
        self._qr_url = None
        self.lines.setRowCount(0)
        self.status.setText(tr("Selamat datang", "Welcome", "\n"))
        self._set_state("idle", PAGE_IDLE, total=None)

    def show_cart(self, lines: Sequence[CartLineView], total: int) -> None:
        """The cart as it is built: ``lines`` = ``(name, quantity, subtotal)``."""
        self._qr_url = None
        table = self.lines
        table.setRowCount(len(lines))
        count = 0
        for row, (name, quantity, subtotal) in enumerate(lines):
            count += int(quantity)
            # quantity 0: a discount row (issue 13), no "× n"
            cells = (name, f"{int(quantity)} ×" if quantity else "", format_idr(int(subtotal)))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                align = Qt.AlignmentFlag.AlignVCenter | (
                    Qt.AlignmentFlag.AlignLeft if col == 0 else Qt.AlignmentFlag.AlignRight
                )
                item.setTextAlignment(align)
                table.setItem(row, col, item)
        if lines:
            table.scrollToBottom()
        self.count.setText(tr(f"{count} barang", f"{count} items") if lines else "")
        self.status.setText(tr("Belanjaan Anda", "Your items"))
        self._set_state("cart", PAGE_CART, total=total)

    def show_payment(self, qr_url: str, amount: int, order_number: str) -> None:
        """The big QR of the payment URL, with the amount and the order number."""
        self._qr_url = qr_url
        self._qr_raw = False
        self._qr_side = 0
        self.amount.setText(format_idr(int(amount)))
        self.order.setText(tr("No. pesanan", "Order no.") + f": {order_number}")
        self.status.setText(tr("Silakan pindai untuk membayar", "Please scan to pay"))
        self._set_state("payment", PAGE_PAYMENT, total=amount)
        self._render_qr()

    def show_qris(self, qr_string: str, amount: int, order_number: str) -> None:
        """The QRIS payload itself as the QR (issue 13): any bank or e-wallet app pays it."""
        self.show_payment(qr_string, amount, order_number)
        self._qr_raw = True
        self._qr_side = 0
        self.status.setText(tr("Pindai QRIS untuk membayar", "Scan the QRIS to pay"))
        self._render_qr()

    def show_paid(self, amount: int) -> None:
        """The green "paid" screen."""
        self._qr_url = None
        self.qr.clear()
        self.status.setText(tr("LUNAS — Terima kasih!", "PAID — Thank you!", "\n"))
        self.thanks.setText(
            tr("Pembayaran diterima. Sampai jumpa lagi!", "Payment received. See you again!", "\n")
        )
        self.count.setText(tr("Dibayar", "Paid"))
        self._set_state("paid", PAGE_PAID, total=amount)

    def show_canceled(self) -> None:
        """The order was canceled: the QR must not be used any more."""
        self._qr_url = None
        self.qr.clear()
        self.status.setText(tr("Pesanan dibatalkan", "Order canceled"))
        self.canceled_hint.setText(
            tr(
                "Jangan bayar pesanan ini. Silakan tanya kasir.",
                "Do not pay this order. Please ask the cashier.",
                "\n",
            )
        )
        self._set_state("canceled", PAGE_CANCELED, total=None)

    # --- state ------------------------------------------------------------------------
    def state(self) -> str:
        return str(self.property("state"))

    def qr_url(self) -> str | None:
        """The URL the QR shows right now (``None`` when no QR is shown)."""
        pixmap = self.qr.pixmap()
        return self._qr_url if pixmap is not None and not pixmap.isNull() else None

    def _set_state(self, state: str, page: int, *, total: int | None) -> None:
        assert state in STATES
        self.pages.setCurrentIndex(page)
        # the payment page shows the amount next to the QR; the bar would only repeat it
        self.total_bar.setVisible(total is not None and state != "payment")
        self._idle_spacer.setVisible(state == "idle")
        if total is not None:
            self.total.setText(format_idr(int(total)))
        if state != "cart" and total is None:
            self.count.setText("")
        self.status.setProperty("state", state)
        self.setProperty("state", state)
        self._repolish()

    def _repolish(self) -> None:
        style = self.style()
        for widget in (self, *self.findChildren(QWidget)):
            style.unpolish(widget)
            style.polish(widget)
        self.update()

    def _render_qr(self) -> None:
        url = self._qr_url
        if url is None:
            return
        if not getattr(self, "_qr_raw", False) and not qr_allowed(url, self._sandbox_origin):
            self.qr.clear()
            self.qr.setText(
                tr(
                    "⚠ Tautan pembayaran tidak bisa ditampilkan. Silakan tanya kasir.",
                    "⚠ The payment link cannot be shown. Please ask the cashier.",
                    "\n",
                )
            )
            self.qr.setProperty("warning", True)
            self._polish(self.qr)
            return
        self.qr.setProperty("warning", False)
        self._polish(self.qr)
        side = self._qr_target_side()
        if side == self._qr_side and self.qr.pixmap() is not None and not self.qr.pixmap().isNull():
            return
        self._qr_side = side
        self.qr.setPixmap(QPixmap.fromImage(qr_image(url, side)))

    def _qr_target_side(self) -> int:
        """As big as the QR label allows (minus its padding), never below 240 px."""
        size: QSize = self.qr.contentsRect().size()
        return max(240, min(size.width(), size.height()) - 8)

    def _polish(self, widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.qr and event.type() == QEvent.Type.Resize and self._qr_url:
            self._render_qr()
        return super().eventFilter(watched, event)

    # --- screens ----------------------------------------------------------------------
    def show_on_screen(self, screen_index: int = 1) -> bool:
        """Show the window fullscreen on screen ``screen_index`` when that screen exists.

        Without it (a laptop with one screen) the window opens as a normal, movable window on
        the primary screen, and this returns False.
        """
        screens = QGuiApplication.screens()
        if 0 <= screen_index < len(screens):
            screen = screens[screen_index]
            self.winId()  # create the native window so it can be given a screen
            handle = self.windowHandle()
            if handle is not None:
                handle.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
            return True
        primary = QGuiApplication.primaryScreen()
        if primary is not None:
            area = primary.availableGeometry()
            self.resize(min(1024, area.width()), min(640, area.height()))
        self.showNormal()
        return False


__all__ = ["CartLineView", "CustomerDisplay"]
