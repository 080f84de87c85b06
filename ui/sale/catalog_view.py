"""The catalog side of the sale screen: search box (also the barcode wedge target), load
progress and the tile grid.

Barcode wedge: a scanner types the code quickly and presses Enter. When Enter is pressed in the
search box and the text equals an item's SKU exactly (case-insensitive), that item is added and
the box is cleared — no matter how fast it was typed, so a hand-typed SKU works the same way.
Otherwise Enter adds the first match when the search leaves exactly one, or moves into the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ui.common.i18n import tr
from ui.sale.catalog_model import TILE_SIZE, CatalogDelegate, CatalogModel, ItemRole

if TYPE_CHECKING:
    from pos.domain.catalog import CatalogItem
    from ui.sale.thumbnails import ThumbnailCache

SEARCH_DEBOUNCE_MS = 150
#: rows the grid lays out per event-loop turn (a screenful is ~40 tiles)
LAYOUT_BATCH_SIZE = 150


class CatalogListView(QListView):
    """Icon-mode grid. A tap (click) adds one; a double click counts as two taps; Enter adds one
    (through ``activated``)."""

    def fit_tiles(self) -> None:
        """Stretch the tiles so whole columns fill the width (no ragged gap on the right)."""
        delegate = self.itemDelegate()
        if not isinstance(delegate, CatalogDelegate):
            return
        spacing = 4
        width = self.viewport().width() - 2 * self.spacing() - 8
        columns = max(1, width // (TILE_SIZE.width() + spacing))
        tile_w = min(max(TILE_SIZE.width(), width // columns - spacing - 1), TILE_SIZE.width() + 80)
        new = QSize(tile_w, TILE_SIZE.height())
        if new != delegate.tile_size:
            delegate.tile_size = new
            self.setGridSize(QSize(tile_w + spacing, TILE_SIZE.height() + spacing))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.fit_tiles()
        super().resizeEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Treat the second click of a double click as another press, so it ends in ``clicked``
        # and never in an extra ``activated``.
        self.mousePressEvent(event)


class CatalogPanel(QWidget):
    """Search + progress + grid.

    Signals:
        item_activated(object): the cashier chose a ``CatalogItem`` (add one to the cart).
    """

    item_activated = Signal(object)

    def __init__(
        self, parent: QWidget | None = None, thumbnails: ThumbnailCache | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("catalogPanel")
        self.model = CatalogModel(self)
        #: set while the grid shows only the first cached items (a restart's first paint):
        #: called once before the first search or scan, it puts every item in place
        self.before_lookup: Callable[[], None] | None = None
        if thumbnails is not None:
            thumbnails.ready.connect(self.model.image_ready)

        self.search = QLineEdit(self)
        self.search.setObjectName("catalogSearch")
        self.search.setAccessibleName(
            tr("Cari barang atau pindai barcode", "Search items or scan a barcode")
        )
        self.search.setPlaceholderText(
            tr("Cari nama / SKU, atau pindai barcode", "Search name / SKU, or scan a barcode")
            + "  (F2)"
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(44)
        self.search.installEventFilter(self)
        self.search.textChanged.connect(self._schedule_filter)
        self.search.returnPressed.connect(self._on_enter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("catalogProgress")
        self.progress.setAccessibleName(tr("Memuat katalog", "Loading catalog"))
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(22)
        self.progress.hide()

        self.status = QLabel(self)
        self.status.setObjectName("catalogStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self._skipped = 0  # items the last sync skipped as malformed (SyncSummary)
        self._truncated = False

        self.view = CatalogListView(self)
        # A viewport made here (instead of Qt's own): the first ``viewport()`` call then finds
        # this wrapper, where Qt's would make PySide resolve the QWidget's Python type by
        # initialising every widget class of QtWidgets (~65 enums, 10-20 ms before the paint).
        viewport = QWidget(self.view)
        viewport.setObjectName("qt_scrollarea_viewport")  # as Qt's own, for the style sheet
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.view.setViewport(viewport)
        self.view.setObjectName("catalogView")
        self.view.setAccessibleName(tr("Katalog barang", "Item catalog"))
        self.view.setModel(self.model)
        self.view.setItemDelegate(CatalogDelegate(self.view, thumbnails))
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setUniformItemSizes(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setWrapping(True)
        self.view.setSpacing(2)
        self.view.setGridSize(QSize(TILE_SIZE.width() + 4, TILE_SIZE.height() + 4))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Lay out the first rows, paint, and place the rest in later event-loop turns: a reset
        # of 50k rows (new catalog, a search, clearing it) never lays out every row at once.
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(LAYOUT_BATCH_SIZE)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_clicked)
        self.view.installEventFilter(self)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("catalogEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        #: the item count, then (``ui.main_window``) the catalog's age and its refresh button
        self.status_row = QHBoxLayout()
        self.status_row.addWidget(self.status, 1)
        layout.addLayout(self.status_row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        self._update_status()

    # --- data -------------------------------------------------------------------------
    def set_items(self, items: list[CatalogItem]) -> None:
        self.model.set_items(items)
        self._update_status()

    def set_summary(self, summary: Any) -> None:
        """The last sync's ``pos.services.catalog.SyncSummary``: skipped items are counted in
        the status line (the rest of the catalog is there as usual)."""
        self._skipped = int(getattr(summary, "skipped", 0) or 0)
        self._truncated = bool(getattr(summary, "truncated", False))
        self._update_status()

    def set_progress(self, loaded: int, total: int) -> None:
        self.progress.show()
        if total < 0:
            self.progress.setRange(0, 0)
            self.progress.setFormat(tr(f"Memuat… {loaded} barang", f"Loading… {loaded} items"))
        else:
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(min(loaded, max(total, 1)))
            self.progress.setFormat(
                tr(f"Memuat {loaded} dari {total}", f"Loading {loaded} of {total}")
            )

    def set_loading(self, loading: bool) -> None:
        if not loading:
            self.progress.hide()
            self.progress.setRange(0, 1)
        self._update_status()

    # --- search -----------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _schedule_filter(self, _text: str) -> None:
        self._debounce.start()

    def apply_filter(self) -> None:
        self._debounce.stop()
        self._complete_items()
        self.model.set_filter(self.search.text())
        if self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._update_status()

    def _complete_items(self) -> None:
        """A search or a scan needs every item: run ``before_lookup`` (once) if it is set."""
        complete, self.before_lookup = self.before_lookup, None
        if complete is not None:
            complete()

    def _on_enter(self) -> None:
        self._complete_items()
        text = self.search.text()
        item = self.model.item_by_sku(text)
        if item is not None:  # barcode scan or typed SKU
            self.item_activated.emit(item)
            self.search.clear()
            self.apply_filter()
            return
        self.apply_filter()
        if self.model.rowCount() == 1:
            found = self.model.item_at(0)
            if found is not None:
                self.item_activated.emit(found)
                self.search.selectAll()
        elif self.model.rowCount() > 1:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_status(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        if total == 0:
            self.status.setText("")
            self.empty_label.setText(tr("Belum ada barang.", "No items yet."))
            self.empty_label.setVisible(not self.progress.isVisible())
        elif shown == 0:
            self.status.setText(tr(f"0 dari {total} barang", f"0 of {total} items"))
            self.empty_label.setText(
                tr(
                    f"Tidak ada yang cocok dengan “{self.search.text()}”",
                    f"Nothing matches “{self.search.text()}”",
                )
            )
            self.empty_label.show()
        else:
            self.empty_label.hide()
            if shown == total:
                self.status.setText(tr(f"{total} barang", f"{total} items"))
            else:
                self.status.setText(tr(f"{shown} dari {total} barang", f"{shown} of {total} items"))
        skipped = self._skipped
        if skipped or self._truncated:
            note = tr(
                f"{skipped} data barang rusak dilewati" if skipped else "daftar terpotong",
                f"{skipped} damaged items skipped" if skipped else "list cut short",
            )
            self.status.setText(" · ".join(t for t in (self.status.text(), note) if t))

    # --- activation -------------------------------------------------------------------
    def _on_activated(self, index: Any) -> None:
        item = index.data(ItemRole)
        if item is not None:
            self.item_activated.emit(item)

    def _on_clicked(self, index: Any) -> None:
        if self.view.style().styleHint(
            QStyle.StyleHint.SH_ItemView_ActivateItemOnSingleClick, None, self.view
        ):
            return  # the style already activates on a single click
        self._on_activated(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            into_grid = key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            if watched is self.search and into_grid and self.model.rowCount() > 0:
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.view.currentIndex().isValid():
                    self.view.setCurrentIndex(self.model.index(0, 0))
                return True
            if (
                watched is self.view
                and key == Qt.Key.Key_Up
                and self.view.currentIndex().row() < self._columns()
            ):
                self.focus_search()
                return True
            if (
                watched is self.view
                and event.text()
                and event.text().isprintable()
                and not event.text().isspace()
            ) and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            ):
                # typing while in the grid goes back to the search box
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)
                self.search.insert(event.text())
                return True
        return super().eventFilter(watched, event)

    def _columns(self) -> int:
        grid = self.view.gridSize().width() or TILE_SIZE.width()
        return max(1, self.view.viewport().width() // grid)
