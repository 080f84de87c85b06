"""CustomerDisplayFeed keeps the customer display in step with a sale controller's signals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal

from pos.api.models import Order, Store
from pos.domain.cart import Cart
from pos.domain.catalog import CatalogItem, make_search_key
from ui.display.customer_display import CustomerDisplay
from ui.display.feed import CustomerDisplayFeed


def item(uid: str, name: str, price: int) -> CatalogItem:
    return CatalogItem(
        key=f"v:{uid}",
        kind="variant",
        unique_id=uid,
        id=1,
        parent_id=10,
        name=name,
        sku="",
        price=price,
        item_type="digital",
        weight=0,
        image_url=None,
        lines=((1, 1),),
        search_key=make_search_key(name, ""),
    )


def order(payment_status: str = "unpaid", status: str = "pending") -> Order:
    return Order(
        id="0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        order_id="261126KSRDEMO",
        payment_url="https://demo.scalev.id/o/abc123/success",
        status=status,
        payment_status=payment_status,
        gross_revenue=Decimal(345000),
    )


class FakeController(QObject):
    """The signals and attributes of ui.controllers.SaleController the feed uses."""

    store_changed = Signal(object)
    cart_changed = Signal()
    order_created = Signal(object)
    order_updated = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.cart = Cart()
        self.order: Order | None = None
        self.store: Store | None = Store(id=7, unique_id="s7", name="Toko Kopi Nusantara")


class Result:
    def __init__(self, o: Order) -> None:
        self.order = o


def test_feed_follows_a_sale(qtbot: Any) -> None:
    controller = FakeController()
    display = CustomerDisplay()
    qtbot.addWidget(display)
    CustomerDisplayFeed(display, controller)
    assert display.store.text() == "Toko Kopi Nusantara"
    assert display.state() == "idle"

    controller.cart.add(item("variant_A", "Kopi Gayo 250 g", 95000), 2)
    controller.cart_changed.emit()
    assert display.state() == "cart"
    assert display.total.text() == "Rp190.000"
    controller.cart.add(item("variant_B", "E-book Seduh", 155000))
    controller.cart_changed.emit()
    assert display.total.text() == "Rp345.000"
    assert display.lines.rowCount() == 2

    controller.order = order()
    controller.order_created.emit(Result(controller.order))
    assert display.state() == "payment"
    assert display.qr_url() == "https://demo.scalev.id/o/abc123/success"
    assert display.amount.text() == "Rp345.000"
    pixmap_key = display.qr.pixmap().cacheKey()
    controller.order_updated.emit(order())  # a poll with no news keeps the same QR
    assert display.qr.pixmap().cacheKey() == pixmap_key
    controller.cart_changed.emit()  # the cart does not replace the QR mid-payment
    assert display.state() == "payment"

    controller.order_updated.emit(order("paid", "confirmed"))
    assert display.state() == "paid"
    assert display.total.text() == "Rp345.000"

    controller.order = None  # new sale: the controller forgets the order and clears the cart
    controller.cart.clear()
    controller.cart_changed.emit()
    assert display.state() == "idle"

    controller.store_changed.emit(Store(id=8, unique_id="s8", name="Toko Kedua"))
    assert display.store.text() == "Toko Kedua"


def test_feed_shows_a_canceled_order(qtbot: Any) -> None:
    controller = FakeController()
    display = CustomerDisplay()
    qtbot.addWidget(display)
    CustomerDisplayFeed(display, controller)
    controller.order = order()
    controller.order_created.emit(Result(controller.order))
    controller.order_updated.emit(order("unpaid", "canceled"))
    assert display.state() == "canceled"
