"""A physical cash sale at the counter with a shipping discount (issue 13): the quote is made
for the manual method the order is sent with, the shipping discount never exceeds the cost and
reaches ``shipping_discount``, and the order ends paid."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.shipping.shipping_support import (
    COFFEE_STORE,
    GAYO_BIJI_SKU,
    checkout_for,
    choose_courier,
    pick_location,
    wait_quoted,
)
from tests.ui.ui_support import SandboxApp
from ui.main_window import PAGE_PAYMENT

CEMPAKA_PUTIH = "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"
ADDRESS = "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03"


def test_physical_cash_sale_with_shipping_discount(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU)  # Rp85.000
    co.cash.toggle()
    assert co.cash.is_on()
    co.shipping_panel.address.setText(ADDRESS)
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    quotes = app.requests("POST", "/v3/shipping-costs/search-courier-service")
    assert quotes[-1]["json"]["payment_method"] == "no_payment"
    choose_courier(app, 12)
    cost = int(co.shipping.quoted_cost() or 0)
    assert cost > 0
    assert co.shipping_discount.isVisible()
    QTest.keyClicks(co.shipping_discount, "999999")  # more than the cost: clamped to it
    assert co.total.text().endswith("Rp85.000")
    QTest.keyClicks(co.cash.received, "100000")
    assert co.cash.change.text() == "Rp15.000"
    QTest.keyClick(co.cash.received, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.window.page() == PAGE_PAYMENT, timeout=10000)
    qtbot.waitUntil(lambda: app.window.payment.state() == "paid", timeout=5000)
    body = app.requests()[0]["json"]
    assert body["payment_method"] == "no_payment"
    assert body["shipping_cost"] == cost and body["shipping_discount"] == cost
    order = app.controller.order
    assert order is not None and int(order.gross_revenue or 0) == 85_000
