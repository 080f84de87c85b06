"""Receipts of the sales the window shows, built from domain objects only: the order on the
payment screen with the controller's :class:`~ui.controllers.SaleContact` and cart, and a
history sale from its journal record (never from a label's text)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.receipts.actions import receipt_from_order

if TYPE_CHECKING:
    from pos.api.models import Order
    from pos.domain.cart import Cart
    from pos.receipts.model import Receipt
    from ui.controllers import SaleContact


def order_from_record(row: Any) -> Order:
    """The ``Order`` a history row's journal record holds (id, link and total filled in from
    the row when the record lacks them)."""
    data = dict(row.record.order or {})
    data.setdefault("id", row.order_id)
    data.setdefault("payment_url", row.payment_url)
    data.setdefault("gross_revenue", row.total)
    from pos.api.models import Order

    return Order.model_validate(data)


def payment_receipt(
    order: Order,
    *,
    contact: SaleContact | None,
    store_name: str,
    cart: Cart | None,
    settings: Any,
    cash: tuple[int, int] | None,
) -> Receipt:
    """The receipt of the order on the payment screen: the customer as typed (else the
    order's), the cart's lines when the order has none (``cart`` None: an earlier sale)."""
    customer = contact.name if contact is not None else ""
    if not customer and order.customer is not None:
        customer = order.customer.name or ""
    lines = [(ln.item.name, ln.quantity, ln.item.price) for ln in cart.lines] if cart else []
    return receipt_from_order(
        order,
        store_name=store_name,
        terminal=settings.terminal_name,
        customer_name=customer,
        cart_lines=lines,
        options=settings.receipt,
        cash=cash,
    )


def record_receipt(row: Any, *, tender: Any, settings: Any) -> Receipt | None:
    """A history sale's receipt from its journal record (created sales only; None before).
    ``tender``: the sale's cash tender record, if any."""
    if not row.can_show_payment:
        return None
    return receipt_from_order(
        order_from_record(row),
        store_name=row.store_name or "",
        terminal=settings.terminal_name,
        customer_name=row.customer_name or "",
        options=settings.receipt,
        cash=(tender.received, tender.change_due) if tender and tender.is_cash else None,
    )
