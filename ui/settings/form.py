"""The settings dialog's base: its style sheet and the helpers that build touch-sized fields,
labelled rows and the inline result labels of its checks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ui.common.i18n import tr

TOUCH = 44

DIALOG_QSS = """
#settingsDialog QGroupBox {
    font-weight: 700; font-size: 15px; border: 1px solid #e5e7eb; border-radius: 10px;
    margin-top: 14px; padding: 14px 10px 8px 10px; background: #ffffff;
}
#settingsDialog QGroupBox::title {
    subcontrol-origin: margin; left: 12px; padding: 0 4px; color: #374151;
}
#settingsDialog QCheckBox { min-height: 44px; }
#settingsDialog QCheckBox::indicator { width: 24px; height: 24px; }
#settingsKeyringWarning {
    background: #fef3c7; border: 1px solid #f59e0b; border-radius: 8px; color: #78350f;
    padding: 8px 12px; font-weight: 600;
}
#settingsKeyState { color: #166534; font-weight: 600; }
#settingsKeyState[state="none"] { color: #6b7280; font-weight: 400; }
#settingsKeyState[state="env"] { color: #1e40af; }
#settingsTestResult, #settingsPrinterResult, #settingsSaveError {
    border-radius: 8px; padding: 6px 10px; font-weight: 600;
}
#settingsTestResult[state="idle"], #settingsPrinterResult[state="idle"] {
    color: #6b7280; font-weight: 400; border: 1px dashed #d1d5db;
}
#settingsTestResult[state="ok"], #settingsPrinterResult[state="ok"] {
    background: #dcfce7; color: #166534;
}
#settingsTestResult[state="error"], #settingsPrinterResult[state="error"],
#settingsSaveError {
    background: #fee2e2; color: #991b1b;
}
#settingsTestResult[state="busy"], #settingsPrinterResult[state="busy"] {
    background: #e0f2fe; color: #075985;
}
#settingsDialog #fieldLabel { color: #374151; }
#settingsScroll, #settingsContent { background: transparent; }
"""


class SettingsForm(QDialog):
    """A dialog of labelled, touch-sized rows (the base of each part of the settings)."""

    # --- construction helpers -----------------------------------------------------------
    def _line(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setMinimumHeight(TOUCH)
        return edit

    def _combo(self, name: str, accessible: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setMinimumHeight(TOUCH)
        for text, data in items:
            combo.addItem(text, data)
        return combo

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        return button

    def _busy_bar(self, name: str) -> QProgressBar:
        bar = QProgressBar(self)
        bar.setObjectName(name)
        bar.setAccessibleName(tr("Sedang memeriksa", "Checking"))
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedSize(64, 16)
        bar.hide()
        return bar

    def _check_row(self, button: QPushButton, busy: QProgressBar) -> QHBoxLayout:
        """A check's button with its busy bar beside it, left-aligned."""
        row = QHBoxLayout()
        row.addWidget(button)
        row.addWidget(busy)
        row.addStretch(1)
        return row

    def _result(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setMinimumHeight(36)  # reserved, so a result never shifts the layout
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._clear_result(label)
        return label

    def _row(self, form: QFormLayout, caption: str, field: QWidget) -> None:
        label = QLabel(caption, self)
        label.setObjectName("fieldLabel")
        label.setMinimumHeight(TOUCH)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(field)
        form.addRow(label, field)

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setContentsMargins(8, 6, 8, 6)
        return form

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    # --- inline results -----------------------------------------------------------------
    def _show_result(self, label: QLabel, ok: bool | None, text: str) -> None:
        label.setText(text)
        label.setProperty("state", "busy" if ok is None else ("ok" if ok else "error"))
        self._repolish(label)

    def _clear_result(self, label: QLabel) -> None:
        label.setText(tr("Belum dites", "Not tested yet"))
        label.setProperty("state", "idle")
        self._repolish(label)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()
