"""The history screen's filter bar: search (debounced), day, Today, All days, Pending only.

The widgets are the page's children (laid out by :class:`~ui.history.view.HistoryView`);
:class:`HistoryFilters` owns their rules and says when the list must be re-read."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QObject, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QLineEdit, QPushButton, QWidget

from ui.common.i18n import tr

#: search-as-you-type debounce of the history screen
SEARCH_DEBOUNCE_MS = 250


class HistoryFilters(QObject):
    """Signals:
    changed(): re-read the list with :meth:`selected_day` and the other filters."""

    changed = Signal()

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self.search = QLineEdit(page)
        self.search.setObjectName("historySearch")
        self.search.setAccessibleName(
            tr("Cari nama, no. HP atau no. pesanan", "Search name, phone or order number")
        )
        self.search.setPlaceholderText(
            tr("Cari nama, no. HP, no. pesanan…", "Search name, phone, order no.…")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(44)
        self.day = QDateEdit(page)
        self.day.setObjectName("historyDate")
        self.day.setAccessibleName(tr("Tanggal", "Date"))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setDate(QDate.currentDate())
        self.day.setMaximumDate(QDate.currentDate().addDays(1))
        self.day.setMinimumHeight(44)
        self.today_button = QPushButton(tr("Hari ini", "Today"), page)
        self.today_button.setObjectName("historyToday")
        self.today_button.setAccessibleName(tr("Penjualan hari ini", "Today's sales"))
        self.today_button.setMinimumHeight(44)
        self.all_days = QCheckBox(tr("Semua", "All"), page)
        self.all_days.setObjectName("historyAllDays")
        self.all_days.setAccessibleName(tr("Semua tanggal", "All days"))
        self.pending_only = QCheckBox(tr("Belum terkirim saja", "Pending only"), page)
        self.pending_only.setObjectName("historyPendingOnly")
        self.pending_only.setAccessibleName(
            tr("Hanya penjualan belum terkirim", "Only sales not sent yet")
        )
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _t: self.debounce.start())
        self.day.dateChanged.connect(lambda _d: self._day_changed())
        self.today_button.clicked.connect(self.show_today)
        self.all_days.toggled.connect(lambda _on: self._all_days_toggled())
        self.pending_only.toggled.connect(lambda _on: self.changed.emit())

    def selected_day(self) -> date | None:
        if self.all_days.isChecked():
            return None
        d = self.day.date()
        return date(d.year(), d.month(), d.day())

    def show_today(self) -> None:
        self.all_days.setChecked(False)
        self.day.setDate(QDate.currentDate())
        self.changed.emit()

    def clear_search(self) -> None:
        self.search.clear()
        self.debounce.stop()

    def _day_changed(self) -> None:
        if self.all_days.isChecked():
            self.all_days.setChecked(False)  # picking a day means that day
        self.changed.emit()

    def _all_days_toggled(self) -> None:
        self.day.setEnabled(not self.all_days.isChecked())
        self.changed.emit()
