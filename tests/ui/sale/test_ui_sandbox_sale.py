"""End-to-end sales through the real window, services and client against the embedded
sandbox over real HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.session_support import DIGITAL_STORE
from tests.ui.ui_support import SandboxApp, qr_texts, scan, variant
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_QUEUED, PAGE_SALE


def _select_by_search(app: SandboxApp, qtbot: Any, text: str) -> None:
    cat = app.window.catalog
    cat.search.clear()
    QTest.keyClicks(cat.search, text)
    qtbot.waitUntil(lambda: cat.model.query == text.casefold())


def test_full_digital_sale_with_variants_and_bundle(
    sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path
) -> None:
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    cat = w.catalog
    assert cat.search.hasFocus()

    # barcode scan (keyboard wedge): SKU + Enter adds directly and clears the box
    scan(cat.search, "EBOOK-SEDUH")
    assert cat.search.text() == ""
    # search narrows; Enter on the only match adds it
    _select_by_search(app, qtbot, "barista")
    assert cat.model.rowCount() == 1
    QTest.keyClick(cat.search, Qt.Key.Key_Return)
    # the bundle, twice, through the grid
    _select_by_search(app, qtbot, "bundel digital")
    assert cat.model.rowCount() == 1
    QTest.keyClick(cat.search, Qt.Key.Key_Down)
    QTest.keyClick(cat.view, Qt.Key.Key_Return)
    QTest.keyClick(cat.view, Qt.Key.Key_Return)
    lines = {ln.item.unique_id: ln.quantity for ln in app.controller.cart.lines}
    assert lines == {
        "variant_UbbYrEqmSM9w": 1,
        "variant_mvnEN5N1aE6P": 1,
        "bpo_lMaXZjljENUh": 2,
    }
    assert w.cart.total_label.text() == "Rp946.000"  # 49.000 + 299.000 + 2 × 299.000

    QTest.keyClick(cat.view, Qt.Key.Key_F9)
    assert w.page() == PAGE_CHECKOUT
    co = w.checkout
    assert co.method.currentData() == "payment_link"
    QTest.keyClicks(co.name, "Siti Rahmawati")
    QTest.keyClicks(co.phone, "0812-3456 7890")
    scan(co.email, "siti.rahmawati@example.co.id")
    QTest.keyClick(co.email, Qt.Key.Key_Return)  # a repeated Enter never makes a second order
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)

    posts = app.requests()
    assert len(posts) == 1
    body = posts[0]["json"]
    assert body["store_unique_id"] == "store_Nq7Rk2LmXa91"
    assert body["customer_name"] == "Siti Rahmawati"
    assert body["customer_phone"] == "6281234567890"
    assert body["customer_email"] == "siti.rahmawati@example.co.id"
    assert body["payment_method"] == "payment_link"
    assert sorted((v["variant_unique_id"], v["quantity"]) for v in body["ordervariants"]) == sorted(
        [("variant_UbbYrEqmSM9w", 1), ("variant_mvnEN5N1aE6P", 1)]
    )
    assert body["orderbundles"] == [
        {"bundle_price_option_unique_id": "bpo_lMaXZjljENUh", "quantity": 2}
    ]
    assert "address" not in body and "shipping_cost" not in body

    order = app.controller.order
    assert order is not None and order.payment_url
    assert w.payment.url.text() == order.payment_url
    assert qr_texts(app.window.payment.qr, tmp_path) == [order.payment_url]
    assert w.payment.status.property("status") == "unpaid"
    assert w.payment.amount.text() == "Rp946.000"

    app.control("POST", f"/__sandbox/orders/{order.id}/pay")
    qtbot.waitUntil(lambda: w.payment.status.property("status") == "paid", timeout=3000)
    assert w.payment.state() == "paid"
    assert "LUNAS" in w.payment.status.text()
    qtbot.waitUntil(lambda: not app.runner.is_busy("payment-watch"))

    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_SALE
    assert app.controller.cart.is_empty
    assert co.name.text() == ""


def test_invalid_inputs_send_no_request(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    scan(w.catalog.search, "EBOOK-KEDAI")
    w.go_checkout()
    co = w.checkout
    for name, phone, email, field in [
        ("", "081234567890", "", "name"),
        ("Budi", "", "", "phone"),
        ("Budi", "0812", "", "phone"),
        ("Budi", "081234567890", "budi@@x", "email"),
    ]:
        co.name.setText(name)
        co.phone.setText(phone)
        co.email.setText(email)
        QTest.keyClick(co.name, Qt.Key.Key_Return)
        assert co.field_error(field)
        assert co.error.isVisible()
    assert app.requests() == []


def test_rejected_order_422_is_shown(sandbox_app: SandboxApp, qtbot: Any) -> None:
    """A stale cart line (the variant vanished from Scalev): the sandbox answers 422 and the
    cashier sees why; nothing crashes and the form stays usable."""
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    app.controller.add_item(variant("variant_GoneFromScalev", "Produk Lama", 10000, vid=999))
    w.go_checkout()
    co = w.checkout
    co.name.setText("Budi")
    co.phone.setText("081398765432")
    co.submit_button.click()
    qtbot.waitUntil(lambda: co.error.isVisible() and bool(co.error.text()), timeout=10000)
    assert len(app.requests()) == 1
    assert w.page() == PAGE_CHECKOUT
    assert co.submit_button.isEnabled()
    assert "variant_GoneFromScalev" in co.error.text()


def test_physical_goods_are_held_until_shipping_is_filled(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    scan(w.catalog.search, "8992884945121")  # Kopi Luwak (physical)
    w.go_checkout()
    co = w.checkout
    co.name.setText("Budi")
    co.phone.setText("081398765432")
    co.submit_button.click()
    assert co.error.isVisible()
    assert "fisik" in co.error.text()
    assert app.requests() == []


def test_network_failure_on_submit_keeps_the_sale(
    sandbox_app: SandboxApp, sandbox_server: Any, qtbot: Any
) -> None:
    """Offline at checkout (issue 5): the sale is journaled and queued, the cashier is told
    it will be sent automatically, and the pending badge counts it."""
    app = sandbox_app
    app.start(DIGITAL_STORE)
    w = app.window
    scan(w.catalog.search, "EBOOK-KEDAI")
    w.go_checkout()
    co = w.checkout
    co.name.setText("Budi")
    co.phone.setText("081398765432")
    sandbox_server.stop()
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED, timeout=20000)
    assert "Tersimpan" in w.queued.title.text()
    assert w.pending_badge.property("count") == 1
    assert w.pending_badge.isVisible()
    qtbot.waitUntil(lambda: co.submit_button.isEnabled(), timeout=5000)


def test_store_choice_is_remembered(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start("Kelas Digital Kreatif")
    w = app.window
    assert app.controller.settings.get("last_store_id") == "3315"
    combo = w.checkout.method
    assert [combo.itemData(i) for i in range(combo.count())] == ["qris"]
    # a new window on the same database starts on the remembered store, from the cache at once
    items = app.controller.catalog.cached(3315)
    assert items and len(items) == w.catalog.model.total_count()
