"""The customer display at 1366×768: idle, cart, QR and paid.

Always renders; with ``KASIR_SCREENSHOTS=1`` the PNGs go to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ui.common import i18n
from ui.display.customer_display import CustomerDisplay

ROOT = Path(__file__).resolve().parents[3]
LINES = [
    ("E-book Panduan Seduh Manual", 1, 45000),
    ("Kelas Online Barista Pemula", 2, 500000),
    ("Bundel Digital Kopi Lengkap", 1, 199000),
]
TOTAL = 744000


def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("KASIR_SCREENSHOTS") == "1":
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return tmp_path


@pytest.mark.parametrize("mode", ["both", "en"])
def test_render_customer_display(qtbot: Any, tmp_path: Path, mode: str) -> None:
    i18n.set_mode(mode)
    suffix = "1366x768" if mode == "both" else f"{mode}-1366x768"
    out = out_dir(tmp_path)
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
    display.show_cart(LINES, TOTAL)
    save("cart")
    display.show_payment("https://demo.scalev.id/o/abc123/success", TOTAL, "261126KSRDEMO")
    save("qr")
    display.show_paid(TOTAL)
    save("paid")
