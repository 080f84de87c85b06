"""Receipts printed through the OS print system (Qt's ``QPrinter``): CUPS on Linux, the
Windows spooler, macOS printing — any printer with a driver, including thermal roll printers
(58/80 mm pages, as tall as the receipt).

The printer is the one named in the settings, else the OS default printer. When there is
no default but printers exist, the print dialog asks once and the choice is kept for the
session (to keep it, name the printer in Settings). QtPrintSupport ships in
PySide6-Essentials.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

from ui.receipts.pdf import paint_receipt

if TYPE_CHECKING:
    from pos.receipts.model import Receipt


def available_printers() -> list[str]:
    """The OS's printer names (empty when none is installed)."""
    return [str(name) for name in QPrinterInfo.availablePrinterNames()]


def default_printer_name() -> str:
    """The OS default printer, or ``""``."""
    info = QPrinterInfo.defaultPrinter()
    return "" if info.isNull() else str(info.printerName())


def os_printer(name: str = "") -> QPrinter | None:
    """A ``QPrinter`` on the printer ``name`` (``""``: the OS default), or ``None`` when no
    such printer is installed."""
    info = QPrinterInfo.printerInfo(name) if name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        return None
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # (0, 0) is the paper's corner: the receipt has its margins
    return printer


def pdf_printer(path: str | Path) -> QPrinter:
    """A ``QPrinter`` that prints into a PDF file (Qt's PDF printer backend)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setFullPage(True)
    return printer


def choose_printer(parent: QWidget | None = None) -> QPrinter | None:
    """The OS print dialog; the chosen printer, or ``None`` when cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setObjectName("receiptPrintDialog")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def print_receipt(printer: QPrinter, receipt: Receipt, *, width_mm: int) -> None:
    """Print ``receipt`` on ``printer`` as one roll page ``width_mm`` wide. Raises
    ``OSError`` when the printer cannot be opened."""
    printer.setDocName(f"Struk {receipt.order_number}")
    printer.setCreator("Kasir")
    paint_receipt(printer, receipt, width_mm=width_mm)


__all__ = [
    "available_printers",
    "choose_printer",
    "default_printer_name",
    "os_printer",
    "pdf_printer",
    "print_receipt",
]
