"""Render every screen at 1366×768 and 1920×1080.

Each screen's key widgets must be shown, inside the window and with uncut button texts; the
payment QR must scan to the order's payment link; a blank or tiny grab fails. With
``KASIR_SCREENSHOTS=1`` the PNGs go to ``docs/screenshots/`` (the README shows them); otherwise
to a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pos.api.errors import APIConnectionError
from tests.ui.ui_support import (
    FakeApp,
    SandboxApp,
    assert_in_view,
    make_order,
    qr_texts,
    save_screenshot,
    screenshot_dir,
)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_render_every_screen(fake_app: FakeApp, qtbot: Any, tmp_path: Path, size: Any) -> None:
    out = screenshot_dir(tmp_path)
    suffix = f"{size[0]}x{size[1]}"
    w = fake_app.window
    w.resize(*size)

    async def refuse(search: str | None = None) -> list[Any]:
        raise APIConnectionError("connection refused")

    fake_app.catalog.list_stores = refuse  # type: ignore[method-assign]
    fake_app.controller.load_stores()
    qtbot.waitUntil(lambda: w.page() == 3)
    assert_in_view(w, w.problem.title, w.problem.retry, w.problem.settings_button)
    save_screenshot(w, out / f"problem-{suffix}.png")
    del fake_app.catalog.list_stores

    fake_app.start()
    w.problem.retry.click()
    qtbot.waitUntil(lambda: w.page() == 0)
    model = w.catalog.model
    for row in (0, 0, 2, 5):
        w.catalog.view.activated.emit(model.index(row, 0))
    w.notifier.clear()
    w.cart.table.setCurrentIndex(w.cart.model.index(0, 0))

    w.catalog.search.setText("python")
    w.catalog.apply_filter()
    w.catalog.set_progress(48, 120)
    qtbot.wait(50)
    assert_in_view(w, w.catalog.search, w.cart.table, w.cart.total_label, w.cart.charge_button)
    save_screenshot(w, out / f"sale-search-loading-{suffix}.png")
    w.catalog.set_loading(False)
    w.catalog.search.clear()
    w.catalog.apply_filter()

    w.go_checkout()
    co = w.checkout
    co.name.setText("")
    co.phone.setText("12ab")
    co.email.setText("siti@")
    co.submit_button.click()
    qtbot.wait(50)
    assert_in_view(w, co.name, co.phone, co.email, co.back_button, co.submit_button)
    save_screenshot(w, out / f"checkout-errors-{suffix}.png")
    co.name.setText("Siti Rahmawati")
    co.phone.setText("0812-3456-7890")
    co.email.setText("siti.rahmawati@example.co.id")
    co.clear_errors()
    co.set_busy(True)
    qtbot.wait(50)
    assert_in_view(w, co.busy, co.submit_button)
    save_screenshot(w, out / f"checkout-busy-{suffix}.png")
    co.set_busy(False)
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == 2)
    w.notifier.clear()
    w.payment.update_order(make_order("unpaid", "canceled"))
    qtbot.wait(50)
    assert_in_view(w, w.payment.status, w.payment.amount, w.payment.new_sale_button)
    save_screenshot(w, out / f"payment-canceled-{suffix}.png")
    w.show_shortcuts()
    assert w._sheet is not None
    qtbot.wait(50)
    image = w._sheet.grab()
    assert image.save(str(out / f"shortcuts-{suffix}.png"))
    w._sheet.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_render_demo_sale(sandbox_app: SandboxApp, qtbot: Any, tmp_path: Path, size: Any) -> None:
    """The main screens with the sandbox's demo data, as a cashier sees them."""
    out = screenshot_dir(tmp_path)
    suffix = f"{size[0]}x{size[1]}"
    app = sandbox_app
    w = app.window
    w.resize(*size)
    app.start("Toko Kopi Nusantara")
    cat = w.catalog
    for sku in ("EBOOK-SEDUH", "COURSE-BARISTA", "COURSE-BARISTA", "8992884945008"):
        cat.search.setText(sku)
        cat.search.returnPressed.emit()
    w.notifier.clear()
    cat.view.setCurrentIndex(cat.model.index(0, 0))
    qtbot.wait(50)
    assert_in_view(w, cat.search, cat.view, w.cart.table, w.cart.total_label, w.cart.charge_button)
    save_screenshot(w, out / f"sale-{suffix}.png")

    w.go_checkout()
    co = w.checkout
    co.name.setText("Siti Rahmawati")
    co.phone.setText("0812-3456-7890")
    co.email.setText("siti.rahmawati@example.co.id")
    co.note.setText("Titip salam untuk barista")
    qtbot.wait(50)
    assert_in_view(w, co.name, co.phone, co.email, co.note, co.total, co.submit_button)
    save_screenshot(w, out / f"checkout-{suffix}.png")
    w.controller.remove_line(app.controller.cart.lines[-1].item.key)  # the physical one
    co.submit_button.click()
    qtbot.waitUntil(lambda: w.page() == 2, timeout=10000)
    w.notifier.clear()
    qtbot.wait(50)
    order = app.controller.order
    assert order is not None
    assert_in_view(w, w.payment.qr, w.payment.amount, w.payment.order_number, w.payment.status)
    assert qr_texts(w.payment.qr, tmp_path) == [order.payment_url]
    save_screenshot(w, out / f"payment-waiting-{suffix}.png")
    app.control("POST", f"/__sandbox/orders/{order.id}/pay")
    qtbot.waitUntil(lambda: w.payment.state() == "paid", timeout=3000)
    qtbot.wait(50)
    assert_in_view(w, w.payment.status, w.payment.print_button, w.payment.new_sale_button)
    save_screenshot(w, out / f"payment-paid-{suffix}.png")
