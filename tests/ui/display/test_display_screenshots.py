"""The customer display at 1366×768: idle, cart, QR and paid.

Each state's key labels must be shown inside the screen and the QR must scan to the payment
link from the whole screen; with ``KASIR_SCREENSHOTS=1`` the PNGs go to ``docs/screenshots/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ui.ui_support import assert_in_view, qr_texts, screenshot_dir
from ui.common import i18n
from ui.display.customer_display import CustomerDisplay

LINES = [
    ("E-book Panduan Seduh Manual", 1, 45000),
    ("Kelas Online Barista Pemula", 2, 500000),
    ("Bundel Digital Kopi Lengkap", 1, 199000),
]
TOTAL = 744000
URL = "https://demo.scalev.id/o/abc123/success"


@pytest.mark.parametrize("mode", ["both", "en"])
def test_render_customer_display(qtbot: Any, tmp_path: Path, mode: str) -> None:
    i18n.set_mode(mode)
    suffix = "1366x768" if mode == "both" else f"{mode}-1366x768"
    out = screenshot_dir(tmp_path)
    display = CustomerDisplay("Toko Kopi Nusantara")
    qtbot.addWidget(display)
    display.resize(1366, 768)
    display.show()
    qtbot.waitExposed(display)

    def save(name: str) -> None:
        qtbot.wait(20)
        image = display.grab().toImage()
        assert (image.width(), image.height()) == (1366, 768)
        assert image.save(str(out / f"customer-display-{name}-{suffix}.png"))

    save("idle")
    assert_in_view(display, display.store, display.status, display.welcome)
    display.show_cart(LINES, TOTAL)
    save("cart")
    assert_in_view(display, display.lines, display.count, display.total)
    display.show_payment(URL, TOTAL, "261126KSRDEMO")
    save("qr")
    assert_in_view(display, display.qr, display.amount, display.order)
    assert qr_texts(display, tmp_path) == [URL]  # a phone scans the whole screen
    display.show_paid(TOTAL)
    save("paid")
    assert_in_view(display, display.status)
