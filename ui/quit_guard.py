"""The quit warning while sales wait to be sent: one box at a time, opened with ``open()``
(never ``exec()``); the window closes only on "Quit anyway"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.common.i18n import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget


class QuitGuard(QObject):
    """Asks before quitting with unsent sales.

    Signals:
        confirmed(): "Quit anyway" was pressed.
    """

    confirmed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._window = parent
        #: the open warning, if any
        self.box: QMessageBox | None = None

    def warn(self, pending: int) -> None:
        if self.box is not None:
            self.box.raise_()
            return
        from PySide6.QtWidgets import QMessageBox  # its type and enums load on first use

        box = QMessageBox(self._window)
        box.setObjectName("quitWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("Keluar dari Kasir?", "Quit Kasir?"))
        box.setText(
            tr(
                f"{pending} penjualan belum terkirim ke Scalev. Penjualan itu tetap tersimpan "
                "dan dikirim saat Kasir dibuka lagi.",
                f"{pending} sales not sent yet — they will be sent next time Kasir starts.",
                "\n\n",
            )
        )
        quit_button = box.addButton(
            tr("Keluar saja", "Quit anyway"), QMessageBox.ButtonRole.DestructiveRole
        )
        quit_button.setObjectName("quitAnyway")
        cancel = box.addButton(tr("Batal", "Cancel"), QMessageBox.ButtonRole.RejectRole)
        cancel.setObjectName("quitCancel")
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)

        def finished(_result: int) -> None:
            self.box = None
            box.deleteLater()
            if box.clickedButton() is quit_button:
                self.confirmed.emit()

        box.finished.connect(finished)
        self.box = box
        box.open()

    def dismiss(self) -> None:
        """Close the open warning without quitting through it (a signal quits at once)."""
        if self.box is not None:
            self.box.done(0)
