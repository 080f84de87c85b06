"""Receipts from the payment screen and the history: print (ESC/POS, or through the OS print
system) and save as PDF (with Open and Print links).

:func:`receipt_from_order` builds the :class:`pos.receipts.Receipt` of a created order (shared
by the payment screen, the history and the tests). :class:`ReceiptActions` prints it through
:func:`pos.receipts.print_or_queue` in a worker thread — the sale screen never waits on paper or
cables, and a failed print goes to the retry list (``print-queue.jsonl`` in the data dir) — and
writes PDFs into ``<data dir>/receipts``. The ``system`` printer kind prints through Qt's
``QPrinter`` (``ui/receipts/printing.py``) on the UI thread: the OS spooler takes the page at once.
Every outcome is told through the one notifier.
"""

from __future__ import annotations

import html
import itertools
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl, Signal

from pos.config import AppSettings, ReceiptSettings
from ui.common.i18n import lang, tr
from ui.common.notifier import Notifier
from ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from pos.receipts.model import Receipt
    from pos.receipts.queue import PrintQueue

log = logging.getLogger(__name__)

TASK_PRINT = "receipt-print"
TASK_RETRY = "receipt-retry"
RECEIPTS_FOLDER = "receipts"
#: notice links after a PDF is saved: ``receipt-open:<n>`` / ``receipt-print:<n>``
LINK_OPEN = "receipt-open:"
LINK_PRINT = "receipt-print:"


def _rupiah(value: Decimal | int | None) -> int:
    return int(value or 0)


def _method_label(code: str | None, language: str) -> str:
    if not code:
        return "—"
    from pos.domain.payment_methods import METHOD_LABELS

    pair = METHOD_LABELS.get(code)
    if not pair:
        return code
    return pair[1] if language == "en" else pair[0]


def _created_at(order: Any, fallback: datetime | None) -> datetime:
    raw = getattr(order, "created_at", None)
    if isinstance(raw, str) and raw:
        try:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None:
            return when.astimezone() if when.tzinfo else when
    return fallback or datetime.now()


def receipt_from_order(
    order: Any,
    *,
    store_name: str = "",
    terminal: str = "",
    customer_name: str = "",
    cart_lines: Sequence[tuple[str, int, int]] = (),
    options: ReceiptSettings | None = None,
    language: str | None = None,
    created_at: datetime | None = None,
    cash: tuple[int, int] | None = None,
) -> Receipt:
    """The receipt of a created ``pos.api.models.Order``.

    Items come from the order's ``orderlines``; without them from ``cart_lines`` (``(name,
    quantity, unit price)``). Any difference between the items plus shipping and the order's
    total (discounts, unique code, fees) is one adjustment line, so the printed total is always
    the order's ``gross_revenue``. The QR is the public order URL (when ``options.show_qr``).
    ``cash``: ``(received, change)`` of a cash sale, printed under the payment method.
    """
    from pos.receipts.model import Receipt, ReceiptLine, ReceiptShipping  # after start-up

    options = options or ReceiptSettings()
    language = language or lang()
    lines: list[ReceiptLine] = []
    for ol in getattr(order, "orderlines", None) or []:
        lines.append(
            ReceiptLine(
                str(ol.product_name or ol.variant_sku or "—"),
                int(ol.quantity or 0),
                _rupiah(ol.variant_price),
            )
        )
    if not lines:
        lines = [ReceiptLine(name, int(qty), int(price)) for name, qty, price in cart_lines]
    shipping_cost = _rupiah(getattr(order, "shipping_cost", None))
    shipping = (
        ReceiptShipping("Ongkir" if language != "en" else "Shipping", shipping_cost)
        if shipping_cost
        else None
    )
    subtotal = sum(line.subtotal for line in lines)
    total = _rupiah(getattr(order, "gross_revenue", None))
    adjustments: tuple[tuple[str, int], ...] = ()
    difference = total - subtotal - shipping_cost if total else 0
    if difference:
        label = (
            ("Diskon" if language != "en" else "Discount")
            if difference < 0
            else ("Biaya lain" if language != "en" else "Other charges")
        )
        adjustments = ((label, difference),)
    store = getattr(order, "store", None)
    customer = getattr(order, "customer", None)
    return Receipt(
        store_name=store_name or str(getattr(store, "name", "") or "") or "Kasir",
        terminal=terminal,
        order_number=str(getattr(order, "order_id", None) or getattr(order, "id", "")),
        created_at=_created_at(order, created_at),
        lines=tuple(lines),
        payment_method=_method_label(getattr(order, "payment_method", None), language),
        paid=bool(getattr(order, "is_paid", False)),
        shipping=shipping,
        adjustments=adjustments,
        customer_name=customer_name or str(getattr(customer, "name", "") or ""),
        order_url=(getattr(order, "public_order_url", None) or None) if options.show_qr else None,
        footer=options.footer,
        lang="en" if language == "en" else "id",
        tendered=(
            (
                ("Tunai" if language != "en" else "Cash", int(cash[0])),
                ("Kembalian" if language != "en" else "Change", int(cash[1])),
            )
            if cash is not None
            else ()
        ),
    )


def pdf_path(folder: Path, receipt: Receipt) -> Path:
    """``<folder>/struk-<order number>.pdf`` (a safe file name)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", receipt.order_number).strip("._") or "receipt"
    return folder / f"struk-{safe}.pdf"


class ReceiptActions(QObject):
    """Print / PDF / retry for receipts, in the background through the one task runner.

    Signals:
        pending_changed(int): how many receipts wait in the print retry list.
        printed(str): the outcome value (``pos.receipts.PrintOutcome``) of a print.
        pdf_saved(str): the path of a saved PDF.
    """

    pending_changed = Signal(int)
    printed = Signal(str)
    pdf_saved = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        notifier: Notifier,
        *,
        settings: AppSettings,
        data_dir: Path,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.notifier = notifier
        self.settings = settings
        self.data_dir = Path(data_dir)
        self._queue: PrintQueue | None = None
        self._ids = itertools.count(1)
        #: ``name -> QPrinter | None`` for the ``system`` kind (``""``: the OS default);
        #: ``ui.receipts.printing.os_printer`` unless a test prints into a PDF
        self.os_printer: Callable[[str], Any] | None = None
        #: the printer the print dialog chose this session (no default printer in the OS)
        self._chosen_printer: Any = None
        self._saved: dict[str, tuple[Path, Receipt]] = {}
        notifier.link_activated.connect(self._on_link)

    @property
    def queue(self) -> PrintQueue:
        """The print retry list (opened on first use: not before the window's first paint)."""
        if self._queue is None:
            from pos.receipts.queue import PrintQueue

            self._queue = PrintQueue.in_dir(self.data_dir)
        return self._queue

    @property
    def receipts_dir(self) -> Path:
        return self.data_dir / RECEIPTS_FOLDER

    def set_settings(self, settings: AppSettings) -> None:
        self.settings = settings

    def pending(self) -> int:
        try:
            return len(self.queue)
        except OSError:
            return 0

    def _printer(self) -> Any:
        from pos.receipts.printers import printer_from_settings

        try:
            return printer_from_settings(self.settings.printer)
        except ValueError:
            return None

    # --- print ------------------------------------------------------------------------
    def print_receipt(self, receipt: Receipt) -> bool:
        """Print in the background; False (and a message) when no printer is set up."""
        from pos.receipts.escpos import render_escpos
        from pos.receipts.queue import print_or_queue

        if self.settings.printer.kind == "system":
            return self.print_through_os(receipt)
        printer = self._printer()
        if printer is None:
            self.notifier.warning(
                tr(
                    "Belum ada printer. Atur di Pengaturan (F10), atau simpan struk sebagai PDF.",
                    "No printer set up. Choose one in Settings (F10), or save the receipt as PDF.",
                )
            )
            return False
        data = render_escpos(receipt, self.settings.printer.width)
        label = receipt.order_number
        self.notifier.info(tr("Mencetak struk…", "Printing the receipt…"))
        self.runner.start(
            f"{TASK_PRINT}-{next(self._ids)}",
            print_or_queue(printer, data, self.queue, label=label),
            on_success=lambda outcome: self._printed(outcome, label),
        )
        return True

    def print_bytes(self, data: bytes, label: str) -> bool:
        """Print ready ESC/POS bytes (the shift report) the way receipts print: queued for
        a retry when the printer fails."""
        from pos.receipts.queue import print_or_queue

        printer = self._printer()
        if printer is None:
            self.notifier.warning(
                tr(
                    "Belum ada printer. Atur di Pengaturan (F10), atau simpan sebagai PDF.",
                    "No printer set up. Choose one in Settings (F10), or save as PDF.",
                )
            )
            return False
        self.runner.start(
            f"{TASK_PRINT}-{next(self._ids)}",
            print_or_queue(printer, data, self.queue, label=label),
            on_success=lambda outcome: self._printed(outcome, label),
        )
        return True

    def _os_printer(self) -> Any:
        """The ``QPrinter`` for the ``system`` kind: the named printer, else the OS default,
        else the one chosen in the print dialog (asked once a session)."""
        from ui.receipts import printing as receipt_print

        name = (
            self.settings.printer.target.strip() if self.settings.printer.kind == "system" else ""
        )
        make = self.os_printer or receipt_print.os_printer
        printer = make(name)
        if printer is not None:
            return printer
        if name:
            return None  # the named printer is gone: say so, do not print elsewhere
        if self._chosen_printer is None and receipt_print.available_printers():
            parent = self.parent()
            from PySide6.QtWidgets import QWidget

            self._chosen_printer = receipt_print.choose_printer(
                parent if isinstance(parent, QWidget) else None
            )
        return self._chosen_printer

    def print_through_os(self, receipt: Receipt) -> bool:
        """Print on the OS's printer (``QPrinter``); ``False`` and a message when there is
        none or it fails. The sale is never affected."""
        from ui.receipts.printing import print_receipt

        printer = self._os_printer()
        label = receipt.order_number
        if printer is None:
            name = self.settings.printer.target.strip()
            self.notifier.warning(
                tr(
                    f"Printer {name!r} tidak ditemukan di sistem. Periksa Pengaturan (F10).",
                    f"Printer {name!r} is not installed. Check Settings (F10).",
                )
                if name and self.settings.printer.kind == "system"
                else tr(
                    "Tidak ada printer di sistem. Pasang printer, atau simpan struk sebagai PDF.",
                    "No printer is installed. Add one to the system, or save the receipt as PDF.",
                )
            )
            return False
        try:
            print_receipt(printer, receipt, width_mm=self.settings.printer.width)
        except (OSError, RuntimeError) as exc:
            log.warning("printing through the OS failed: %s", exc)
            self.notifier.error(
                tr(f"Struk {label} gagal dicetak", f"Receipt {label} could not be printed")
                + f": {exc}"
            )
            self.printed.emit("failed")
            return False
        self.notifier.info(
            tr(f"Struk {label} dikirim ke printer.", f"Receipt {label} sent to the printer.")
        )
        self.printed.emit("printed")
        return True

    def _printed(self, outcome: Any, label: str) -> None:
        from pos.receipts.queue import PrintOutcome

        if outcome is PrintOutcome.PRINTED:
            self.notifier.info(tr(f"Struk {label} dicetak.", f"Receipt {label} printed."))
        elif outcome is PrintOutcome.QUEUED:
            self.notifier.warning(
                tr(
                    f"Struk {label} gagal dicetak dan disimpan di daftar cetak ulang. "
                    "Periksa printer, lalu tekan Cetak ulang.",
                    f"Receipt {label} could not be printed and is kept for a retry. "
                    "Check the printer, then press Retry prints.",
                )
            )
        elif outcome is PrintOutcome.LOST:
            self.notifier.error(
                tr(
                    f"Struk {label} gagal dicetak dan tidak bisa disimpan (disk penuh?). "
                    "Penjualannya tetap aman.",
                    f"Receipt {label} could not be printed nor kept (disk full?). "
                    "The sale itself is safe.",
                )
            )
        self.printed.emit(str(getattr(outcome, "value", outcome)))
        self.pending_changed.emit(self.pending())

    def retry_prints(self) -> bool:
        """Print the waiting receipts (oldest first) in the background."""
        if self.pending() == 0:
            self.notifier.info(tr("Tidak ada struk yang menunggu.", "No receipts waiting."))
            return False
        printer = self._printer()
        if printer is None:
            self.notifier.warning(
                tr("Belum ada printer. Atur di Pengaturan (F10).", "No printer set up (F10).")
            )
            return False
        self.runner.start(TASK_RETRY, self.queue.retry_async(printer), on_success=self._retried)
        return True

    def _retried(self, result: Any) -> None:
        if result.remaining:
            self.notifier.warning(
                tr(
                    f"{result.printed} struk dicetak, {result.remaining} masih menunggu.",
                    f"{result.printed} printed, {result.remaining} still waiting.",
                )
            )
        else:
            self.notifier.info(
                tr(f"{result.printed} struk dicetak.", f"{result.printed} receipts printed.")
            )
        self.pending_changed.emit(result.remaining)

    # --- PDF --------------------------------------------------------------------------
    def save_pdf(self, receipt: Receipt) -> Path | None:
        """Write the PDF into the receipts folder and say where; ``None`` on a write error."""
        from ui.receipts.pdf import render_pdf

        target = pdf_path(self.receipts_dir, receipt)
        try:
            render_pdf(receipt, target, width_mm=self.settings.printer.width)
        except OSError as exc:
            log.warning("saving the PDF receipt failed: %s", type(exc).__name__)
            self.notifier.error(
                tr("PDF tidak bisa disimpan", "Could not save the PDF")
                + f": {exc.strerror or type(exc).__name__}"
            )
            return None
        key = str(next(self._ids))
        self._saved[key] = (target, receipt)
        self.notifier.info_with_link(
            html.escape(tr("Struk PDF disimpan:", "PDF receipt saved:") + f" {target}")
            + f' — <a href="{LINK_OPEN}{key}">{html.escape(tr("Buka", "Open"))}</a>'
            + f' · <a href="{LINK_PRINT}{key}">{html.escape(tr("Cetak", "Print"))}</a>'
        )
        self.pdf_saved.emit(str(target))
        return target

    def open_pdf(self, path: Path) -> bool:
        """Open a saved PDF in the OS's PDF viewer."""
        from PySide6.QtGui import QDesktopServices

        if not path.is_file() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.notifier.error(
                tr("PDF tidak bisa dibuka:", "Could not open the PDF:") + f" {path}"
            )
            return False
        return True

    def _on_link(self, href: str) -> None:
        for prefix in (LINK_OPEN, LINK_PRINT):
            if href.startswith(prefix) and href[len(prefix) :] in self._saved:
                path, receipt = self._saved[href[len(prefix) :]]
                if prefix == LINK_OPEN:
                    self.open_pdf(path)
                else:  # the saved receipt, on the OS printer (whatever the printer kind)
                    self.print_through_os(receipt)


__all__ = ["ReceiptActions", "pdf_path", "receipt_from_order"]
