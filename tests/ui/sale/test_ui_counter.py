"""Taking the money at the counter (issue 13), through the real window against the sandbox:
discounts, QRIS drawn from ``qr_string``, cash with change, the shift report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton

from tests.ui.ui_support import SandboxApp, qr_texts, save_screenshot, scan, screenshot_dir
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT

KOPI = "Toko Kopi Nusantara"
DIGITAL = "Kelas Digital Kreatif"


def _scan(app: SandboxApp, sku: str) -> None:
    scan(app.window.catalog.search, sku)


def _customer(app: SandboxApp) -> None:
    co = app.window.checkout
    QTest.keyClicks(co.name, "Siti Rahmawati")
    QTest.keyClicks(co.phone, "081234567890")


def _shot(widget: Any, name: str, tmp_path: Path) -> None:
    """A screenshot of the screen under test (``KASIR_SCREENSHOTS=1``: docs/screenshots/)."""
    save_screenshot(widget, screenshot_dir(tmp_path) / f"{name}-1366x768.png")


def test_cart_discount_reaches_product_discount(
    sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path
) -> None:
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
    _shot(w, "counter-discount", tmp_path)
    w.set_customer_display(True)
    display = w.customer_display
    assert display is not None and display.total.text() == "Rp115.200"
    assert display.lines.item(2, 2).text() == "-Rp12.800"
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
    w.set_customer_display(False)
    # the next sale starts without the discount
    w.new_sale()
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


def test_cash_sale_gives_change_and_ends_paid(
    sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path
) -> None:
    """Rp100.000 handed over for a Rp85.000 total: change Rp15.000, the order is paid on the
    sandbox, exactly one order and one mark-paid."""
    app = sandbox_app
    app.start(KOPI)
    w = app.window
    _scan(app, "EBOOK-SEDUH")  # Rp49.000
    _scan(app, "EBOOK-KEDAI")  # Rp79.000
    QTest.keyClicks(w.cart.discount.edit, "43000")
    assert w.cart.total_label.text() == "Rp85.000"
    QTest.keyClick(w.catalog.search, Qt.Key.Key_F9)
    assert w.page() == PAGE_CHECKOUT
    co = w.checkout
    _customer(app)
    cash = co.findChild(QPushButton, "tenderCash")
    assert cash is co.cash.button and cash.isEnabled()
    QTest.keyClick(co.phone, Qt.Key.Key_F8)
    assert cash.isChecked() and co.cash.received.hasFocus()
    assert not co.method.isEnabled()
    assert [b.property("amount") for b in co.cash.quick] == [85_000, 90_000, 100_000]
    QTest.keyClicks(co.cash.received, "80000")
    assert co.cash.change.property("short")
    QTest.keyClick(co.cash.received, Qt.Key.Key_Return)  # too little: refused, nothing sent
    assert co.field_error("cash_received") and app.requests() == []
    co.cash.received.clear()
    QTest.keyClicks(co.cash.received, "100.000")
    assert co.findChild(QLabel, "cashChange").text() == "Rp15.000"
    _shot(w, "counter-cash", tmp_path)
    QTest.keyClick(co.cash.received, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    qtbot.waitUntil(lambda: w.payment.state() == "paid", timeout=5000)
    w.set_customer_display(False)
    assert "Rp15.000" in w.payment.cash.text() and "Rp100.000" in w.payment.cash.text()
    _shot(w, "counter-cash-paid", tmp_path)
    posts = app.requests()
    assert len(posts) == 1 and posts[0]["json"]["payment_method"] == "no_payment"
    pos_ref = posts[0]["json"]["metadata"]["pos_ref"]
    orders = app.control("GET", "/__sandbox/orders", params={"pos_ref": pos_ref})["data"]
    assert len(orders) == 1 and orders[0]["payment_status"] == "paid"
    assert orders[0]["gross_revenue"] == "85000.00"
    assert orders[0]["tags"] == ["kasir-01"]
    assert len(app.requests("POST", "/v3/orders/change-status")) == 1
    from pos.receipts.text import render_text

    receipt = render_text(w.current_receipt())
    assert "Rp100.000" in receipt and "Rp15.000" in receipt and "-Rp43.000" in receipt
    assert "LUNAS" in receipt and "BELUM" not in receipt
    # reprinted from the history, the receipt still shows the cash and the change
    assert w.outbox is not None
    row = w.outbox.history.get(pos_ref)
    printed: list[Any] = []
    w._receipt_for_row(row, printed.append)
    again = render_text(printed[0])
    assert "Rp100.000" in again and "Rp15.000" in again
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.go_checkout()
    assert not co.cash.button.isChecked() and co.cash.received.text() == ""


def test_cash_is_disabled_where_the_store_has_no_manual_method(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    app.start(DIGITAL)  # QRIS only
    _scan(app, "EBOOK-CANVA")
    app.window.go_checkout()
    co = app.window.checkout
    assert not co.cash.button.isEnabled()
    assert "no_payment" in co.cash.reason.text()


def test_qris_is_drawn_from_qr_string(sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path) -> None:
    app = sandbox_app
    app.start(DIGITAL)
    w = app.window
    w.set_customer_display(True)
    _scan(app, "EBOOK-CANVA")
    w.go_checkout()
    assert w.checkout.method.currentData() == "qris"
    _customer(app)
    QTest.keyClick(w.checkout.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    qtbot.waitUntil(lambda: bool(w.payment.qris_string), timeout=5000)
    order = app.controller.order
    assert order is not None
    payment = app.control("GET", "/__sandbox/orders", params={})["data"][0]["pg_payment_info"]
    assert (
        qr_texts(app.window.payment.qr, tmp_path)
        == [payment["qr_string"]]
        == [w.payment.qris_string]
    )
    assert w.payment.qris_string.startswith("000201") and "QRIS" in w.payment.scan_hint.text()
    assert w.payment.qr.property("kind") == "qris"
    _shot(w, "counter-qris", tmp_path)
    display = w.customer_display
    assert display is not None and display.qr_url() == w.payment.qris_string
    # the customer pays: the screen turns green as for any paid order
    app.control("POST", f"/__sandbox/orders/{order.id}/pay")
    qtbot.waitUntil(lambda: w.payment.state() == "paid", timeout=5000)
    w.set_customer_display(False)


def _sale(app: SandboxApp, qtbot: Any, sku: str, *, method: str = "", cash: str = "",
          discount: str = "") -> Any:  # fmt: skip
    w = app.window
    _scan(app, sku)
    if discount:
        QTest.keyClicks(w.cart.discount.edit, discount)
    w.go_checkout()  # (F9 itself: test_cash_sale_gives_change_and_ends_paid)
    assert w.page() == PAGE_CHECKOUT
    co = w.checkout
    _customer(app)
    if cash:
        co.cash.toggle()
        assert co.cash.is_on()
        QTest.keyClicks(co.cash.received, cash)
        QTest.keyClick(co.cash.received, Qt.Key.Key_Return)
    else:
        co.method.setCurrentIndex(co.method.findData(method))
        QTest.keyClick(co.phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    order = app.controller.order
    w.new_sale()
    return order


def test_shift_with_five_mixed_sales_closes_matching_the_sandbox(
    sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path
) -> None:
    import httpx

    from pos.sandbox import DEMO_API_KEY

    app = sandbox_app
    app.start(KOPI)
    w = app.window
    dialog = w.show_shift()
    opening = dialog.findChild(QLineEdit, "openingCash")
    QTest.keyClicks(opening, "100000")
    QTest.mouseClick(dialog.findChild(QPushButton, "shiftOpenButton"), Qt.MouseButton.LeftButton)
    assert dialog.findChild(QPushButton, "shiftCloseButton").isVisible()
    dialog.close()

    _sale(app, qtbot, "EBOOK-SEDUH", cash="50000")  # Rp49.000 cash
    _sale(app, qtbot, "EBOOK-KEDAI", cash="100000", discount="10%")  # Rp71.100 cash
    qris = _sale(app, qtbot, "EBOOK-SEDUH", method="qris")
    _sale(app, qtbot, "EBOOK-KEDAI", method="payment_link")  # stays unpaid
    va = _sale(app, qtbot, "EBOOK-SEDUH", method="va_bca")
    app.control("POST", f"/__sandbox/orders/{qris.id}/pay")
    app.control("POST", f"/__sandbox/orders/{va.id}/cancel")

    dialog = w.show_shift()
    counted = dialog.findChild(QLineEdit, "countedCash")
    QTest.keyClicks(counted, "220.100")  # 100.000 + 49.000 + 71.100
    QTest.keyClick(counted, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.shifts.current() is None, timeout=10000)
    report = dialog.report
    assert report is not None and report.server_checked and report.unconfirmed.count == 0
    assert report.sales.count == 4 and report.gross == 49_000 + 71_100 + 49_000 + 79_000
    assert report.discounts == 7_900 and report.canceled.count == 1
    assert report.expected_cash == 220_100 and report.difference == 0
    assert (report.paid.count, report.unpaid.count) == (3, 1)
    text = dialog.findChild(QLabel, "shiftReport").text()
    assert "Rp220.100" in text and "Rp248.100" in text
    dialog.resize(760, 900)
    _shot(dialog, "counter-shift-close", tmp_path)
    # the sandbox's own figures for the terminal's tag agree
    with httpx.Client(
        base_url=app.base_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}
    ) as http:
        stats = http.get(
            "/v3/orders/statistics", params={"tags": "kasir-01", "is_breakdown_status": "true"}
        ).json()["data"]
    live = [s for s in stats if s["status"] != "canceled"]
    assert sum(s["count"] for s in live) == 4 and sum(s["gross_revenue"] for s in live) == 248_100
    # PDF and CSV; the closed shift is listed among the past shifts
    dialog.receipts.data_dir = tmp_path
    pdf = dialog.save("pdf")
    csv_path = dialog.save("csv")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert csv_path is not None and "Rp220.100" in csv_path.read_text("utf-8")
    assert dialog.findChild(QListWidget, "shiftHistory").count() == 1
    dialog.close()
    # the past shifts are reached from the sales history too
    w.show_history()
    assert w.history is not None
    w.history.shifts_button.click()
    assert w.shift_dialog is dialog and dialog.isVisible()
    assert dialog.findChild(QListWidget, "shiftHistory").count() == 1
    dialog.close()


def test_walk_in_exact_cash_in_a_few_keys(sandbox_app: SandboxApp, qtbot: Any) -> None:
    """Walk-in customer (F6) and Enter on an empty cash field = exact amount."""
    app = sandbox_app
    app.controller.settings.set("walk_in_phone", "0811-0000-1111")
    app.start(KOPI)
    w = app.window
    _scan(app, "EBOOK-SEDUH")
    w.go_checkout()
    co = w.checkout
    QTest.keyClick(co.name, Qt.Key.Key_F6)
    assert co.name.text() and co.phone.text() == "0811-0000-1111"
    QTest.keyClick(co.note, Qt.Key.Key_F8)
    assert co.cash.received.hasFocus()
    QTest.keyClick(co.cash.received, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.payment.state() == "paid", timeout=10000)
    body = app.requests()[0]["json"]
    assert body["customer_phone"] == "6281100001111"
    assert "Rp0" in w.payment.cash.text() and "Rp49.000" in w.payment.cash.text()


def test_counter_settings_cap_walk_in_and_cash_method(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(KOPI)
    w = app.window
    _scan(app, "EBOOK-KEDAI")  # Rp79.000
    QTest.keyClicks(w.cart.discount.edit, "50%")
    assert app.controller.cart.discount_amount == 39_500
    dialog = w.show_shift().open_counter_settings()
    cap = dialog.findChild(QLineEdit, "discountCap")
    phone = dialog.findChild(QLineEdit, "walkInPhone")
    QTest.keyClicks(cap, "abc")
    assert not dialog.save() and dialog.error.isVisible()
    cap.clear()
    QTest.keyClicks(cap, "10.000")
    QTest.keyClicks(phone, "0811-2222-3333")
    assert [dialog.method.itemData(i) for i in range(dialog.method.count())] == ["no_payment"]
    assert dialog.save()
    settings = app.controller.settings
    assert settings.get("discount_cap") == "10000"
    assert settings.get("walk_in_phone") == "0811-2222-3333"
    assert settings.get("cash_method.3288") == "no_payment"
    assert app.controller.cart.discount_amount == 10_000  # the cart follows the new cap
    assert w.cart.total_label.text() == "Rp69.000"
