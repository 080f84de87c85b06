"""Checkout form: customer, payment method, note, order summary, submit.

Validation runs in ``pos.domain.customer.validate_customer``; every problem is shown beside its
field and nothing is sent. A submit in flight disables the button and the controller refuses a
second one, so a double click or a repeated Enter never creates two orders.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.checkout.form import WALK_IN_PHONE_SETTING, CheckoutForm, CustomerFields, method_label
from ui.checkout.summary import SummaryPanel
from ui.common.i18n import message, tr
from ui.shipping.models import ShippingSignals, quote_state
from ui.shipping.panel import ShippingPanel

__all__ = ["WALK_IN_PHONE_SETTING", "CheckoutForm", "CheckoutView", "method_label"]


class CheckoutView(QWidget):
    """The checkout page.

    Signals:
        back_requested(): return to the catalog (Esc).
        submit_requested(SaleDraft, SaleContact): a checked sale to send (the controller's
            ``submit``, connected at construction, refuses a second one in flight).
    """

    back_requested = Signal()
    submit_requested = Signal(object, object)

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: the summary waits for the page to be shown (see :meth:`refresh_summary`)
        self._summary_stale = True
        self.setObjectName("checkoutPage")
        self._controller = controller

        title = QLabel(tr("Data pelanggan & pembayaran", "Customer & payment"), self)
        title.setObjectName("pageTitle")

        fields = self.fields = CustomerFields(self)
        self.name, self.phone, self.email = fields.name, fields.phone, fields.email
        self.method, self.note = fields.method, fields.note
        self.errors = fields.errors
        form = fields.grid

        self.error = QLabel(self)
        self.error.setObjectName("checkoutError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # rejection messages are server text
        self.error.setAccessibleName(tr("Kesalahan checkout", "Checkout error"))
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.busy = QProgressBar(self)
        self.busy.setObjectName("submitBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()

        self.back_button = QPushButton(tr("Kembali", "Back") + "  (Esc)", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setAccessibleName(tr("Kembali ke katalog", "Back to catalog"))
        self.back_button.setMinimumHeight(52)
        self.back_button.clicked.connect(self.back_requested)
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("submitOrderButton")
        self.submit_button.setAccessibleName(tr("Buat pesanan", "Create order"))
        self.submit_button.setProperty("role", "primary")
        self.submit_button.setMinimumHeight(52)
        self.submit_button.clicked.connect(self.submit)

        right_box = self.summary_panel = SummaryPanel(self)
        self.summary, self.total = right_box.summary, right_box.total
        self.shipping_notice = right_box.shipping_notice

        # shipping (issue 4): shown only when the cart holds physical goods
        self.shipping = quote_state(controller)  # pos.services.shipping_quote.ShippingQuote
        self.shipping_signals = ShippingSignals(self.shipping, self)
        self.shipping_panel = ShippingPanel(self.shipping_signals, self)
        self.shipping_scroll = QScrollArea(self)
        self.shipping_scroll.setObjectName("shippingScroll")
        self.shipping_scroll.setWidgetResizable(True)
        self.shipping_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.shipping_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.shipping_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shipping_scroll.setWidget(self.shipping_panel)
        self.shipping_scroll.setMinimumWidth(440)
        self.shipping_scroll.setMaximumWidth(720)
        self.shipping_scroll.hide()

        # cash at the counter (issue 13)
        from ui.checkout.cash_tender import CashTender

        self.cash = CashTender(self)
        self.cash.toggled.connect(self._on_cash_toggled)
        self.cash.submit_requested.connect(self.submit)
        self.cash.received.textEdited.connect(lambda _t: self._clear_error("cash_received"))
        self.cash.received.textEdited.connect(lambda _t: self.error.hide())
        cash_error = QLabel(self)
        cash_error.setObjectName("cash_receivedError")
        cash_error.setProperty("role", "fieldError")
        cash_error.setWordWrap(True)
        cash_error.hide()
        self.errors["cash_received"] = cash_error
        cash_key = QShortcut(QKeySequence("F8"), self)
        cash_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        cash_key.activated.connect(self.cash.toggle)
        # a walk-in customer (no name asked): "Pelanggan Umum" and the till's walk-in phone
        self.walk_in_button = QPushButton(tr("Pelanggan umum", "Walk-in customer") + "  (F6)", self)
        self.walk_in_button.setObjectName("walkInButton")
        self.walk_in_button.setAccessibleName(tr("Pelanggan umum", "Walk-in customer"))
        self.walk_in_button.setMinimumHeight(40)
        self.walk_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.walk_in_button.clicked.connect(self.walk_in)
        walk_in_key = QShortcut(QKeySequence("F6"), self)
        walk_in_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        walk_in_key.activated.connect(self.walk_in)

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.walk_in_button)
        left.addLayout(form)
        left.addWidget(self.cash)
        left.addWidget(cash_error)
        # a shipping discount (physical orders only): shippingDiscount, at most the cost
        self.shipping_discount = QLineEdit(self)
        self.shipping_discount.setObjectName("shippingDiscount")
        self.shipping_discount.setAccessibleName(tr("Diskon ongkir", "Shipping discount"))
        self.shipping_discount.setPlaceholderText(
            tr("Diskon ongkir (opsional), mis. 10000", "Shipping discount (optional), e.g. 10000")
        )
        self.shipping_discount.setMinimumHeight(40)
        self.shipping_discount.textEdited.connect(lambda _t: self.refresh_summary())
        self.shipping_discount.hide()
        left.addWidget(self.shipping_discount)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        self.submit_button.setMinimumWidth(380)
        buttons.addWidget(self.submit_button)

        # title; form | shipping (only for physical goods) | summary; error; Back … Submit
        columns = QHBoxLayout()
        columns.setSpacing(20)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left_box.setMaximumWidth(880)
        left_box.setMinimumWidth(360)
        columns.addWidget(left_box, 2)
        columns.addWidget(self.shipping_scroll, 3)
        right_box.setMaximumWidth(640)
        right_box.setMinimumWidth(300)
        columns.addWidget(right_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addLayout(buttons)
        chain = [
            self.name,
            self.phone,
            self.email,
            self.method,
            self.cash.button,
            self.cash.received,
            self.note,
            *self.shipping_panel.focus_chain(),
            self.submit_button,
            self.back_button,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

        for w in (self.name, self.phone, self.email, self.note):
            w.returnPressed.connect(self.submit)
        self.name.textEdited.connect(lambda _t: self._clear_error("name"))
        self.phone.textEdited.connect(lambda _t: self._clear_error("phone"))
        self.email.textEdited.connect(lambda _t: self._clear_error("email"))
        self.method.currentIndexChanged.connect(lambda _i: self._clear_error("payment_method"))
        self.method.currentIndexChanged.connect(lambda _i: self._method_to_shipping())
        self.shipping_signals.choice_changed.connect(self._on_shipping_changed)
        self.shipping_signals.problem_changed.connect(self._on_shipping_changed)
        self.shipping_panel.address.textEdited.connect(lambda _t: self.error.hide())
        controller.cart_changed.connect(self.shipping.cart_changed)
        controller.store_changed.connect(lambda _s: self.shipping.store_changed())
        controller.submit_failed.connect(lambda _t: self._requote_after_rejection())

        self.submit_requested.connect(controller.submit)
        controller.methods_changed.connect(self.set_methods)
        controller.submit_busy.connect(self.set_busy)
        controller.submit_failed.connect(self.show_error)
        controller.cart_changed.connect(self.refresh_summary)
        self.set_busy(False)
        self.refresh_summary()

    # --- state ------------------------------------------------------------------------
    def set_methods(self, codes: list[str], default: str) -> None:
        self.fields.set_methods(codes, default)
        self._update_cod()
        self._method_to_shipping()
        self.update_cash()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy.setVisible(busy)
        self.submit_button.setEnabled(not busy and not self._shipping_failed())
        self.back_button.setEnabled(not busy)
        label = (
            tr("Mengirim…", "Sending…") if busy else tr("Buat pesanan", "Create order") + "  (F9)"
        )
        self.submit_button.setText(label)
        self.setProperty("busy", busy)

    def refresh_summary(self) -> None:
        if not self.isVisible():
            # hidden (the cashier is still scanning): rebuilt when the page is shown, so a scan
            # does not pay for the summary, the shipping rows and the cash tender each time
            self._summary_stale = True
            return
        self._summary_stale = False
        cart = self._controller.cart
        needs = cart.needs_shipping
        self.shipping_scroll.setVisible(needs)
        self.shipping_discount.setVisible(needs)
        cost = self.shipping.quoted_cost() if needs else None
        chosen = self.shipping.chosen_result() if needs else None
        if chosen is not None:
            from ui.shipping.models import courier_name

            courier = courier_name(chosen)
        else:
            courier = ""
        ship_off = self._shipping_discount(cost) if needs else 0
        total = self.summary_panel.show_cart(
            cart, needs_shipping=needs, cost=cost, courier=courier, ship_off=ship_off
        )
        self.cash.set_total(total)
        self._update_cod()

    def showEvent(self, event: QShowEvent) -> None:
        if self._summary_stale:
            self.refresh_summary()
        super().showEvent(event)

    def reset(self) -> None:
        self.fields.clear()
        self.shipping_discount.clear()
        self.cash.reset()
        self.clear_errors()
        self.shipping_panel.reset()
        self._method_to_shipping()
        self.refresh_summary()

    def on_show(self) -> None:
        self.update_cash()
        self._method_to_shipping()
        self.refresh_summary()
        self.error.hide()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- errors -----------------------------------------------------------------------
    def _clear_error(self, field: str) -> None:
        self.errors[field].hide()
        self.errors[field].setText("")

    def clear_errors(self) -> None:
        for f in self.errors:
            self._clear_error(f)
        self.error.hide()
        self.error.setText("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def field_error(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    # --- shipping ---------------------------------------------------------------------
    def _method_to_shipping(self) -> None:
        cash = getattr(self, "cash", None)
        if cash is not None and cash.is_on() and self.cash_method():
            self.shipping.set_payment_method(str(self.cash_method()))  # the method sent
            return
        self.shipping.set_payment_method(str(self.method.currentData() or ""))

    def _shipping_failed(self) -> bool:
        return bool(self._controller.cart.needs_shipping and self.shipping.failed())

    def _on_shipping_changed(self) -> None:
        if getattr(self, "_shipping_error", False) and self.shipping.choice() is not None:
            self._shipping_error = False  # e.g. "Choose a courier": a courier is chosen now
            self.error.hide()
            self.error.setText("")
        self.refresh_summary()
        busy = getattr(self, "_busy", False)
        self.submit_button.setEnabled(not busy and not self._shipping_failed())
        self.submit_button.setProperty("blocked", self._shipping_failed())

    def _update_cod(self) -> None:
        """COD is offered only for physical goods, and only when the chosen courier does COD
        (with ``cod`` chosen the panel lists COD couriers only)."""
        chosen = self.shipping.chosen_result()
        self.fields.offer_cod(
            physical=self._controller.cart.needs_shipping,
            courier_cod=chosen is None or chosen.is_cod,
        )

    def _requote_after_rejection(self) -> None:
        """Scalev refused the order (e.g. ``shipping_cost_mismatch``): ask for a fresh quote so
        the cashier sees the current price before sending again."""
        if self._controller.cart.needs_shipping:
            self.shipping.requote()

    def shipping_ready(self) -> bool:
        """A fresh shipping quote for exactly the current cart, destination, warehouse and
        payment method, with a street address and a valid postal code."""
        return self.shipping.choice() is not None and not self.shipping_panel.postal_blocks()

    # --- submit -----------------------------------------------------------------------

    def submit(self) -> None:
        """Validate, then emit ``submit_requested`` with the draft and the contact typed in."""
        controller = self._controller
        if controller.submitting:
            return
        from pos.domain.customer import InvalidInput, make_customer, validate_customer
        from pos.domain.sale import draft_from_cart

        self.clear_errors()
        form = self.fields.read()
        problems = dict(validate_customer(form.name, form.phone, form.email))
        method: str | None = form.method
        cash_received: int | None = None
        if self.cash.is_on():
            method = self.cash_method()
            if not self.cash.received.text().strip():
                self.cash.set_received(self._total_due())  # Enter on an empty field: exact
            cash_received = self.cash.value()
            if cash_received is None or cash_received < self._total_due():
                problems["cash_received"] = "cash_too_little"
        if not method:
            problems["payment_method"] = "payment_method_required"
        if controller.cart.is_empty:
            self.show_error(message("cart_empty"))
            return
        shipping = None
        if controller.cart.needs_shipping:
            if not self.shipping_panel.check_postal():
                self.show_error(
                    message("shipping_required") + "\n" + self.shipping_panel.postal_problem()
                )
                self.shipping_panel.postal.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            shipping = self.shipping.choice()
            if shipping is None:
                why = self.shipping.missing() or ""
                self.show_error(message("shipping_required") + ("\n" + why if why else ""))
                self._shipping_error = True  # goes when the shipping gap is filled
                self._focus_shipping_gap()
                return
        if controller.store is None:
            self.show_error(tr("Pilih toko dahulu.", "Choose a store first."))
            return
        if problems:
            first = None
            for field, message_id in problems.items():
                label = self.errors.get(field)
                if label is None:
                    continue
                label.setText(message(message_id))
                label.show()
                first = first or field
            self.show_error(tr("Periksa isian yang ditandai.", "Check the marked fields."))
            focus = {
                "name": self.name,
                "phone": self.phone,
                "email": self.email,
                "cash_received": self.cash.received,
            }.get(first or "")
            (focus or self.method).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            customer = make_customer(form.name, form.phone, form.email)
        except InvalidInput as exc:
            self.errors.get(exc.field, self.errors["name"]).setText(message(exc.message_id))
            self.errors.get(exc.field, self.errors["name"]).show()
            self.show_error(tr("Periksa isian yang ditandai.", "Check the marked fields."))
            return
        draft = draft_from_cart(
            controller.store,
            controller.cart,
            customer,
            str(method),
            form.note.strip(),
            shipping=shipping,
            shipping_discount=self._shipping_discount(shipping.shipping_cost if shipping else 0),
            cash_received=cash_received,
        )
        self.submit_requested.emit(draft, form.contact)

    # --- cash (issue 13) ---------------------------------------------------------------
    def cash_method(self) -> str | None:
        """The manual method a cash order is created with in this store (a per-store
        setting, ``cash_method.<store id>``; default the first enabled of bank_transfer and
        no_payment)."""
        from pos.services.tender import CASH_METHOD_SETTING, cash_method

        controller = self._controller
        codes = [str(self.method.itemData(i)) for i in range(self.method.count())]
        store = controller.store
        preferred = controller.settings.get(f"{CASH_METHOD_SETTING}.{store.id}") if store else None
        return cash_method(codes, preferred)

    def update_cash(self) -> None:
        """Offer cash only when the store enables a manual method and the key may mark orders
        paid; otherwise say why."""
        self.cash.offer(
            key_may_mark_paid=not getattr(self._controller.checkout, "cash_blocked", False),
            store_has_method=not self.method.count() or self.cash_method() is not None,
        )

    def walk_in(self) -> None:
        """Fill a walk-in customer: "Pelanggan Umum" and the till's walk-in phone (setting
        ``walk_in_phone``); without that setting the phone field gets the focus."""
        from ui.common.i18n import lang

        self.name.setText("Pelanggan Umum" if lang() != "en" else "Walk-in Customer")
        self._clear_error("name")
        phone = (self._controller.settings.get(WALK_IN_PHONE_SETTING) or "").strip()
        if phone:
            self.phone.setText(phone)
            self._clear_error("phone")
            (self.cash.received if self.cash.is_on() else self.note).setFocus(
                Qt.FocusReason.OtherFocusReason
            )
        else:
            self.phone.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_cash_toggled(self, on: bool) -> None:
        self.method.setEnabled(not on)
        self._clear_error("cash_received")
        self._method_to_shipping()  # the quote must match the method the order is sent with

    def _shipping_discount(self, cost: int | None) -> int:
        """The typed shipping discount, clamped to the shipping cost (0 when unreadable)."""
        from pos.domain.discount import shipping_discount_amount
        from ui.checkout.cash_tender import parse_amount

        value = parse_amount(self.shipping_discount.text()) or 0
        return shipping_discount_amount(value, int(cost or 0))

    def _total_due(self) -> int:
        cart = self._controller.cart
        cost = self.shipping.quoted_cost() if cart.needs_shipping else None
        ship_off = self._shipping_discount(cost) if cart.needs_shipping else 0
        return int(cart.net_total + (cost or 0) - ship_off)

    def _focus_shipping_gap(self) -> None:
        p = self.shipping_panel
        s = self.shipping
        if not s.address.strip():
            p.address.setFocus(Qt.FocusReason.OtherFocusReason)
        elif s.location is None:
            p.search.setFocus(Qt.FocusReason.OtherFocusReason)
        elif s.chosen_result() is None and s.couriers:
            p.couriers.setFocus(Qt.FocusReason.OtherFocusReason)
