"""Receipts: the data model, fixed-column text, ESC/POS bytes, printers and the retry list.

Typical use after a sale::

    receipt = Receipt(...)
    data = render_escpos(receipt, settings.printer.width)
    printer = printer_from_settings(settings.printer)
    outcome = await print_or_queue(printer, data, PrintQueue.in_dir(data_dir()), label=number)
"""

from pos.receipts.escpos import qr_code, render_escpos
from pos.receipts.model import Receipt, ReceiptLine, ReceiptShipping, format_receipt_date
from pos.receipts.printers import (
    FilePrinter,
    NetworkPrinter,
    Printer,
    PrinterError,
    parse_host_port,
    printer_from_settings,
)
from pos.receipts.queue import PrintOutcome, PrintQueue, QueuedPrint, RetryResult, print_or_queue
from pos.receipts.text import COLUMNS_58MM, COLUMNS_80MM, columns_for, layout, render_text

__all__ = [
    "COLUMNS_58MM",
    "COLUMNS_80MM",
    "FilePrinter",
    "NetworkPrinter",
    "PrintOutcome",
    "PrintQueue",
    "Printer",
    "PrinterError",
    "QueuedPrint",
    "Receipt",
    "ReceiptLine",
    "ReceiptShipping",
    "RetryResult",
    "columns_for",
    "format_receipt_date",
    "layout",
    "parse_host_port",
    "print_or_queue",
    "printer_from_settings",
    "qr_code",
    "render_escpos",
    "render_text",
]
