"""Settings show the printer kinds and keyring help of the running OS: a USB device node only
on Linux, a raw Windows printer only on Windows, the OS print system everywhere; apt only in
the Linux keyring help."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pos.config import AppSettings, PrinterSettings, load_settings
from pos.receipts.printers import target_example
from tests.ui.settings.settings_support import OpenDialog, choose
from ui.settings.connection import keyring_help
from ui.settings.printer import printer_kind_items


def kinds(platform: str) -> list[str]:
    return [kind for _label, kind in printer_kind_items(platform)]


def test_printer_kinds_per_os() -> None:
    assert kinds("linux") == ["none", "system", "network", "usb", "file"]
    assert kinds("win32") == ["none", "system", "network", "windows", "file"]
    assert kinds("darwin") == ["none", "system", "network", "file"]


def test_examples_per_os() -> None:
    assert target_example("usb", "linux") == "/dev/usb/lp0"
    assert target_example("file", "win32").startswith("C:\\")
    assert target_example("file", "darwin").startswith("/Users/")
    assert target_example("windows", "win32") == "POS-58"
    assert target_example("system", "win32") == ""


def test_keyring_help_per_os() -> None:
    linux = keyring_help("fail.Keyring", "LINUX TEXT", "linux")
    windows = keyring_help("fail.Keyring", "LINUX TEXT", "win32")
    mac = keyring_help("fail.Keyring", "LINUX TEXT", "darwin")
    assert "apt install gnome-keyring" in linux and "LINUX TEXT" in linux
    assert "Credential Manager" in windows and "apt" not in windows and "GNOME" not in windows
    assert "Keychain" in mac and "apt" not in mac and "GNOME" not in mac
    for text in (linux, windows, mac):
        assert "KASIR_API_KEY" in text and "fail.Keyring" in text


def test_dialog_offers_this_os_kinds_and_saves_the_default_system_printer(
    open_dialog: OpenDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sys.platform
    monkeypatch.setattr(sys, "platform", "win32")
    dialog = open_dialog()
    monkeypatch.setattr(sys, "platform", real)
    combo = dialog.printer_kind
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == kinds("win32") and "usb" not in offered
    choose(combo, "windows")
    assert dialog.printer_target.placeholderText() == "POS-58"
    choose(combo, "system")
    assert "default printer" in dialog.printer_target.placeholderText()
    dialog.printer_target.clear()
    choose(dialog.paper_width, 80)
    saved = dialog.current_settings()  # "" = the OS default printer: no address needed
    assert saved.printer == PrinterSettings(kind="system", target="", width=80)


def test_system_and_windows_kinds_survive_a_save(tmp_path: Path) -> None:
    from pos.config import save_settings

    for kind in ("system", "windows"):
        save_settings(AppSettings(printer=PrinterSettings(kind=kind, target="POS-58")), tmp_path)
        assert load_settings(tmp_path).printer.kind == kind


def test_lan_demo_setting_round_trip_and_restart(open_dialog: OpenDialog, tmp_path: Path) -> None:
    from ui.settings.counter import Counter

    dialog = open_dialog()
    assert dialog.demo_lan.isEnabled() and not dialog.demo_lan.isChecked()
    dialog.demo_lan.setChecked(True)
    saved = dialog.current_settings()
    assert saved.demo_lan is True
    choose(dialog.backend, "scalev")
    assert not dialog.demo_lan.isEnabled()  # only the demo sandbox can serve phones

    running = Counter(AppSettings(), demo=True)
    assert running.backend_changed(saved, key_typed=False)  # the sandbox must listen again
    assert not running.backend_changed(AppSettings(), key_typed=False)
    assert AppSettings.from_dict(saved.to_dict()).demo_lan is True
    assert AppSettings.from_dict({"demo_lan": "yes"}).demo_lan is False  # only a real true


def test_saved_lan_setting_starts_the_sandbox_on_the_lan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import Config, start_sandbox

    monkeypatch.delenv("KASIR_DEMO_LAN", raising=False)
    config = Config(data_dir=tmp_path / "data", app_settings=AppSettings(demo_lan=True))
    sandbox = start_sandbox(config)
    try:
        assert sandbox.lan and sandbox._sock.getsockname()[0] == "0.0.0.0"
    finally:
        sandbox.stop()
    config = Config(data_dir=tmp_path / "data", app_settings=AppSettings())
    sandbox = start_sandbox(config)
    try:
        assert not sandbox.lan and sandbox._sock.getsockname()[0] == "127.0.0.1"
    finally:
        sandbox.stop()
