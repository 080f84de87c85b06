"""The main window: top bar (title, DEMO badge, store picker, pending badge, history), message
banner and the stacked pages — sale (catalog + cart), checkout, payment, a full-window problem
screen, the "saved, will be sent" page after an offline checkout, and the sales history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos.api.models import Order, Store

from .cart_view import CartPanel
from .catalog_view import CatalogPanel
from .checkout_view import CheckoutView
from .controllers import SaleController
from .history_view import HistoryView, OutboxBridge, PendingBadge, QueuedPage, created_message
from .i18n import tr
from .notifier import MessageBanner, Notifier
from .payment_view import PaymentView
from .shortcuts import ShortcutSheet
from .thumbnails import ThumbnailCache

PAGE_SALE, PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_PROBLEM, PAGE_QUEUED, PAGE_HISTORY = range(6)


class ProblemScreen(QWidget):
    """Full-window message when the backend cannot be used (unreachable, bad key).

    Signals:
        retry_requested(): try to connect again.
    """

    retry_requested = Signal()

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
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.retry = QPushButton(tr("Coba lagi", "Retry"), self)
        self.retry.setObjectName("retryButton")
        self.retry.setAccessibleName(tr("Coba sambung lagi", "Try to connect again"))
        self.retry.setProperty("role", "primary")
        self.retry.setMinimumSize(220, 52)
        self.retry.clicked.connect(self.retry_requested)
        box = QFrame(self)
        box.setObjectName("problemCard")
        box.setFixedWidth(680)
        inner = QVBoxLayout(box)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addWidget(self.detail)
        inner.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_problem(self, kind: str, detail: str) -> None:
        if kind == "auth":
            self.title.setText(tr("Kunci API ditolak", "API key rejected"))
            self.body.setText(
                tr(
                    "Scalev menolak kunci API ini (401). Buat kunci baru di Scalev → Pengaturan → "
                    "API, lalu jalankan Kasir dengan --api-key atau KASIR_API_KEY.",
                    "Scalev rejected this API key (401). Create a new key in Scalev → Settings → "
                    "API, then start Kasir with --api-key or KASIR_API_KEY.",
                    "\n\n",
                )
            )
        else:
            self.title.setText(tr("Server tidak bisa dihubungi", "Cannot reach the server"))
            self.body.setText(
                tr(
                    "Periksa koneksi internet (Wi-Fi / kabel) dan alamat server (--base-url), "
                    "lalu tekan Coba lagi.",
                    "Check the internet connection (Wi-Fi / cable) and the server address "
                    "(--base-url), then press Retry.",
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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
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
        self._sale_order: tuple[Order, str] | None = None

        # --- top bar ---
        bar = QFrame(self)
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
        store_caption = QLabel(tr("Toko", "Store"), bar)
        store_caption.setObjectName("barCaption")
        self.store_selector = QComboBox(bar)
        self.store_selector.setObjectName("storeSelector")
        self.store_selector.setAccessibleName(tr("Pilih toko", "Choose store"))
        self.store_selector.setEditable(True)
        self.store_selector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.store_selector.setMinimumWidth(300)
        self.store_selector.setMinimumHeight(44)
        line = self.store_selector.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("Cari toko…", "Search store…"))
        self._store_names = QStringListModel(self)
        completer = QCompleter(self._store_names, self.store_selector)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.store_selector.setCompleter(completer)
        self.store_selector.activated.connect(self._on_store_chosen)
        help_button = QPushButton("F1 " + tr("Bantuan", "Help"), bar)
        help_button.setObjectName("helpButton")
        help_button.setAccessibleName(tr("Pintasan keyboard", "Keyboard shortcuts"))
        help_button.setMinimumHeight(44)
        help_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        help_button.clicked.connect(self.show_shortcuts)
        self.pending_badge = PendingBadge(bar)
        self.pending_badge.clicked.connect(self.show_pending)
        self.history_button = QPushButton("F4 " + tr("Riwayat", "History"), bar)
        self.history_button.setObjectName("historyButton")
        self.history_button.setAccessibleName(tr("Riwayat penjualan", "Sales history"))
        self.history_button.setMinimumHeight(44)
        self.history_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history_button.clicked.connect(lambda: self.show_history())
        self.history_button.setVisible(outbox is not None)
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 6, 16, 6)
        bar_layout.addWidget(title)
        bar_layout.addWidget(self.demo_badge)
        bar_layout.addSpacing(24)
        bar_layout.addWidget(store_caption)
        bar_layout.addWidget(self.store_selector)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.pending_badge)
        bar_layout.addWidget(self.history_button)
        bar_layout.addWidget(help_button)

        self.banner = MessageBanner(notifier, self)

        # --- pages ---
        self.catalog = CatalogPanel(self, thumbnails)
        self.cart = CartPanel(controller, self)
        self.cart.setMinimumWidth(380)
        self.cart.setMaximumWidth(520)
        sale = QSplitter(Qt.Orientation.Horizontal, self)
        sale.setObjectName("salePage")
        sale.setChildrenCollapsible(False)
        sale.addWidget(self.catalog)
        sale.addWidget(self.cart)
        sale.setStretchFactor(0, 1)
        sale.setStretchFactor(1, 0)
        sale.setSizes([900, 420])
        self.checkout = CheckoutView(controller, self)
        self.payment = PaymentView(sandbox_origin, self)
        self.problem = ProblemScreen(self)
        self.queued = QueuedPage(self)
        self.history: HistoryView | None = HistoryView(outbox, self) if outbox else None
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("pages")
        for page in (
            sale,
            self.checkout,
            self.payment,
            self.problem,
            self.queued,
            self.history or QWidget(self),
        ):
            self.pages.addWidget(page)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(1024, 640)

        # --- wiring: views emit intents, the controller publishes state ---
        self.catalog.item_activated.connect(self._add_item)
        self.cart.charge_requested.connect(self.go_checkout)
        self.checkout.back_requested.connect(self.go_sale)
        self.payment.new_sale_requested.connect(self._payment_done)
        self.queued.new_sale_requested.connect(self.new_sale)
        self.queued.history_requested.connect(lambda: self.show_history(self.queued.pos_ref))
        self.queued.show_qr_requested.connect(self.open_sale)
        controller.sale_queued.connect(self._on_sale_queued)
        notifier.link_activated.connect(self._on_link)
        if outbox is not None and self.history is not None:
            outbox.counts_changed.connect(self.pending_badge.set_counts)
            outbox.sale_created.connect(self._on_outbox_created)
            self.history.open_requested.connect(lambda row: self.open_sale(row.pos_ref))
            self.history.back_requested.connect(self.leave_history)
            self.pending_badge.set_counts(outbox.pending, outbox.attention)
        self.payment.check_requested.connect(controller.check_now)
        self.problem.retry_requested.connect(self.retry)
        controller.stores_changed.connect(self._set_stores)
        controller.store_changed.connect(self._show_store)
        controller.catalog_changed.connect(self.catalog.set_items)
        controller.catalog_progress.connect(self.catalog.set_progress)
        controller.catalog_loading.connect(self.catalog.set_loading)
        controller.order_created.connect(self._on_order_created)
        controller.order_updated.connect(self.payment.update_order)
        controller.backend_failed.connect(self.show_problem)
        controller.backend_ok.connect(self._on_backend_ok)

        # --- keyboard ---
        self._shortcut("F1", self.show_shortcuts)
        self._shortcut("F2", self.focus_search)
        self._shortcut("F3", self.focus_cart)
        self._shortcut("F9", self.charge_or_submit)
        self._shortcut("F5", self._check_now)
        self._shortcut("Ctrl+N", self._new_sale_shortcut)
        self._shortcut("Ctrl+Shift+Del", self._clear_cart_shortcut)
        self._shortcut("Esc", self.back)
        self._shortcut("F4", self.show_history)
        self._shortcut("Ctrl+H", self.show_history)

        self.pages.setCurrentIndex(PAGE_SALE)
        self.catalog.search.setFocus()

    def _shortcut(self, key: str, slot: Any) -> QShortcut:
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
        if self.page() == PAGE_PAYMENT and self.payment.check_button.isEnabled():
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

    def _set_stores(self, stores: list[Store]) -> None:
        self._stores = list(stores)
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
        self.payment.show_order(order, self.checkout.name.text().strip())
        self.pages.setCurrentIndex(PAGE_PAYMENT)
        self.payment.new_sale_button.setFocus()
        self.controller.watch_payment()

    def show_problem(self, kind: str, detail: str) -> None:
        self.problem.show_problem(kind, detail)
        self.pages.setCurrentIndex(PAGE_PROBLEM)
        self.problem.retry.setFocus()

    def _on_backend_ok(self) -> None:
        if self.page() == PAGE_PROBLEM:
            self.pages.setCurrentIndex(PAGE_SALE)
            self.catalog.focus_search()

    def retry(self) -> None:
        self.retry_requested.emit()
        self.controller.load_stores()

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
        data = dict(row.record.order or {})
        data.setdefault("id", row.order_id)
        data.setdefault("payment_url", row.payment_url)
        data.setdefault("gross_revenue", row.total)
        order = Order.model_validate(data)
        self.payment.reset()
        self.payment.show_order(order, row.customer_name)
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

    def _on_sale_queued(self, pos_ref: str, queued: bool) -> None:
        total = self.controller.cart.total
        if self.outbox is not None:
            self.outbox.note_queued(pos_ref)
            row = self.outbox.history.get(pos_ref)
            if row is not None:
                total = row.total
        self.queued.show_sale(pos_ref, queued, self.checkout.name.text().strip(), total)
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
        super().closeEvent(event)
