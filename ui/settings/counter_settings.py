"""The till's counter settings (issue 13), kept in this data folder's settings table:

- ``discount_cap``: the largest discount one sale may get on this terminal (rupiah; empty = none);
- ``walk_in_phone``: the phone number walk-in sales (F6) are recorded under;
- ``cash_method.<store id>``: the manual method cash orders of the current store are created
  with (``bank_transfer`` or ``no_payment``, among those the store enables).

Opened from the shift window (*Pengaturan tunai & diskon*).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from pos.domain.customer import InvalidInput, normalize_phone
from pos.services.tender import CASH_METHOD_SETTING, CASH_METHODS
from ui.checkout.cash_tender import parse_amount
from ui.checkout.view import WALK_IN_PHONE_SETTING, method_label
from ui.common.i18n import tr
from ui.sale.discount_entry import DISCOUNT_CAP_SETTING


class CounterSettingsDialog(QDialog):
    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterSettingsDialog")
        self.setWindowTitle(tr("Pengaturan tunai & diskon", "Cash & discount settings"))
        self._controller = controller
        settings = controller.settings
        self.cap = QLineEdit(settings.get(DISCOUNT_CAP_SETTING) or "", self)
        self.cap.setObjectName("discountCap")
        self.cap.setAccessibleName(tr("Batas diskon per transaksi", "Discount cap per sale"))
        self.cap.setPlaceholderText(tr("kosong = tanpa batas", "empty = no cap"))
        self.walk_in = QLineEdit(settings.get(WALK_IN_PHONE_SETTING) or "", self)
        self.walk_in.setObjectName("walkInPhone")
        self.walk_in.setAccessibleName(tr("No. HP pelanggan umum", "Walk-in customer phone"))
        self.walk_in.setPlaceholderText("0812-…")
        self.method = QComboBox(self)
        self.method.setObjectName("cashMethod")
        self.method.setAccessibleName(tr("Metode untuk pesanan tunai", "Method for cash orders"))
        store = controller.store
        enabled = [m for m in CASH_METHODS if m in (getattr(store, "payment_methods", None) or [])]
        for code in enabled:
            self.method.addItem(method_label(code), code)
        if store is not None:
            current = settings.get(f"{CASH_METHOD_SETTING}.{store.id}")
            idx = self.method.findData(current) if current else -1
            self.method.setCurrentIndex(max(idx, 0))
        self.method.setEnabled(bool(enabled))
        self.error = QLabel(self)
        self.error.setObjectName("counterSettingsError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(tr("Simpan", "Save"))
        save.setObjectName("counterSettingsSave")
        save.setAccessibleName(tr("Simpan", "Save"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("Batal", "Cancel"))
        cancel.setAccessibleName(tr("Batal", "Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("Batas diskon per transaksi", "Discount cap per sale"), self.cap)
        form.addRow(tr("No. HP pelanggan umum (F6)", "Walk-in phone (F6)"), self.walk_in)
        store_name = getattr(store, "name", "") or "—"
        form.addRow(
            tr("Tunai dibuat sebagai", "Cash orders created as") + f" ({store_name})", self.method
        )
        form.addRow(self.error)
        form.addRow(buttons)

    def save(self) -> bool:
        cap_text = self.cap.text().strip()
        cap = parse_amount(cap_text) if cap_text else 0
        if cap is None:
            return self._refuse(
                tr("Batas diskon: isi angka rupiah.", "Discount cap: a rupiah amount.")
            )
        phone = self.walk_in.text().strip()
        if phone:
            try:
                normalize_phone(phone)
            except InvalidInput:
                return self._refuse(
                    tr("No. HP pelanggan umum tidak valid.", "The walk-in phone is not valid.")
                )
        settings = self._controller.settings
        settings.set(DISCOUNT_CAP_SETTING, str(cap) if cap else "")
        settings.set(WALK_IN_PHONE_SETTING, phone)
        store = self._controller.store
        if store is not None and self.method.currentData():
            settings.set(f"{CASH_METHOD_SETTING}.{store.id}", str(self.method.currentData()))
        self._controller.cart_changed.emit()  # the cart's discount follows the new cap
        self.accept()
        return True

    def _refuse(self, text: str) -> bool:
        self.error.setText(text)
        self.error.show()
        return False
