"""The history screen's yes / no questions (retry, abandon): window-modal, opened with
``open()`` (never ``exec()``), Cancel the default and the Esc button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.common.i18n import tr


def confirm(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    yes: str,
    on_yes: Callable[[], object],
    on_closed: Callable[[QMessageBox], None],
) -> QMessageBox:
    """Open the question ``name`` (its buttons ``name + "Yes"`` / ``name + "No"``); ``on_yes``
    runs when the cashier confirms, ``on_closed(box)`` once it is closed either way."""
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)  # customer names are server/cashier text
    box.setText(text)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    ok.setObjectName(name + "Yes")
    no = box.addButton(tr("Batal", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    no.setObjectName(name + "No")
    box.setDefaultButton(no)
    box.setEscapeButton(no)

    def finished(_result: int) -> None:
        if box.clickedButton() is ok:
            on_yes()
        box.deleteLater()
        on_closed(box)

    box.finished.connect(finished)
    box.open()
    return box
