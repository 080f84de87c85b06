"""The sale screen against in-process fake services: catalog, search, barcode, cart, checkout
validation, double submit, errors, payment screen states, keyboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pos.api.errors import APIConnectionError
from pos.services.errors import BackendUnavailable, SaleRejected
from tests.ui.ui_support import SAMPLE_ITEMS, STORE, FakeApp, make_order, scan
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT, PAGE_PROBLEM, PAGE_SALE, MainWindow


def _add(app: FakeApp, row: int) -> None:
    view = app.window.catalog.view
    view.activated.emit(app.window.catalog.model.index(row, 0))


def _fill(app: FakeApp, name: str, phone: str, email: str = "") -> None:
    co = app.window.checkout
    co.name.setText(name)
    co.phone.setText(phone)
    co.email.setText(email)


def _at_checkout(app: FakeApp) -> MainWindow:
    """From the loaded catalog: its first item in the cart, the checkout filled in for Siti."""
    _add(app, 0)
    w = app.window
    w.go_checkout()
    _fill(app, "Siti", "081234567890")
    return w


def _charged(app: FakeApp, qtbot: Any) -> MainWindow:
    """``_at_checkout``, sent: the payment screen is shown."""
    w = _at_checkout(app)
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT)
    return w


def test_focus_starts_in_search_and_catalog_loads(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = fake_app.window
    assert w.catalog.search.hasFocus()
    assert w.store_selector.currentText() == STORE.name
    assert fake_app.settings.get("last_store_id") == str(STORE.id)
    assert w.demo_badge.isVisible()
    assert not w.catalog.progress.isVisible()


def test_search_narrows_and_clears(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    cat = fake_app.window.catalog
    QTest.keyClicks(cat.search, "python")
    qtbot.waitUntil(lambda: cat.model.rowCount() == 3)
    names = {cat.model.index(r, 0).data() for r in range(3)}
    assert names == {
        "Kelas Online Python Dasar",
        "Kelas Online Python Lanjut",
        "Paket Python Lengkap",
    }
    cat.search.clear()
    qtbot.waitUntil(lambda: cat.model.rowCount() == len(SAMPLE_ITEMS))
    QTest.keyClicks(cat.search, "zzzz")
    qtbot.waitUntil(lambda: cat.model.rowCount() == 0)
    assert cat.empty_label.isVisible()


def test_barcode_scan_adds_item_and_clears(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    cat = fake_app.window.catalog
    scan(cat.search, "lic-dp1")
    cart = fake_app.controller.cart
    assert [(ln.item.unique_id, ln.quantity) for ln in cart.lines] == [("variant_C1", 1)]
    assert cat.search.text() == ""
    QTest.keyClicks(cat.search, "LIC-DP1")
    QTest.keyClick(cat.search, Qt.Key.Key_Enter)
    assert cart.lines[0].quantity == 2
    assert fake_app.window.cart.total_label.text() == "Rp1.798.000"


def test_tap_and_enter_add_one(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    cat = fake_app.window.catalog
    view = cat.view
    rect = view.visualRect(cat.model.index(0, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert fake_app.controller.cart.count == 1
    view.setFocus()
    view.setCurrentIndex(cat.model.index(1, 0))
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert [ln.quantity for ln in fake_app.controller.cart.lines] == [1, 1]


def test_cart_plus_minus_typed_quantity_remove_clear(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    _add(fake_app, 0)
    _add(fake_app, 2)
    panel = fake_app.window.cart
    table = panel.table
    table.setFocus()
    table.setCurrentIndex(panel.model.index(0, 0))
    QTest.keyClick(table, Qt.Key.Key_Plus)
    assert fake_app.controller.cart.lines[0].quantity == 2
    QTest.keyClick(table, Qt.Key.Key_Minus)
    assert fake_app.controller.cart.lines[0].quantity == 1
    # typing a number edits the quantity
    QTest.keyClicks(table, "4")
    editor = table.focusWidget()
    assert editor is not None and editor is not table
    QTest.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on a queued call
    qtbot.waitUntil(lambda: fake_app.controller.cart.lines[0].quantity == 4)
    assert panel.total_label.text() == "Rp645.000"
    table.setCurrentIndex(panel.model.index(1, 0))
    QTest.keyClick(table, Qt.Key.Key_Delete)
    assert len(fake_app.controller.cart.lines) == 1
    panel.clear_button.click()
    assert fake_app.controller.cart.is_empty
    assert panel.total_label.text() == "Rp0"
    assert not panel.charge_button.isEnabled()


def test_cart_survives_screens(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    _add(fake_app, 0)
    w = fake_app.window
    w.cart.charge_button.click()
    assert w.page() == PAGE_CHECKOUT
    QTest.keyClick(w.checkout.name, Qt.Key.Key_Escape)
    assert w.page() == PAGE_SALE
    assert fake_app.controller.cart.count == 1
    assert w.catalog.search.hasFocus()


def test_invalid_inputs_show_inline_errors_and_send_nothing(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    _add(fake_app, 0)
    w = fake_app.window
    w.go_checkout()
    co = w.checkout
    cases = [
        ("", "081234567890", "", "name"),
        ("Siti", "", "", "phone"),
        ("Siti", "12ab", "", "phone"),
        ("Siti", "081234567890", "siti@", "email"),
    ]
    for name, phone, email, field in cases:
        _fill(fake_app, name, phone, email)
        co.submit_button.click()
        assert co.field_error(field), field
        assert co.errors[field].isVisible()
        assert co.error.isVisible() and co.error.text()
    assert fake_app.checkout.drafts == []
    # typing fixes clear the inline error
    QTest.keyClicks(co.email, "x")
    assert not co.field_error("email")


def test_payment_method_combo_has_codes_and_default(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    combo = fake_app.window.checkout.method
    codes = [combo.itemData(i) for i in range(combo.count())]
    assert codes == ["bank_transfer", "qris", "payment_link", "va_bca"]
    assert combo.currentData() == "payment_link"
    assert "Link pembayaran" in combo.currentText()


def test_double_submit_creates_one_order(fake_app: FakeApp, qtbot: Any, qloop: Any) -> None:
    import asyncio

    fake_app.start()
    _add(fake_app, 0)
    w = fake_app.window
    w.go_checkout()
    _fill(fake_app, "Siti Rahmawati", "0812-3456 7890", "siti@example.co.id")
    fake_app.checkout.gate = asyncio.Event()
    co = w.checkout
    co.submit_button.click()
    QTest.keyClick(co.name, Qt.Key.Key_Return)
    QTest.keyClick(co.phone, Qt.Key.Key_Return)
    QTest.keyClick(w, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(fake_app.checkout.drafts) == 1)
    assert not co.submit_button.isEnabled()
    assert co.busy.isVisible()
    fake_app.checkout.gate.set()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT)
    assert len(fake_app.checkout.drafts) == 1
    draft = fake_app.checkout.drafts[0]
    assert draft.customer.phone == "6281234567890"
    assert draft.payment_method == "payment_link"


def test_rejected_submit_is_shown(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = _at_checkout(fake_app)
    fake_app.checkout.error = SaleRejected("Nomor HP pelanggan ditolak Scalev.")
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.checkout.error.isVisible())
    assert "ditolak" in w.checkout.error.text()
    assert w.page() == PAGE_CHECKOUT
    assert w.checkout.submit_button.isEnabled()


def test_network_failure_on_submit_is_shown(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = _at_checkout(fake_app)
    fake_app.checkout.error = BackendUnavailable(queued=True)
    w.checkout.submit_button.click()
    qtbot.waitUntil(lambda: w.checkout.error.isVisible())
    assert w.checkout.error.text()
    assert w.page() == PAGE_CHECKOUT
    assert fake_app.controller.cart.count == 1


def test_payment_screen_turns_paid_and_new_sale(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = _charged(fake_app, qtbot)
    pay = w.payment
    assert pay.qr.pixmap() is not None and not pay.qr.pixmap().isNull()
    assert pay.url.text() == "https://demo.scalev.id/o/abc123/success"
    assert pay.status.property("status") == "unpaid"
    qtbot.waitUntil(lambda: fake_app.watcher.watching == [fake_app.checkout.order.id])
    fake_app.watcher.updates.put_nowait(make_order("paid", "confirmed"))
    qtbot.waitUntil(lambda: pay.status.property("status") == "paid")
    assert pay.state() == "paid"
    assert "LUNAS" in pay.status.text()
    qtbot.waitUntil(lambda: not fake_app.runner.is_busy("payment-watch"))
    pay.new_sale_button.click()
    assert w.page() == PAGE_SALE
    assert fake_app.controller.cart.is_empty
    assert w.catalog.search.hasFocus()


def test_canceled_and_check_now(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = _charged(fake_app, qtbot)
    fake_app.watcher.updates.put_nowait(make_order("unpaid", "canceled"))
    qtbot.waitUntil(lambda: w.payment.state() == "closed")
    assert "DIBATALKAN" in w.payment.status.text()
    assert not w.payment.check_button.isEnabled()


def test_check_now_button(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = _charged(fake_app, qtbot)
    w.payment.check_button.click()
    qtbot.waitUntil(lambda: w.payment.state() == "paid")
    assert fake_app.watcher.checks == 1
    qtbot.waitUntil(lambda: not fake_app.runner.is_busy("payment-watch"))


def test_unsafe_payment_url_shows_warning_not_qr(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    fake_app.checkout.order = make_order(payment_url="http://evil.example/pay")
    w = _charged(fake_app, qtbot)
    assert w.payment.qr.pixmap().isNull()
    assert "QR" in w.payment.qr.text()


def test_unreachable_backend_shows_problem_screen(fake_app: FakeApp, qtbot: Any) -> None:
    async def boom(search: str | None = None) -> list[Any]:
        raise APIConnectionError("refused")

    fake_app.catalog.list_stores = boom  # type: ignore[method-assign]
    fake_app.controller.load_stores()
    w = fake_app.window
    qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM)
    assert w.problem.title.text()
    assert w.problem.retry.isVisible()
    del fake_app.catalog.list_stores  # back to the class method
    w.problem.retry.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_SALE)
    qtbot.waitUntil(lambda: w.catalog.model.rowCount() == len(SAMPLE_ITEMS))


def test_keyboard_only_sale(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = fake_app.window
    search = w.catalog.search
    assert search.hasFocus()
    scan(search, "resep")  # the only match → added
    assert fake_app.controller.cart.count == 1
    QTest.keyClick(search, Qt.Key.Key_F2)
    QTest.keyClicks(search, "python")
    qtbot.waitUntil(lambda: w.catalog.model.rowCount() == 3)
    QTest.keyClick(search, Qt.Key.Key_Down)
    assert w.catalog.view.hasFocus()
    QTest.keyClick(w.catalog.view, Qt.Key.Key_Right)
    QTest.keyClick(w.catalog.view, Qt.Key.Key_Return)
    assert fake_app.controller.cart.count == 2
    QTest.keyClick(w.catalog.view, Qt.Key.Key_F9)
    assert w.page() == PAGE_CHECKOUT
    assert w.checkout.name.hasFocus()
    QTest.keyClicks(w.checkout.name, "Budi Santoso")
    QTest.keyClick(w.checkout.name, Qt.Key.Key_Tab)
    QTest.keyClicks(w.focusWidget(), "+62 813-9876-5432")
    QTest.keyClick(w.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClicks(w.focusWidget(), "budi@example.co.id")
    QTest.keyClick(w.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT)
    draft = fake_app.checkout.drafts[0]
    assert draft.customer.phone == "6281398765432"
    assert draft.customer.email == "budi@example.co.id"
    assert len(draft.lines) == 2
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_SALE
    assert fake_app.controller.cart.is_empty


def test_shortcut_sheet_is_non_modal(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = fake_app.window
    QTest.keyClick(w.catalog.search, Qt.Key.Key_F1)
    assert w._sheet is not None and w._sheet.isVisible()
    assert not w._sheet.isModal()
    w._sheet.close()


def test_catalog_model_passes_modeltester(fake_app: FakeApp, qtmodeltester: Any) -> None:
    fake_app.start()
    model = fake_app.window.catalog.model
    qtmodeltester.check(model)
    model.set_filter("python")
    qtmodeltester.check(model)


def test_cart_model_passes_modeltester(fake_app: FakeApp, qtmodeltester: Any) -> None:
    fake_app.start()
    _add(fake_app, 0)
    _add(fake_app, 5)
    qtmodeltester.check(fake_app.window.cart.model)


def test_every_interactive_widget_has_an_accessible_name(fake_app: FakeApp) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    fake_app.start()
    missing = []
    for cls in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView):
        for widget in fake_app.window.findChildren(cls):
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                continue
            internal = widget.objectName().startswith("qt_") or not widget.objectName()
            if internal and isinstance(widget, QAbstractItemView):
                continue  # Qt-internal popups (completer)
            if not widget.accessibleName() and widget.isVisibleTo(fake_app.window):
                missing.append((type(widget).__name__, widget.objectName()))
    assert missing == []


def test_contract_object_names_exist(fake_app: FakeApp) -> None:
    from PySide6.QtWidgets import QWidget

    fake_app.start()
    names = [
        "storeSelector", "catalogSearch", "catalogView", "cartView", "cartTotal",
        "chargeButton", "customerName", "customerPhone", "customerEmail", "paymentMethod",
        "submitOrderButton", "checkoutError", "paymentQr", "paymentUrl", "paymentStatus",
        "newSaleButton",
    ]  # fmt: skip
    w = fake_app.window
    assert w.objectName() == "mainWindow"
    for name in names:
        assert w.findChild(QWidget, name) is not None, name
