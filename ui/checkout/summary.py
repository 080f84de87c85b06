"""The checkout's order summary: the cart's lines, shipping, discounts and the total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.common.i18n import message, tr
from ui.common.money import format_idr

if TYPE_CHECKING:
    from pos.domain.cart import Cart

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SummaryPanel(QFrame):
    """``#summaryPanel``: the summary tree (``summary``), the shipping notice and the total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryPanel")
        title = QLabel(tr("Ringkasan", "Summary"), self)
        title.setObjectName("panelTitle")
        self.summary = QTreeWidget(self)
        self.summary.setObjectName("checkoutSummary")
        self.summary.setAccessibleName(tr("Ringkasan pesanan", "Order summary"))
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.summary.setColumnCount(3)
        self.summary.setHeaderHidden(True)
        self.summary.setRootIsDecorated(False)
        self.summary.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.summary.setWordWrap(True)
        self.summary.setUniformRowHeights(False)
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
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.shipping_notice)
        layout.addWidget(self.total)

    def show_cart(
        self, cart: Cart, *, needs_shipping: bool, cost: int | None, courier: str, ship_off: int
    ) -> int:
        """Rebuild the rows; returns the total due (``cost`` None: not quoted yet)."""
        self.summary.clear()
        for line in cart.lines:
            row = QTreeWidgetItem([f"{line.quantity} ×", line.item.name, format_idr(line.subtotal)])
            row.setTextAlignment(0, _RIGHT)
            row.setTextAlignment(2, _RIGHT)
            self.summary.addTopLevelItem(row)
        if needs_shipping:
            label = tr("Ongkir", "Shipping")
            if courier and cost is not None:
                label += f" — {courier}"
            self._add("shipping", label, format_idr(cost) if cost is not None else "—")
        if cart.discount_amount:
            label = tr("Diskon", "Discount") + (
                f" {cart.discount.label()}" if cart.discount and cart.discount.label() else ""
            )
            self._add("discount", label, f"−{format_idr(cart.discount_amount)}")
        if ship_off:
            label = tr("Diskon ongkir", "Shipping discount")
            self._add("shipping_discount", label, f"−{format_idr(ship_off)}")
        self.shipping_notice.setVisible(needs_shipping and cost is None)
        total = int(cart.net_total + (cost or 0) - ship_off)
        self.total.setText(tr("Total", "Total") + f"  {format_idr(total)}")
        self.total.setProperty("includesShipping", cost is not None)
        return total

    def _add(self, kind: str, label: str, amount: str) -> None:
        row = QTreeWidgetItem(["", label, amount])
        row.setTextAlignment(2, _RIGHT)
        row.setData(0, Qt.ItemDataRole.UserRole, kind)
        self.summary.addTopLevelItem(row)
