"""The cart: :class:`CartModel` (a table over ``pos.domain.cart.Cart``) and :class:`CartPanel`.

Keyboard on the cart table: ``+`` / ``-`` change the current line, ``Delete`` removes it,
typing a number (or F2 / Enter) edits the quantity.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos.domain.cart import Cart
from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.common.plain_text import tooltip

AnyIndex = QModelIndex | QPersistentModelIndex
KeyRole = Qt.ItemDataRole.UserRole + 3

COL_NAME, COL_QTY, COL_SUBTOTAL = range(3)


class CartModel(QAbstractTableModel):
    """Rows = cart lines. Column 1 (quantity) is editable.

    Signals:
        quantity_edited(str, int): the cashier typed a new quantity for the line with this key.
    """

    quantity_edited = Signal(str, int)

    def __init__(self, cart: Cart, parent: Any = None) -> None:
        super().__init__(parent)
        self._cart = cart
        self._keys: list[str] = [line.item.key for line in cart.lines]

    def refresh(self) -> None:
        """Show the cart's current state; a reset only when lines came or went (so an open
        quantity editor survives a quantity change)."""
        keys = [line.item.key for line in self._cart.lines]
        if keys == self._keys and keys:
            self.dataChanged.emit(self.index(0, 0), self.index(len(keys) - 1, 2))
            return
        self.beginResetModel()
        self._keys = keys
        self.endResetModel()

    def key_at(self, row: int) -> str | None:
        lines = self._cart.lines
        return lines[row].item.key if 0 <= row < len(lines) else None

    def row_of(self, key: str) -> int:
        for i, line in enumerate(self._cart.lines):
            if line.item.key == key:
                return i
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cart.lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("Barang", "Item"), tr("Jml", "Qty"), tr("Subtotal", "Subtotal"))[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        lines = self._cart.lines
        if not 0 <= index.row() < len(lines):
            return None
        line = lines[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return line.item.name
            if col == COL_QTY:
                return str(line.quantity)
            return format_idr(line.subtotal)
        if role == Qt.ItemDataRole.EditRole and col == COL_QTY:
            return line.quantity
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME:
            return tooltip(f"{line.item.name} — {format_idr(line.item.price)}")
        if role == Qt.ItemDataRole.TextAlignmentRole and col != COL_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KeyRole:
            return line.item.key
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != COL_QTY or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            qty = int(str(value).strip())
        except ValueError:
            return False
        if qty < 0 or qty > 9999:
            return False
        key = self.key_at(index.row())
        if key is None:
            return False
        self.quantity_edited.emit(key, qty)
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == COL_QTY:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class CartTable(QTableView):
    """Cart table with keyboard quantity control.

    Signals:
        delta_requested(str, int): ``+``/``-`` pressed on a line.
        remove_requested(str): ``Delete`` pressed on a line.
    """

    delta_requested = Signal(str, int)
    remove_requested = Signal(str)

    def current_key(self) -> str | None:
        idx = self.currentIndex()
        return idx.data(KeyRole) if idx.isValid() else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = self.current_key()
        if key is not None and self.state() != QAbstractItemView.State.EditingState:
            k = event.key()
            if k in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
                self.delta_requested.emit(key, 1)
                return
            if k in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
                self.delta_requested.emit(key, -1)
                return
            if k in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_requested.emit(key)
                return
            if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                qty = self.model().index(self.currentIndex().row(), COL_QTY)
                self.setCurrentIndex(qty)
                self.edit(qty)
                return
            if event.text().isdigit():
                qty = self.model().index(self.currentIndex().row(), COL_QTY)
                self.setCurrentIndex(qty)
        super().keyPressEvent(event)


class CartPanel(QWidget):
    """Cart table, line buttons, running total and the charge button.

    Signals:
        charge_requested(): the cashier wants to take payment.
    """

    charge_requested = Signal()

    def __init__(self, controller: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartPanel")
        self._controller = controller
        self.model = CartModel(controller.cart, self)
        self.model.quantity_edited.connect(controller.set_quantity)

        title = QLabel(tr("Keranjang", "Cart"), self)
        title.setObjectName("panelTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("cartCount")

        self.table = CartTable(self)
        self.table.setObjectName("cartView")
        self.table.setAccessibleName(tr("Keranjang", "Cart"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.setCornerButtonEnabled(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_QTY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SUBTOTAL, QHeaderView.ResizeMode.ResizeToContents)
        self.table.delta_requested.connect(controller.change_quantity)
        self.table.remove_requested.connect(controller.remove_line)

        self.plus_button = self._button("+", tr("Tambah satu", "Add one"), "cartPlus")
        self.minus_button = self._button("−", tr("Kurangi satu", "Remove one"), "cartMinus")
        self.remove_button = self._button(
            tr("Hapus", "Remove") + "  (Del)",
            tr("Hapus baris", "Remove line"),
            "cartRemove",
        )
        self.clear_button = self._button(
            tr("Kosongkan", "Clear"), tr("Kosongkan keranjang", "Clear cart"), "cartClear"
        )
        self.clear_button.setProperty("role", "flat")
        self.plus_button.clicked.connect(
            lambda: self._on_selected(lambda k: controller.change_quantity(k, 1))
        )
        self.minus_button.clicked.connect(
            lambda: self._on_selected(lambda k: controller.change_quantity(k, -1))
        )
        self.remove_button.clicked.connect(lambda: self._on_selected(controller.remove_line))
        self.clear_button.clicked.connect(controller.clear_cart)

        from ui.sale.discount_entry import DiscountEntry

        self.discount = DiscountEntry(controller, self)
        total_caption = QLabel(tr("Total", "Total"), self)
        total_caption.setObjectName("totalCaption")
        self.total_label = QLabel(format_idr(0), self)
        self.total_label.setObjectName("cartTotal")
        self.total_label.setAccessibleName(tr("Total belanja", "Cart total"))
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.charge_button = QPushButton(tr("Bayar", "Charge") + "  (F9)", self)
        self.charge_button.setObjectName("chargeButton")
        self.charge_button.setAccessibleName(tr("Bayar", "Charge"))
        self.charge_button.setProperty("role", "primary")
        self.charge_button.setMinimumHeight(56)
        self.charge_button.clicked.connect(self.charge_requested)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.clear_button)
        buttons = QHBoxLayout()
        for b in (self.minus_button, self.plus_button):
            b.setFixedWidth(56)
            buttons.addWidget(b)
        buttons.addWidget(self.remove_button, 1)
        total_row = QHBoxLayout()
        caption_box = QVBoxLayout()
        caption_box.setSpacing(0)
        caption_box.addWidget(total_caption)
        caption_box.addWidget(self.count_label)
        total_row.addLayout(caption_box)
        total_row.addStretch(1)
        total_row.addWidget(self.total_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.discount)
        layout.addLayout(total_row)
        layout.addWidget(self.charge_button)

        controller.cart_changed.connect(self.refresh)
        self.refresh()

    def _button(self, text: str, accessible: str, name: str) -> QPushButton:
        b = QPushButton(text, self)
        b.setObjectName(name)
        b.setAccessibleName(accessible)
        b.setToolTip(accessible)
        b.setMinimumHeight(44)
        return b

    def _on_selected(self, action: Any) -> None:
        key = self.table.current_key()
        if key is None and self.model.rowCount() == 1:
            key = self.model.key_at(0)
        if key is not None:
            action(key)

    def refresh(self) -> None:
        current = self.table.current_key()
        column = max(self.table.currentIndex().column(), 0)
        self.model.refresh()
        cart = self._controller.cart
        self.total_label.setText(format_idr(cart.net_total))
        self.total_label.setProperty("discount", cart.discount_amount)
        items = "item" if cart.count == 1 else "items"
        self.count_label.setText(tr(f"{cart.count} barang", f"{cart.count} {items}"))
        empty = cart.is_empty
        self.charge_button.setEnabled(not empty)
        for b in (self.plus_button, self.minus_button, self.remove_button, self.clear_button):
            b.setEnabled(not empty)
        if current is not None:
            row = self.model.row_of(current)
            if row >= 0:
                self.table.setCurrentIndex(self.model.index(row, column))
