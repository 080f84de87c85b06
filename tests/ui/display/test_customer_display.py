"""The customer display (ui/display/customer_display.py) follows the cart, then the payment QR
(which decodes to the payment URL), then the paid state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from tests.ui.ui_support import qr_texts
from ui.display.customer_display import CustomerDisplay

PAY_URL = "https://demo.scalev.id/o/abc123/success"
LINES = [
    ("E-book Panduan Seduh Manual", 1, 45000),
    ("Kelas Online Barista Pemula", 2, 1000000),
]


def make_display(qtbot: Any, **kw: Any) -> CustomerDisplay:
    display = CustomerDisplay("Toko Kopi Nusantara", **kw)
    qtbot.addWidget(display)
    display.resize(1366, 768)
    display.show()
    qtbot.waitExposed(display)
    return display


def texts(display: CustomerDisplay) -> list[list[str]]:
    table = display.lines
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_contract_names(qtbot: Any) -> None:
    display = make_display(qtbot)
    assert display.objectName() == "customerDisplay"
    assert display.isWindow()
    for name in ("customerDisplayTotal", "customerDisplayQr", "customerDisplayStatus"):
        widget = display.findChild(QLabel, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert display.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert display.store.text() == "Toko Kopi Nusantara"


def test_idle_then_cart_as_it_changes(qtbot: Any) -> None:
    display = make_display(qtbot)
    assert display.state() == "idle"
    assert "Selamat datang" in display.status.text()
    assert display.status.property("state") == "idle"
    assert not display.total_bar.isVisible()

    display.show_cart(LINES[:1], 45000)
    assert display.state() == "cart"
    assert texts(display) == [["E-book Panduan Seduh Manual", "1 ×", "Rp45.000"]]
    assert display.total.text() == "Rp45.000"
    assert display.total_bar.isVisible()

    display.show_cart(LINES, 1045000)
    assert texts(display)[1] == ["Kelas Online Barista Pemula", "2 ×", "Rp1.000.000"]
    assert display.total.text() == "Rp1.045.000"
    assert "3" in display.count.text()

    display.show_cart([], 0)
    assert texts(display) == []
    assert display.total.text() == "Rp0"

    display.show_idle()
    assert display.state() == "idle"
    assert texts(display) == []


def test_payment_qr_decodes_to_the_url_then_paid(qtbot: Any, tmp_path: Path) -> None:
    display = make_display(qtbot)
    display.show_cart(LINES, 1045000)
    display.show_payment(PAY_URL, 1045000, "261126KSRDEMO")
    qtbot.wait(20)
    assert display.state() == "payment"
    assert display.status.property("state") == "payment"
    assert display.amount.text() == "Rp1.045.000"
    assert display.total.text() == "Rp1.045.000"
    assert "261126KSRDEMO" in display.order.text()
    assert display.qr_url() == PAY_URL
    pixmap = display.qr.pixmap()
    assert pixmap.width() >= 300  # big enough to scan across a counter
    assert qr_texts(display.qr, tmp_path) == [PAY_URL]

    display.show_paid(1045000)
    assert display.state() == "paid"
    status = display.status.text()
    assert "LUNAS" in status and "PAID" in status and "Terima kasih!" in status
    assert display.total.text() == "Rp1.045.000"
    assert display.qr_url() is None
    assert qr_texts(display.qr, tmp_path) == []

    display.show_idle()
    assert display.state() == "idle"


def test_qr_follows_the_window_size(qtbot: Any, tmp_path: Path) -> None:
    display = make_display(qtbot)
    display.show_payment(PAY_URL, 5000, "X1")
    qtbot.wait(20)
    big = display.qr.pixmap().width()
    display.resize(800, 600)
    qtbot.waitUntil(lambda: display.qr.pixmap().width() < big)
    assert qr_texts(display.qr, tmp_path) == [PAY_URL]


def test_canceled(qtbot: Any) -> None:
    display = make_display(qtbot)
    display.show_payment(PAY_URL, 5000, "X1")
    display.show_canceled()
    assert display.state() == "canceled"
    assert "dibatalkan" in display.status.text()
    assert display.qr_url() is None


def test_no_qr_for_an_insecure_url(qtbot: Any, tmp_path: Path) -> None:
    display = make_display(qtbot)
    display.show_payment("http://pay.example.com/o/1", 5000, "X1")
    assert display.qr_url() is None
    assert display.qr.property("warning") is True
    assert "kasir" in display.qr.text()
    assert qr_texts(display.qr, tmp_path) == []


def test_demo_sandbox_origin_gets_a_qr(qtbot: Any, tmp_path: Path) -> None:
    origin = "http://127.0.0.1:8765"
    display = make_display(qtbot, sandbox_origin=origin)
    display.show_payment(origin + "/o/abc/success", 5000, "X1")
    qtbot.wait(20)
    assert qr_texts(display.qr, tmp_path) == [origin + "/o/abc/success"]


def test_show_on_screen(qtbot: Any) -> None:
    display = CustomerDisplay("Toko")
    qtbot.addWidget(display)
    screens = QGuiApplication.screens()
    # no such screen: a normal window on the primary screen
    assert display.show_on_screen(len(screens)) is False
    assert display.isVisible() and not display.isFullScreen()
    # an existing screen: fullscreen on it
    assert display.show_on_screen(len(screens) - 1) is True
    qtbot.waitUntil(display.isFullScreen)
    assert display.screen() is screens[-1]


def test_does_not_keep_the_app_alive(qtbot: Any) -> None:
    display = make_display(qtbot)
    assert not display.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)
