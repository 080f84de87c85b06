"""Issue 6 wired into the running app: settings, receipts, customer display, WhatsApp."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos.config import AppSettings, load_settings
from pos.receipts.escpos import render_escpos
from pos.receipts.queue import PrintQueue
from tests.ui.wiring.wiring_support import Counter, file_printer
from ui.main_window import PAGE_PAYMENT, PAGE_PROBLEM, PAGE_SALE


def test_settings_button_opens_the_dialog_and_the_terminal_reaches_the_next_order(
    counter: Counter, qtbot: Any
) -> None:
    counter.start()
    counter.choose_store()
    w = counter.window
    assert w.findChild(type(w.settings_button), "settingsButton") is w.settings_button
    QTest.mouseClick(w.settings_button, Qt.MouseButton.LeftButton)
    dialog = w.settings_dialog()
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    assert dialog.terminal.text() == "KASIR-01"
    dialog.terminal.setText("KASIR-DEPAN")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.settings_dialog() is None)
    assert load_settings(counter.config_dir).terminal_name == "KASIR-DEPAN"
    assert "KASIR-DEPAN" not in json.dumps(counter.order_posts())

    counter.add()
    counter.sell()
    body = counter.order_posts()[-1]["json"]
    assert body["metadata"]["terminal"] == "KASIR-DEPAN"

    # F10 opens it too; the problem screen (unreachable / 401) has its own button
    w.new_sale()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    QTest.keyClick(w, Qt.Key.Key_F10)
    assert w.settings_dialog() is not None
    w.settings_dialog().reject()
    qtbot.waitUntil(lambda: w.settings_dialog() is None)
    w.show_problem("auth", "HTTP 401")
    assert w.page() == PAGE_PROBLEM
    QTest.mouseClick(w.problem.settings_button, Qt.MouseButton.LeftButton)
    assert w.settings_dialog() is not None
    w.settings_dialog().reject()


def test_a_backend_change_asks_for_a_restart(counter: Counter, qtbot: Any) -> None:
    counter.start()
    w = counter.window
    dialog = w.open_settings()
    dialog.backend.setCurrentIndex(dialog.backend.findData("scalev"))
    dialog.base_url.setText("https://api.scalev.com")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.settings_dialog() is None)
    assert "Kasir" in w.banner.text() and "/" in w.banner.text()
    assert "Tutup dan buka lagi Kasir" in w.banner.text()


def test_print_receipt_to_a_file_printer_writes_the_escpos_bytes(
    counter: Counter, qtbot: Any
) -> None:
    out = counter.root / "struk.bin"
    counter.start(AppSettings(printer=file_printer(out, 80)))
    counter.choose_store()
    counter.add()
    order = counter.sell()
    w = counter.window
    assert w.payment.print_button.isEnabled()
    QTest.mouseClick(w.payment.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(out.exists, timeout=10000)
    qtbot.waitUntil(lambda: "dicetak" in w.banner.text())
    receipt = w.current_receipt()
    assert receipt.order_number == order.order_id
    assert [(ln.name, ln.quantity) for ln in receipt.lines] == [
        (ln.item.name, ln.quantity) for ln in counter.controller.cart.lines
    ]
    assert receipt.total == int(order.gross_revenue)
    assert out.read_bytes() == render_escpos(receipt, 80)
    assert not w.reprint_button.isVisible()


def test_a_failing_printer_queues_the_receipt_and_the_sale_goes_on(
    counter: Counter, qtbot: Any
) -> None:
    broken = counter.root / "no-such-folder" / "printer"
    counter.start(AppSettings(printer=file_printer(broken)))
    counter.choose_store()
    counter.add()
    counter.sell()
    w = counter.window
    w.print_receipt()
    qtbot.waitUntil(lambda: w.reprint_button.isVisible(), timeout=10000)
    assert "cetak ulang" in w.banner.text().lower()
    assert w.reprint_button.text().endswith("(1)")
    queue = PrintQueue.in_dir(counter.data_dir)
    assert len(queue) == 1
    # the sale screen stays usable
    QTest.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.page() == PAGE_SALE
    counter.add()
    assert counter.controller.cart.count == 1 or len(counter.controller.cart.lines) == 1

    # the printer is back: "Retry prints" prints the kept receipt
    fixed = counter.root / "fixed.bin"
    w.apply_settings(AppSettings(printer=file_printer(fixed)))
    QTest.mouseClick(w.reprint_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not w.reprint_button.isVisible(), timeout=10000)
    assert fixed.read_bytes().startswith(b"\x1b@")
    assert len(queue) == 0


def test_save_pdf_writes_into_the_receipts_folder(counter: Counter, qtbot: Any) -> None:
    order = counter.first_sale()
    w = counter.window
    QTest.mouseClick(w.payment.pdf_button, Qt.MouseButton.LeftButton)
    path = counter.data_dir / "receipts" / f"struk-{order.order_id}.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    assert str(path) in w.banner.text()


def test_history_row_prints_and_saves_the_receipt(counter: Counter, qtbot: Any) -> None:
    order = counter.first_sale()
    w = counter.window
    history = counter.open_history(rows=1)
    assert history.pdf_button.isEnabled() and history.whatsapp.isEnabled()
    QTest.mouseClick(history.pdf_button, Qt.MouseButton.LeftButton)
    assert (counter.data_dir / "receipts" / f"struk-{order.order_id}.pdf").is_file()
    QTest.mouseClick(history.print_button, Qt.MouseButton.LeftButton)
    assert "printer" in w.banner.text().lower()  # none configured: says where to set one


def test_customer_display_follows_the_cart_and_the_payment(counter: Counter, qtbot: Any) -> None:
    counter.start()
    counter.choose_store()
    w = counter.window
    QTest.mouseClick(w.display_button, Qt.MouseButton.LeftButton)
    display = w.customer_display
    assert display is not None and display.isVisible() and w.display_button.isChecked()
    assert display.state() == "idle"
    counter.add()
    assert display.state() == "cart"
    order = counter.sell()
    assert display.state() == "payment"
    assert display.qr_url() == order.payment_url
    counter.control("POST", f"/__sandbox/orders/{order.id}/pay")
    qtbot.waitUntil(lambda: display.state() == "paid", timeout=10000)
    qtbot.waitUntil(lambda: w.payment.state() == "paid")
    w.new_sale()
    assert display.state() == "idle"
    # toggled off, and closed with the main window
    QTest.mouseClick(w.display_button, Qt.MouseButton.LeftButton)
    assert w.customer_display is None and not display.isVisible()
    w.set_customer_display(True)
    display = w.customer_display
    assert display is not None and display.isVisible()
    w.close()
    assert w.customer_display is None and not display.isVisible()


def test_whatsapp_link_on_the_payment_screen(counter: Counter, qtbot: Any) -> None:
    order = counter.first_sale(phone="0812-3456-7890")
    w = counter.window
    button = w.payment.whatsapp
    assert button.isEnabled() and button.isVisible()
    link = button.link()
    assert link is not None and link.startswith("https://wa.me/6281234567890?text=")
    text = unquote(link.split("?text=", 1)[1])
    assert order.order_id in text and order.payment_url in text and "Siti Rahmawati" in text
    assert w.payment.copy_button.isEnabled()
    QTest.mouseClick(w.payment.copy_button, Qt.MouseButton.LeftButton)
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == order.payment_url
    assert w.page() == PAGE_PAYMENT


def test_the_api_key_is_in_no_file_kasir_wrote(counter: Counter, qtbot: Any) -> None:
    """A sale as a Scalev backend (not demo mode) with a key the sandbox accepts, a print, a
    PDF, logs on: the key is in none of the files under the config, data and log folders."""
    import logging

    from pos.logs import setup_logging, teardown_logging
    from pos.sandbox import DEMO_API_KEY

    key = DEMO_API_KEY
    setup_logging(counter.log_dir, level=logging.DEBUG)
    try:
        out = counter.data_dir / "printer.bin"
        counter.start(AppSettings(backend="scalev", printer=file_printer(out)), api_key=key)
        assert not counter.window.demo_badge.isVisible()
        counter.choose_store()
        counter.add()
        counter.sell()
        w = counter.window
        w.print_receipt()
        w.save_receipt_pdf()
        qtbot.waitUntil(out.exists, timeout=10000)
        logging.getLogger("kasir.test").warning("a careless line with the key %s", key)
        w.new_sale()
        counter.stop()
    finally:
        teardown_logging()
    files = [p for d in (counter.root,) for p in d.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files)
    assert any(p.suffix == ".sqlite3" for p in files)
    hits = [str(p) for p in files if key.encode() in p.read_bytes()]
    assert hits == []
    assert "***" in (counter.log_dir / "kasir.log").read_text(encoding="utf-8")


def test_a_stuck_printer_never_blocks_the_sale_screen(counter: Counter, qtbot: Any) -> None:
    """The printer is a FIFO nobody reads: the print hangs in its worker thread while the
    cashier starts the next sale; once the printer "wakes up" the receipt comes out whole."""
    import os

    fifo = counter.root / "stuck-printer"
    os.mkfifo(fifo)
    counter.start(AppSettings(printer=file_printer(fifo)))
    counter.choose_store()
    counter.add()
    counter.sell()
    w = counter.window
    expected = render_escpos(w.current_receipt(), 58)
    w.print_receipt()
    reader = -1
    try:
        assert any(k.startswith("receipt-print") for k in list(w.receipts.runner._tasks))
        # the UI goes on while the print is stuck
        w.new_sale()
        assert w.page() == PAGE_SALE
        counter.add()
        w.go_checkout()
        w.go_sale()
        assert len(counter.controller.cart.lines) == 1
    finally:
        # the printer wakes up (also when an assert failed: never leave the thread stuck)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        received = bytearray()

        def drained() -> bool:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                chunk = b""
            received.extend(chunk)
            return len(received) >= len(expected)

        qtbot.waitUntil(drained, timeout=10000)
    finally:
        qtbot.waitUntil(lambda: "dicetak" in w.banner.text(), timeout=10000)
        os.close(reader)
    assert bytes(received) == expected


def test_scalev_without_a_key_runs_demo_and_says_how_to_fix_it(
    counter: Counter, monkeypatch: Any
) -> None:
    from ui.app import Config, apply_saved_settings

    monkeypatch.delenv("KASIR_API_KEY", raising=False)
    from pos.config import save_settings

    save_settings(AppSettings(backend="scalev"), counter.config_dir)
    import keyring

    from tests.config.config_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # a secure keyring without a key for this URL
    try:
        config = apply_saved_settings(
            Config(data_dir=counter.data_dir, config_dir=counter.config_dir), env={}
        )
    finally:
        keyring.set_keyring(previous)
    assert config.api_key is None and config.demo  # no key anywhere: demo, never a file
    counter.start(AppSettings(backend="scalev"))
    w = counter.window
    assert w.demo_badge.isVisible()
    assert "F10" in w.banner.text() and "keyring" in w.banner.text()


def test_start_up_takes_the_key_from_the_env_first_then_the_keyring(
    tmp_path: Path, monkeypatch: Any
) -> None:
    import keyring

    from pos.config import SecretStore, save_settings
    from tests.config.config_keyring import MemoryKeyring
    from ui.app import Config, apply_saved_settings

    save_settings(AppSettings(backend="scalev", base_url="https://api.example.test"), tmp_path)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        SecretStore().set("https://api.example.test", "sk_live_from_keyring")
        config = apply_saved_settings(Config(config_dir=tmp_path), env={})
        assert config.api_key == "sk_live_from_keyring"
        assert config.base_url == "https://api.example.test" and not config.demo
        env = {"KASIR_API_KEY": "sk_live_from_env"}
        config = apply_saved_settings(Config(config_dir=tmp_path), env=env)
        assert config.api_key == "sk_live_from_env"
        assert apply_saved_settings(Config(config_dir=tmp_path, api_key="sk_flag")).api_key == (
            "sk_flag"
        )
    finally:
        keyring.set_keyring(previous)
    assert "sk_live" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
