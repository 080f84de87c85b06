"""The cart discount field (issue 13): ``5000``, ``Rp5.000`` or ``10%`` off the products.

The discount lives on the cart (``controller.cart.discount``); the terminal's cap is the
``discount_cap`` setting (rupiah, empty = no cap). The amount is shown under the field, with a
note when the cap or the subtotal cut it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from pos.domain.discount import InvalidDiscount, parse_cap, parse_discount
from ui.common.i18n import message, tr
from ui.common.money import format_idr

DISCOUNT_CAP_SETTING = "discount_cap"


class DiscountEntry(QWidget):
    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartDiscountBox")
        self._controller = controller
        caption = QLabel(tr("Diskon", "Discount"), self)
        caption.setObjectName("fieldLabel")
        self.edit = QLineEdit(self)
        self.edit.setObjectName("cartDiscount")
        self.edit.setAccessibleName(tr("Diskon keranjang", "Cart discount"))
        self.edit.setPlaceholderText(tr("mis. 5000 atau 10%", "e.g. 5000 or 10%"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumHeight(40)
        caption.setBuddy(self.edit)
        self.amount = QLabel(self)
        self.amount.setObjectName("cartDiscountAmount")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.error = QLabel(self)
        self.error.setObjectName("cartDiscountError")
        self.error.setProperty("role", "fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(caption)
        row.addWidget(self.edit, 1)
        row.addWidget(self.amount)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.edit.textEdited.connect(self._apply)
        controller.cart_changed.connect(self.refresh)
        self.refresh()

    def cap(self) -> int:
        settings = getattr(self._controller, "settings", None)
        return parse_cap(settings.get(DISCOUNT_CAP_SETTING) if settings is not None else None)

    def _apply(self, text: str) -> None:
        cart = self._controller.cart
        try:
            discount = parse_discount(text)
        except InvalidDiscount as exc:
            self.error.setText(message(exc.message_id))
            self.error.show()
            discount = None
        else:
            self.error.hide()
        cart.discount = discount
        cart.discount_cap = self.cap()
        self._controller.cart_changed.emit()

    def refresh(self) -> None:
        cart = self._controller.cart
        cart.discount_cap = self.cap()
        if cart.discount is None and cart.is_empty and self.edit.text() and self.error.isHidden():
            self.edit.clear()  # a new sale
        off = cart.discount_amount
        self.amount.setText(f"−{format_idr(off)}" if off else "")
        self.setEnabled(not cart.is_empty or bool(self.edit.text()))
        wanted = cart.discount.amount_for(cart.total) if cart.discount is not None else 0
        if cart.discount is not None and not cart.is_empty and off < wanted:
            self.error.setText(
                tr(
                    f"Diskon dibatasi {format_idr(off)} (batas terminal).",
                    f"Discount limited to {format_idr(off)} (terminal cap).",
                )
            )
            self.error.show()
        elif cart.discount is not None:
            self.error.hide()
