"""Render the checkout with the shipping panel at 1366×768 and 1920×1080 (sandbox data).

Always renders (a blank or tiny grab fails the test); with ``KASIR_SCREENSHOTS=1`` the PNGs go
to ``docs/screenshots/``, otherwise to a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.ui.shipping.shipping_support import (
    COFFEE_STORE,
    GAYO_BIJI_SKU,
    add_by_name,
    choose_courier,
    fill_customer,
    pick_location,
    scan,
    to_checkout,
    wait_quoted,
)
from tests.ui.ui_support import ROOT, SandboxApp


def _out(tmp_path: Path) -> Path:
    if os.environ.get("KASIR_SCREENSHOTS") == "1":
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return tmp_path


def _save(widget: QWidget, path: Path) -> None:
    image = widget.grab().toImage()
    assert image.width() >= 640 and image.height() >= 400
    assert image.save(str(path))


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_render_checkout_with_shipping(
    sandbox_app: SandboxApp, sandbox_server: Any, qtbot: Any, tmp_path: Path, size: Any
) -> None:
    out = _out(tmp_path)
    suffix = f"{size[0]}x{size[1]}"
    app = sandbox_app
    w = app.window
    w.resize(*size)
    app.start(COFFEE_STORE)
    scan(app, GAYO_BIJI_SKU)
    add_by_name(app, qtbot, "paket dua nusantara")
    to_checkout(app)
    co = w.checkout
    panel = co.shipping_panel
    fill_customer(app)

    # typing the kecamatan: results with the city visible
    panel.address.setText("Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03")
    panel.search.setFocus()
    QTest.keyClicks(panel.search, "sukajadi")
    qtbot.waitUntil(lambda: panel.location_model.rowCount() >= 2, timeout=10000)
    qtbot.wait(50)
    _save(w, out / f"checkout-shipping-search-{suffix}.png")

    pick_location(app, qtbot, "cempaka put", "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta")
    qtbot.waitUntil(lambda: panel.postal.count() > 0, timeout=10000)
    panel.postal.setCurrentIndex(0)
    wait_quoted(app, qtbot)
    choose_courier(app, 12)
    panel.couriers.setFocus()
    qtbot.wait(50)
    _save(w, out / f"checkout-shipping-{suffix}.png")

    # a failure: no courier serves Agats (Kab. Asmat)
    pick_location(app, qtbot, "agats", "Agats, Kabupaten Asmat, Papua Selatan")
    wait_quoted(app, qtbot)
    assert panel.error.isVisible()
    qtbot.wait(50)
    _save(w, out / f"checkout-shipping-no-courier-{suffix}.png")

    # the network gone while re-quoting (another payment method): message + Retry, form kept
    pick_location(app, qtbot, "cempaka put", "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta")
    wait_quoted(app, qtbot)
    sandbox_server.stop()
    co.method.setCurrentIndex(co.method.findData("qris"))
    qtbot.waitUntil(lambda: panel.error.property("kind") == "network", timeout=20000)
    qtbot.wait(50)
    _save(w, out / f"checkout-shipping-offline-{suffix}.png")
