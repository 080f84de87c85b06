"""The settings dialog's printer and receipt part: printer kind, address and paper width,
"Test printer" (:func:`pos.doctor.check_printer` off the UI thread), the order QR and the
receipt footer."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import QCheckBox, QCompleter, QGroupBox

from pos.config import AppSettings
from pos.doctor import check_printer
from pos.receipts.printers import printer_kinds, target_example
from ui.common.i18n import tr
from ui.common.tasks import TaskRunner
from ui.settings.form import SettingsForm

TASK_TEST_PRINTER = "settings-test-printer"


def printer_kind_items(platform: str | None = None) -> list[tuple[str, str]]:
    """The printer kinds offered on ``platform`` (default: this one), labelled."""
    labels = {
        "none": tr("Tidak ada", "None"),
        "system": tr("Sistem (driver)", "System (driver)"),
        "network": tr("Jaringan (IP:port)", "Network (IP:port)"),
        "usb": tr("USB / perangkat", "USB / device"),
        "windows": tr("Windows (RAW)", "Windows (RAW)"),
        "file": tr("File", "File"),
    }
    return [(labels[kind], kind) for kind in printer_kinds(platform)]


class PrinterPart(SettingsForm):
    """The printer and receipt group of :class:`ui.settings.dialog.SettingsDialog`."""

    _runner: TaskRunner

    def _build_printer(self) -> QGroupBox:
        self.printer_kind = self._combo(
            "settingsPrinterKind",
            tr("Jenis printer", "Printer type"),
            printer_kind_items(),
        )
        self.printer_target = self._line("settingsPrinterTarget", tr("Alamat", "Address"))
        self.paper_width = self._combo(
            "settingsPaperWidth",
            tr("Lebar kertas", "Paper width"),
            [
                ("58 mm  (32 " + tr("kolom", "columns") + ")", 58),
                ("80 mm  (48 " + tr("kolom", "columns") + ")", 80),
            ],
        )
        self.printer_test = self._button(
            "settingsTestPrinter",
            tr("Tes printer", "Test printer"),
            tr("Periksa printer", "Check the printer"),
        )
        self.printer_test.clicked.connect(self.test_printer)
        self.printer_busy = self._busy_bar("settingsPrinterBusy")
        self.printer_result = self._result(
            "settingsPrinterResult", tr("Hasil tes printer", "Printer test result")
        )
        printer_row = self._check_row(self.printer_test, self.printer_busy)
        printer = QGroupBox(tr("Printer dan struk", "Printer and receipt"), self)
        printer_form = self._form(printer)
        self._row(printer_form, tr("Jenis", "Type"), self.printer_kind)
        self._row(printer_form, tr("Alamat", "Address"), self.printer_target)
        self._row(printer_form, tr("Kertas", "Paper"), self.paper_width)
        printer_form.addRow("", printer_row)
        printer_form.addRow("", self.printer_result)

        # --- receipt ---
        self.show_qr = QCheckBox(tr("QR pesanan di struk", "Order QR on the receipt"), self)
        self.show_qr.setObjectName("settingsShowQr")
        self.show_qr.setAccessibleName(tr("QR pesanan di struk", "Order QR on the receipt"))
        self.footer = self._line("settingsReceiptFooter", tr("Catatan kaki struk", "Footer"))
        self.footer.setMaxLength(120)
        printer_form.addRow("", self.show_qr)
        self._row(printer_form, tr("Catatan kaki", "Footer"), self.footer)
        return printer

    def _on_printer_kind_changed(self, *_: Any) -> None:
        kind = str(self.printer_kind.currentData())
        self.printer_target.setEnabled(kind != "none")
        self.paper_width.setEnabled(kind != "none")
        self.printer_test.setEnabled(kind != "none")
        if kind == "system":
            from ui.receipts.printing import available_printers

            names = available_printers()
            self.printer_target.setCompleter(QCompleter(names, self.printer_target))
            self.printer_target.setPlaceholderText(
                tr("(printer bawaan sistem)", "(the system's default printer)")
            )
            self.printer_target.setToolTip(
                tr("Printer terpasang: ", "Installed printers: ")
                + (", ".join(names) or tr("tidak ada", "none"))
            )
        else:
            self.printer_target.setCompleter(None)  # type: ignore[arg-type]  # Qt: none
            self.printer_target.setPlaceholderText(target_example(kind))
            self.printer_target.setToolTip("")
        self._clear_result(self.printer_result)

    def printer_values(self) -> dict[str, Any]:
        """The printer as entered. Raises ValueError (cashier text) for an invalid entry."""
        kind = str(self.printer_kind.currentData())
        target = self.printer_target.text().strip()
        if kind not in ("none", "system") and not target:  # system: "" = the OS default
            self.printer_target.setFocus()
            raise ValueError(
                tr("Isi alamat printer (atau pilih Tidak ada).", "Enter the printer address.")
            )
        if kind == "network":
            from pos.receipts.printers import parse_host_port

            try:
                parse_host_port(target)
            except ValueError:
                self.printer_target.setFocus()
                raise ValueError(
                    tr(
                        "Alamat printer jaringan tidak valid. Contoh: 192.168.1.50:9100",
                        "Invalid network printer address. Example: 192.168.1.50:9100",
                    )
                ) from None
        return {"kind": kind, "target": target, "width": int(self.paper_width.currentData())}

    def current_settings(self) -> AppSettings:
        """Every part's values: the dialog's (the printer is tested with the whole settings)."""
        raise NotImplementedError

    def test_printer(self) -> None:
        try:
            settings = self.current_settings()
        except ValueError as exc:
            self._show_result(self.printer_result, False, str(exc))
            return
        if settings.printer.kind == "none":
            return
        self._show_result(
            self.printer_result, None, tr("Memeriksa printer…", "Checking the printer…")
        )
        self._runner.start(
            TASK_TEST_PRINTER,
            asyncio.to_thread(check_printer, settings),
            on_success=self._printer_checked,
            on_error=self._printer_check_failed,
        )

    def _printer_checked(self, result: tuple[bool, str]) -> None:
        ok, text = result
        prefix = (
            tr("Printer siap", "Printer ready") if ok else tr("Printer gagal", "Printer failed")
        )
        self._show_result(self.printer_result, ok, f"{prefix}: {text}")

    def _printer_check_failed(self, exc: BaseException) -> bool:
        self._show_result(
            self.printer_result,
            False,
            tr("Printer gagal", "Printer failed") + f": {type(exc).__name__}",
        )
        return True
