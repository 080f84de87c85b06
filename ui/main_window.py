"""The main window: top bar (title, DEMO badge, store picker, pending badge, history), message
banner and the stacked pages — sale (catalog + cart), checkout, payment, a full-window problem
screen, the "saved, will be sent" page after an offline checkout, and the sales history."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.checkout.outbox_ui import OutboxBridge, PendingBadge, QueuedPage, created_message
from ui.common.i18n import tr, tr_short
from ui.common.notifier import MessageBanner, Notifier
from ui.common.shortcuts import ShortcutSheet
from ui.common.shortcuts import bindings as shortcut_bindings
from ui.common.shortcuts import label as shortcut_label
from ui.connection_view import CatalogAge, LinkIndicator, RetryBanner
from ui.controllers import SaleController
from ui.receipts.actions import ReceiptActions, receipt_from_order
from ui.sale.cart_view import CartPanel
from ui.sale.catalog_view import CatalogPanel
from ui.sale.thumbnails import ThumbnailCache
from ui.settings.counter import Counter, apply_language, apply_terminal, restart_text

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from pos.api.models import Order, Store
    from ui.checkout.view import CheckoutView
    from ui.history.view import HistoryView
    from ui.payment.view import PaymentView

if TYPE_CHECKING:  # both built on first use, not before the first paint
    from ui.display.customer_display import CustomerDisplay
    from ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)

PAGE_SALE, PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_PROBLEM, PAGE_QUEUED, PAGE_HISTORY = range(6)


class ProblemScreen(QWidget):
    """Full-window message when the backend cannot be used (unreachable, bad key).

    Signals:
        retry_requested(): try to connect again.
    """

    retry_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemPage")
        self.title = QLabel(self)
        self.title.setObjectName("problemTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("problemBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel(self)
        self.detail.setObjectName("problemDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # error details: server text
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.retry = QPushButton(tr("Coba lagi", "Retry"), self)
        self.retry.setObjectName("retryButton")
        self.retry.setAccessibleName(tr("Coba sambung lagi", "Try to connect again"))
        self.retry.setProperty("role", "primary")
        self.retry.setMinimumSize(220, 52)
        self.retry.clicked.connect(self.retry_requested)
        self.settings_button = QPushButton(tr("Pengaturan", "Settings") + "  (F10)", self)
        self.settings_button.setObjectName("problemSettingsButton")
        self.settings_button.setAccessibleName(
            tr("Buka pengaturan server dan kunci API", "Open the server and API key settings")
        )
        self.settings_button.setMinimumSize(220, 52)
        self.settings_button.clicked.connect(self.settings_requested)
        box = QFrame(self)
        box.setObjectName("problemCard")
        box.setFixedWidth(680)
        inner = QVBoxLayout(box)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addWidget(self.detail)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.retry)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_problem(self, kind: str, detail: str) -> None:
        # the demo server does not come back by retrying: Kasir must be opened again
        self.retry.setVisible(kind not in ("demo", "config"))
        if kind == "demo":
            self.title.setText(
                tr("Server demo tidak bisa mulai", "The demo server could not start")
            )
            self.body.setText(
                tr(
                    "Server contoh bawaan Kasir gagal berjalan. Periksa bahwa folder data Kasir "
                    "bisa ditulis (lihat keterangan di bawah), lalu buka ulang Kasir.",
                    "Kasir's built-in sample server failed to start. Check that Kasir's data "
                    "folder is writable (see the detail below), then open Kasir again.",
                    "\n\n",
                )
            )
        elif kind == "config":  # the server address itself is refused (http://, malformed)
            self.title.setText(tr("Alamat server ditolak", "Server address refused"))
            self.body.setText(
                tr(
                    "Kasir hanya mengirim kunci API lewat https://. Perbaiki alamat server di "
                    "Pengaturan (F10) atau KASIR_BASE_URL, lalu buka ulang Kasir.",
                    "Kasir sends the API key over https:// only. Fix the server address in "
                    "Settings (F10) or KASIR_BASE_URL, then open Kasir again.",
                    "\n\n",
                )
            )
        elif kind == "auth":
            self.title.setText(tr("Kunci API ditolak", "API key rejected"))
            self.body.setText(
                tr(
                    "Scalev menolak kunci API ini (401). Buat kunci baru di Scalev → Pengaturan → "
                    "API, lalu simpan di Pengaturan Kasir (F10), atau jalankan Kasir dengan "
                    "KASIR_API_KEY.",
                    "Scalev rejected this API key (401). Create a new key in Scalev → Settings → "
                    "API, then save it in Kasir's Settings (F10), or start Kasir with "
                    "KASIR_API_KEY.",
                    "\n\n",
                )
            )
        else:
            self.title.setText(tr("Server tidak bisa dihubungi", "Cannot reach the server"))
            self.body.setText(
                tr(
                    "Periksa koneksi internet (Wi-Fi / kabel) dan alamat server (Pengaturan, "
                    "F10), lalu tekan Coba lagi.",
                    "Check the internet connection (Wi-Fi / cable) and the server address "
                    "(Settings, F10), then press Retry.",
                    "\n\n",
                )
            )
        self.detail.setText(detail)


class MainWindow(QMainWindow):
    """The Kasir window.

    Signals:
        retry_requested(): the problem screen's Retry was pressed.
    """

    retry_requested = Signal()

    def __init__(
        self,
        controller: SaleController,
        notifier: Notifier,
        *,
        demo: bool = False,
        sandbox_origin: str | None = None,
        thumbnails: ThumbnailCache | None = None,
        outbox: OutboxBridge | None = None,
        counter: Counter | None = None,
        lazy_pages: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        #: saved settings and what a save changes (a default, unsaved one in tests)
        self.counter = counter or Counter(demo=demo, base_url=sandbox_origin)
        self._sandbox_origin = sandbox_origin
        self._settings_dialog: SettingsDialog | None = None
        self.customer_display: CustomerDisplay | None = None
        self.receipts = ReceiptActions(
            controller.runner,
            notifier,
            settings=self.counter.settings,
            data_dir=self.counter.data_dir or Path(tempfile.gettempdir()) / "kasir-receipts",
            parent=self,
        )
        self.setWindowTitle("Kasir" + (" — DEMO" if demo else ""))
        self.setAccessibleName("Kasir")
        self.controller = controller
        self.notifier = notifier
        self._stores: list[Store] = []
        self._sheet: ShortcutSheet | None = None
        #: the offline queue and history (None: tests of the sale screen alone)
        self.outbox = outbox
        self._quit_confirmed = False
        self._quit_box: QMessageBox | None = None
        self._return_page = PAGE_SALE
        self._problem_kind = ""
        self._sale_order: tuple[Order, str] | None = None

        # Every widget is created in its final parent (never moved later): with the app's style
        # sheet, moving a built subtree into another parent polishes all of it again.
        central = QWidget(self)

        # --- top bar ---
        bar = QFrame(central)
        bar.setObjectName("topBar")
        title = QLabel("Kasir", bar)
        title.setObjectName("appTitle")
        self.demo_badge = QLabel("DEMO", bar)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setToolTip(
            tr(
                "Mode demo: server contoh bawaan, tidak ada uang sungguhan.",
                "Demo mode: the built-in sample server, no real money.",
            )
        )
        self.demo_badge.setAccessibleName(tr("Mode demo", "Demo mode"))
        self.demo_badge.setVisible(demo)
        self.store_selector = QComboBox(bar)
        self.store_selector.setObjectName("storeSelector")
        self.store_selector.setAccessibleName(tr("Pilih toko", "Choose store"))
        self.store_selector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.store_selector.setMinimumWidth(180)
        self.store_selector.setToolTip(tr("Toko", "Store"))
        self.store_selector.setMinimumHeight(44)
        self._store_names = QStringListModel(self)  # the search box comes with the stores
        self.store_selector.activated.connect(self._on_store_chosen)
        self.link_status = LinkIndicator(bar)
        help_button = QPushButton("F1 " + tr_short("Bantuan", "Help"), bar)
        help_button.setToolTip(tr("Pintasan keyboard", "Keyboard shortcuts") + "  (F1)")
        help_button.setObjectName("helpButton")
        help_button.setAccessibleName(tr("Pintasan keyboard", "Keyboard shortcuts"))
        help_button.setMinimumHeight(44)
        help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        help_button.clicked.connect(self.show_shortcuts)
        self.pending_badge = PendingBadge(bar)
        self.pending_badge.clicked.connect(self.show_pending)
        self.history_button = QPushButton("F4 " + tr_short("Riwayat", "History"), bar)
        self.history_button.setToolTip(tr("Riwayat penjualan", "Sales history") + "  (F4)")
        self.history_button.setObjectName("historyButton")
        self.history_button.setAccessibleName(tr("Riwayat penjualan", "Sales history"))
        self.history_button.setMinimumHeight(44)
        self.history_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.history_button.setVisible(outbox is not None)
        self.reprint_button = QPushButton(bar)
        self.reprint_button.setObjectName("retryPrintsButton")
        self.reprint_button.setAccessibleName(
            tr("Cetak ulang struk yang gagal", "Retry the failed prints")
        )
        self.reprint_button.setMinimumHeight(44)
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint_button.clicked.connect(self.receipts.retry_prints)
        self.receipts.pending_changed.connect(self._show_reprint)
        # top-bar buttons in one language even in bilingual mode, so the bar fits 1366 px
        self.display_button = QPushButton(tr_short("Layar pelanggan", "Customer display"), bar)
        self.display_button.setToolTip(tr("Layar pelanggan", "Customer display"))
        self.display_button.setObjectName("customerDisplayButton")
        self.display_button.setAccessibleName(
            tr("Tampilkan layar pelanggan", "Show the customer display")
        )
        self.display_button.setCheckable(True)
        self.display_button.setStyleSheet(
            "#customerDisplayButton:checked { background: #dcfce7; color: #166534;"
            " border: 2px solid #16a34a; }"
        )
        self.display_button.setMinimumHeight(44)
        self.display_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.display_button.toggled.connect(self.set_customer_display)
        self.settings_button = QPushButton("F10 " + tr_short("Pengaturan", "Settings"), bar)
        self.settings_button.setToolTip(
            tr("Pengaturan", "Settings") + f"  (F10, {shortcut_label('settings')})"
        )
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setAccessibleName(tr("Pengaturan", "Settings"))
        self.settings_button.setMinimumHeight(44)
        self.settings_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.settings_button.clicked.connect(self.open_settings)
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 6, 16, 6)
        bar_layout.addWidget(title)
        bar_layout.addWidget(self.demo_badge)
        bar_layout.addSpacing(8)
        bar_layout.addWidget(self.store_selector)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.link_status)
        bar_layout.addWidget(self.pending_badge)
        bar_layout.addWidget(self.reprint_button)
        bar_layout.addWidget(self.history_button)
        # the cashier's shift (issue 13)
        self.shift_button = QPushButton("F7 " + tr_short("Shift", "Shift"), bar)
        self.shift_button.setObjectName("shiftButton")
        self.shift_button.setAccessibleName(tr("Shift kasir", "Cashier shift"))
        self.shift_button.setMinimumHeight(44)
        self.shift_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shift_button.clicked.connect(lambda: self.show_shift())
        self.shift_button.setVisible(getattr(controller.checkout, "shifts", None) is not None)
        self.shift_dialog: Any = None
        bar_layout.addWidget(self.shift_button)
        bar_layout.addWidget(self.display_button)
        bar_layout.addWidget(self.settings_button)
        bar_layout.addWidget(help_button)
        self.reprint_button.hide()  # shown by build_pages() when receipts wait for a retry

        self.retry_banner = RetryBanner(parent=central)
        self.banner = MessageBanner(notifier, central)

        # --- pages ---
        self.pages = QStackedWidget(central)
        self.pages.setObjectName("pages")
        sale = QSplitter(Qt.Orientation.Horizontal, self.pages)
        sale.setObjectName("salePage")
        self.catalog = CatalogPanel(sale, thumbnails)
        # the catalog's age and refresh beside its item count (the top bar must fit 1366 px)
        self.catalog_age = CatalogAge(self.catalog)
        self.catalog_age.button.setMinimumHeight(32)
        self.catalog.status_row.addWidget(self.catalog_age)
        self.cart = CartPanel(controller, sale)
        self.cart.setMinimumWidth(380)
        self.cart.setMaximumWidth(520)
        sale.setChildrenCollapsible(False)
        sale.addWidget(self.catalog)
        sale.addWidget(self.cart)
        sale.setStretchFactor(0, 1)
        sale.setStretchFactor(1, 0)
        sale.setSizes([900, 420])
        # Checkout, payment and history are built by build_pages(): at once, or — with
        # ``lazy_pages`` (the app) — right after the first paint, before any network, or on
        # first use if that comes earlier. Until then an empty placeholder holds their index.
        self._checkout: CheckoutView | None = None
        self._payment: PaymentView | None = None
        self._history: HistoryView | None = None
        self.problem = ProblemScreen(self.pages)
        self.queued = QueuedPage(self.pages)
        for page in (
            sale,
            QWidget(self.pages),  # PAGE_CHECKOUT, see the checkout property
            QWidget(self.pages),  # PAGE_PAYMENT, see the payment property
            self.problem,
            self.queued,
            QWidget(self.pages),  # PAGE_HISTORY, see the history property
        ):
            self.pages.addWidget(page)

        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.retry_banner)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(1024, 640)

        # --- wiring: views emit intents, the controller publishes state ---
        self.catalog.item_activated.connect(self._add_item)
        self.cart.charge_requested.connect(self.go_checkout)
        self.queued.new_sale_requested.connect(self.new_sale)
        self.queued.history_requested.connect(lambda: self.show_history(self.queued.pos_ref))
        self.queued.show_qr_requested.connect(self.open_sale)
        controller.sale_queued.connect(self._on_sale_queued)
        controller.cart_refused.connect(notifier.warning)
        notifier.link_activated.connect(self._on_link)
        if outbox is not None:
            outbox.counts_changed.connect(self.pending_badge.set_counts)
            outbox.sale_created.connect(self._on_outbox_created)
            self.pending_badge.set_counts(outbox.pending, outbox.attention)
        self.problem.retry_requested.connect(self.retry)
        self.problem.settings_requested.connect(self.open_settings)
        controller.stores_changed.connect(self._set_stores)
        controller.store_changed.connect(self._show_store)
        controller.catalog_changed.connect(self.catalog.set_items)
        controller.catalog_progress.connect(self.catalog.set_progress)
        controller.catalog_loading.connect(self.catalog.set_loading)
        controller.catalog_summary.connect(self.catalog.set_summary)
        controller.order_created.connect(self._on_order_created)
        controller.order_updated.connect(self._on_order_updated)
        controller.payment_trouble.connect(self._on_payment_trouble)
        controller.backend_failed.connect(self.show_problem)
        controller.backend_ok.connect(self._on_backend_ok)
        controller.link_changed.connect(self._on_link_changed)
        controller.catalog_age.connect(self.catalog_age.set_age)
        controller.notice.connect(notifier.warning)
        self.retry_banner.retry_now.connect(controller.retry_now)
        self.catalog_age.refresh_requested.connect(controller.refresh_catalog)

        # --- keyboard ---
        self._shortcut("F1", self.show_shortcuts)
        self._shortcut("F2", self.focus_search)
        self._shortcut("F3", self.focus_cart)
        self._shortcut("F9", self.charge_or_submit)
        self._shortcut("F5", self._check_now)
        self._shortcut("Esc", self.back)
        self._shortcut("F4", self.show_history)
        self._shortcut("F7", self.show_shift)
        self._shortcut("F10", self.open_settings)
        for name, slot in (  # the platform's keys: ⌘N … on macOS (ui/common/shortcuts.py)
            ("new_sale", self._new_sale_shortcut),
            ("clear_cart", self._clear_cart_shortcut),
            ("history", self.show_history),
            ("settings", self.open_settings),
            ("print", self._print_shortcut),
        ):
            for seq in shortcut_bindings(name):
                self._shortcut(seq, slot)

        if not lazy_pages:
            self.build_pages()
        self.pages.setCurrentIndex(PAGE_SALE)
        self.catalog.search.setFocus()
        if self.counter.settings.backend == "scalev" and self.counter.demo:
            # saved as Scalev, but no key in the keyring nor KASIR_API_KEY: demo until fixed
            self.notifier.warning(
                tr(
                    "Server Scalev dipilih, tetapi kunci API tidak ditemukan di keyring. Kasir "
                    "berjalan dalam mode demo — simpan kunci di Pengaturan (F10).",
                    "Scalev is chosen but no API key was found in the keyring. Kasir runs in "
                    "demo mode — save the key in Settings (F10).",
                )
            )

    # --- pages built after the first paint ---------------------------------------------
    def build_pages(self) -> None:
        """Build the checkout, payment and history pages (each once) and show the reprint
        button when receipts wait in the print retry list (read from disk only now)."""
        _ = self.checkout, self.payment, self.history
        self._show_reprint(self.receipts.pending())

    def _place_page(self, index: int, page: QWidget) -> None:
        current = self.pages.currentIndex()
        placeholder = self.pages.widget(index)
        self.pages.insertWidget(index, page)
        if placeholder is not None:
            self.pages.removeWidget(placeholder)
            placeholder.deleteLater()
        self.pages.setCurrentIndex(current)

    @property
    def checkout(self) -> CheckoutView:
        if self._checkout is None:
            from ui.checkout.view import CheckoutView

            page = self._checkout = CheckoutView(self.controller, self.pages)
            page.back_requested.connect(self.go_sale)
            self._place_page(PAGE_CHECKOUT, page)
            if self.controller.methods:  # shown from the cache before this page existed
                self.controller.publish_methods()
        return self._checkout

    @property
    def payment(self) -> PaymentView:
        if self._payment is None:
            from ui.payment.view import PaymentView

            page = self._payment = PaymentView(
                self._sandbox_origin, self.pages, notifier=self.notifier
            )
            page.new_sale_requested.connect(self._payment_done)
            page.check_requested.connect(self.controller.check_now)
            page.print_requested.connect(self.print_receipt)
            page.pdf_requested.connect(self.save_receipt_pdf)
            self._place_page(PAGE_PAYMENT, page)
        return self._payment

    @property
    def history(self) -> HistoryView | None:
        if self._history is None and self.outbox is not None:
            from ui.history.view import HistoryView

            page = self._history = HistoryView(
                self.outbox, self.pages, sandbox_origin=self._sandbox_origin
            )
            page.open_requested.connect(lambda row: self.open_sale(row.pos_ref))
            page.back_requested.connect(self.leave_history)
            page.shifts_requested.connect(self.show_shift)
            page.print_requested.connect(
                lambda row: self._receipt_for_row(row, self.receipts.print_receipt)
            )
            page.pdf_requested.connect(
                lambda row: self._receipt_for_row(row, self.receipts.save_pdf)
            )
            self._place_page(PAGE_HISTORY, page)
        return self._history

    def _on_order_updated(self, order: Order) -> None:
        if self._payment is not None:  # not built yet: no order on it to update
            self._payment.update_order(order)
        if self.outbox is not None:
            self.outbox.record_order(order)  # the history row follows (paid, canceled)

    def _on_payment_trouble(self, failing: bool) -> None:
        if self._payment is not None or failing:
            self.payment.set_check_trouble(failing)

    def _shortcut(self, key: str | QKeySequence, slot: Any) -> QShortcut:
        sc = QShortcut(QKeySequence(key), self)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(slot)
        return sc

    # --- navigation -------------------------------------------------------------------
    def page(self) -> int:
        return self.pages.currentIndex()

    def go_sale(self) -> None:
        if self.controller.submitting:
            return
        self.controller.stop_watching()
        self.pages.setCurrentIndex(PAGE_SALE)
        self.catalog.focus_search()

    def go_checkout(self) -> None:
        if self.controller.cart.is_empty:
            self.notifier.warning(tr("Keranjang masih kosong.", "The cart is empty."))
            return
        if self.page() != PAGE_SALE:
            return
        self.pages.setCurrentIndex(PAGE_CHECKOUT)
        self.checkout.on_show()

    def charge_or_submit(self) -> None:
        if self.page() == PAGE_SALE:
            self.go_checkout()
        elif self.page() == PAGE_CHECKOUT:
            self.checkout.submit()

    def back(self) -> None:
        if self._sheet is not None and self._sheet.isVisible():
            self._sheet.close()
            return
        if self._quit_box is not None:
            return
        if self.page() == PAGE_HISTORY:
            if self.history is not None and self.history.current_dialog() is not None:
                return
            self.leave_history()
        elif self.page() == PAGE_PAYMENT and self.payment.from_history():
            self._payment_done()
        elif self.page() == PAGE_CHECKOUT:
            self.go_sale()
        elif self.page() == PAGE_SALE:
            if self.catalog.search.text():
                self.catalog.search.clear()
                self.catalog.apply_filter()
            self.catalog.focus_search()
        # the payment screen is left only with "New sale", so the QR is never lost by accident

    def focus_search(self) -> None:
        if self.page() == PAGE_SALE:
            self.catalog.focus_search()

    def focus_cart(self) -> None:
        if self.page() == PAGE_SALE and self.cart.model.rowCount() > 0:
            self.cart.table.setFocus()
            if not self.cart.table.currentIndex().isValid():
                self.cart.table.setCurrentIndex(self.cart.model.index(0, 0))

    def _check_now(self) -> None:
        if self.page() == PAGE_SALE:
            self.controller.refresh_catalog()  # F5 on the catalog
        elif self.page() == PAGE_PAYMENT and self.payment.check_button.isEnabled():
            self.controller.check_now()
        elif self.page() == PAGE_HISTORY and self.history is not None:
            self.history.refresh_selected()

    def _new_sale_shortcut(self) -> None:
        page = self.page()
        if (page == PAGE_PAYMENT and not self.payment.from_history()) or page == PAGE_QUEUED:
            self.new_sale()

    def _clear_cart_shortcut(self) -> None:
        if self.page() == PAGE_SALE:
            self.controller.clear_cart()

    def new_sale(self) -> None:
        self.controller.new_sale()
        self.checkout.reset()
        self.payment.reset()
        self.payment.set_from_history(False)
        self._sale_order = None
        self.pages.setCurrentIndex(PAGE_SALE)
        self.catalog.search.clear()
        self.catalog.apply_filter()
        self.catalog.focus_search()

    def show_shortcuts(self) -> None:
        if self._sheet is None:
            self._sheet = ShortcutSheet(self)
        self._sheet.show()
        self._sheet.raise_()

    # --- state ------------------------------------------------------------------------
    def _add_item(self, item: Any) -> None:
        # The cart line and total are the feedback; no banner (it would relayout the window).
        self.controller.add_item(item)

    def _make_store_search(self) -> None:
        """Type to find a store: the picker becomes an editable box with a completer when the
        store list arrives (never before the first paint, when there is nothing to search)."""
        if self.store_selector.isEditable():
            return
        self.store_selector.setEditable(True)
        line = self.store_selector.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("Cari toko…", "Search store…"))
        completer = QCompleter(self._store_names, self.store_selector)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.store_selector.setCompleter(completer)

    def _set_stores(self, stores: list[Store]) -> None:
        self._stores = list(stores)
        self._make_store_search()
        self.store_selector.blockSignals(True)
        self.store_selector.clear()
        for s in self._stores:
            self.store_selector.addItem(s.name or s.unique_id, s.id)
        self._store_names.setStringList([s.name or s.unique_id for s in self._stores])
        self.store_selector.blockSignals(False)
        if not stores:
            self.notifier.warning(
                tr("Tidak ada toko untuk kunci API ini.", "This API key has no stores.")
            )

    def _show_store(self, store: Store) -> None:
        idx = self.store_selector.findData(store.id)
        if idx >= 0:
            self.store_selector.setCurrentIndex(idx)

    def _on_store_chosen(self, index: int) -> None:
        store_id = self.store_selector.itemData(index)
        store = next((s for s in self._stores if s.id == store_id), None)
        if store is None:
            return
        if self.controller.store is not None and store.id == self.controller.store.id:
            return
        self.controller.select_store(store)
        if self.page() == PAGE_SALE:
            self.catalog.focus_search()

    def _on_order_created(self, result: Any) -> None:
        order = result.order
        self.payment.store_name = self.controller.store.name if self.controller.store else ""
        self.payment.show_order(
            order, self.checkout.name.text().strip(), self.checkout.phone.text().strip()
        )
        self._show_tender(result)
        self.pages.setCurrentIndex(PAGE_PAYMENT)
        self.payment.new_sale_button.setFocus()
        self.controller.watch_payment()

    # --- taking the money (issue 13) ----------------------------------------------------
    def _show_tender(self, result: Any) -> None:
        """Cash received and change for a cash sale (and the one sentence to act on when the
        key may not mark orders paid); the QRIS payload drawn for a QRIS order."""
        tender = getattr(result, "tender", None)
        if tender is not None and tender.is_cash:
            forbidden = bool(getattr(result, "forbidden", False))
            self.payment.show_cash(tender.received, tender.change_due, forbidden=forbidden)
            if forbidden:
                from ui.common.i18n import message

                self.notifier.warning(message("cash_forbidden"))
                self.checkout.update_cash()
        self._load_qris(result.order)

    def show_shift(self) -> Any:
        """The shift window: open with the opening cash, close with the drawer counted."""
        shifts = getattr(self.controller.checkout, "shifts", None)
        if shifts is None:
            return None
        if self.shift_dialog is None:
            from ui.shift.view import ShiftDialog

            self.shift_dialog = ShiftDialog(
                shifts,
                self.controller.runner,
                self.notifier,
                receipts=self.receipts,
                controller=self.controller,
                parent=self,
            )
        else:
            self.shift_dialog.refresh()
        self.shift_dialog.open()
        return self.shift_dialog

    def _load_qris(self, order: Order) -> None:
        payment_info = getattr(self.controller.checkout, "payment_info", None)
        if order.payment_method != "qris" or order.is_paid:
            return
        if payment_info is None:
            self.payment.show_link_qr()
            return

        def fallback(_exc: BaseException | None = None) -> bool:
            current = self.payment.order
            if current is not None and current.id == order.id:
                self.payment.show_link_qr()
            return True

        def show(info: Any) -> None:
            current = self.payment.order
            if current is None or current.id != order.id:
                return
            if not info.qr_string:
                fallback()
                return
            self.payment.show_qris(info.qr_string)
            if self.customer_display is not None:
                self.customer_display.show_qris(
                    info.qr_string, int(order.gross_revenue or 0), order.order_id or order.id
                )

        # no QRIS payload (an error, or none returned): the payment link's QR instead
        self.controller.runner.start(
            "qris", payment_info(order.id), on_success=show, on_error=fallback
        )

    def show_problem(self, kind: str, detail: str) -> None:
        if kind == "network" and self._problem_kind == "demo" and self.page() == PAGE_PROBLEM:
            return  # the demo server is down: requests failing is its consequence, not news
        if kind == self._problem_kind and self.page() == PAGE_PROBLEM:
            self.problem.detail.setText(detail)  # a retry failed again: no focus jump
            return
        self._problem_kind = kind
        self.problem.show_problem(kind, detail)
        self.pages.setCurrentIndex(PAGE_PROBLEM)
        retry = kind not in ("demo", "config")
        (self.problem.retry if retry else self.problem.settings_button).setFocus()

    def _on_backend_ok(self) -> None:
        if self.page() == PAGE_PROBLEM:
            self.pages.setCurrentIndex(PAGE_SALE)
            self.catalog.focus_search()

    def retry(self) -> None:
        self.retry_requested.emit()
        self.controller.retry_now()

    def _on_link_changed(self, state: Any) -> None:
        """The connectivity state: the top bar's indicator and the retry banner."""
        self.link_status.set_link(state.link.value)
        conn = self.controller.connectivity
        waiting = bool(conn.waiting()) if conn is not None else False
        retry_at = conn.next_retry_at() if conn is not None else state.retry_at
        self.retry_banner.show_state(state.link.value, retry_at, waiting)

    def quit_now(self) -> None:
        """Close without asking (SIGTERM / SIGINT): pending sales stay in the journal and
        are logged; they are sent when Kasir starts again."""
        pending = self.outbox.safe_pending_count() if self.outbox is not None else 0
        if pending:
            log.warning("quitting on a signal with %d sales not sent yet (kept)", pending)
        self._quit_confirmed = True
        if self._quit_box is not None:
            self._quit_box.done(0)
        self.close()

    # --- offline queue and history ------------------------------------------------------
    def show_history(self, select: str | None = None) -> None:
        """F4 / Ctrl+H / the top-bar button: today's sales (or every day with ``select``)."""
        if self.history is None or self.controller.submitting:
            return
        page = self.page()
        if page != PAGE_HISTORY:
            if not (page == PAGE_PAYMENT and self.payment.from_history()):
                # (from a history sale's payment screen the page before the history stays)
                self._return_page = page if page != PAGE_PROBLEM else PAGE_SALE
                order = self.payment.order
                self._sale_order = (
                    (order, self.payment.customer.text())
                    if page == PAGE_PAYMENT and order is not None
                    else None
                )
            self.controller.stop_watching()
            self.payment.set_from_history(False)
            self.pages.setCurrentIndex(PAGE_HISTORY)
        if select:
            self.history.show_all(select)
        else:
            self.history.reload()
        self.history.table.setFocus()

    def show_pending(self) -> None:
        """The badge: the history on pending sales only."""
        if self.history is None:
            return
        self.show_history()
        self.history.show_pending()

    def leave_history(self) -> None:
        if self.history is not None:
            self.history.close_dialog()
        back = self._return_page
        if back == PAGE_PAYMENT and self._sale_order is not None:
            order, name = self._sale_order
            self.payment.show_order(order, name)
            self.payment.set_from_history(False)
            self.pages.setCurrentIndex(PAGE_PAYMENT)
            self.controller.open_order(order)
        elif back in (PAGE_CHECKOUT, PAGE_QUEUED):
            self.pages.setCurrentIndex(back)
        else:
            self.go_sale()

    def open_sale(self, pos_ref: str) -> None:
        """An earlier sale's payment screen again: its QR and live status."""
        if self.outbox is None or self.controller.submitting:
            return
        row = self.outbox.history.get(pos_ref)
        if row is None or not row.can_show_payment:
            return
        if self.page() not in (PAGE_HISTORY, PAGE_PAYMENT):
            self.show_history(pos_ref)
        order = self._row_order(row)
        self.payment.reset()
        self.payment.store_name = row.store_name or ""
        self.payment.show_order(order, row.customer_name, row.customer_phone or "")
        self._load_qris(order)
        self.payment.set_from_history(True)
        self.pages.setCurrentIndex(PAGE_PAYMENT)
        self.payment.new_sale_button.setFocus()
        self.controller.open_order(order)

    def _payment_done(self) -> None:
        if self.payment.from_history():
            self.controller.stop_watching()
            self.payment.reset()
            self.payment.set_from_history(False)
            self.pages.setCurrentIndex(PAGE_HISTORY)
            if self.history is not None:
                self.history.reload()
                self.history.table.setFocus()
        else:
            self.new_sale()

    def _on_sale_queued(self, pos_ref: str, queued: bool, why: str = "") -> None:
        total = self.controller.cart.total
        if self.outbox is not None:
            self.outbox.note_queued(pos_ref)
            row = self.outbox.history.get(pos_ref)
            if row is not None:
                total = row.total
        self.queued.show_sale(pos_ref, queued, self.checkout.name.text().strip(), total, why=why)
        self.pages.setCurrentIndex(PAGE_QUEUED)
        self.queued.new_sale_button.setFocus()

    def _on_outbox_created(self, record: Any) -> None:
        self.notifier.info_with_link(created_message(record))
        self.queued.mark_created(record.pos_ref)

    def _on_link(self, href: str) -> None:
        if href.startswith("history:"):
            self.show_history(href.split(":", 1)[1])

    def quit_warning(self) -> QMessageBox | None:
        """The open quit warning, if any (tests)."""
        return self._quit_box

    def _warn_quit(self, pending: int) -> None:
        if self._quit_box is not None:
            self._quit_box.raise_()
            return
        from PySide6.QtWidgets import QMessageBox  # its type and enums load on first use

        box = QMessageBox(self)
        box.setObjectName("quitWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Keluar dari Kasir?", "Quit Kasir?"))
        box.setText(
            tr(
                f"{pending} penjualan belum terkirim ke Scalev. Penjualan itu tetap tersimpan "
                "dan dikirim saat Kasir dibuka lagi.",
                f"{pending} sales not sent yet — they will be sent next time Kasir starts.",
                "\n\n",
            )
        )
        quit_button = box.addButton(
            tr("Keluar saja", "Quit anyway"), QMessageBox.ButtonRole.DestructiveRole
        )
        quit_button.setObjectName("quitAnyway")
        cancel = box.addButton(tr("Batal", "Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("quitCancel")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def finished(_result: int) -> None:
            self._quit_box = None
            box.deleteLater()
            if box.clickedButton() is quit_button:
                self._quit_confirmed = True
                self.close()

        box.finished.connect(finished)
        self._quit_box = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.outbox is not None and not self._quit_confirmed:
            pending = self.outbox.safe_pending_count()
            if pending > 0:
                event.ignore()
                self._warn_quit(pending)
                return
        self.controller.stop_watching()
        if self._sheet is not None:
            self._sheet.close()
        if self._settings_dialog is not None:
            self._settings_dialog.reject()
        self.set_customer_display(False)
        super().closeEvent(event)

    # --- settings -----------------------------------------------------------------------
    def settings_dialog(self) -> SettingsDialog | None:
        """The open settings dialog, if any (tests)."""
        return self._settings_dialog

    def open_settings(self) -> SettingsDialog:
        """F10 / Ctrl+, / the top-bar and problem-screen buttons: the settings dialog (open(),
        never exec())."""
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            return self._settings_dialog
        from ui.settings.dialog import SettingsDialog

        counter = self.counter
        dialog = SettingsDialog(
            counter.settings,
            runner=self.controller.runner,
            secret_store=counter.secret_store,
            config_directory=counter.config_directory,
            stores=self.controller.stores,
            demo_base_url=self._sandbox_origin if counter.demo else None,
            parent=self,
        )
        key_typed: list[bool] = [False]
        dialog.api_key.textChanged.connect(lambda t: key_typed.__setitem__(0, bool(t.strip())))
        dialog.settings_saved.connect(lambda s: self.apply_settings(s, key_typed=key_typed[0]))

        def finished(_result: int) -> None:
            self._settings_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self._settings_dialog = dialog
        dialog.open()
        return dialog

    def apply_settings(self, settings: Any, *, key_typed: bool = False) -> None:
        """Put saved settings into effect (see :mod:`ui.settings.counter`); the cart is kept."""
        counter = self.counter
        restart = counter.backend_changed(settings, key_typed)
        if (restart or key_typed) and hasattr(self.controller.checkout, "clear_cash_block"):
            self.controller.checkout.clear_cash_block()  # a new key: try cash again
        apply_terminal(self.controller, settings.terminal_name)
        self.receipts.set_settings(settings)
        if settings.default_store_id and settings.default_store_id != (
            counter.settings.default_store_id
        ):
            self._use_default_store(settings.default_store_id)
        counter.settings = settings
        if apply_language(settings.language, self.translatable_windows()) and self._sheet:
            self._sheet.close()
            self._sheet.deleteLater()
            self._sheet = None
        if restart:
            self.notifier.warning(restart_text())
        else:
            self.notifier.info(tr("Pengaturan disimpan.", "Settings saved."))

    def translatable_windows(self) -> list[Any]:
        return [self, self.customer_display, self._settings_dialog]

    def _use_default_store(self, store_id: int) -> None:
        try:
            self.controller.settings.set("last_store_id", str(store_id))
        except Exception:  # remembering is a convenience
            return
        store = next((s for s in self.controller.stores if s.id == store_id), None)
        if store is not None and self.controller.cart.is_empty and self.page() == PAGE_SALE:
            self.controller.select_store(store)

    # --- receipts -----------------------------------------------------------------------
    def current_receipt(self) -> Any:
        """The receipt of the order on the payment screen (``None`` without one)."""
        order = self.payment.order
        if order is None:
            return None
        cart_lines: list[tuple[str, int, int]] = []
        if not self.payment.from_history():
            cart_lines = [
                (ln.item.name, ln.quantity, ln.item.price) for ln in self.controller.cart.lines
            ]
        customer = self.payment.customer.text()
        return receipt_from_order(
            order,
            store_name=self.payment.store_name,
            terminal=self.counter.settings.terminal_name,
            customer_name="" if customer == "—" else customer,
            cart_lines=cart_lines,
            options=self.counter.settings.receipt,
            cash=self.payment.cash_amounts,
        )

    def print_receipt(self) -> None:
        receipt = self.current_receipt()
        if receipt is not None:
            self.receipts.print_receipt(receipt)

    def save_receipt_pdf(self) -> None:
        receipt = self.current_receipt()
        if receipt is not None:
            self.receipts.save_pdf(receipt)

    def _print_shortcut(self) -> None:
        if self.page() == PAGE_PAYMENT:
            self.print_receipt()

    @staticmethod
    def _row_order(row: Any) -> Order:
        data = dict(row.record.order or {})
        data.setdefault("id", row.order_id)
        data.setdefault("payment_url", row.payment_url)
        data.setdefault("gross_revenue", row.total)
        from pos.api.models import Order

        return Order.model_validate(data)

    def _receipt_for_row(self, row: Any, action: Any) -> None:
        """A history sale's receipt (created sales only) to print or save."""
        if not row.can_show_payment:
            return
        tenders = getattr(self.controller.checkout, "tenders", None)
        tender = tenders.get(row.pos_ref) if tenders is not None else None
        receipt = receipt_from_order(
            self._row_order(row),
            store_name=row.store_name or "",
            terminal=self.counter.settings.terminal_name,
            customer_name=row.customer_name or "",
            options=self.counter.settings.receipt,
            cash=(tender.received, tender.change_due) if tender and tender.is_cash else None,
        )
        action(receipt)

    def _show_reprint(self, pending: int) -> None:
        self.reprint_button.setText(tr_short("Cetak ulang", "Retry prints") + f" ({pending})")
        self.reprint_button.setVisible(pending > 0)

    # --- customer display ---------------------------------------------------------------
    def set_customer_display(self, on: bool) -> None:
        """The customer-facing window on the second screen (or a window), fed by the
        controller; closed with the main window."""
        if on and self.customer_display is None:
            from ui.display.customer_display import CustomerDisplay
            from ui.display.feed import CustomerDisplayFeed

            display = CustomerDisplay(sandbox_origin=self._sandbox_origin)
            CustomerDisplayFeed(display, self.controller)
            self.customer_display = display
            display.show_on_screen(1)
        elif not on and self.customer_display is not None:
            display, self.customer_display = self.customer_display, None
            display.close()
            display.deleteLater()
        if self.display_button.isChecked() != on:
            self.display_button.blockSignals(True)
            self.display_button.setChecked(on)
            self.display_button.blockSignals(False)
