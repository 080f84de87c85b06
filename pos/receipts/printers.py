"""Printer transports for raw ESC/POS bytes, and which printer kinds each OS offers.

* ``network``: raw TCP ("JetDirect", port 9100) — every OS.
* ``usb``: the printer's device node; on Linux the kernel ``usblp`` driver gives
  ``/dev/usb/lp0`` (add the user to the ``lp`` group). Linux only: Windows and macOS have no
  such node for a USB printer.
* ``windows``: a printer installed in Windows (its queue name, e.g. ``POS-58``), fed raw bytes
  through the spooler (``winspool``: a ``RAW`` document), as thermal-printer drivers expect.
* ``file``: appended to a file (tests, debugging).
* ``system``: not raw — the receipt is drawn and printed through the OS print system (Qt's
  ``QPrinter``: CUPS, the Windows spooler, macOS printing) on any printer with a driver; the
  UI does that (``ui/receipts/printing.py``), so :func:`printer_from_settings` returns ``None``.

No pyusb/libusb or pywin32 dependency is used (``ctypes`` on Windows).
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pos.config import PrinterSettings

DEFAULT_PORT = 9100


class PrinterError(Exception):
    """The printer could not take the receipt (offline, refused, no paper path, …)."""


class Printer(Protocol):
    def send(self, data: bytes) -> None:
        """Deliver ``data``; raise :class:`PrinterError` (or OSError) on failure."""
        ...

    def describe(self) -> str: ...


def parse_host_port(target: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``"192.168.1.50"`` / ``"printer.lan:9100"`` / ``"[fe80::1]:9100"`` -> (host, port)."""
    target = target.strip()
    if not target:
        raise ValueError("printer address is empty")
    if target.startswith("["):
        host, _, rest = target[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif target.count(":") == 1:
        host, _, port_text = target.partition(":")
    else:
        host, port_text = target, ""
    port = int(port_text) if port_text else default_port
    if not host or not 0 < port < 65536:
        raise ValueError(f"bad printer address {target!r}")
    return host, port


@dataclass(frozen=True)
class NetworkPrinter:
    """Raw TCP ("JetDirect", port 9100)."""

    host: str
    port: int = DEFAULT_PORT
    timeout: float = 5.0

    def send(self, data: bytes) -> None:
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as sock:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
        except OSError as exc:
            raise PrinterError(f"{self.describe()}: {type(exc).__name__}: {exc}") from exc

    def describe(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def check(self, timeout: float = 2.0) -> None:
        """Connect and close without printing; raises :class:`PrinterError`."""
        try:
            with socket.create_connection((self.host, self.port), timeout=timeout):
                pass
        except OSError as exc:
            raise PrinterError(f"{self.describe()}: {type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class FilePrinter:
    """A file (appended to) or a device node such as ``/dev/usb/lp0``."""

    path: Path

    def send(self, data: bytes) -> None:
        try:
            with open(self.path, "ab") as fh:
                fh.write(data)
                fh.flush()
        except OSError as exc:
            raise PrinterError(f"{self.describe()}: {type(exc).__name__}: {exc}") from exc

    def describe(self) -> str:
        return str(self.path)

    def check(self) -> None:
        """Writable without writing: existing path writable, or its folder writable."""
        p = self.path
        ok = (
            os.access(p, os.W_OK)
            if p.exists()
            else p.parent.is_dir() and os.access(p.parent, os.W_OK)
        )
        if not ok:
            raise PrinterError(f"{self.describe()}: not writable")


@dataclass(frozen=True)
class WindowsRawPrinter:
    """A Windows printer queue fed raw bytes (``winspool``: OpenPrinter, a ``RAW`` document,
    WritePrinter). Windows only."""

    name: str

    def send(self, data: bytes) -> None:
        if sys.platform != "win32":
            raise PrinterError(f"{self.describe()}: Windows printers exist on Windows only")
        try:
            _winspool_write(self.name, data)
        except OSError as exc:
            raise PrinterError(f"{self.describe()}: {exc}") from exc

    def describe(self) -> str:
        return f"windows:{self.name}"


def _winspool_write(name: str, data: bytes) -> None:  # pragma: no cover - Windows only
    from ctypes import wintypes

    class DocInfo1(ctypes.Structure):
        _fields_ = [
            ("pDocName", wintypes.LPWSTR),
            ("pOutputFile", wintypes.LPWSTR),
            ("pDatatype", wintypes.LPWSTR),
        ]

    winspool: Any = ctypes.WinDLL("winspool.drv", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = wintypes.HANDLE()
    if not winspool.OpenPrinterW(name, ctypes.byref(handle), None):
        raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined,unused-ignore]
    try:
        doc = DocInfo1("Kasir receipt", None, "RAW")
        if not winspool.StartDocPrinterW(handle, 1, ctypes.byref(doc)):
            raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined,unused-ignore]
        try:
            winspool.StartPagePrinter(handle)
            written = wintypes.DWORD()
            ok = winspool.WritePrinter(handle, data, len(data), ctypes.byref(written))
            winspool.EndPagePrinter(handle)
            if not ok or written.value != len(data):
                raise ctypes.WinError(ctypes.get_last_error())  # type: ignore[attr-defined,unused-ignore]
        finally:
            winspool.EndDocPrinter(handle)
    finally:
        winspool.ClosePrinter(handle)


#: the printer kinds offered on each OS, in the settings' order
KINDS: dict[str, tuple[str, ...]] = {
    "linux": ("none", "system", "network", "usb", "file"),
    "win32": ("none", "system", "network", "windows", "file"),
    "darwin": ("none", "system", "network", "file"),
}


def _os(platform: str | None) -> str:
    platform = sys.platform if platform is None else platform
    if platform.startswith("linux") or platform.startswith("freebsd"):
        return "linux"
    return platform if platform in KINDS else "linux"


def printer_kinds(platform: str | None = None) -> tuple[str, ...]:
    """The printer kinds that exist on ``platform`` (default: this one)."""
    return KINDS[_os(platform)]


def target_example(kind: str, platform: str | None = None) -> str:
    """A sample target for ``kind`` on ``platform`` (the settings' placeholder)."""
    os_name = _os(platform)
    if kind == "network":
        return "192.168.1.50:9100"
    if kind == "usb":
        return "/dev/usb/lp0"
    if kind == "windows":
        return "POS-58"
    if kind == "file":
        return {
            "win32": r"C:\Users\Kasir\struk.bin",
            "darwin": "/Users/kasir/struk.bin",
        }.get(os_name, "/home/kasir/struk.bin")
    return ""


def printer_from_settings(
    settings: PrinterSettings,
) -> NetworkPrinter | FilePrinter | WindowsRawPrinter | None:
    """The configured raw printer, or ``None`` when printing is off or goes through the OS
    print system (``system``). Raises ValueError for a bad network address."""
    if settings.kind in ("none", "system"):
        return None
    if not settings.target.strip():
        return None
    if settings.kind == "network":
        host, port = parse_host_port(settings.target)
        return NetworkPrinter(host, port)
    if settings.kind == "windows":
        return WindowsRawPrinter(settings.target.strip())
    return FilePrinter(Path(settings.target).expanduser())
