"""Keeps the customer display in step with the sale controller (its signals → the display's
five slots)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from ui.common.i18n import tr
from ui.display.customer_display import CustomerDisplay


class CustomerDisplayFeed(QObject):
    """Keeps a :class:`CustomerDisplay` in step with a sale controller.

    Duck-typed on the controller's signals — ``store_changed(Store)``, ``cart_changed()``,
    ``order_created(SubmitResult)``, ``order_updated(Order)`` — and its ``cart`` and ``order``
    attributes (``ui.controllers.SaleController``). It is a child of the display, so the
    connections end with the display.
    """

    def __init__(self, display: CustomerDisplay, controller: Any) -> None:
        super().__init__(display)
        self._display = display
        self._controller = controller
        self._shown: tuple[str, str] | None = None
        controller.store_changed.connect(self.on_store)
        controller.cart_changed.connect(self.on_cart)
        controller.order_created.connect(self.on_order_created)
        controller.order_updated.connect(self.on_order)
        store = getattr(controller, "store", None)
        if store is not None:
            self.on_store(store)
        self.on_cart()

    def on_store(self, store: Any) -> None:
        self._display.set_store_name(str(getattr(store, "name", "") or ""))

    def on_cart(self) -> None:
        if getattr(self._controller, "order", None) is not None:
            return  # the payment (or paid) screen stays until the next sale
        cart = self._controller.cart
        if cart.is_empty:
            self._display.show_idle()
            return
        lines = [(ln.item.name, ln.quantity, ln.subtotal) for ln in cart.lines]
        if cart.discount_amount:
            lines.append((tr("Diskon", "Discount"), 0, -cart.discount_amount))
        self._display.show_cart(lines, cart.net_total)

    def on_order_created(self, result: Any) -> None:
        self.on_order(result.order)

    def on_order(self, order: Any) -> None:
        amount = int(order.gross_revenue or 0)
        if order.is_paid:
            self._display.show_paid(amount)
        elif order.is_closed:
            self._display.show_canceled()
        else:
            shown = (str(order.id), order.payment_url or "")
            if self._display.state() == "payment" and self._shown == shown:
                return  # a poll with no news: keep the QR as it is
            self._shown = shown
            self._display.show_payment(
                order.payment_url or "", amount, order.order_id or str(order.id)
            )
