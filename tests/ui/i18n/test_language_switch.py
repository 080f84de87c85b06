"""Languages: "system" follows the locale; a switch in the settings re-renders the open
windows in place and keeps the cart."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest

from tests.ui.wiring.wiring_support import Counter
from ui.common import i18n
from ui.common.i18n import resolve_mode, set_mode, tr, translate_text
from ui.main_window import PAGE_SALE


def test_system_language_follows_the_locale() -> None:
    indonesian = QLocale.system().language() == QLocale.Language.Indonesian
    assert resolve_mode("system") == ("id" if indonesian else "en")
    assert resolve_mode(None) == resolve_mode("system")
    assert [resolve_mode(x) for x in ("id", "en", "both")] == ["id", "en", "both"]


def test_translate_text_never_rewrites_data() -> None:
    mode = i18n.mode()
    try:
        set_mode("id")
        store = tr("Toko", "Store")
        assert translate_text(store, "id", "en") == "Store"
        assert translate_text("F1 " + tr("Bantuan", "Help"), "id", "en") == "F1 Help"
        assert translate_text("Toko Kopi Nusantara", "id", "en") == "Toko Kopi Nusantara"
        assert translate_text("Rp150.000", "id", "en") == "Rp150.000"
    finally:
        set_mode(mode)


def test_switching_id_to_en_changes_the_texts_and_keeps_the_cart(
    counter: Counter, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KASIR_LANGUAGE", raising=False)
    set_mode("id")
    counter.start()
    counter.choose_store()
    w = counter.window
    counter.add()
    counter.add("EBOOK-SEDUH")
    lines_before = [(ln.item.key, ln.quantity) for ln in counter.controller.cart.lines]
    assert w.history_button.text() == "F4 Riwayat"
    assert w.settings_button.text() == "F10 Pengaturan"
    assert w.display_button.text() == "Layar pelanggan"
    w.set_customer_display(True)
    assert w.customer_display is not None
    assert w.customer_display.windowTitle() == "Kasir — Layar pelanggan"

    dialog = w.open_settings()
    assert dialog.windowTitle() == "Pengaturan"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.settings_dialog() is None)

    assert i18n.mode() == "en"
    assert w.history_button.text() == "F4 History"
    assert w.settings_button.text() == "F10 Settings"
    assert w.display_button.text() == "Customer display"
    assert w.store_selector.lineEdit().placeholderText() == "Search store…"
    assert w.customer_display.windowTitle() == "Kasir — Customer display"
    assert w.banner.text() == "Settings saved."
    # the cart, its total and the page are untouched; the store name (data) too
    assert [(ln.item.key, ln.quantity) for ln in counter.controller.cart.lines] == lines_before
    assert w.page() == PAGE_SALE
    assert w.store_selector.currentText() == "Toko Kopi Nusantara"
    assert w.cart.total_label.text().startswith("Rp")
    # texts made after the switch are English too, and the sale goes on
    w.go_checkout()
    order = counter.sell()
    assert order is not None
    assert w.payment.print_button.text().startswith("Print receipt")
    assert w.payment.status.text() == "Waiting for payment…"
