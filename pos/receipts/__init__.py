"""Receipts: the data model, fixed-column text, ESC/POS bytes, printers and the retry list.

Typical use after a sale::

    receipt = Receipt(...)
    data = render_escpos(receipt, settings.printer.width)
    printer = printer_from_settings(settings.printer)
    outcome = await print_or_queue(printer, data, PrintQueue.in_dir(data_dir()), label=number)

Importing the package is cheap: each name below loads its module on first use (PEP 562), so
the window's start-up never pulls in the printers or the print queue.
"""

from typing import TYPE_CHECKING

from pos.lazy import lazy_exports

if TYPE_CHECKING:
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
    from pos.receipts.queue import (
        PrintOutcome,
        PrintQueue,
        QueuedPrint,
        RetryResult,
        print_or_queue,
    )
    from pos.receipts.text import COLUMNS_58MM, COLUMNS_80MM, columns_for, layout, render_text

_MODULES: dict[str, str] = {
    "COLUMNS_58MM": "text",
    "COLUMNS_80MM": "text",
    "FilePrinter": "printers",
    "NetworkPrinter": "printers",
    "PrintOutcome": "queue",
    "PrintQueue": "queue",
    "Printer": "printers",
    "PrinterError": "printers",
    "QueuedPrint": "queue",
    "Receipt": "model",
    "ReceiptLine": "model",
    "ReceiptShipping": "model",
    "RetryResult": "queue",
    "columns_for": "text",
    "format_receipt_date": "model",
    "layout": "text",
    "parse_host_port": "printers",
    "print_or_queue": "queue",
    "printer_from_settings": "printers",
    "qr_code": "escpos",
    "render_escpos": "escpos",
    "render_text": "text",
}


__getattr__ = lazy_exports(__name__, _MODULES)


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
