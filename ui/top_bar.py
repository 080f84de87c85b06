"""The window's top bar: title, DEMO badge, store picker (a search box once stores arrive),
link indicator, pending badge, print retry, history, shift, customer display, settings, help.

It holds no state of its own beyond what it shows: every button is an intent for the window.

Signals:
    store_chosen(int): the cashier picked a store (its id).
    history_requested(), pending_requested(), shift_requested(), settings_requested(),
    help_requested(), reprint_requested(): the buttons.
    display_toggled(bool): the customer display button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFrame, QHBoxLayout, QLabel, QPushButton

from ui.checkout.outbox_ui import PendingBadge
from ui.common.i18n import tr, tr_short
from ui.common.shortcuts import label as shortcut_label
from ui.connection_view import LinkIndicator

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from pos.api.models import Store


class TopBar(QFrame):
    """The bar above the pages (see the module docstring for its signals)."""

    store_chosen = Signal(int)
    history_requested = Signal()
    pending_requested = Signal()
    shift_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    reprint_requested = Signal()
    display_toggled = Signal(bool)

    def __init__(
        self, *, demo: bool, history: bool, shifts: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("topBar")
        title = QLabel("Kasir", self)
        title.setObjectName("appTitle")
        self.demo_badge = QLabel("DEMO", self)
        self.demo_badge.setObjectName("demoBadge")
        self.demo_badge.setToolTip(
            tr(
                "Mode demo: server contoh bawaan, tidak ada uang sungguhan.",
                "Demo mode: the built-in sample server, no real money.",
            )
        )
        self.demo_badge.setAccessibleName(tr("Mode demo", "Demo mode"))
        self.demo_badge.setVisible(demo)
        self.store_selector = QComboBox(self)
        self.store_selector.setObjectName("storeSelector")
        self.store_selector.setAccessibleName(tr("Pilih toko", "Choose store"))
        self.store_selector.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.store_selector.setMinimumWidth(180)
        self.store_selector.setToolTip(tr("Toko", "Store"))
        self.store_selector.setMinimumHeight(44)
        self._store_names = QStringListModel(self)  # the search box comes with the stores
        self.store_selector.activated.connect(self._on_activated)
        self.link_status = LinkIndicator(self)
        help_button = self._button("F1 " + tr_short("Bantuan", "Help"), "helpButton")
        help_button.setToolTip(tr("Pintasan keyboard", "Keyboard shortcuts") + "  (F1)")
        help_button.setAccessibleName(tr("Pintasan keyboard", "Keyboard shortcuts"))
        help_button.clicked.connect(self.help_requested)
        self.pending_badge = PendingBadge(self)
        self.pending_badge.clicked.connect(self.pending_requested)
        self.history_button = self._button("F4 " + tr_short("Riwayat", "History"), "historyButton")
        self.history_button.setToolTip(tr("Riwayat penjualan", "Sales history") + "  (F4)")
        self.history_button.setAccessibleName(tr("Riwayat penjualan", "Sales history"))
        self.history_button.clicked.connect(self.history_requested)
        self.history_button.setVisible(history)
        self.reprint_button = self._button("", "retryPrintsButton")
        self.reprint_button.setAccessibleName(
            tr("Cetak ulang struk yang gagal", "Retry the failed prints")
        )
        self.reprint_button.clicked.connect(self.reprint_requested)
        # top-bar buttons in one language even in bilingual mode, so the bar fits 1366 px
        self.display_button = self._button(
            tr_short("Layar pelanggan", "Customer display"), "customerDisplayButton"
        )
        self.display_button.setToolTip(tr("Layar pelanggan", "Customer display"))
        self.display_button.setAccessibleName(
            tr("Tampilkan layar pelanggan", "Show the customer display")
        )
        self.display_button.setCheckable(True)
        self.display_button.setStyleSheet(
            "#customerDisplayButton:checked { background: #dcfce7; color: #166534;"
            " border: 2px solid #16a34a; }"
        )
        self.display_button.toggled.connect(self.display_toggled)
        self.settings_button = self._button(
            "F10 " + tr_short("Pengaturan", "Settings"), "settingsButton"
        )
        self.settings_button.setToolTip(
            tr("Pengaturan", "Settings") + f"  (F10, {shortcut_label('settings')})"
        )
        self.settings_button.setAccessibleName(tr("Pengaturan", "Settings"))
        self.settings_button.clicked.connect(self.settings_requested)
        # the cashier's shift (issue 13)
        self.shift_button = self._button("F7 " + tr_short("Shift", "Shift"), "shiftButton")
        self.shift_button.setAccessibleName(tr("Shift kasir", "Cashier shift"))
        self.shift_button.clicked.connect(self.shift_requested)
        self.shift_button.setVisible(shifts)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(title)
        layout.addWidget(self.demo_badge)
        layout.addSpacing(8)
        layout.addWidget(self.store_selector)
        layout.addStretch(1)
        for widget in (
            self.link_status,
            self.pending_badge,
            self.reprint_button,
            self.history_button,
            self.shift_button,
            self.display_button,
            self.settings_button,
            help_button,
        ):
            layout.addWidget(widget)
        self.reprint_button.hide()  # shown when receipts wait for a retry (show_reprint)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setMinimumHeight(44)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # --- stores -----------------------------------------------------------------------
    def set_stores(self, stores: list[Store]) -> None:
        self._make_store_search()
        self.store_selector.blockSignals(True)
        self.store_selector.clear()
        for s in stores:
            self.store_selector.addItem(s.name or s.unique_id, s.id)
        self._store_names.setStringList([s.name or s.unique_id for s in stores])
        self.store_selector.blockSignals(False)

    def show_store(self, store: Store) -> None:
        idx = self.store_selector.findData(store.id)
        if idx >= 0:
            self.store_selector.setCurrentIndex(idx)

    def _on_activated(self, index: int) -> None:
        store_id = self.store_selector.itemData(index)
        if store_id is not None:
            self.store_chosen.emit(int(store_id))

    def _make_store_search(self) -> None:
        """Type to find a store: the picker becomes an editable box with a completer when the
        store list arrives (never before the first paint, when there is nothing to search)."""
        if self.store_selector.isEditable():
            return
        self.store_selector.setEditable(True)
        line = self.store_selector.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("Cari toko…", "Search store…"))
        completer = QCompleter(self._store_names, self.store_selector)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.store_selector.setCompleter(completer)

    # --- indicators -------------------------------------------------------------------
    def show_reprint(self, pending: int) -> None:
        self.reprint_button.setText(tr_short("Cetak ulang", "Retry prints") + f" ({pending})")
        self.reprint_button.setVisible(pending > 0)

    def set_display_checked(self, on: bool) -> None:
        """The display button's state without its toggled intent (the window opened or
        closed the display itself)."""
        if self.display_button.isChecked() != on:
            self.display_button.blockSignals(True)
            self.display_button.setChecked(on)
            self.display_button.blockSignals(False)
