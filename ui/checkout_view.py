"""Checkout form: customer, payment method, note, order summary, submit.

Validation runs in ``pos.domain.customer.validate_customer``; every problem is shown beside its
field and nothing is sent. A submit in flight disables the button and the controller refuses a
second one, so a double click or a repeated Enter never creates two orders.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .i18n import message, tr
from .money import format_idr


def method_label(code: str) -> str:
    from pos.domain.payment_methods import METHOD_LABELS

    pair = METHOD_LABELS.get(code)
    return tr(*pair) if pair else code


class CheckoutView(QWidget):
    """The checkout page.

    Signals:
        back_requested(): return to the catalog (Esc).
    """

    back_requested = Signal()

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutPage")
        self._controller = controller

        title = QLabel(tr("Data pelanggan & pembayaran", "Customer & payment"), self)
        title.setObjectName("pageTitle")

        self.name = self._edit(
            "customerName", tr("Nama pelanggan", "Customer name"), "Siti Rahmawati"
        )
        self.phone = self._edit("customerPhone", tr("Nomor HP", "Phone number"), "0812-3456-7890")
        self.email = self._edit(
            "customerEmail", tr("Email (opsional)", "Email (optional)"), "nama@contoh.com"
        )
        self.method = QComboBox(self)
        self.method.setObjectName("paymentMethod")
        self.method.setAccessibleName(tr("Metode pembayaran", "Payment method"))
        self.method.setMinimumHeight(44)
        self.note = self._edit("orderNote", tr("Catatan (opsional)", "Note (optional)"), "")
        self.note.setMaxLength(500)

        self.errors: dict[str, QLabel] = {}
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        rows = [
            ("name", tr("Nama", "Name"), self.name),
            ("phone", tr("No. HP", "Phone"), self.phone),
            ("email", tr("Email", "Email"), self.email),
            ("payment_method", tr("Pembayaran", "Payment"), self.method),
            ("note", tr("Catatan", "Note"), self.note),
        ]
        for r, (field, caption, widget) in enumerate(rows):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            label.setObjectName("fieldLabel")
            err = QLabel(self)
            err.setObjectName(f"{field}Error")
            err.setProperty("role", "fieldError")
            err.setWordWrap(True)
            err.hide()
            self.errors[field] = err
            form.addWidget(label, r * 2, 0, Qt.AlignmentFlag.AlignVCenter)
            form.addWidget(widget, r * 2, 1)
            form.addWidget(err, r * 2 + 1, 1)
        form.setColumnStretch(1, 1)

        self.error = QLabel(self)
        self.error.setObjectName("checkoutError")
        self.error.setAccessibleName(tr("Kesalahan checkout", "Checkout error"))
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()

        self.busy = QProgressBar(self)
        self.busy.setObjectName("submitBusy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.busy.hide()

        self.back_button = QPushButton(tr("Kembali", "Back") + "  (Esc)", self)
        self.back_button.setObjectName("backButton")
        self.back_button.setAccessibleName(tr("Kembali ke katalog", "Back to catalog"))
        self.back_button.setMinimumHeight(52)
        self.back_button.clicked.connect(self.back_requested)
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("submitOrderButton")
        self.submit_button.setAccessibleName(tr("Buat pesanan", "Create order"))
        self.submit_button.setProperty("role", "primary")
        self.submit_button.setMinimumHeight(52)
        self.submit_button.clicked.connect(self.submit)

        # summary
        summary_title = QLabel(tr("Ringkasan", "Summary"), self)
        summary_title.setObjectName("panelTitle")
        self.summary = QTreeWidget(self)
        self.summary.setObjectName("checkoutSummary")
        self.summary.setAccessibleName(tr("Ringkasan pesanan", "Order summary"))
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary.setColumnCount(3)
        self.summary.setHeaderHidden(True)
        self.summary.setRootIsDecorated(False)
        self.summary.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        header = self.summary.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.shipping_notice = QLabel(message("shipping_required"), self)
        self.shipping_notice.setObjectName("shippingNotice")
        self.shipping_notice.setWordWrap(True)
        self.shipping_notice.hide()
        self.total = QLabel(self)
        self.total.setObjectName("checkoutTotal")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)

        left = QVBoxLayout()
        left.addWidget(title)
        left.addSpacing(8)
        left.addLayout(form)
        left.addSpacing(8)
        left.addWidget(self.error)
        left.addStretch(1)
        left.addWidget(self.busy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button, 2)
        left.addLayout(buttons)

        right_box = QFrame(self)
        right_box.setObjectName("summaryPanel")
        right = QVBoxLayout(right_box)
        right.addWidget(summary_title)
        right.addWidget(self.summary, 1)
        right.addWidget(self.shipping_notice)
        right.addWidget(self.total)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(24)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left_box.setMaximumWidth(880)
        layout.addWidget(left_box, 3)
        right_box.setMaximumWidth(640)
        layout.addWidget(right_box, 2)

        for w in (self.name, self.phone, self.email, self.note):
            w.returnPressed.connect(self.submit)
        self.name.textEdited.connect(lambda _t: self._clear_error("name"))
        self.phone.textEdited.connect(lambda _t: self._clear_error("phone"))
        self.email.textEdited.connect(lambda _t: self._clear_error("email"))
        self.method.currentIndexChanged.connect(lambda _i: self._clear_error("payment_method"))

        controller.methods_changed.connect(self.set_methods)
        controller.submit_busy.connect(self.set_busy)
        controller.submit_failed.connect(self.show_error)
        controller.cart_changed.connect(self.refresh_summary)
        self.set_busy(False)
        self.refresh_summary()

    def _edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        e = QLineEdit(self)
        e.setObjectName(name)
        e.setAccessibleName(accessible)
        e.setPlaceholderText(placeholder)
        e.setMinimumHeight(44)
        return e

    # --- state ------------------------------------------------------------------------
    def set_methods(self, codes: list[str], default: str) -> None:
        current = self.method.currentData()
        self.method.blockSignals(True)
        self.method.clear()
        for code in codes:
            self.method.addItem(method_label(code), code)
        keep = current if current in codes else default
        idx = self.method.findData(keep) if keep else -1
        self.method.setCurrentIndex(idx if idx >= 0 else (0 if codes else -1))
        self.method.blockSignals(False)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.submit_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        label = (
            tr("Mengirim…", "Sending…") if busy else tr("Buat pesanan", "Create order") + "  (F9)"
        )
        self.submit_button.setText(label)
        self.setProperty("busy", busy)

    def refresh_summary(self) -> None:
        cart = self._controller.cart
        self.summary.clear()
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for line in cart.lines:
            row = QTreeWidgetItem([f"{line.quantity} ×", line.item.name, format_idr(line.subtotal)])
            row.setTextAlignment(0, right)
            row.setTextAlignment(2, right)
            self.summary.addTopLevelItem(row)
        self.shipping_notice.setVisible(cart.needs_shipping)
        self.total.setText(tr("Total", "Total") + f"  {format_idr(cart.total)}")

    def reset(self) -> None:
        for w in (self.name, self.phone, self.email, self.note):
            w.clear()
        self.clear_errors()

    def on_show(self) -> None:
        self.refresh_summary()
        self.error.hide()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- errors -----------------------------------------------------------------------
    def _clear_error(self, field: str) -> None:
        self.errors[field].hide()
        self.errors[field].setText("")

    def clear_errors(self) -> None:
        for f in self.errors:
            self._clear_error(f)
        self.error.hide()
        self.error.setText("")

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def field_error(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    # --- submit -----------------------------------------------------------------------
    def shipping_ready(self) -> bool:
        """Physical goods need the shipping panel (issue 4); until it exists they cannot be sent."""
        return False

    def submit(self) -> None:
        """Validate, then hand a draft to the controller (which refuses a second one in flight)."""
        controller = self._controller
        if controller.submitting:
            return
        from pos.domain.customer import InvalidInput, make_customer, validate_customer
        from pos.domain.sale import draft_from_cart

        self.clear_errors()
        problems = dict(validate_customer(self.name.text(), self.phone.text(), self.email.text()))
        method = self.method.currentData()
        if not method:
            problems["payment_method"] = "payment_method_required"
        if controller.cart.is_empty:
            self.show_error(message("cart_empty"))
            return
        if controller.cart.needs_shipping and not self.shipping_ready():
            self.show_error(message("shipping_required"))
            return
        if controller.store is None:
            self.show_error(tr("Pilih toko dahulu.", "Choose a store first."))
            return
        if problems:
            first = None
            for field, message_id in problems.items():
                label = self.errors.get(field)
                if label is None:
                    continue
                label.setText(message(message_id))
                label.show()
                first = first or field
            self.show_error(tr("Periksa isian yang ditandai.", "Check the marked fields."))
            focus = {"name": self.name, "phone": self.phone, "email": self.email}.get(first or "")
            (focus or self.method).setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            customer = make_customer(self.name.text(), self.phone.text(), self.email.text())
        except InvalidInput as exc:
            self.errors.get(exc.field, self.errors["name"]).setText(message(exc.message_id))
            self.errors.get(exc.field, self.errors["name"]).show()
            self.show_error(tr("Periksa isian yang ditandai.", "Check the marked fields."))
            return
        draft = draft_from_cart(
            controller.store, controller.cart, customer, str(method), self.note.text().strip()
        )
        controller.submit(draft)
