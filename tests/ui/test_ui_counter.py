"""Taking the money at the counter (issue 13), through the real window against the sandbox:
discounts, QRIS drawn from ``qr_string``, cash with change, the shift report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_support import SandboxApp

from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT

KOPI = "Toko Kopi Nusantara"
DIGITAL = "Kelas Digital Kreatif"


def _scan(app: SandboxApp, sku: str) -> None:
    search = app.window.catalog.search
    QTest.keyClicks(search, sku)
    QTest.keyClick(search, Qt.Key.Key_Return)


def _customer(app: SandboxApp) -> None:
    co = app.window.checkout
    QTest.keyClicks(co.name, "Siti Rahmawati")
    QTest.keyClicks(co.phone, "081234567890")


def _decode_qr(app: SandboxApp, tmp_path: Path) -> list[str]:
    path = tmp_path / "qr.png"
    assert app.window.payment.qr.grab().save(str(path))
    with Image.open(path) as image:
        return [r.text for r in zxingcpp.read_barcodes(image)]


def test_cart_discount_reaches_product_discount(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(KOPI)
    w = app.window
    _scan(app, "EBOOK-SEDUH")  # Rp49.000
    _scan(app, "EBOOK-KEDAI")  # Rp79.000
    field = w.findChild(type(w.catalog.search), "cartDiscount")
    assert field is w.cart.discount.edit
    QTest.keyClicks(field, "abc")
    assert w.cart.discount.error.isVisible()
    field.clear()
    QTest.keyClicks(field, "10%")
    assert not w.cart.discount.error.isVisible()
    assert w.cart.total_label.text() == "Rp115.200"  # 128.000 − 12.800
    w.go_checkout()
    assert w.page() == PAGE_CHECKOUT
    assert "Rp115.200" in w.checkout.total.text()
    _customer(app)
    QTest.keyClick(w.checkout.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    body = app.requests()[0]["json"]
    assert body["product_discount"] == 12_800
    order = app.controller.order
    assert order is not None and int(order.gross_revenue or 0) == 115_200
    assert w.payment.amount.text() == "Rp115.200"
    # the next sale starts without the discount
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == "" and app.controller.cart.discount is None


def test_discount_cap_from_the_terminal_setting(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.controller.settings.set("discount_cap", "5000")
    app.start(KOPI)
    w = app.window
    _scan(app, "EBOOK-KEDAI")  # Rp79.000
    QTest.keyClicks(w.cart.discount.edit, "50%")
    assert app.controller.cart.discount_amount == 5_000
    assert w.cart.total_label.text() == "Rp74.000"
    assert "Rp5.000" in w.cart.discount.error.text()
