"""The shift window (issue 13): open the shift with the opening cash; close it with the drawer
counted; the report (sales, gross, discounts, by tender and method, paid vs unpaid, expected vs
counted cash and the difference) is reconciled with the server when it answers and says which
figures are not confirmed. Print (ESC/POS 58/80 mm), PDF and CSV; past shifts listed below.

State and figures live in :class:`pos.services.shift.ShiftService`; this is only the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import QFontDatabase, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.services.shift import ShiftReport, report_csv, report_escpos, report_text
from ui.checkout.cash_tender import parse_amount
from ui.common.i18n import lang, tr
from ui.common.money import format_idr


def save_report_pdf(report: ShiftReport, target: Path, language: str = "id") -> Path:
    """The report's 80 mm text layout on a receipt-wide PDF page, in a fixed-width font."""
    lines = report_text(report, 48, language).splitlines()
    writer = QPdfWriter(str(target))
    writer.setResolution(300)
    writer.setPageSize(
        QPageSize(QSizeF(80, 16 + 3.6 * len(lines)), QPageSize.Unit.Millimeter, "shift")
    )
    writer.setPageMargins(QMarginsF(4, 6, 4, 6), QPageLayout.Unit.Millimeter)
    painter = QPainter(writer)
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(6.5)
    painter.setFont(font)
    step = painter.fontMetrics().lineSpacing()
    for i, line in enumerate(lines):
        painter.drawText(0, step * (i + 1), line)
    painter.end()
    return target


class ShiftDialog(QDialog):
    def __init__(
        self,
        shifts: Any,
        runner: Any,
        notifier: Any,
        *,
        receipts: Any = None,
        controller: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("shiftDialog")
        self.setWindowTitle(tr("Shift kasir", "Cashier shift"))
        self.shifts = shifts
        self.runner = runner
        self.notifier = notifier
        self.receipts = receipts
        self.controller = controller
        self.report: ShiftReport | None = None
        self.settings_dialog: Any = None

        self.status = QLabel(self)
        self.status.setObjectName("shiftStatus")
        self.status.setWordWrap(True)
        self.opening = QLineEdit(self)
        self.opening.setObjectName("openingCash")
        self.opening.setAccessibleName(tr("Kas awal", "Opening cash"))
        self.opening.setPlaceholderText(tr("Kas awal, mis. 200000", "Opening cash, e.g. 200000"))
        self.open_button = QPushButton(tr("Buka shift", "Open shift"), self)
        self.open_button.setObjectName("shiftOpenButton")
        self.open_button.setAccessibleName(tr("Buka shift", "Open shift"))
        self.counted = QLineEdit(self)
        self.counted.setObjectName("countedCash")
        self.counted.setAccessibleName(tr("Kas dihitung", "Counted cash"))
        self.counted.setPlaceholderText(
            tr("Uang di laci (dihitung)", "Cash in the drawer (counted)")
        )
        self.close_button = QPushButton(tr("Tutup shift", "Close shift"), self)
        self.close_button.setObjectName("shiftCloseButton")
        self.close_button.setAccessibleName(tr("Tutup shift", "Close shift"))
        self.report_label = QLabel(self)
        self.report_label.setObjectName("shiftReport")
        self.report_label.setAccessibleName(tr("Laporan shift", "Shift report"))
        self.report_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error = QLabel(self)
        self.error.setObjectName("shiftError")
        self.error.setProperty("role", "fieldError")
        self.error.hide()
        self.print_button = QPushButton(tr("Cetak", "Print"), self)
        self.print_button.setObjectName("shiftPrintButton")
        self.print_button.setAccessibleName(tr("Cetak laporan shift", "Print the shift report"))
        self.pdf_button = QPushButton(tr("PDF", "PDF"), self)
        self.pdf_button.setObjectName("shiftPdfButton")
        self.pdf_button.setAccessibleName(tr("Simpan laporan sebagai PDF", "Save report as PDF"))
        self.csv_button = QPushButton(tr("CSV", "CSV"), self)
        self.csv_button.setObjectName("shiftCsvButton")
        self.csv_button.setAccessibleName(tr("Simpan laporan sebagai CSV", "Save report as CSV"))
        self.settings_button = QPushButton(
            tr("Pengaturan tunai & diskon", "Cash & discount settings"), self
        )
        self.settings_button.setObjectName("counterSettingsButton")
        self.settings_button.setAccessibleName(
            tr("Pengaturan tunai & diskon", "Cash & discount settings")
        )
        self.settings_button.setVisible(controller is not None)
        self.settings_button.clicked.connect(self.open_counter_settings)
        self.past = QListWidget(self)
        self.past.setObjectName("shiftHistory")
        self.past.setAccessibleName(tr("Shift sebelumnya", "Past shifts"))
        self.past.setMaximumHeight(140)

        open_row = QHBoxLayout()
        open_row.addWidget(self.opening, 1)
        open_row.addWidget(self.open_button)
        close_row = QHBoxLayout()
        close_row.addWidget(self.counted, 1)
        close_row.addWidget(self.close_button)
        out_row = QHBoxLayout()
        for b in (self.print_button, self.pdf_button, self.csv_button):
            out_row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(open_row)
        layout.addLayout(close_row)
        layout.addWidget(self.error)
        layout.addWidget(self.report_label, 1)
        layout.addLayout(out_row)
        layout.addWidget(QLabel(tr("Shift sebelumnya", "Past shifts"), self))
        layout.addWidget(self.past)
        layout.addWidget(self.settings_button)

        self.open_button.clicked.connect(self.open_shift)
        self.opening.returnPressed.connect(self.open_shift)
        self.close_button.clicked.connect(self.close_shift)
        self.counted.returnPressed.connect(self.close_shift)
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button.clicked.connect(lambda: self.save("pdf"))
        self.csv_button.clicked.connect(lambda: self.save("csv"))
        self.past.itemActivated.connect(self._show_past)
        self.refresh()

    # --- state ------------------------------------------------------------------------
    def refresh(self) -> None:
        current = self.shifts.current()
        is_open = current is not None
        for w in (self.opening, self.open_button):
            w.setVisible(not is_open)
        for w in (self.counted, self.close_button):
            w.setVisible(is_open)
        if current is not None:
            self.status.setText(
                tr("Shift terbuka", "Shift open")
                + f" #{current.id} · "
                + tr("kas awal", "opening cash")
                + f" {format_idr(current.opening_cash)}"
            )
            self.show_report(self.shifts.report(current))  # offline figures so far
            self.counted.setFocus()
        else:
            self.status.setText(tr("Belum ada shift terbuka.", "No shift is open."))
            self.opening.setFocus()
            if self.report is None:
                self.report_label.setText("")
        has_report = self.report is not None
        for b in (self.print_button, self.pdf_button, self.csv_button):
            b.setEnabled(has_report)
        self.past.clear()
        for shift in self.shifts.past():
            diff = (shift.report or {}).get("difference")
            text = f"#{shift.id}  {shift.opened_at[:16].replace('T', ' ')}"
            if diff is not None:
                text += "  · " + tr("selisih", "difference") + f" {format_idr(int(diff))}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, shift.id)
            self.past.addItem(item)

    def show_report(self, report: ShiftReport) -> None:
        self.report = report
        self.report_label.setText(report_text(report, 48, lang()))
        for b in (self.print_button, self.pdf_button, self.csv_button):
            b.setEnabled(True)

    def _show_past(self, item: QListWidgetItem) -> None:
        shift_id = item.data(Qt.ItemDataRole.UserRole)
        shift = next((s for s in self.shifts.past() if s.id == shift_id), None)
        if shift is not None and shift.report:
            self.show_report(ShiftReport.from_json(shift.report))

    def _problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # --- actions ----------------------------------------------------------------------
    def open_counter_settings(self) -> Any:
        from ui.settings.counter_settings import CounterSettingsDialog

        self.settings_dialog = CounterSettingsDialog(self.controller, self)
        self.settings_dialog.open()
        return self.settings_dialog

    def open_shift(self) -> None:
        amount = parse_amount(self.opening.text() or "0")
        if amount is None:
            self._problem(tr("Isi kas awal, mis. 200000.", "Enter the opening cash, e.g. 200000."))
            return
        self.error.hide()
        self.report = None
        self.shifts.open(amount)
        self.opening.clear()
        self.refresh()

    def close_shift(self) -> None:
        amount = parse_amount(self.counted.text())
        if amount is None:
            self._problem(
                tr("Hitung uang di laci dan isi jumlahnya.", "Count the drawer and enter it.")
            )
            return
        self.error.hide()
        self.close_button.setEnabled(False)

        def done(report: ShiftReport) -> None:
            self.close_button.setEnabled(True)
            self.counted.clear()
            self.show_report(report)
            self.refresh()
            self.show_report(report)

        def failed(_exc: BaseException) -> bool:
            self.close_button.setEnabled(True)
            return False

        self.runner.start(
            "shift-close", self.shifts.close(amount), on_success=done, on_error=failed
        )

    def print_report(self) -> None:
        if self.report is None or self.receipts is None:
            return
        width = int(getattr(self.receipts.settings.printer, "width", 58) or 58)
        data = report_escpos(self.report, width, lang())
        self.receipts.print_bytes(data, f"shift-{self.report.shift_id}")

    def save(self, kind: str) -> Path | None:
        if self.report is None:
            return None
        folder = Path(self.receipts.receipts_dir) if self.receipts is not None else Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"shift-{self.report.shift_id}.{kind}"
        if kind == "csv":
            target.write_text(report_csv(self.report, lang()), encoding="utf-8")
        else:
            save_report_pdf(self.report, target, lang())
        self.notifier.info(tr("Disimpan", "Saved") + f": {target}")
        return target


__all__ = ["ShiftDialog", "save_report_pdf"]
