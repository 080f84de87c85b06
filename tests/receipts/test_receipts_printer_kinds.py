"""Printer kinds per OS: which exist where, what each setting builds, and that a raw Windows
queue refuses clearly anywhere but Windows (no silent success, the print is kept for a retry)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pos.config import AppSettings, PrinterSettings
from pos.doctor import check_printer
from pos.receipts.printers import (
    FilePrinter,
    NetworkPrinter,
    PrinterError,
    WindowsRawPrinter,
    printer_from_settings,
    printer_kinds,
)


def test_each_kind_builds_its_transport(tmp_path: Path) -> None:
    def build(kind: str, target: str) -> object:
        return printer_from_settings(PrinterSettings(kind=kind, target=target))  # type: ignore[arg-type]

    assert build("network", "10.0.0.9") == NetworkPrinter("10.0.0.9", 9100)
    assert build("usb", "/dev/usb/lp0") == FilePrinter(Path("/dev/usb/lp0"))
    assert build("windows", " POS-58 ") == WindowsRawPrinter("POS-58")
    assert build("file", str(tmp_path / "x.bin")) == FilePrinter(tmp_path / "x.bin")
    assert build("system", "") is None  # drawn and printed by the UI through QPrinter
    assert build("system", "POS-58") is None
    assert build("none", "x") is None


def test_kinds_follow_the_os() -> None:
    assert "usb" in printer_kinds("linux") and "windows" not in printer_kinds("linux")
    assert "windows" in printer_kinds("win32") and "usb" not in printer_kinds("win32")
    assert set(printer_kinds("darwin")) == {"none", "system", "network", "file"}
    assert printer_kinds() == printer_kinds(sys.platform)
    for platform in ("linux", "win32", "darwin"):
        assert printer_kinds(platform)[:2] == ("none", "system")


@pytest.mark.skipif(sys.platform == "win32", reason="checks the refusal outside Windows")
def test_windows_queue_refuses_outside_windows() -> None:
    with pytest.raises(PrinterError, match="Windows only"):
        WindowsRawPrinter("POS-58").send(b"\x1b@hello")


def test_doctor_describes_the_system_printer() -> None:
    ok, text = check_printer(AppSettings(printer=PrinterSettings(kind="system", width=80)))
    assert ok and "OS default printer" in text and "80 mm" in text
    ok, text = check_printer(AppSettings(printer=PrinterSettings(kind="system", target="POS-58")))
    assert ok and "POS-58" in text
