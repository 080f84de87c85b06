"""The main window: the composition of the top bar (:mod:`ui.top_bar`), the retry and message
banners and the page stack (:mod:`ui.pages`), with the window's own parts — keyboard
shortcuts, settings (:mod:`ui.settings.flow`), receipts (:mod:`ui.receipts.sale_receipts`),
the shift dialog, the customer display and the quit warning."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from ui.checkout.outbox_ui import OutboxBridge
from ui.common.i18n import tr
from ui.common.notifier import MessageBanner, Notifier
from ui.common.shortcuts import ShortcutSheet
from ui.common.shortcuts import bindings as shortcut_bindings
from ui.connection_view import RetryBanner
from ui.controllers import SaleController
from ui.pages import (
    PAGE_CHECKOUT,
    PAGE_HISTORY,
    PAGE_PAYMENT,
    PAGE_PROBLEM,
    PAGE_QUEUED,
    PAGE_SALE,
    Pages,
)
from ui.problem_screen import ProblemScreen
from ui.quit_guard import QuitGuard
from ui.receipts.actions import ReceiptActions
from ui.receipts.sale_receipts import payment_receipt, record_receipt
from ui.sale.thumbnails import ThumbnailCache
from ui.settings.counter import Counter
from ui.settings.flow import SettingsFlow
from ui.top_bar import TopBar

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from pos.api.models import Store
    from ui.checkout.view import CheckoutView
    from ui.history.view import HistoryView
    from ui.payment.view import PaymentView

if TYPE_CHECKING:  # both built on first use, not before the first paint
    from ui.display.customer_display import CustomerDisplay
    from ui.settings.dialog import SettingsDialog

log = logging.getLogger(__name__)

__all__ = [
    "PAGE_CHECKOUT",
    "PAGE_HISTORY",
    "PAGE_PAYMENT",
    "PAGE_PROBLEM",
    "PAGE_QUEUED",
    "PAGE_SALE",
    "MainWindow",
    "ProblemScreen",
]


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
        self.customer_display: CustomerDisplay | None = None
        self.receipts = ReceiptActions(
            controller.runner,
            notifier,
            settings=self.counter.settings,
            data_dir=self.counter.data_dir or Path(tempfile.gettempdir()) / "kasir-receipts",
            parent=self,
        )
        self.settings_flow = SettingsFlow(
            self.counter,
            controller,
            notifier,
            self.receipts,
            sandbox_origin=sandbox_origin,
            windows=lambda: [self, self.customer_display],
            may_switch_store=lambda: self.page() == PAGE_SALE,
            parent=self,
        )
        self.settings_flow.language_changed.connect(self._drop_sheet)
        self.setWindowTitle("Kasir" + (" — DEMO" if demo else ""))
        self.setAccessibleName("Kasir")
        self.controller = controller
        self.notifier = notifier
        self._sheet: ShortcutSheet | None = None
        #: the offline queue and history (None: tests of the sale screen alone)
        self.outbox = outbox
        self._quit_confirmed = False
        self.quit_guard = QuitGuard(self)
        self.quit_guard.confirmed.connect(self._quit_confirmed_close)
        self.shift_dialog: Any = None

        # Every widget is created in its final parent (never moved later): with the app's style
        # sheet, moving a built subtree into another parent polishes all of it again.
        central = QWidget(self)
        shifts = getattr(controller.checkout, "shifts", None) is not None
        bar = self.top_bar = TopBar(
            demo=demo, history=outbox is not None, shifts=shifts, parent=central
        )
        # the bar's widgets under their old names (tests, ui.startup, the language switch)
        self.demo_badge = bar.demo_badge
        self.store_selector = bar.store_selector
        self.link_status = bar.link_status
        self.pending_badge = bar.pending_badge
        self.history_button = bar.history_button
        self.reprint_button = bar.reprint_button
        self.display_button = bar.display_button
        self.settings_button = bar.settings_button
        self.shift_button = bar.shift_button
        self.retry_banner = RetryBanner(parent=central)
        self.banner = MessageBanner(notifier, central)
        pages = self.pages = Pages(
            controller,
            notifier,
            outbox=outbox,
            sandbox_origin=sandbox_origin,
            thumbnails=thumbnails,
            parent=central,
        )
        self.catalog, self.catalog_age, self.cart = pages.catalog, pages.catalog_age, pages.cart
        self.problem, self.queued = pages.problem, pages.queued
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(bar)
        layout.addWidget(self.retry_banner)
        layout.addWidget(self.banner)
        layout.addWidget(pages, 1)
        self.setCentralWidget(central)
        self.setMinimumSize(1024, 640)

        # --- wiring: views emit intents, the controller publishes state ---
        bar.store_chosen.connect(self._on_store_chosen)
        bar.help_requested.connect(self.show_shortcuts)
        bar.pending_requested.connect(self.show_pending)
        bar.history_requested.connect(lambda: self.show_history())
        bar.reprint_requested.connect(self.receipts.retry_prints)
        bar.display_toggled.connect(self.set_customer_display)
        bar.settings_requested.connect(self.open_settings)
        bar.shift_requested.connect(lambda: self.show_shift())
        self.receipts.pending_changed.connect(bar.show_reprint)
        pages.print_requested.connect(self.print_receipt)
        pages.pdf_requested.connect(self.save_receipt_pdf)
        pages.record_print_requested.connect(
            lambda row: self._receipt_for_row(row, self.receipts.print_receipt)
        )
        pages.record_pdf_requested.connect(
            lambda row: self._receipt_for_row(row, self.receipts.save_pdf)
        )
        pages.shift_requested.connect(self.show_shift)
        pages.qris_shown.connect(self._show_qris_to_customer)
        self.problem.retry_requested.connect(self.retry)
        self.problem.settings_requested.connect(self.open_settings)
        controller.cart_refused.connect(notifier.warning)
        if outbox is not None:
            outbox.counts_changed.connect(bar.pending_badge.set_counts)
            bar.pending_badge.set_counts(outbox.pending, outbox.attention)
        controller.stores_changed.connect(self._set_stores)
        controller.store_changed.connect(bar.show_store)
        controller.link_changed.connect(self._on_link_changed)
        controller.notice.connect(notifier.warning)
        self.retry_banner.retry_now.connect(controller.retry_now)

        # --- keyboard ---
        for key, slot in (
            ("F1", self.show_shortcuts),
            ("F2", pages.focus_search),
            ("F3", pages.focus_cart),
            ("F9", self.charge_or_submit),
            ("F5", pages.check_now),
            ("Esc", self.back),
            ("F4", self.show_history),
            ("F7", self.show_shift),
            ("F10", self.open_settings),
        ):
            self._shortcut(key, slot)
        for name, slot in (  # the platform's keys: ⌘N … on macOS (ui/common/shortcuts.py)
            ("new_sale", pages.new_sale_shortcut),
            ("clear_cart", pages.clear_cart_shortcut),
            ("history", self.show_history),
            ("settings", self.open_settings),
            ("print", self._print_shortcut),
        ):
            for seq in shortcut_bindings(name):
                self._shortcut(seq, slot)

        if not lazy_pages:
            self.build_pages()
        pages.setCurrentIndex(PAGE_SALE)
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
        self.pages.build()
        self.top_bar.show_reprint(self.receipts.pending())

    # --- the pages' moves, under the window's names (ui.startup, tests, shortcuts) ------
    def page(self) -> int:
        return self.pages.page()

    def go_sale(self) -> None:
        self.pages.go_sale()

    def go_checkout(self) -> None:
        self.pages.go_checkout()

    def charge_or_submit(self) -> None:
        self.pages.charge_or_submit()

    def new_sale(self) -> None:
        self.pages.new_sale()

    def show_problem(self, kind: str, detail: str) -> None:
        self.pages.show_problem(kind, detail)

    def show_history(self, select: str | None = None) -> None:
        self.pages.show_history(select)

    def show_pending(self) -> None:
        self.pages.show_pending()

    def leave_history(self) -> None:
        self.pages.leave_history()

    def open_sale(self, pos_ref: str) -> None:
        self.pages.open_sale(pos_ref)

    @property
    def checkout(self) -> CheckoutView:
        return self.pages.checkout

    @property
    def payment(self) -> PaymentView:
        return self.pages.payment

    @property
    def history(self) -> HistoryView | None:
        return self.pages.history

    def _shortcut(self, key: str | QKeySequence, slot: Any) -> QShortcut:
        sc = QShortcut(QKeySequence(key), self)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(slot)
        return sc

    def back(self) -> None:
        """Esc: close the shortcut sheet, else (no quit warning open) the page's way back."""
        if self._sheet is not None and self._sheet.isVisible():
            self._sheet.close()
            return
        if self.quit_guard.box is None:
            self.pages.back()

    def show_shortcuts(self) -> None:
        if self._sheet is None:
            self._sheet = ShortcutSheet(self)
        self._sheet.show()
        self._sheet.raise_()

    # --- stores and the link ------------------------------------------------------------
    def _set_stores(self, stores: list[Store]) -> None:
        self.top_bar.set_stores(stores)
        if not stores:
            self.notifier.warning(
                tr("Tidak ada toko untuk kunci API ini.", "This API key has no stores.")
            )

    def _on_store_chosen(self, store_id: int) -> None:
        store = next((s for s in self.controller.stores if s.id == store_id), None)
        if store is None:
            return
        if self.controller.store is not None and store.id == self.controller.store.id:
            return
        self.controller.select_store(store)
        if self.page() == PAGE_SALE:
            self.catalog.focus_search()

    def _on_link_changed(self, state: Any) -> None:
        """The connectivity state: the top bar's indicator and the retry banner."""
        self.link_status.set_link(state.link.value)
        conn = self.controller.connectivity
        waiting = bool(conn.waiting()) if conn is not None else False
        retry_at = conn.next_retry_at() if conn is not None else state.retry_at
        self.retry_banner.show_state(state.link.value, retry_at, waiting)

    def retry(self) -> None:
        self.retry_requested.emit()
        self.controller.retry_now()

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

    # --- quitting -----------------------------------------------------------------------
    def quit_now(self) -> None:
        """Close without asking (SIGTERM / SIGINT): pending sales stay in the journal and
        are logged; they are sent when Kasir starts again."""
        pending = self.outbox.safe_pending_count() if self.outbox is not None else 0
        if pending:
            log.warning("quitting on a signal with %d sales not sent yet (kept)", pending)
        self._quit_confirmed = True
        self.quit_guard.dismiss()
        self.close()

    def _quit_confirmed_close(self) -> None:
        self._quit_confirmed = True
        self.close()

    def quit_warning(self) -> QMessageBox | None:
        """The open quit warning, if any (tests)."""
        return self.quit_guard.box

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.outbox is not None and not self._quit_confirmed:
            pending = self.outbox.safe_pending_count()
            if pending > 0:
                event.ignore()
                self.quit_guard.warn(pending)
                return
        self.controller.stop_watching()
        if self._sheet is not None:
            self._sheet.close()
        self.settings_flow.close()
        self.set_customer_display(False)
        super().closeEvent(event)

    # --- settings -----------------------------------------------------------------------
    def settings_dialog(self) -> SettingsDialog | None:
        """The open settings dialog, if any (tests)."""
        return self.settings_flow.dialog

    def open_settings(self) -> SettingsDialog:
        """F10 / Ctrl+, / the top-bar and problem-screen buttons: the settings dialog."""
        return self.settings_flow.open()

    def apply_settings(self, settings: Any, *, key_typed: bool = False) -> None:
        self.settings_flow.apply(settings, key_typed=key_typed)

    def _drop_sheet(self) -> None:
        """The language changed: the shortcut sheet is built again on its next F1."""
        if self._sheet is not None:
            self._sheet.close()
            self._sheet.deleteLater()
            self._sheet = None

    # --- receipts -----------------------------------------------------------------------
    def current_receipt(self) -> Any:
        """The receipt of the order on the payment screen (``None`` without one)."""
        order = self.payment.order
        if order is None:
            return None
        return payment_receipt(
            order,
            contact=self.controller.contact,
            store_name=self.payment.store_name,
            cart=None if self.payment.from_history() else self.controller.cart,
            settings=self.counter.settings,
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

    def _receipt_for_row(self, row: Any, action: Any) -> None:
        """A history sale's receipt (created sales only) to print or save."""
        tenders = getattr(self.controller.checkout, "tenders", None)
        tender = tenders.get(row.pos_ref) if tenders is not None else None
        receipt = record_receipt(row, tender=tender, settings=self.counter.settings)
        if receipt is not None:
            action(receipt)

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
        self.top_bar.set_display_checked(on)

    def _show_qris_to_customer(self, payload: str, amount: int, number: str) -> None:
        if self.customer_display is not None:
            self.customer_display.show_qris(payload, amount, number)
