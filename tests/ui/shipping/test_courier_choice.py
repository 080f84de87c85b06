"""The courier list shows no courier as chosen before the cashier chooses one (the cursor is
an outline, not a selection), and "Choose a courier" goes once one is chosen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.ui.shipping.shipping_support import (
    COFFEE_STORE,
    GAYO_BIJI_SKU,
    checkout_for,
    pick_location,
    wait_quoted,
)
from tests.ui.ui_support import SandboxApp

CEMPAKA_PUTIH = "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"


def test_first_courier_is_not_shown_chosen_and_the_error_goes_once_one_is(
    sandbox_app: SandboxApp, qtbot: Any
) -> None:
    app = sandbox_app
    co = checkout_for(app, COFFEE_STORE, GAYO_BIJI_SKU)
    panel = co.shipping_panel
    panel.address.setText("Jl. Cempaka Putih Tengah No. 17")
    pick_location(app, qtbot, "cempaka put", CEMPAKA_PUTIH)
    wait_quoted(app, qtbot)
    model = panel.courier_model
    assert model.rowCount() >= 2
    assert panel.couriers.currentIndex().row() == 0  # the cursor, for ↑/↓ and Enter
    assert panel.couriers.selectionModel().selectedIndexes() == []
    checked = [
        model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        for r in range(model.rowCount())
    ]
    assert checked == [False] * model.rowCount()
    # what the cashier sees: row 0 has the same background as row 1 (no highlight)
    image = panel.couriers.viewport().grab().toImage()
    first = panel.couriers.visualRect(model.index(0, 0))
    second = panel.couriers.visualRect(model.index(1, 0))
    x = image.width() - 8  # right of the cost, inside the row
    assert image.pixelColor(x, first.bottom() - 3).isValid()
    assert image.pixelColor(x, first.bottom() - 3) == image.pixelColor(x, second.bottom() - 3)

    co.submit()
    assert "kurir" in co.error.text().lower() and co.error.isVisible()
    assert panel.couriers.hasFocus()
    QTest.keyClick(panel.couriers, Qt.Key.Key_Down)
    QTest.keyClick(panel.couriers, Qt.Key.Key_Return)  # choose the second courier
    qtbot.waitUntil(lambda: co.shipping.chosen_result() is not None, timeout=5000)
    assert model.index(1, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not co.error.isVisible() and co.error.text() == ""
    image = panel.couriers.viewport().grab().toImage()
    chosen_bg = image.pixelColor(x, second.bottom() - 3)
    assert chosen_bg != image.pixelColor(x, first.bottom() - 3)  # the chosen row is tinted
