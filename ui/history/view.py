"""Sales history in the UI (issue 5). The outbox's parts the sale screen needs before the first
paint — the bridge, the pending badge, the queued page, the start-up reconcile — live in
:mod:`ui.checkout.outbox_ui` (re-exported here); this module is imported when the history is built.

- :class:`HistoryModel` / :class:`HistoryView` — ``historyView``: one row per journaled sale
  with local and remote status, day filter, debounced search, open / retry / abandon /
  refresh / WhatsApp.

Dialogs are opened with ``open()`` (never ``exec()``): nothing here blocks the event loop.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos.storage.journal import PENDING
from ui.checkout.outbox_ui import OutboxBridge
from ui.common.errors import describe_error
from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.common.plain_text import shown, tooltip
from ui.payment.share_buttons import WhatsAppButton

log = logging.getLogger(__name__)

#: search-as-you-type debounce of the history screen
SEARCH_DEBOUNCE_MS = 250

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the HistoryRow
POS_REF_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def indonesian_datetime(value: datetime) -> str:
    """``26 Nov 2026 14.05`` (Indonesian month abbreviations, ``HH.MM``)."""
    return f"{value.day} {_MONTHS_ID[value.month - 1]} {value.year} {value:%H.%M}"


def display_datetime(value: datetime) -> str:
    """The date as the receipt prints it in the UI's language: ``26 Nov 2026 14.05``, in
    English ``26 Nov 2026 14:05`` (``pos.receipts.model.format_receipt_date``)."""
    from pos.receipts.model import format_receipt_date
    from ui.common.i18n import lang

    return format_receipt_date(value, lang())


def local_phone(phone: str | None) -> str:
    """``6281234567890`` → ``0812-3456-7890`` (how cashiers write it)."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    if len(digits) >= 10:
        return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"
    return digits


def status_label(status: str) -> str:
    labels = {
        "pending": ("Belum terkirim", "Pending"),
        "created": ("Menunggu bayar", "Unpaid"),
        "paid": ("Lunas", "Paid"),
        "canceled": ("Dibatalkan", "Canceled"),
        "failed": ("Gagal", "Failed"),
        "rejected": ("Ditolak", "Rejected"),
        "needs_decision": ("Perlu keputusan", "Needs decision"),
        "abandoned": ("Dibatalkan kasir", "Abandoned"),
    }
    pair = labels.get(status)
    return tr(*pair) if pair else status


def local_state_label(state: str) -> str:
    labels = {
        "draft": ("draf", "draft"),
        "sending": ("mengirim", "sending"),
        "created": ("dibuat", "created"),
        "unknown": ("dipastikan", "confirming"),
        "reconciled": ("dibuat (dicocokkan)", "created (matched)"),
        "rejected": ("ditolak", "rejected"),
        "failed": ("gagal", "failed"),
        "queued": ("antre", "queued"),
        "needs_decision": ("perlu keputusan", "needs decision"),
        "abandoned": ("dibatalkan", "abandoned"),
    }
    pair = labels.get(state)
    return tr(*pair) if pair else state


#: foreground / background colours of the status cell
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "pending": ("#9a3412", "#ffedd5"),
    "created": ("#1e40af", "#dbeafe"),
    "paid": ("#166534", "#dcfce7"),
    "canceled": ("#374151", "#e5e7eb"),
    "failed": ("#991b1b", "#fee2e2"),
    "rejected": ("#991b1b", "#fee2e2"),
    "needs_decision": ("#991b1b", "#fecaca"),
    "abandoned": ("#6b7280", "#f3f4f6"),
}


# --- the history table ---------------------------------------------------------------------

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


class HistoryView(QWidget):
    """The history page (``historyPage``) around the ``historyView`` table.

    Signals:
        open_requested(object): show this ``HistoryRow``'s payment screen (QR + live status).
        back_requested(): leave the history (Esc).
    """

    open_requested = Signal(object)
    back_requested = Signal()
    #: "Shift (F7)": the shift window, with the past shifts and their reports
    shifts_requested = Signal()
    #: a created sale's receipt: print it / save it as PDF (the row)
    print_requested = Signal(object)
    pdf_requested = Signal(object)

    def __init__(
        self,
        bridge: OutboxBridge,
        parent: QWidget | None = None,
        *,
        sandbox_origin: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.bridge = bridge
        self.runner = bridge.runner
        self.notifier = bridge.notifier
        self._dialog: QMessageBox | None = None

        title = QLabel(tr("Riwayat penjualan", "Sales history"), self)
        title.setObjectName("pageTitle")

        self.search = QLineEdit(self)
        self.search.setObjectName("historySearch")
        self.search.setAccessibleName(
            tr("Cari nama, no. HP atau no. pesanan", "Search name, phone or order number")
        )
        self.search.setPlaceholderText(
            tr("Cari nama, no. HP, no. pesanan…", "Search name, phone, order no.…")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(44)
        self.day = QDateEdit(self)
        self.day.setObjectName("historyDate")
        self.day.setAccessibleName(tr("Tanggal", "Date"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setDate(QDate.currentDate())
        self.day.setMaximumDate(QDate.currentDate().addDays(1))
        self.day.setMinimumHeight(44)
        self.today_button = QPushButton(tr("Hari ini", "Today"), self)
        self.today_button.setObjectName("historyToday")
        self.today_button.setAccessibleName(tr("Penjualan hari ini", "Today's sales"))
        self.today_button.setMinimumHeight(44)
        self.all_days = QCheckBox(tr("Semua", "All"), self)
        self.all_days.setObjectName("historyAllDays")
        self.all_days.setAccessibleName(tr("Semua tanggal", "All days"))
        self.pending_only = QCheckBox(tr("Belum terkirim saja", "Pending only"), self)
        self.pending_only.setObjectName("historyPendingOnly")
        self.pending_only.setAccessibleName(
            tr("Hanya penjualan belum terkirim", "Only sales not sent yet")
        )

        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("historyView")
        self.table.setAccessibleName(tr("Daftar penjualan", "Sales list"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CUSTOMER, QHeaderView.ResizeMode.Stretch)
        #: damaged rows set aside / a recovered database (``HistoryService.set_aside``)
        self.set_aside = QLabel(self)
        self.set_aside.setObjectName("historySetAside")
        self.set_aside.setProperty("role", "fieldError")
        self.set_aside.setTextFormat(Qt.TextFormat.PlainText)
        self.set_aside.setWordWrap(True)
        self.set_aside.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_aside.hide()
        self.empty = QLabel(self)
        self.empty.setObjectName("historyEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.detail = QLabel(self)
        self.detail.setObjectName("historyDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # server names, numbers, errors
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        def button(name: str, text: str, accessible: str) -> QPushButton:
            b = QPushButton(text, self)
            b.setObjectName(name)
            b.setAccessibleName(accessible)
            b.setMinimumHeight(48)
            return b

        self.open_button = button(
            "historyOpen",
            tr("Tampilkan QR", "Show QR") + "  (Enter)",
            tr("Tampilkan QR dan status pembayaran", "Show the QR and payment status"),
        )
        self.open_button.setProperty("role", "primary")
        self.retry_button = button(
            "historyRetry", tr("Coba lagi", "Retry"), tr("Kirim ulang sekarang", "Send again now")
        )
        self.abandon_button = button(
            "historyAbandon",
            tr("Batalkan penjualan", "Abandon sale"),
            tr("Batalkan penjualan ini", "Abandon this sale"),
        )
        self.refresh_button = button(
            "historyRefresh",
            tr("Perbarui status", "Refresh status") + "  (F5)",
            tr("Perbarui status dari Scalev", "Refresh the status from Scalev"),
        )
        self.whatsapp = WhatsAppButton(self.notifier, self, sandbox_origin=sandbox_origin)
        self.whatsapp.setObjectName("historyWhatsApp")
        self.print_button = button(
            "historyPrint", tr("Cetak struk", "Print receipt"), tr("Cetak struk", "Print receipt")
        )
        self.pdf_button = button(
            "historyPdf",
            tr("Simpan PDF", "Save PDF"),
            tr("Simpan struk sebagai PDF", "Save receipt as PDF"),
        )
        self.back_button = button(
            "historyBack", tr("Kembali", "Back") + "  (Esc)", tr("Kembali", "Back")
        )

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.day)
        filters.addWidget(self.today_button)
        filters.addWidget(self.all_days)
        filters.addWidget(self.pending_only)
        self.shifts_button = QPushButton(tr("Shift", "Shifts") + "  (F7)", self)
        self.shifts_button.setObjectName("historyShifts")
        self.shifts_button.setAccessibleName(
            tr("Shift: buka, tutup, shift sebelumnya", "Shifts: open, close, past shifts")
        )
        self.shifts_button.setMinimumHeight(44)
        self.shifts_button.clicked.connect(self.shifts_requested)
        filters.addWidget(self.shifts_button)
        # per-sale actions in two rows beside the detail text; Back on its own at the left
        actions = QGridLayout()
        actions.setHorizontalSpacing(8)
        actions.setVerticalSpacing(8)
        actions.addWidget(self.refresh_button, 0, 0)
        actions.addWidget(self.abandon_button, 0, 1)
        actions.addWidget(self.retry_button, 0, 2)
        actions.addWidget(self.whatsapp, 1, 0, 1, 2)
        actions.addWidget(self.open_button, 1, 2)
        actions.addWidget(self.print_button, 2, 0, 1, 2)
        actions.addWidget(self.pdf_button, 2, 2)
        left = QVBoxLayout()
        left.addWidget(self.detail, 1)
        left.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignLeft)
        bottom = QHBoxLayout()
        bottom.addLayout(left, 3)
        bottom.addLayout(actions, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.set_aside)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(bottom)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_enter)
        self.day.dateChanged.connect(lambda _d: self._day_changed())
        self.today_button.clicked.connect(self.show_today)
        self.all_days.toggled.connect(lambda _on: self._all_days_toggled())
        self.pending_only.toggled.connect(lambda _on: self.reload())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda _c, _p: self._update_actions())
        self.open_button.clicked.connect(self.open_selected)
        self.print_button.clicked.connect(lambda: self._receipt_action(self.print_requested))
        self.pdf_button.clicked.connect(lambda: self._receipt_action(self.pdf_requested))
        self.retry_button.clicked.connect(self.ask_retry)
        self.abandon_button.clicked.connect(self.ask_abandon)
        self.refresh_button.clicked.connect(self.refresh_selected)
        self.back_button.clicked.connect(self.back_requested)
        bridge.sale_changed.connect(lambda _ref: self._reload_if_visible())
        self.runner.busy_changed.connect(self._on_busy)
        self._update_actions()

    # --- filters ---------------------------------------------------------------------
    def selected_day(self) -> date | None:
        if self.all_days.isChecked():
            return None
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def show_today(self) -> None:
        self.all_days.setChecked(False)
        self.day.setDate(QDate.currentDate())
        self.reload()

    def show_pending(self) -> None:
        """What the badge opens: every pending sale, whatever its day."""
        self.search.clear()
        self._debounce.stop()
        self.all_days.setChecked(True)
        self.pending_only.setChecked(True)
        self.reload()

    def show_all(self, pos_ref: str | None = None) -> None:
        """Every day, no filter; select ``pos_ref`` when given."""
        self.search.clear()
        self._debounce.stop()
        self.pending_only.setChecked(False)
        self.all_days.setChecked(True)
        self.reload()
        if pos_ref:
            self.select(pos_ref)

    def _day_changed(self) -> None:
        if self.all_days.isChecked():
            self.all_days.setChecked(False)  # picking a day means that day
        self.reload()

    def _all_days_toggled(self) -> None:
        self.day.setEnabled(not self.all_days.isChecked())
        self.reload()

    def _search_enter(self) -> None:
        self._debounce.stop()
        self.reload()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def _reload_if_visible(self) -> None:
        if self.isVisible():
            self.reload()

    # --- data ------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the journal (local, instant) with the current filters; keep the selection."""
        self._debounce.stop()
        current = self.selected_row()
        keep = current.pos_ref if current is not None else None
        try:
            rows = self.bridge.history.list(self.search.text(), self.selected_day())
        except Exception as exc:
            log.exception("history list failed")
            self.notifier.error(describe_error(exc))
            rows = []
        if self.pending_only.isChecked():
            rows = [r for r in rows if r.state in PENDING]
        self.model.set_rows(rows)
        self._show_set_aside()
        self._show_empty()
        if (keep is None or not self.select(keep)) and rows:
            self.table.selectRow(0)
        self._update_actions()

    def _show_set_aside(self) -> None:
        try:
            id_notes = self.bridge.history.set_aside("id")
            notes = (
                tr("\n".join(id_notes), "\n".join(self.bridge.history.set_aside("en")), "\n")
                if id_notes
                else ""
            )
        except Exception:  # the notice must never take the history down
            log.exception("history: set-aside notes failed")
            notes = ""
        self.set_aside.setText(notes.strip())
        self.set_aside.setVisible(bool(notes.strip()))

    def _show_empty(self) -> None:
        empty = self.model.rowCount() == 0
        if empty:
            if self.search.text().strip():
                text = tr("Tidak ada penjualan yang cocok.", "No matching sales.")
            elif self.pending_only.isChecked():
                text = tr("Semua penjualan sudah terkirim.", "Every sale has been sent.")
            else:
                text = tr("Belum ada penjualan.", "No sales yet.")
            self.empty.setText(text)
        self.empty.setVisible(empty)

    def select(self, pos_ref: str) -> bool:
        row = self.model.find(pos_ref)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self._update_actions()
        return True

    def selected_row(self) -> Any:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row())

    def _on_busy(self, key: str, _busy: bool) -> None:
        if key.startswith("history-"):
            self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected_row()
        busy = any(
            self.runner.is_busy(k) for k in ("history-retry", "history-abandon", "history-refresh")
        )
        self.open_button.setEnabled(row is not None and row.can_show_payment)
        self.print_button.setEnabled(row is not None and row.can_show_payment)
        self.pdf_button.setEnabled(row is not None and row.can_show_payment)
        self.retry_button.setEnabled(row is not None and row.can_retry and not busy)
        self.abandon_button.setEnabled(row is not None and row.can_abandon and not busy)
        self.refresh_button.setEnabled(not busy)
        if row is not None and row.can_show_payment and row.payment_url and row.customer_phone:
            self.whatsapp.set_payment(
                row.customer_phone,
                row.customer_name,
                row.store_name,
                row.order_number or row.order_id or "",
                row.total,
                row.payment_url,
                paid=(row.payment_status or "") in ("paid", "settled"),
            )
        else:
            self.whatsapp.clear()
        self.detail.setText(self._detail_text(row))

    def _detail_text(self, row: Any) -> str:
        if row is None:
            return ""
        parts = [f"{shown(row.store_name)} · {shown(row.customer_name)} · {format_idr(row.total)}"]
        if row.status == "pending":
            parts.append(
                tr(
                    "Belum terkirim — dikirim otomatis saat server bisa dihubungi.",
                    "Not sent yet — sent automatically when the server can be reached.",
                )
            )
        elif row.status == "needs_decision":
            parts.append(
                tr(
                    "Lebih dari 24 jam belum terkirim: pilih Coba lagi atau Batalkan.",
                    "Pending for more than 24 h: choose Retry or Abandon.",
                )
            )
        if row.last_error and row.status in ("pending", "failed", "rejected", "needs_decision"):
            parts.append(tr("Kesalahan terakhir", "Last error") + f": {row.last_error}")
        return "\n".join(parts)

    # --- actions ---------------------------------------------------------------------
    def open_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if row.can_show_payment:
            self.open_requested.emit(row)
        elif row.can_retry:
            self.notifier.info(
                tr(
                    "Pesanan ini belum dibuat di Scalev, jadi belum ada QR.",
                    "This order is not created in Scalev yet, so there is no QR.",
                )
            )

    def _receipt_action(self, signal: Any) -> None:
        row = self.selected_row()
        if row is not None and row.can_show_payment:
            signal.emit(row)

    def refresh_selected(self) -> None:
        """Re-read the selected order's status from Scalev; for a pending one, drain now."""
        row = self.selected_row()
        self.bridge.poke()
        if row is None or not row.can_show_payment:
            self.reload()
            return
        self.runner.start(
            "history-refresh",
            self.bridge.history.refresh(row.pos_ref),
            on_success=self._refreshed,
        )

    def _refreshed(self, row: Any) -> None:
        self.model.replace_row(row)
        self._update_actions()

    def _confirm(self, name: str, title: str, text: str, yes: str, on_yes: Any) -> QMessageBox:
        box = QMessageBox(self)
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
            if self._dialog is box:
                self._dialog = None

        box.finished.connect(finished)
        self._dialog = box
        box.open()
        return box

    def ask_retry(self) -> QMessageBox | None:
        row = self.selected_row()
        if row is None or not row.can_retry:
            return None
        pos_ref = row.pos_ref
        return self._confirm(
            "retryConfirm",
            tr("Coba lagi", "Retry"),
            tr(
                f"Kirim penjualan {row.customer_name} ({format_idr(row.total)}) ke Scalev "
                "sekarang? Kasir memeriksa dulu apakah pesanan sudah ada, jadi tidak akan dobel.",
                f"Send the sale for {row.customer_name} ({format_idr(row.total)}) to Scalev "
                "now? Kasir checks first whether the order exists, so it is never doubled.",
                "\n\n",
            ),
            tr("Coba lagi", "Retry"),
            lambda: self.runner.start(
                "history-retry",
                self._retry(pos_ref),
                on_error=lambda exc: self._action_failed(pos_ref, exc),
            ),
        )

    async def _retry(self, pos_ref: str) -> None:
        await self.bridge.outbox.retry(pos_ref)
        self.reload()
        self.select(pos_ref)

    def ask_abandon(self) -> QMessageBox | None:
        row = self.selected_row()
        if row is None or not row.can_abandon:
            return None
        pos_ref = row.pos_ref
        return self._confirm(
            "abandonConfirm",
            tr("Batalkan penjualan", "Abandon sale"),
            tr(
                f"Batalkan penjualan {row.customer_name} ({format_idr(row.total)})? "
                "Penjualan ini tidak akan dikirim lagi. Bila ternyata pesanannya sudah ada di "
                "Scalev, penjualan tetap dipakai.",
                f"Abandon the sale for {row.customer_name} ({format_idr(row.total)})? "
                "It will not be sent again. If the order turns out to exist in Scalev, "
                "the sale is kept.",
                "\n\n",
            ),
            tr("Batalkan penjualan", "Abandon sale"),
            lambda: self.runner.start(
                "history-abandon",
                self._abandon(pos_ref),
                on_error=lambda exc: self._action_failed(pos_ref, exc),
            ),
        )

    async def _abandon(self, pos_ref: str) -> None:
        await self.bridge.outbox.abandon(pos_ref)
        self.notifier.info(tr("Penjualan dibatalkan.", "Sale abandoned."))
        self.reload()
        self.select(pos_ref)

    def _action_failed(self, pos_ref: str, exc: BaseException) -> bool:
        from pos.services.outbox import SaleAlreadyCreated

        self.bridge.update_counts()
        self.reload()
        self.select(pos_ref)
        if isinstance(exc, SaleAlreadyCreated):
            self.notifier.warning(
                tr(
                    "Pesanan ini ternyata sudah ada di Scalev, jadi tidak dibatalkan. "
                    "Tampilkan QR-nya untuk menagih.",
                    "This order already exists in Scalev, so it was not abandoned. "
                    "Show its QR to collect payment.",
                )
            )
            return True
        return False  # the runner shows describe_error(exc)

    def current_dialog(self) -> QMessageBox | None:
        return self._dialog

    def close_dialog(self) -> None:
        if self._dialog is not None:
            with contextlib.suppress(RuntimeError):
                self._dialog.reject()


__all__ = [
    "HistoryModel",
    "HistoryView",
    "indonesian_datetime",
    "local_phone",
]
