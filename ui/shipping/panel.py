"""The shipping panel of the checkout: street address, kecamatan search, postal code,
warehouse and courier choice. Shown only when the cart holds physical goods.

All state lives in :class:`~pos.services.shipping_quote.ShippingQuote` (its changes arrive
through :class:`~ui.shipping.models.ShippingSignals`); this widget renders it and turns keys and
clicks into its inputs. Keyboard: type the kecamatan, ↓ into the results, Enter
picks; ↑/↓ through the couriers, Enter or Space picks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos.services.shipping import valid_postal_code
from ui.common.i18n import tr
from ui.shipping.courier_delegate import COURIER_ROW_HEIGHT, CourierDelegate
from ui.shipping.models import (
    CourierModel,
    LocationModel,
    ShippingSignals,
    location_text,
    warehouse_text,
)

if TYPE_CHECKING:
    from pos.api.models import CourierServiceResult, Location, WarehouseResult

SEARCH_DEBOUNCE_MS = 250


class ShippingPanel(QFrame):
    """Signals:
    picked_location(): a kecamatan was chosen (focus moves on).
    """

    picked_location = Signal()

    def __init__(self, signals: ShippingSignals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shippingPanel")
        self.setAccessibleName(tr("Pengiriman", "Shipping"))
        self.signals = signals
        self.quote = quote = signals.state

        title = QLabel(tr("Pengiriman", "Shipping"), self)
        title.setObjectName("panelTitle")

        self.address = QLineEdit(self)
        self.address.setObjectName("shippingAddress")
        self.address.setAccessibleName(tr("Alamat jalan pengiriman", "Street address"))
        self.address.setPlaceholderText("Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03")
        self.address.setMaxLength(300)
        self.address.setMinimumHeight(44)
        self.address_hint = QLabel(
            tr(
                "Jalan, nomor, RT/RW (tanpa kecamatan/kota)",
                "Street, number, RT/RW (no kecamatan/city)",
            ),
            self,
        )
        self.address_hint.setObjectName("shippingAddressHint")
        self.address_hint.setWordWrap(True)
        self.address.setToolTip(self.address_hint.text())

        self.search = QLineEdit(self)
        self.search.setObjectName("locationSearch")
        self.search.setAccessibleName(tr("Cari kecamatan tujuan", "Search destination kecamatan"))
        self.search.setPlaceholderText(tr("Ketik nama kecamatan…", "Type the kecamatan…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(44)
        self.location_model = LocationModel(self)
        self.results = QListView(self)
        self.results.setObjectName("locationResults")
        self.results.setAccessibleName(tr("Hasil pencarian kecamatan", "Kecamatan results"))
        self.results.setModel(self.location_model)
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.hide()
        self.destination = QLabel(self)
        self.destination.setObjectName("shippingDestination")
        self.destination.setWordWrap(True)
        self.destination.hide()

        self.postal = QComboBox(self)
        self.postal.setObjectName("postalCode")
        self.postal.setAccessibleName(tr("Kode pos (opsional)", "Postal code (optional)"))
        self.postal.setEditable(True)
        self.postal.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.postal.setMinimumHeight(44)
        postal_edit = self.postal.lineEdit()
        assert postal_edit is not None
        postal_edit.setMaxLength(5)
        postal_edit.setPlaceholderText(tr("5 angka (opsional)", "5 digits (optional)"))
        self.postal_error = QLabel(self)
        self.postal_error.setObjectName("postalCodeError")
        self.postal_error.setProperty("role", "fieldError")
        self.postal_error.setWordWrap(True)
        self.postal_error.hide()

        self.warehouse = QComboBox(self)
        self.warehouse.setObjectName("warehouseSelector")
        self.warehouse.setAccessibleName(tr("Gudang pengirim", "Shipping warehouse"))
        self.warehouse.setMinimumHeight(44)
        self.warehouse.setEnabled(False)

        self.courier_model = CourierModel(self)
        self.couriers = QListView(self)
        self.couriers.setObjectName("courierList")
        self.couriers.setAccessibleName(tr("Pilihan kurir", "Courier options"))
        self.couriers.setModel(self.courier_model)
        self.couriers.setItemDelegate(CourierDelegate(self.couriers))
        self.couriers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.couriers.setUniformItemSizes(True)
        self.couriers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # No selection highlight: only the chosen courier looks chosen (radio mark, tint);
        # the cursor (↑/↓) is an outline. A highlighted first row read as "chosen" before.
        self.couriers.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.couriers.setMinimumHeight(COURIER_ROW_HEIGHT * 3 + 4)

        self.status = QLabel(self)
        self.status.setObjectName("shippingStatus")
        self.status.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("shippingError")
        self.error.setAccessibleName(tr("Masalah pengiriman", "Shipping problem"))
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        for label in (self.destination, self.postal_error, self.status, self.error):
            label.setTextFormat(Qt.TextFormat.PlainText)  # place names, errors: server text
        self.retry = QPushButton(tr("Coba lagi", "Retry"), self)
        self.retry.setObjectName("shippingRetry")
        self.retry.setAccessibleName(tr("Coba hitung ongkir lagi", "Retry the shipping quote"))
        self.retry.setMinimumHeight(44)
        self.retry.hide()

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)

        def caption(text: str, buddy: QWidget) -> QLabel:
            label = QLabel(text, self)
            label.setObjectName("fieldLabel")
            label.setBuddy(buddy)
            return label

        fields: list[tuple[str | None, QWidget]] = [
            (tr("Alamat", "Address"), self.address),
            (None, self.address_hint),
            (tr("Kecamatan", "Kecamatan"), self.search),
            (None, self.results),
            (None, self.destination),
            (tr("Kode pos", "Postal code"), self.postal),
            (None, self.postal_error),
            (tr("Gudang", "Warehouse"), self.warehouse),
        ]
        for row, (text, widget) in enumerate(fields):
            if text is not None:
                grid.addWidget(caption(text, widget), row, 0)
            grid.addWidget(widget, row, 1)
        row = len(fields)
        self._courier_caption = caption(tr("Kurir", "Courier"), self.couriers)
        grid.addWidget(self._courier_caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.couriers, row, 1)
        grid.setRowStretch(row, 1)
        grid.setColumnStretch(1, 1)

        error_row = QVBoxLayout()
        error_row.setSpacing(4)
        error_row.addWidget(self.error)
        error_row.addWidget(self.retry, 0, Qt.AlignmentFlag.AlignRight)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)
        layout.addLayout(error_row)

        # debounced search through the quote (which runs it through the task runner)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)

        self.address.textChanged.connect(quote.set_address)
        self.address.returnPressed.connect(lambda: self.search.setFocus())
        self.search.textEdited.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._pick_from_search)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.activated.connect(self._pick_location)
        self.results.clicked.connect(self._pick_location)
        self.postal.editTextChanged.connect(self._on_postal_edited)
        postal_edit.returnPressed.connect(self._postal_done)
        self.warehouse.activated.connect(quote.choose_warehouse)
        self.couriers.activated.connect(self._pick_courier)
        self.couriers.clicked.connect(self._pick_courier)
        self.couriers.installEventFilter(self)

        signals.locations_changed.connect(self._show_locations)
        signals.location_changed.connect(self._show_location)
        signals.postal_codes_changed.connect(self._show_postal_codes)
        signals.warehouses_changed.connect(self._show_warehouses)
        signals.couriers_changed.connect(self._show_couriers)
        signals.problem_changed.connect(self._show_problems)
        signals.busy_changed.connect(lambda _s, _b: self._show_status())
        signals.choice_changed.connect(self._show_status)
        self.retry.clicked.connect(quote.retry)
        self._show_status()
        if not quote.available:  # no shipping service on this connection
            for widget in self.focus_chain():
                widget.setEnabled(False)
            self.error.setText(quote.missing() or "")
            self.error.setProperty("kind", "unavailable")
            self.error.show()

    # --- tab order ------------------------------------------------------------------
    def focus_chain(self) -> list[QWidget]:
        return [self.address, self.search, self.results, self.postal, self.warehouse, self.couriers]

    # --- search ---------------------------------------------------------------------
    def _on_search_edited(self, text: str) -> None:
        self.quote.clear_location()
        self._debounce.start()

    def _search_now(self) -> None:
        self.quote.search(self.search.text())

    def flush_search(self) -> None:
        """Run a pending debounced search now (Enter does this)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._search_now()

    def _show_locations(self, rows: list[Location]) -> None:
        self.location_model.set_locations(rows)
        self.results.setFixedHeight(min(max(len(rows), 1), 5) * 34 + 6)
        self.results.setVisible(bool(rows))
        if rows:
            self.results.setCurrentIndex(self.location_model.index(0, 0))

    def _pick_from_search(self) -> None:
        if self._debounce.isActive():
            self.flush_search()
            return  # the results are on their way; Enter again (or ↓) picks
        rows = self.location_model.rowCount()
        if rows == 0:
            return
        index = self.results.currentIndex()
        self._pick_location(index if index.isValid() else self.location_model.index(0, 0))

    def _pick_location(self, index: object) -> None:
        row = getattr(index, "row", lambda: -1)()
        loc = self.location_model.location(row)
        if loc is None:
            return
        self.quote.choose_location(loc)
        self.postal.setFocus(Qt.FocusReason.OtherFocusReason)
        self.picked_location.emit()

    def _show_location(self, loc: Location | None) -> None:
        if loc is None:
            self.destination.hide()
            self.destination.setText("")
            return
        text = location_text(loc)
        self.search.setText(text)
        self.search.setCursorPosition(0)
        self.destination.setText("✓ " + tr("Tujuan", "Destination") + f": {text}")
        self.destination.show()
        self.results.hide()

    # --- postal code ----------------------------------------------------------------
    def _show_postal_codes(self, codes: list[str]) -> None:
        current = self.postal.currentText().strip()
        self.postal.blockSignals(True)
        self.postal.clear()
        self.postal.addItems(codes)
        if current and (current in codes or not codes):
            self.postal.setEditText(current)
        else:
            self.postal.setEditText("")
        self.postal.blockSignals(False)
        self._on_postal_edited(self.postal.currentText())

    def _on_postal_edited(self, text: str, final: bool = False) -> None:
        code = text.strip()
        if not code:
            self._postal_message("")
            self.quote.set_postal_code(None)
            return
        if not valid_postal_code(code):
            if code.isdigit() and len(code) < 5 and not final:
                self._postal_message("")  # still typing
                self.quote.set_postal_code(None)
                return
            self._postal_message(
                tr("Kode pos harus 5 angka, mis. 10510.", "A postal code is 5 digits, e.g. 10510.")
            )
            self.quote.set_postal_code(None)
            return
        codes = self.quote.postal_codes
        if codes and code not in codes:
            self._postal_message(
                tr(
                    f"{code} tidak ada di daftar kecamatan ini ({', '.join(codes[:4])}…).",
                    f"{code} is not in this kecamatan's list ({', '.join(codes[:4])}…).",
                )
            )
        else:
            self._postal_message("")
        self.quote.set_postal_code(code)

    def postal_problem(self) -> str:
        """Inline error text of the postal code ("" when fine)."""
        return self.postal_error.text() if not self.postal_error.isHidden() else ""

    def postal_blocks(self) -> bool:
        code = self.postal.currentText().strip()
        return bool(code) and not valid_postal_code(code)

    def _postal_message(self, text: str) -> None:
        self.postal_error.setText(text)
        self.postal_error.setVisible(bool(text))

    def check_postal(self) -> bool:
        """Validate the postal code as final (Enter, submit); False when it blocks the sale."""
        self._on_postal_edited(self.postal.currentText(), final=True)
        return not self.postal_blocks()

    def _postal_done(self) -> None:
        if not self.check_postal():
            return
        if self.warehouse.isEnabled():
            self.warehouse.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.couriers.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- warehouse ------------------------------------------------------------------
    def _show_warehouses(self, rows: list[WarehouseResult], index: int) -> None:
        self.warehouse.blockSignals(True)
        self.warehouse.clear()
        for i, r in enumerate(rows):
            self.warehouse.addItem(warehouse_text(r), i)
        self.warehouse.setCurrentIndex(index)
        self.warehouse.blockSignals(False)
        self.warehouse.setEnabled(len(rows) > 1)
        tip = (
            tr("Beberapa gudang bisa mengirim; pilih asal.", "Several can ship; pick the origin.")
            if len(rows) > 1
            else ""
        )
        self.warehouse.setToolTip(tip)

    # --- couriers -------------------------------------------------------------------
    def _show_couriers(self, rows: list[CourierServiceResult], chosen: int | None) -> None:
        had_focus = self.couriers.hasFocus()
        current = self.couriers.currentIndex()
        current_id = current.data(CourierModel.ServiceIdRole) if current.isValid() else None
        self.courier_model.set_results(rows, chosen)
        self._fit_courier_list()
        # keep the cursor where it was (same service), else on the chosen one, else the first
        for wanted in (current_id, chosen):
            row = self.courier_model.row_of(wanted)
            if row >= 0:
                self.couriers.setCurrentIndex(self.courier_model.index(row, 0))
                break
        else:
            if rows:
                self.couriers.setCurrentIndex(self.courier_model.index(0, 0))
        if had_focus:
            self.couriers.setFocus()

    def _pick_courier(self, index: object) -> None:
        row = getattr(index, "row", lambda: -1)()
        result = self.courier_model.result(row)
        if result is not None:
            self.quote.choose_courier(result.courier_service.id)

    # --- keys -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.flush_search()
            if self.location_model.rowCount() > 0:
                self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.results.currentIndex().isValid():
                    self.results.setCurrentIndex(self.location_model.index(0, 0))
                return True
        if watched is self.results:
            if key == Qt.Key.Key_Up and self.results.currentIndex().row() <= 0:
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
                self._pick_location(self.results.currentIndex())
                return True
        if watched is self.couriers and key in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
        ):
            self._pick_courier(self.couriers.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # --- status ---------------------------------------------------------------------
    def _show_problems(self) -> None:
        problems = self.quote.problems()
        text = "\n".join(p.text for p in problems)
        self.error.setText(text)
        self.error.setVisible(bool(text))
        kinds = [p.kind for p in problems]
        self.error.setProperty("kind", kinds[0] if kinds else "")
        self.retry.setVisible(any(k in ("api", "network") for k in kinds))
        self._fit_courier_list()
        self._show_status()

    def _fit_courier_list(self) -> None:
        """An empty courier list gives its room to the message explaining why."""
        empty = self.courier_model.rowCount() == 0
        show = not (empty and bool(self.quote.problems()))
        self.couriers.setVisible(show)
        self._courier_caption.setVisible(show)

    def _show_status(self) -> None:
        c = self.quote
        if c.is_busy("warehouses"):
            text = tr("Mencari gudang pengirim…", "Finding a warehouse…")
        elif c.is_busy("couriers"):
            text = tr("Menghitung ongkir…", "Quoting couriers…")
        elif c.is_busy("search"):
            text = tr("Mencari kecamatan…", "Searching…")
        elif c.available and c.location is None and not c.problems():
            text = tr(
                "Ketik kecamatan tujuan lalu pilih dari daftar; kurir dan ongkir muncul di sini.",
                "Type the destination kecamatan and pick it; couriers and costs appear here.",
            )
        elif c.location is not None and c.fresh() and c.couriers and c.chosen_result() is None:
            text = tr("Pilih kurir (↑/↓ lalu Enter).", "Choose a courier (↑/↓ then Enter).")
        else:
            text = ""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        self.setProperty("busy", c.is_busy())

    # --- lifecycle ------------------------------------------------------------------
    def reset(self) -> None:
        self._debounce.stop()
        self.quote.reset()
        for w in (self.address, self.search):
            w.blockSignals(True)
            w.clear()
            w.blockSignals(False)
        self.postal.blockSignals(True)
        self.postal.clear()
        self.postal.setEditText("")
        self.postal.blockSignals(False)
        self._postal_message("")
        self.results.hide()
