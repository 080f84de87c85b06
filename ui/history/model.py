"""The history table's model: one row per journaled sale (``HistoryRow``), newest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.common.plain_text import shown, tooltip
from ui.history.labels import (
    STATUS_COLOURS,
    display_datetime,
    local_phone,
    local_state_label,
    status_label,
)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the HistoryRow
POS_REF_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3


COLUMNS = (
    ("Waktu", "Time"),
    ("Pelanggan", "Customer"),
    ("No. HP", "Phone"),
    ("No. pesanan", "Order no."),
    ("Total", "Total"),
    ("Status", "Status"),
    ("Lokal", "Local"),
)
COL_TIME, COL_CUSTOMER, COL_PHONE, COL_ORDER, COL_TOTAL, COL_STATUS, COL_LOCAL = range(7)


class HistoryModel(QAbstractTableModel):
    """One row per sale (``HistoryRow``), newest first.

    ``DisplayRole`` per column (see :data:`COLUMNS`); ``ROW_ROLE`` = the ``HistoryRow``;
    ``POS_REF_ROLE`` = its pos_ref; ``STATUS_ROLE`` = its status (``pending``, ``created``,
    ``paid``, ``canceled``, ``failed``, ``rejected``, ``needs_decision``, ``abandoned``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, row: Any) -> None:
        for i, old in enumerate(self._rows):
            if old.pos_ref == row.pos_ref:
                self._rows[i] = row
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return

    def row_at(self, index: int) -> Any:
        return self._rows[index]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def find(self, pos_ref: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.pos_ref == pos_ref), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(*COLUMNS[section])
        return None

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return row
        if role == POS_REF_ROLE:
            return row.pos_ref
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TIME:
                return display_datetime(row.created_at)
            if col == COL_CUSTOMER:
                return shown(row.customer_name)
            if col == COL_PHONE:
                return local_phone(row.customer_phone)
            if col == COL_ORDER:
                return shown(row.order_number or row.order_id) or "—"
            if col == COL_TOTAL:
                return format_idr(row.total)
            if col == COL_STATUS:
                return status_label(row.status)
            if col == COL_LOCAL:
                return local_state_label(row.state.value)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and row.last_error
            and col in (COL_STATUS, COL_LOCAL)
        ):
            return tooltip(row.last_error)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_TOTAL:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col == COL_STATUS and role in (
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.BackgroundRole,
        ):
            fg, bg = STATUS_COLOURS.get(row.status, ("#111827", "#ffffff"))
            return QBrush(QColor(fg if role == Qt.ItemDataRole.ForegroundRole else bg))
        return None
