"""A physical sale without the mouse, and the panel's automation contract."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QWidget,
)

from tests.ui.shipping.shipping_support import COFFEE_STORE, GAYO_BIJI_SKU, wait_quoted
from tests.ui.ui_support import SandboxApp
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT

CONTRACT = {
    "shippingAddress": QLineEdit,
    "locationSearch": QLineEdit,
    "locationResults": QAbstractItemView,
    "postalCode": QComboBox,
    "warehouseSelector": QComboBox,
    "courierList": QAbstractItemView,
}


def _type(widget: Any, text: str) -> None:
    QTest.keyClicks(widget, text)


def test_keyboard_only_physical_sale(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(COFFEE_STORE)
    w = app.window
    search = w.catalog.search
    assert search.hasFocus()
    _type(search, GAYO_BIJI_SKU)
    QTest.keyClick(search, Qt.Key.Key_Return)
    QTest.keyClick(search, Qt.Key.Key_F9)
    assert w.page() == PAGE_CHECKOUT
    co = w.checkout
    panel = co.shipping_panel
    assert co.name.hasFocus()

    def focused() -> Any:
        return w.focusWidget()

    _type(focused(), "Siti Rahmawati")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    _type(focused(), "0812 3456 7890")
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is co.email
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is co.method
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is co.note
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is panel.address
    _type(focused(), "Jl. Riau No. 5, RT 02/RW 07")
    QTest.keyClick(focused(), Qt.Key.Key_Return)  # Enter in the address moves on
    assert focused() is panel.search
    _type(focused(), "sukajadi")
    # two places share the name; the city tells them apart
    qtbot.waitUntil(lambda: panel.location_model.rowCount() == 2, timeout=10000)
    QTest.keyClick(panel.search, Qt.Key.Key_Down)
    assert focused() is panel.results
    assert panel.results.currentIndex().row() == 0
    QTest.keyClick(panel.results, Qt.Key.Key_Down)
    assert panel.results.currentIndex().data() == "Sukajadi, Kota Pekanbaru, Riau"
    QTest.keyClick(panel.results, Qt.Key.Key_Return)
    ctl = co.shipping
    assert ctl.location is not None and ctl.location.city_name == "Kota Pekanbaru"
    assert focused() is panel.postal
    qtbot.waitUntil(lambda: panel.postal.count() > 0, timeout=10000)
    code = panel.postal.itemText(0)
    _type(focused(), code)
    QTest.keyClick(focused(), Qt.Key.Key_Return)  # on to the couriers
    wait_quoted(app, qtbot)
    assert ctl.postal_code == code
    assert focused() in (panel.warehouse, panel.couriers)
    if focused() is panel.warehouse:
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is panel.couriers
    # arrows through the couriers; nothing is chosen until Enter/Space
    assert ctl.chosen_service_id is None
    QTest.keyClick(panel.couriers, Qt.Key.Key_Down)
    QTest.keyClick(panel.couriers, Qt.Key.Key_Down)
    row = panel.couriers.currentIndex().row()
    assert row == 2 and ctl.chosen_service_id is None
    QTest.keyClick(panel.couriers, Qt.Key.Key_Space)
    second = ctl.couriers[row].courier_service.id
    assert ctl.chosen_service_id == second
    QTest.keyClick(panel.couriers, Qt.Key.Key_Up)
    QTest.keyClick(panel.couriers, Qt.Key.Key_Return)
    first = ctl.couriers[row - 1].courier_service.id
    assert ctl.chosen_service_id == first
    QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is co.submit_button
    QTest.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    body = app.requests()[0]["json"]
    assert body["address"] == "Jl. Riau No. 5, RT 02/RW 07"
    assert body["location_id"] == ctl.location.id
    assert body["postal_code"] == code
    assert body["courier_service_id"] == first
    assert body["customer_phone"] == "6281234567890"


def test_shipping_contract_object_names_and_accessible_names(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    app.start(COFFEE_STORE)
    w = app.window
    for name, cls in CONTRACT.items():
        found = w.findChildren(cls, name)
        assert len(found) == 1, name
        assert found[0].accessibleName(), name
    panel = w.checkout.shipping_panel
    assert panel.error.objectName() == "shippingError"
    interactive = (QLineEdit, QComboBox, QAbstractItemView, QAbstractButton)
    for child in panel.findChildren(QWidget):
        if not isinstance(child, interactive):
            continue
        if child.focusPolicy() == Qt.FocusPolicy.NoFocus or child.parent() is not panel:
            continue
        assert child.accessibleName(), child.objectName()
    # the views hold the display texts the contract promises
    assert panel.results.model() is panel.location_model
    assert panel.couriers.model() is panel.courier_model


def test_bad_postal_code_is_refused_inline(sandbox_app: SandboxApp, qtbot: Any) -> None:
    app = sandbox_app
    app.start(COFFEE_STORE)
    w = app.window
    QTest.keyClicks(w.catalog.search, GAYO_BIJI_SKU)
    QTest.keyClick(w.catalog.search, Qt.Key.Key_Return)
    w.go_checkout()
    co = w.checkout
    panel = co.shipping_panel
    co.name.setText("Budi")
    co.phone.setText("081398765432")
    panel.address.setText("Jl. Melati 3")
    QTest.keyClicks(panel.search, "cempaka put")
    qtbot.waitUntil(lambda: panel.location_model.rowCount() == 1, timeout=10000)
    QTest.keyClick(panel.search, Qt.Key.Key_Return)  # Enter picks the (only) result
    assert co.shipping.location is not None and co.shipping.location.id == 2005
    wait_quoted(app, qtbot)
    QTest.keyClicks(panel.postal, "999")  # no completion: not a code of this list
    QTest.keyClick(panel.postal, Qt.Key.Key_Return)
    assert panel.postal_problem()
    assert "5" in panel.postal_problem()
    panel.couriers.setCurrentIndex(panel.courier_model.index(0, 0))
    panel.couriers.activated.emit(panel.courier_model.index(0, 0))
    co.submit_button.click()
    assert co.error.isVisible()
    assert app.requests() == []
    # a 5-digit code of this kecamatan is fine
    panel.postal.setEditText("10520")
    wait_quoted(app, qtbot)
    assert not panel.postal_problem()
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
    assert app.requests()[0]["json"]["postal_code"] == "10520"
