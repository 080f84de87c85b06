"""The cash tender on the checkout page (issue 13): *Tunai / Cash*, the cash received (typed or
tapped: exact, the next round amounts, Rp50.000, Rp100.000), the change shown large, and the
reason when cash cannot be taken (the store enables no manual method, or the API key may not
mark orders paid).

The widget only holds the cashier's input; :class:`~ui.checkout.view.CheckoutView` turns it
into a cash draft (``draft_from_cart(..., cash_received=…)``).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.services.tender import change_due, quick_amounts
from ui.common.i18n import tr
from ui.common.money import format_idr

_AMOUNT = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)$")


def parse_amount(text: str) -> int | None:
    """``"100000"``, ``"100.000"``, ``"Rp100.000"`` → 100000; anything else → None."""
    m = _AMOUNT.match(text.strip().lower().replace(" ", ""))
    return int(re.sub(r"[.,]", "", m.group(1))) if m else None


class CashTender(QFrame):
    """Signals:
    toggled(bool): cash was switched on or off.
    submit_requested(): Enter in the cash field (the checkout submits).
    """

    toggled = Signal(bool)
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cashTender")
        self._total = 0
        self.button = QPushButton(tr("Tunai", "Cash") + "  (F8)", self)
        self.button.setObjectName("tenderCash")
        self.button.setAccessibleName(tr("Bayar tunai", "Pay cash"))
        self.button.setCheckable(True)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F8; Tab goes method → note
        self.button.setMinimumHeight(44)
        self.received = QLineEdit(self)
        self.received.setObjectName("cashReceived")
        self.received.setAccessibleName(tr("Uang diterima", "Cash received"))
        self.received.setPlaceholderText(tr("Uang diterima", "Cash received"))
        self.received.setMinimumHeight(44)
        self.change = QLabel("—", self)
        self.change.setObjectName("cashChange")
        self.change.setAccessibleName(tr("Kembalian", "Change"))
        self.change.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.change_caption = QLabel(tr("Kembalian", "Change"), self)
        self.change_caption.setObjectName("fieldLabel")
        self.reason = QLabel(self)
        self.reason.setObjectName("cashUnavailable")
        self.reason.setWordWrap(True)
        self.reason.hide()
        self.quick_row = QHBoxLayout()
        self.quick_row.setSpacing(6)
        self.quick: list[QPushButton] = []

        body = QWidget(self)
        body.setObjectName("cashBody")
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.received, 0, 0)
        grid.addWidget(self.change_caption, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.change, 0, 2)
        grid.addLayout(self.quick_row, 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        self.change.setMinimumWidth(200)
        self.body = body
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.button)
        layout.addWidget(self.reason)
        layout.addWidget(body)
        body.hide()
        # local look: the change large, the cash button clearly on when chosen
        self.setStyleSheet(
            "QLabel#cashChange { font-size: 30px; font-weight: 700; }"
            'QLabel#cashChange[short="true"] { color: #b42318; }'
            "QPushButton#tenderCash:checked { background: #067647; color: white; }"
            "QLabel#cashUnavailable { color: #b54708; }"
        )

        self.button.toggled.connect(self._on_toggled)
        self.received.textChanged.connect(lambda _t: self._update_change())
        self.received.returnPressed.connect(self.submit_requested)

    # --- state ------------------------------------------------------------------------
    def is_on(self) -> bool:
        return self.button.isChecked() and self.button.isEnabled()

    def value(self) -> int | None:
        return parse_amount(self.received.text())

    def set_available(self, available: bool, reason: str = "") -> None:
        """Cash can be taken (or not, with the reason shown)."""
        self.button.setEnabled(available)
        self.button.setToolTip("" if available else reason)
        self.reason.setText(reason)
        self.reason.setVisible(not available and bool(reason))
        if not available and self.button.isChecked():
            self.button.setChecked(False)

    def offer(self, *, key_may_mark_paid: bool, store_has_method: bool) -> None:
        """Cash only when the store enables a manual method and the key may mark orders
        paid; otherwise say why."""
        if not key_may_mark_paid:
            self.set_available(
                False,
                tr(
                    "Tunai dimatikan: kunci API tidak boleh menandai pesanan lunas "
                    "(izin order:change_status). Perbaiki kunci di Pengaturan (F10).",
                    "Cash is off: the API key may not mark orders paid "
                    "(order:change_status scope). Fix the key in Settings (F10).",
                ),
            )
        elif not store_has_method:
            self.set_available(
                False,
                tr(
                    "Tunai tidak tersedia: toko ini tidak mengaktifkan transfer bank manual "
                    "atau tanpa pembayaran (no_payment) di Scalev.",
                    "Cash is unavailable: this store enables neither manual bank transfer nor "
                    "no_payment in Scalev.",
                ),
            )
        else:
            self.set_available(True)

    def set_total(self, total: int) -> None:
        if total == self._total and self.quick:
            return
        self._total = max(0, int(total))
        for b in self.quick:
            self.quick_row.removeWidget(b)
            b.hide()
            b.deleteLater()
        self.quick = []
        for i, amount in enumerate(quick_amounts(self._total)):
            text = tr("Uang pas", "Exact") if i == 0 else format_idr(amount)
            b = QPushButton(text, self.body)
            b.setObjectName("cashQuick")
            b.setAccessibleName(tr("Uang diterima", "Cash received") + f" {format_idr(amount)}")
            b.setProperty("amount", amount)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumHeight(36)
            b.clicked.connect(lambda _c=False, a=amount: self.set_received(a))
            self.quick_row.addWidget(b)
            self.quick.append(b)
        self._update_change()

    def set_received(self, amount: int) -> None:
        self.received.setText(str(int(amount)))
        self.received.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.received.clear()
        self.button.setChecked(False)

    def toggle(self) -> None:
        if self.button.isEnabled():
            self.button.toggle()

    # --- internals --------------------------------------------------------------------
    def _on_toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        if on:
            self.received.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_change()
        self.toggled.emit(on)

    def _update_change(self) -> None:
        received = self.value()
        if received is None:
            self.change.setText("—")
            self.change.setProperty("short", False)
            return
        change = change_due(self._total, received)
        self.change.setProperty("short", change < 0)
        if change < 0:
            self.change.setText(tr("Kurang", "Short") + f" {format_idr(-change)}")
        else:
            self.change.setText(format_idr(change))
        style = self.change.style()
        style.unpolish(self.change)
        style.polish(self.change)
