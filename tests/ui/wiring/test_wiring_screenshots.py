"""Screenshots of the wired counter in Indonesian and English: payment screen (print / PDF /
WhatsApp), settings over the window, the receipt (PDF image), the customer display and the
history. The key widgets must be shown, inside the window and with uncut button texts, and the
payment QR must scan to the order's link; with ``KASIR_SCREENSHOTS=1`` the PNGs go to
``docs/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from pos.config import AppSettings
from tests.config.config_keyring import MemoryKeyring
from tests.ui.ui_support import assert_in_view, qr_texts, screenshot_dir
from tests.ui.wiring.wiring_support import Counter
from ui.common import i18n
from ui.receipts.pdf import render_image

SCREEN = (1366, 768)


def grab(widget: QWidget, path: Path) -> QImage:
    widget.repaint()
    image = widget.grab().toImage()
    assert not image.isNull()
    assert image.save(str(path))
    return image


def over_window(window: QWidget, dialog: QWidget, path: Path) -> None:
    """The dialog centred over the dimmed 1366×768 window, as the cashier sees it."""
    dialog.repaint()
    shot = dialog.grab().toImage()
    canvas = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(canvas)
    painter.fillRect(canvas.rect(), QColor(15, 23, 42, 140))
    painter.drawImage(
        QPoint((canvas.width() - shot.width()) // 2, (canvas.height() - shot.height()) // 2),
        shot,
    )
    painter.end()
    assert shot.width() <= SCREEN[0] and shot.height() <= SCREEN[1]
    assert canvas.save(str(path))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_counter_screens(
    lang: str,
    counter: Counter,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KASIR_LANGUAGE", lang)
    i18n.set_mode(lang)
    out = screenshot_dir(tmp_path)
    counter.start(AppSettings(terminal_name="KASIR-DEPAN", language=lang))  # type: ignore[arg-type]
    counter.choose_store()
    w = counter.window
    w.resize(*SCREEN)
    counter.add()
    counter.add("EBOOK-SEDUH")
    w.set_customer_display(True)
    display = w.customer_display
    assert display is not None
    display.showNormal()
    display.resize(*SCREEN)
    order = counter.sell()
    assert w.payment.whatsapp.isEnabled()
    pay = w.payment
    assert_in_view(w, pay.qr, pay.amount, pay.print_button, pay.pdf_button, pay.whatsapp)
    assert qr_texts(pay.qr, tmp_path) == [order.payment_url]
    assert grab(w, out / f"payment-{lang}-1366x768.png").size().width() == SCREEN[0]
    grab(display, out / f"customer-display-{lang}-1366x768.png")
    assert_in_view(display, display.qr, display.amount, display.order)

    counter.customer_pays(order)
    receipt = w.current_receipt()
    assert receipt.paid and receipt.lang == lang
    image = render_image(receipt, width_mm=58, dpi=203)
    assert image.save(str(out / f"receipt-{lang}.png"))

    counter.open_history(rows=1)
    assert_in_view(w, w.history.table, w.history.detail, w.history.print_button)
    grab(w, out / f"history-{lang}-1366x768.png")
    w.leave_history()

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # a secure keyring, as on a configured laptop
    try:
        dialog = w.open_settings()
    finally:
        keyring.set_keyring(previous)
    qtbot.waitUntil(dialog.isVisible)
    content = dialog.form_scroll.widget()
    dialog.resize(
        max(1000, min(1300, content.sizeHint().width() + 48, SCREEN[0] - 24)),
        min(content.sizeHint().height() + dialog._chrome_height(), SCREEN[1] - 48),
    )
    over_window(w, dialog, out / f"counter-settings-{lang}-1366x768.png")
    dialog.reject()
