"""Sales history in the UI (issue 5): the history page around the ``historyView`` table.
The outbox's parts the sale screen needs before the first paint — the bridge, the pending
badge, the queued page, the start-up reconcile — live in :mod:`ui.checkout.outbox_ui`; this
package is imported when the history is built.

- :class:`HistoryView` — one row per journaled sale with local and remote status; the filter
  bar (:mod:`ui.history.filters`: day, debounced search, pending only); the selected sale's
  detail and open / retry / abandon / refresh / print / PDF / WhatsApp.
- :mod:`ui.history.model` — :class:`~ui.history.model.HistoryModel`, its columns and roles.
- :mod:`ui.history.labels` — dates, phone numbers, status labels, the detail and questions.
- :mod:`ui.history.dialogs` — the retry / abandon questions, opened with ``open()`` (never
  ``exec()``): nothing here blocks the event loop.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.checkout.outbox_ui import OutboxBridge
from ui.common.errors import describe_error
from ui.common.i18n import tr
from ui.history.dialogs import confirm
from ui.history.filters import HistoryFilters
from ui.history.labels import abandon_question, detail_text, retry_question
from ui.history.model import COL_CUSTOMER, HistoryModel
from ui.payment.share_buttons import WhatsAppButton

log = logging.getLogger(__name__)

#: search-as-you-type debounce of the history screen
SEARCH_DEBOUNCE_MS = 250


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

        self.filters = HistoryFilters(self)
        self.search, self.day = self.filters.search, self.filters.day
        self.today_button, self.all_days = self.filters.today_button, self.filters.all_days
        self.pending_only = self.filters.pending_only
        self._debounce = self.filters.debounce

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

        self.filters.changed.connect(self.reload)
        self.search.returnPressed.connect(self._search_enter)
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
        return self.filters.selected_day()

    def show_today(self) -> None:
        self.filters.show_today()

    def show_pending(self) -> None:
        """What the badge opens: every pending sale, whatever its day."""
        self.filters.clear_search()
        self.all_days.setChecked(True)
        self.pending_only.setChecked(True)
        self.reload()

    def show_all(self, pos_ref: str | None = None) -> None:
        """Every day, no filter; select ``pos_ref`` when given."""
        self.filters.clear_search()
        self.pending_only.setChecked(False)
        self.all_days.setChecked(True)
        self.reload()
        if pos_ref:
            self.select(pos_ref)

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
            rows = [r for r in rows if r.pending]
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
        self.detail.setText(detail_text(row))

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
        self._dialog = confirm(self, name, title, text, yes, on_yes, self._dialog_closed)
        return self._dialog

    def _dialog_closed(self, box: QMessageBox) -> None:
        if self._dialog is box:
            self._dialog = None

    def ask_retry(self) -> QMessageBox | None:
        row = self.selected_row()
        if row is None or not row.can_retry:
            return None
        pos_ref = row.pos_ref
        return self._confirm(
            "retryConfirm",
            tr("Coba lagi", "Retry"),
            retry_question(row),
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
            abandon_question(row),
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


__all__ = ["HistoryView"]
