"""The shipping panel of the checkout: street address, kecamatan search, postal code,
warehouse and courier choice. Shown only when the cart holds physical goods.

All state lives in :class:`~ui.shipping.models.ShippingController`; this widget renders it and
turns keys and clicks into its inputs. Keyboard: type the kecamatan, ↓ into the results, Enter
picks; ↑/↓ through the couriers, Enter or Space picks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.shipping.models import (
    CourierModel,
    LocationModel,
    ShippingController,
    courier_name,
    etd_text,
    location_text,
    valid_postal_code,
    warehouse_text,
)

if TYPE_CHECKING:
    from pos.api.models import CourierServiceResult, Location, WarehouseResult

SEARCH_DEBOUNCE_MS = 250
COURIER_ROW_HEIGHT = 50


class CourierDelegate(QStyledItemDelegate):
    """Two-line courier rows: a radio mark, courier + service and the cost on the first line,
    the delivery estimate and a COD badge on the second."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(max(200, option.rect.width()), COURIER_ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        result = index.data(CourierModel.ResultRole)
        if result is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, widget)
        chosen = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        rect: QRect = opt.rect.adjusted(10, 4, -10, -4)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if chosen:
            painter.fillRect(opt.rect, QColor("#eff6ff"))
        view = opt.widget
        is_cursor = (
            isinstance(view, QAbstractItemView)
            and view.hasFocus()
            and view.currentIndex().row() == index.row()
        )
        if is_cursor:  # where Enter/Space would choose
            painter.setPen(QPen(QColor("#2563eb"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(opt.rect.adjusted(2, 2, -2, -2), 4, 4)
        # radio mark
        cy = rect.center().y()
        ring = QRect(rect.left(), cy - 9, 18, 18)
        painter.setPen(QPen(QColor("#2563eb" if chosen else "#9ca3af"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(ring)
        if chosen:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#2563eb"))
            painter.drawEllipse(ring.adjusted(4, 4, -4, -4))
        text_left = ring.right() + 12
        half = rect.height() // 2
        top = QRect(text_left, rect.top(), rect.right() - text_left, half)
        bottom = QRect(text_left, rect.top() + half, rect.right() - text_left, half)
        base = QFont(opt.font)
        bold = QFont(base)
        bold.setBold(True)
        cost = format_idr(result.cost)
        painter.setFont(bold)
        cost_width = painter.fontMetrics().horizontalAdvance(cost) + 4
        painter.setPen(QColor("#111827"))
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, cost)
        name_rect = top.adjusted(0, 0, -cost_width - 8, 0)
        name = painter.fontMetrics().elidedText(
            courier_name(result), Qt.TextElideMode.ElideRight, name_rect.width()
        )
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name
        )
        small = QFont(base)
        small.setBold(False)
        if base.pixelSize() > 0:
            small.setPixelSize(max(11, round(base.pixelSize() * 0.93)))
        elif base.pointSizeF() > 0:
            small.setPointSizeF(max(8.0, base.pointSizeF() * 0.93))
        painter.setFont(small)
        painter.setPen(QColor("#4b5563"))
        etd = etd_text(result.etd) or tr("estimasi tidak diketahui", "no estimate")
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, etd)
        if result.is_cod:
            metrics = painter.fontMetrics()
            badge_w = metrics.horizontalAdvance("COD") + 12
            badge = QRect(bottom.right() - badge_w, bottom.center().y() - 9, badge_w, 18)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#dcfce7"))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("#166534"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "COD")
        painter.restore()


class ShippingPanel(QFrame):
    """Signals:
    picked_location(): a kecamatan was chosen (focus moves on).
    """

    picked_location = Signal()

    def __init__(self, controller: ShippingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shippingPanel")
        self.setAccessibleName(tr("Pengiriman", "Shipping"))
        self.controller = controller

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
        row = 0

        def caption(text: str, buddy: QWidget) -> QLabel:
            label = QLabel(text, self)
            label.setObjectName("fieldLabel")
            label.setBuddy(buddy)
            return label

        grid.addWidget(caption(tr("Alamat", "Address"), self.address), row, 0)
        grid.addWidget(self.address, row, 1)
        row += 1
        grid.addWidget(self.address_hint, row, 1)
        row += 1
        grid.addWidget(caption(tr("Kecamatan", "Kecamatan"), self.search), row, 0)
        grid.addWidget(self.search, row, 1)
        row += 1
        grid.addWidget(self.results, row, 1)
        row += 1
        grid.addWidget(self.destination, row, 1)
        row += 1
        grid.addWidget(caption(tr("Kode pos", "Postal code"), self.postal), row, 0)
        grid.addWidget(self.postal, row, 1)
        row += 1
        grid.addWidget(self.postal_error, row, 1)
        row += 1
        grid.addWidget(caption(tr("Gudang", "Warehouse"), self.warehouse), row, 0)
        grid.addWidget(self.warehouse, row, 1)
        row += 1
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

        # debounced search through the controller (which runs it through the task runner)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search_now)

        self.address.textChanged.connect(controller.set_address)
        self.address.returnPressed.connect(lambda: self.search.setFocus())
        self.search.textEdited.connect(self._on_search_edited)
        self.search.returnPressed.connect(self._pick_from_search)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)
        self.results.activated.connect(self._pick_location)
        self.results.clicked.connect(self._pick_location)
        self.postal.editTextChanged.connect(self._on_postal_edited)
        postal_edit.returnPressed.connect(self._postal_done)
        self.warehouse.activated.connect(controller.choose_warehouse)
        self.couriers.activated.connect(self._pick_courier)
        self.couriers.clicked.connect(self._pick_courier)
        self.couriers.installEventFilter(self)

        controller.locations_changed.connect(self._show_locations)
        controller.location_changed.connect(self._show_location)
        controller.postal_codes_changed.connect(self._show_postal_codes)
        controller.warehouses_changed.connect(self._show_warehouses)
        controller.couriers_changed.connect(self._show_couriers)
        controller.problem_changed.connect(self._show_problems)
        controller.busy_changed.connect(lambda _s, _b: self._show_status())
        controller.choice_changed.connect(self._show_status)
        self.retry.clicked.connect(controller.retry)
        self._show_status()
        if not controller.available:  # no shipping service on this connection
            for widget in self.focus_chain():
                widget.setEnabled(False)
            self.error.setText(controller.missing() or "")
            self.error.setProperty("kind", "unavailable")
            self.error.show()

    # --- tab order ------------------------------------------------------------------
    def focus_chain(self) -> list[QWidget]:
        return [self.address, self.search, self.results, self.postal, self.warehouse, self.couriers]

    # --- search ---------------------------------------------------------------------
    def _on_search_edited(self, text: str) -> None:
        self.controller.clear_location()
        self._debounce.start()

    def _search_now(self) -> None:
        self.controller.search(self.search.text())

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
        self.controller.choose_location(loc)
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
            self.controller.set_postal_code(None)
            return
        if not valid_postal_code(code):
            if code.isdigit() and len(code) < 5 and not final:
                self._postal_message("")  # still typing
                self.controller.set_postal_code(None)
                return
            self._postal_message(
                tr("Kode pos harus 5 angka, mis. 10510.", "A postal code is 5 digits, e.g. 10510.")
            )
            self.controller.set_postal_code(None)
            return
        codes = self.controller.postal_codes
        if codes and code not in codes:
            self._postal_message(
                tr(
                    f"{code} tidak ada di daftar kecamatan ini ({', '.join(codes[:4])}…).",
                    f"{code} is not in this kecamatan's list ({', '.join(codes[:4])}…).",
                )
            )
        else:
            self._postal_message("")
        self.controller.set_postal_code(code)

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
            self.controller.choose_courier(result.courier_service.id)

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
        problems = self.controller.problems()
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
        show = not (empty and bool(self.controller.problems()))
        self.couriers.setVisible(show)
        self._courier_caption.setVisible(show)

    def _show_status(self) -> None:
        c = self.controller
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
        self.controller.reset()
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
