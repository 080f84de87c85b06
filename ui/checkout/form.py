"""The checkout's customer fields (name, phone, email, payment method, note), each with its
error label below it, and :class:`CheckoutForm`: what was typed, as one typed value."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from ui.common.i18n import tr, tr_short
from ui.controllers import SaleContact

#: setting: the phone number walk-in sales are recorded under (the store's own, usually)
WALK_IN_PHONE_SETTING = "walk_in_phone"


def method_label(code: str) -> str:
    from pos.domain.payment_methods import METHOD_LABELS

    pair = METHOD_LABELS.get(code)
    return tr(*pair) if pair else code


@dataclass(frozen=True)
class CheckoutForm:
    """The checkout fields as the cashier typed them (validated by ``pos.domain.customer``)."""

    name: str
    phone: str
    email: str
    method: str
    note: str

    @property
    def contact(self) -> SaleContact:
        """The customer as shown on the payment and queued screens."""
        return SaleContact(self.name.strip(), self.phone.strip())


class CustomerFields:
    """The fields, created in ``parent`` and laid out in :attr:`grid` (captions above their
    fields: the bilingual captions stay readable in a narrow column)."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.name = self._edit(
            "customerName", tr("Nama pelanggan", "Customer name"), "Siti Rahmawati"
        )
        self.phone = self._edit("customerPhone", tr("Nomor HP", "Phone number"), "0812-3456-7890")
        self.email = self._edit(
            "customerEmail",
            tr("Email (opsional)", "Email (optional)"),
            tr_short("nama@contoh.com", "name@example.com"),
        )
        self.method = QComboBox(parent)
        self.method.setObjectName("paymentMethod")
        self.method.setAccessibleName(tr("Metode pembayaran", "Payment method"))
        self.method.setMinimumHeight(44)
        self.note = self._edit("orderNote", tr("Catatan (opsional)", "Note (optional)"), "")
        self.note.setMaxLength(500)

        #: each field's error label by field name (``payment_method`` for the method)
        self.errors: dict[str, QLabel] = {}
        self.grid = form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(2)
        rows = [
            ("name", tr("Nama", "Name"), self.name),
            ("phone", tr("No. HP", "Phone"), self.phone),
            ("email", tr("Email", "Email"), self.email),
            ("payment_method", tr("Pembayaran", "Payment"), self.method),
            ("note", tr("Catatan", "Note"), self.note),
        ]
        for r, (field, caption, widget) in enumerate(rows):
            label = QLabel(caption, parent)
            label.setBuddy(widget)
            label.setObjectName("fieldLabel")
            err = QLabel(parent)
            err.setTextFormat(Qt.TextFormat.PlainText)
            err.setObjectName(f"{field}Error")
            err.setProperty("role", "fieldError")
            err.setWordWrap(True)
            err.hide()
            self.errors[field] = err
            form.addWidget(label, r * 3, 0)
            form.addWidget(widget, r * 3 + 1, 0)
            form.addWidget(err, r * 3 + 2, 0)
            form.setRowMinimumHeight(r * 3 + 2, 6)
        form.setColumnStretch(0, 1)

    def _edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        e = QLineEdit(self._parent)
        e.setObjectName(name)
        e.setAccessibleName(accessible)
        e.setPlaceholderText(placeholder)
        e.setMinimumHeight(44)
        return e

    def read(self) -> CheckoutForm:
        return CheckoutForm(
            name=self.name.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            method=str(self.method.currentData() or ""),
            note=self.note.text(),
        )

    def set_methods(self, codes: list[str], default: str) -> None:
        """The store's payment methods; the chosen one kept when still offered."""
        current = self.method.currentData()
        self.method.blockSignals(True)
        self.method.clear()
        for code in codes:
            self.method.addItem(method_label(code), code)
        keep = current if current in codes else default
        idx = self.method.findData(keep) if keep else -1
        self.method.setCurrentIndex(idx if idx >= 0 else (0 if codes else -1))
        self.method.blockSignals(False)

    def offer_cod(self, *, physical: bool, courier_cod: bool) -> None:
        """COD only for physical goods whose chosen courier (if any) does COD; a COD choice
        that is no longer offered falls back to the default method."""
        model = self.method.model()
        if not isinstance(model, QStandardItemModel):
            return
        idx = self.method.findData("cod")
        if idx < 0:
            return
        item = model.item(idx)
        if item is None:
            return
        ok = physical and courier_cod
        item.setEnabled(ok)
        if not physical:
            item.setToolTip(tr("COD hanya untuk barang fisik.", "COD is for physical goods only."))
        elif not ok:
            item.setToolTip(
                tr("Kurir terpilih tidak melayani COD.", "The chosen courier does not do COD.")
            )
        else:
            item.setToolTip("")
        if not ok and self.method.currentData() == "cod":
            others = [self.method.itemData(i) for i in range(self.method.count()) if i != idx]
            from pos.domain.payment_methods import default_method

            fallback = default_method([str(c) for c in others if c])
            j = self.method.findData(fallback) if fallback else -1
            if j >= 0:
                self.method.setCurrentIndex(j)

    def clear(self) -> None:
        for w in (self.name, self.phone, self.email, self.note):
            w.clear()
