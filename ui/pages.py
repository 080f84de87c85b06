"""The window's stacked pages and the moves between them.

Pages: the sale (catalog + cart), checkout, payment, the full-window problem screen, the
"saved, will be sent" page after an offline checkout, and the sales history. Checkout, payment
and history are built on first use (:meth:`Pages.build`): at once, or right after the first
paint, or when first needed; until then an empty placeholder holds their index.

The state of the sale lives in the :class:`~ui.controllers.SaleController`; the pages read the
typed values it holds (the order, the :class:`~ui.controllers.SaleContact`), never a label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QStackedWidget, QWidget

from ui.checkout.outbox_ui import QueuedPage, created_message
from ui.common.i18n import tr
from ui.connection_view import CatalogAge
from ui.controllers import SaleContact
from ui.problem_screen import ProblemScreen
from ui.receipts.sale_receipts import order_from_record
from ui.sale.cart_view import CartPanel
from ui.sale.catalog_view import CatalogPanel

if TYPE_CHECKING:
    from pos.api.models import Order
    from ui.checkout.outbox_ui import OutboxBridge
    from ui.checkout.view import CheckoutView
    from ui.common.notifier import Notifier
    from ui.controllers import SaleController
    from ui.history.view import HistoryView
    from ui.payment.view import PaymentView
    from ui.sale.thumbnails import ThumbnailCache

PAGE_SALE, PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_PROBLEM, PAGE_QUEUED, PAGE_HISTORY = range(6)


class Pages(QStackedWidget):
    """The page stack (``#pages``).

    Signals:
        print_requested(), pdf_requested(): the payment page's receipt buttons.
        record_print_requested(object), record_pdf_requested(object): a history row's
            receipt (the row; built from its journal record).
        shift_requested(): the history's shift button.
        qris_shown(str, int, str): a QRIS payload drawn (payload, amount, order number).
    """

    print_requested = Signal()
    pdf_requested = Signal()
    record_print_requested = Signal(object)
    record_pdf_requested = Signal(object)
    shift_requested = Signal()
    qris_shown = Signal(str, int, str)

    def __init__(
        self,
        controller: SaleController,
        notifier: Notifier,
        *,
        outbox: OutboxBridge | None,
        sandbox_origin: str | None,
        thumbnails: ThumbnailCache | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pages")
        self.controller = controller
        self.notifier = notifier
        self.outbox = outbox
        self._sandbox_origin = sandbox_origin
        self._return_page = PAGE_SALE
        self._problem_kind = ""
        #: the payment screen left for the history: its order and customer, shown again after
        self._sale_order: tuple[Order, SaleContact] | None = None
        sale = QSplitter(Qt.Orientation.Horizontal, self)
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
        self._checkout: CheckoutView | None = None
        self._payment: PaymentView | None = None
        self._history: HistoryView | None = None
        self.problem = ProblemScreen(self)
        self.queued = QueuedPage(self)
        for page in (
            sale,
            QWidget(self),  # PAGE_CHECKOUT, see the checkout property
            QWidget(self),  # PAGE_PAYMENT, see the payment property
            self.problem,
            self.queued,
            QWidget(self),  # PAGE_HISTORY, see the history property
        ):
            self.addWidget(page)

        # --- wiring: views emit intents, the controller publishes state ---
        self.catalog.item_activated.connect(controller.add_item)  # the cart is the feedback
        self.cart.charge_requested.connect(self.go_checkout)
        self.queued.new_sale_requested.connect(self.new_sale)
        self.queued.history_requested.connect(lambda: self.show_history(self.queued.pos_ref))
        self.queued.show_qr_requested.connect(self.open_sale)
        controller.sale_queued.connect(self._on_sale_queued)
        notifier.link_activated.connect(self._on_link)
        if outbox is not None:
            outbox.sale_created.connect(self._on_outbox_created)
        controller.catalog_changed.connect(self.catalog.set_items)
        controller.catalog_progress.connect(self.catalog.set_progress)
        controller.catalog_loading.connect(self.catalog.set_loading)
        controller.catalog_summary.connect(self.catalog.set_summary)
        controller.order_created.connect(self._on_order_created)
        controller.order_updated.connect(self._on_order_updated)
        controller.payment_trouble.connect(self._on_payment_trouble)
        controller.backend_failed.connect(self.show_problem)
        controller.backend_ok.connect(self._on_backend_ok)
        controller.catalog_age.connect(self.catalog_age.set_age)
        self.catalog_age.refresh_requested.connect(controller.refresh_catalog)

    # --- pages built after the first paint ---------------------------------------------
    def build(self) -> None:
        """Build the checkout, payment and history pages (each once)."""
        _ = self.checkout, self.payment, self.history

    def _place(self, index: int, page: QWidget) -> None:
        current = self.currentIndex()
        placeholder = self.widget(index)
        self.insertWidget(index, page)
        if placeholder is not None:
            self.removeWidget(placeholder)
            placeholder.deleteLater()
        self.setCurrentIndex(current)

    @property
    def checkout(self) -> CheckoutView:
        if self._checkout is None:
            from ui.checkout.view import CheckoutView

            page = self._checkout = CheckoutView(self.controller, self)
            page.back_requested.connect(self.go_sale)
            self._place(PAGE_CHECKOUT, page)
            if self.controller.methods:  # shown from the cache before this page existed
                self.controller.publish_methods()
        return self._checkout

    @property
    def payment(self) -> PaymentView:
        if self._payment is None:
            from ui.payment.view import PaymentView

            page = self._payment = PaymentView(self._sandbox_origin, self, notifier=self.notifier)
            page.new_sale_requested.connect(self.payment_done)
            page.check_requested.connect(self.controller.check_now)
            page.print_requested.connect(self.print_requested)
            page.pdf_requested.connect(self.pdf_requested)
            self._place(PAGE_PAYMENT, page)
        return self._payment

    @property
    def history(self) -> HistoryView | None:
        if self._history is None and self.outbox is not None:
            from ui.history.view import HistoryView

            page = self._history = HistoryView(
                self.outbox, self, sandbox_origin=self._sandbox_origin
            )
            page.open_requested.connect(lambda row: self.open_sale(row.pos_ref))
            page.back_requested.connect(self.leave_history)
            page.shifts_requested.connect(self.shift_requested)
            page.print_requested.connect(self.record_print_requested)
            page.pdf_requested.connect(self.record_pdf_requested)
            self._place(PAGE_HISTORY, page)
        return self._history

    # --- moves --------------------------------------------------------------------------
    def page(self) -> int:
        return self.currentIndex()

    def go_sale(self) -> None:
        if self.controller.submitting:
            return
        self.controller.stop_watching()
        self.setCurrentIndex(PAGE_SALE)
        self.catalog.focus_search()

    def go_checkout(self) -> None:
        if self.controller.cart.is_empty:
            self.notifier.warning(tr("Keranjang masih kosong.", "The cart is empty."))
            return
        if self.page() != PAGE_SALE:
            return
        self.setCurrentIndex(PAGE_CHECKOUT)
        self.checkout.on_show()

    def charge_or_submit(self) -> None:
        if self.page() == PAGE_SALE:
            self.go_checkout()
        elif self.page() == PAGE_CHECKOUT:
            self.checkout.submit()

    def back(self) -> None:
        if self.page() == PAGE_HISTORY:
            if self.history is not None and self.history.current_dialog() is not None:
                return
            self.leave_history()
        elif self.page() == PAGE_PAYMENT and self.payment.from_history():
            self.payment_done()
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

    def check_now(self) -> None:
        """F5: refresh the catalog, check the payment, or refresh the history's sale."""
        if self.page() == PAGE_SALE:
            self.controller.refresh_catalog()
        elif self.page() == PAGE_PAYMENT and self.payment.check_button.isEnabled():
            self.controller.check_now()
        elif self.page() == PAGE_HISTORY and self.history is not None:
            self.history.refresh_selected()

    def new_sale_shortcut(self) -> None:
        page = self.page()
        if (page == PAGE_PAYMENT and not self.payment.from_history()) or page == PAGE_QUEUED:
            self.new_sale()

    def clear_cart_shortcut(self) -> None:
        if self.page() == PAGE_SALE:
            self.controller.clear_cart()

    def new_sale(self) -> None:
        self.controller.new_sale()
        self.checkout.reset()
        self.payment.reset()
        self.payment.set_from_history(False)
        self._sale_order = None
        self.setCurrentIndex(PAGE_SALE)
        self.catalog.search.clear()
        self.catalog.apply_filter()
        self.catalog.focus_search()

    # --- payment ------------------------------------------------------------------------
    def _on_order_created(self, result: Any) -> None:
        order = result.order
        self.payment.store_name = self.controller.store.name if self.controller.store else ""
        contact = self.controller.contact or SaleContact()
        self.payment.show_order(order, contact.name, contact.phone)
        self._show_tender(result)
        self.setCurrentIndex(PAGE_PAYMENT)
        self.payment.new_sale_button.setFocus()
        self.controller.watch_payment()

    def _on_order_updated(self, order: Order) -> None:
        if self._payment is not None:  # not built yet: no order on it to update
            self._payment.update_order(order)
        if self.outbox is not None:
            self.outbox.record_order(order)  # the history row follows (paid, canceled)

    def _on_payment_trouble(self, failing: bool) -> None:
        if self._payment is not None or failing:
            self.payment.set_check_trouble(failing)

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
            amount = int(order.gross_revenue or 0)
            self.qris_shown.emit(info.qr_string, amount, order.order_id or order.id)

        # no QRIS payload (an error, or none returned): the payment link's QR instead
        self.controller.runner.start(
            "qris", payment_info(order.id), on_success=show, on_error=fallback
        )

    # --- the backend --------------------------------------------------------------------
    def show_problem(self, kind: str, detail: str) -> None:
        if kind == "network" and self._problem_kind == "demo" and self.page() == PAGE_PROBLEM:
            return  # the demo server is down: requests failing is its consequence, not news
        if kind == self._problem_kind and self.page() == PAGE_PROBLEM:
            self.problem.detail.setText(detail)  # a retry failed again: no focus jump
            return
        self._problem_kind = kind
        self.problem.show_problem(kind, detail)
        self.setCurrentIndex(PAGE_PROBLEM)
        retry = kind not in ("demo", "config")
        (self.problem.retry if retry else self.problem.settings_button).setFocus()

    def _on_backend_ok(self) -> None:
        if self.page() == PAGE_PROBLEM:
            self.setCurrentIndex(PAGE_SALE)
            self.catalog.focus_search()

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
                    (order, self.controller.contact or SaleContact())
                    if page == PAGE_PAYMENT and order is not None
                    else None
                )
            self.controller.stop_watching()
            self.payment.set_from_history(False)
            self.setCurrentIndex(PAGE_HISTORY)
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
            order, contact = self._sale_order
            self.payment.show_order(order, contact.name, contact.phone)
            self.payment.set_from_history(False)
            self.setCurrentIndex(PAGE_PAYMENT)
            self.controller.open_order(order, contact)
        elif back in (PAGE_CHECKOUT, PAGE_QUEUED):
            self.setCurrentIndex(back)
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
        order = order_from_record(row)
        contact = SaleContact(row.customer_name or "", row.customer_phone or "")
        self.payment.reset()
        self.payment.store_name = row.store_name or ""
        self.payment.show_order(order, contact.name, contact.phone)
        self._load_qris(order)
        self.payment.set_from_history(True)
        self.setCurrentIndex(PAGE_PAYMENT)
        self.payment.new_sale_button.setFocus()
        self.controller.open_order(order, contact)

    def payment_done(self) -> None:
        if self.payment.from_history():
            self.controller.stop_watching()
            self.payment.reset()
            self.payment.set_from_history(False)
            self.setCurrentIndex(PAGE_HISTORY)
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
        contact = self.controller.contact
        self.queued.show_sale(pos_ref, queued, contact.name if contact else "", total, why=why)
        self.setCurrentIndex(PAGE_QUEUED)
        self.queued.new_sale_button.setFocus()

    def _on_outbox_created(self, record: Any) -> None:
        self.notifier.info_with_link(created_message(record))
        self.queued.mark_created(record.pos_ref)

    def _on_link(self, href: str) -> None:
        if href.startswith("history:"):
            self.show_history(href.split(":", 1)[1])
