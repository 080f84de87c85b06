"""Printer transports: raw bytes to a network printer (TCP 9100) or a file/device path.

USB printers are written through their device node: on Linux the kernel ``usblp`` driver gives
``/dev/usb/lp0`` (add the user to the ``lp`` group). No pyusb/libusb dependency is used; on
Windows share the printer and use a network/raw port, or print the PDF receipt instead.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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


def printer_from_settings(settings: PrinterSettings) -> NetworkPrinter | FilePrinter | None:
    """The configured printer, or ``None`` when printing is off. Raises ValueError for a bad
    network address."""
    if settings.kind == "none" or not settings.target.strip():
        return None
    if settings.kind == "network":
        host, port = parse_host_port(settings.target)
        return NetworkPrinter(host, port)
    return FilePrinter(Path(settings.target).expanduser())
