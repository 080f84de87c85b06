"""The catalog grid: :class:`CatalogModel` (a filtered list of ``CatalogItem``) and
:class:`CatalogDelegate` (paints one tile). Never one widget per item.

Filtering runs over a list of the items' precomputed, casefolded ``search_key`` with
``itertools.compress`` over ``map`` (the per-item loop stays in C: ~3 ms for one letter over
59k items); typing on narrows the current matches only. The names starting with the first word
(shown first) come from a sorted index of the keys (bisect), built on the first search. The
model swaps its list of visible row indices inside ``beginResetModel``/``endResetModel``. The
SKU index for barcode scans is built on the first scan, not when the catalog arrives.
"""

from __future__ import annotations

import bisect
import operator
import zlib
from collections import OrderedDict
from itertools import compress, filterfalse, repeat
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.common.i18n import tr, tr_short
from ui.common.money import format_idr
from ui.common.plain_text import tooltip

if TYPE_CHECKING:
    from pos.domain.catalog import CatalogItem
    from ui.sale.thumbnails import ThumbnailCache

ItemRole = Qt.ItemDataRole.UserRole + 1
PriceTextRole = Qt.ItemDataRole.UserRole + 2
KeyRole = Qt.ItemDataRole.UserRole + 3
SkuRole = Qt.ItemDataRole.UserRole + 4

TILE_SIZE = QSize(184, 148)

_PALETTE = ("#2563eb", "#0d9488", "#9333ea", "#db2777", "#ea580c", "#16a34a", "#4f46e5", "#b45309")

AnyIndex = QModelIndex | QPersistentModelIndex


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[1][0]).upper()


def placeholder_color(key: str) -> QColor:
    return QColor(_PALETTE[zlib.crc32(key.encode()) % len(_PALETTE)])


class CatalogModel(QAbstractListModel):
    """The store's sellable items; ``DisplayRole`` is the item's name."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[CatalogItem] = []
        self._keys: list[str] = []
        self._visible: list[int] = []
        #: the same rows ascending (the candidates when typing on narrows the search)
        self._matches: list[int] = []
        self._by_sku: dict[str, CatalogItem] | None = None  # built on the first scan
        # rows sorted by search key, and those keys: built on the first search
        self._prefix_index: tuple[list[int], list[str]] | None = None
        self._query = ""

    # --- data -------------------------------------------------------------------------
    def set_items(self, items: list[CatalogItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._keys = [item.search_key for item in self._items]
        self._by_sku = None
        self._prefix_index = None
        self._visible, self._matches = self._filter(self._query)
        self.endResetModel()

    def _sku_index(self) -> dict[str, CatalogItem]:
        if self._by_sku is None:
            index: dict[str, CatalogItem] = {}
            for item in self._items:
                sku = item.sku.strip().casefold()
                if sku and sku not in index:
                    index[sku] = item
            self._by_sku = index
        return self._by_sku

    def image_ready(self, url: str) -> None:
        """Repaint the visible rows showing the image at ``url``."""
        for row, i in enumerate(self._visible):
            if self._items[i].image_url == url:
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

    def items(self) -> list[CatalogItem]:
        return list(self._items)

    def total_count(self) -> int:
        return len(self._items)

    def item_by_sku(self, code: str) -> CatalogItem | None:
        """The item whose SKU equals ``code`` exactly (case-insensitive), for barcode scans."""
        code = code.strip()
        return self._sku_index().get(code.casefold()) if code else None

    def item_at(self, row: int) -> CatalogItem | None:
        if 0 <= row < len(self._visible):
            return self._items[self._visible[row]]
        return None

    # --- filtering --------------------------------------------------------------------
    @property
    def query(self) -> str:
        return self._query

    def set_filter(self, text: str) -> None:
        query = " ".join(text.casefold().split())
        if query == self._query:
            return
        # Typing on narrows the current matches: search only those. Every word of the old
        # query is contained in a word of the new one only when the new text extends it.
        narrowing = bool(self._query) and query.startswith(self._query)
        visible, matches = self._filter(query, self._matches if narrowing else None)
        self.beginResetModel()
        self._query = query
        self._visible, self._matches = visible, matches
        self.endResetModel()

    def _filter(
        self, query: str, candidates: list[int] | None = None
    ) -> tuple[list[int], list[int]]:
        """Row indices matching every word, as shown (names starting with the first word come
        first) and ascending.

        Each word is one pass of ``compress(rows, map(contains, keys, repeat(word)))``: the
        loop runs in C, no Python frame per item. ``candidates`` (ascending) must hold every
        match (the previous query's matches when the new text extends it)."""
        keys = self._keys
        if not query:
            everything = list(range(len(keys)))
            return everything, everything
        words = query.split()
        rows: list[int] = list(range(len(keys))) if candidates is None else candidates
        for word in words:
            if not rows:
                return rows, rows
            subset: Any = keys if len(rows) == len(keys) else map(keys.__getitem__, rows)
            rows = list(compress(rows, map(operator.contains, subset, repeat(word))))
        if not rows:
            return rows, rows
        # The first word's prefix rows (ascending) from the sorted index; those matching the
        # other words too are exactly the matches shown first.
        prefix = self._starting_with(words[0])
        for word in words[1:]:
            if not prefix:
                break
            subset = map(keys.__getitem__, prefix)
            prefix = list(compress(prefix, map(operator.contains, subset, repeat(word))))
        if not prefix:
            return rows, rows
        if len(prefix) == len(rows):  # every match starts with the first word
            return rows, rows
        shown_first = set(prefix)
        return prefix + list(filterfalse(shown_first.__contains__, rows)), rows

    def _starting_with(self, word: str) -> list[int]:
        """Ascending row indices whose search key starts with ``word``."""
        if self._prefix_index is None:
            keys = self._keys
            order = sorted(range(len(keys)), key=keys.__getitem__)
            self._prefix_index = (order, [keys[i] for i in order])
        order, sorted_keys = self._prefix_index
        lo = bisect.bisect_left(sorted_keys, word)
        if ord(word[-1]) < 0x10FFFF:
            hi = bisect.bisect_left(sorted_keys, word[:-1] + chr(ord(word[-1]) + 1), lo)
        else:  # pragma: no cover - a search word ending in U+10FFFF
            hi = lo
            while hi < len(sorted_keys) and sorted_keys[hi].startswith(word):
                hi += 1
        return sorted(order[lo:hi])

    # --- Qt API -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.item_at(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.name
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [item.name, format_idr(item.price)]
            if item.sku:
                parts.append(f"SKU {item.sku}")
            if item.kind == "bundle":
                parts.append(tr("paket", "bundle"))
            if item.is_physical:
                parts.append(tr("barang fisik (perlu dikirim)", "physical goods (needs shipping)"))
            return tooltip("\n".join(parts))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.name}, {format_idr(item.price)}"
        if role == ItemRole:
            return item
        if role == PriceTextRole:
            return format_idr(item.price)
        if role == KeyRole:
            return item.key
        if role == SkuRole:
            return item.sku
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class _TileStyle:
    """Fonts, metrics and colours of a tile, built once per view font."""

    def __init__(self, base: QFont) -> None:
        def font(px: int, bold: bool) -> QFont:
            f = QFont(base)
            f.setPixelSize(px)
            f.setBold(bold)
            return f

        self.initials = font(24, True)
        self.badge = font(11, True)
        self.name = font(13, False)
        self.price = font(14, True)
        self.badge_metrics = QFontMetrics(self.badge)
        self.name_metrics = QFontMetrics(self.name)
        self.card = QColor("#ffffff")
        self.card_selected = QColor("#eef4ff")
        self.pen_normal = QPen(QColor("#d6dae1"), 1)
        self.pen_hover = QPen(QColor("#93b4f5"), 1)
        self.pen_focus = QPen(QColor("#2563eb"), 2)
        self.white = QColor("#ffffff")
        self.badge_fill = QColor(255, 255, 255, 235)
        self.badge_text = QColor("#1f2937")
        self.name_color = QColor("#111827")
        self.price_color = QColor("#0f766e")


class _TileText:
    """Per item and width: everything text-shaped a tile needs (computed once)."""

    __slots__ = ("badges", "initials", "name", "price")

    def __init__(self, item: CatalogItem, style: _TileStyle, width: int) -> None:
        markers: list[str] = []
        if item.kind == "bundle":
            markers.append(tr_short("paket", "bundle"))
        if item.is_physical:
            markers.append(tr_short("fisik", "physical"))
        self.badges = [(t, style.badge_metrics.horizontalAdvance(t) + 12) for t in markers]
        self.initials = initials(item.name)
        self.name = _elide_two_lines(item.name, style.name_metrics, width)
        self.price = format_idr(item.price)


class CatalogDelegate(QStyledItemDelegate):
    """Paints a tile: thumbnail or placeholder (initials on a coloured rounded rect), markers,
    name (two lines, elided) and price. Fonts and per-item text are computed once and cached,
    so scrolling paints only rectangles, text and cached pixmaps."""

    _MAX_CACHE = 20_000
    _MAX_TILES = 400  # about 44 MB of cached tile pictures at 1× scale

    def __init__(self, parent: Any = None, thumbnails: ThumbnailCache | None = None) -> None:
        super().__init__(parent)
        self.tile_size = QSize(TILE_SIZE)
        self.thumbnails = thumbnails
        self._style: _TileStyle | None = None
        self._style_key = ""
        self._text: dict[tuple[str, int], _TileText] = {}
        self._scaled: dict[tuple[int, int, int], QPixmap] = {}
        self._tiles: OrderedDict[tuple[str, int, int, int, float], QPixmap] = OrderedDict()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return self.tile_size

    def _style_for(self, font: QFont) -> _TileStyle:
        key = font.key()
        if self._style is None or key != self._style_key:
            self._style = _TileStyle(font)
            self._style_key = key
            self._text.clear()
            self._tiles.clear()
        return self._style

    def _text_for(self, item: CatalogItem, style: _TileStyle, width: int) -> _TileText:
        key = (item.key, width)
        text = self._text.get(key)
        if text is None:
            if len(self._text) > self._MAX_CACHE:
                self._text.clear()
            text = self._text[key] = _TileText(item, style, width)
        return text

    def _thumbnail(self, url: str | None, size: QSize) -> QPixmap | None:
        if self.thumbnails is None or not url:
            return None
        pixmap = self.thumbnails.get(url)
        if pixmap is None:
            return None
        key = (pixmap.cacheKey(), size.width(), size.height())
        scaled = self._scaled.get(key)
        if scaled is None:
            if len(self._scaled) > 512:
                self._scaled.clear()
            scaled = pixmap.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                Qt.TransformationMode.SmoothTransformation,
            ).copy(0, 0, size.width(), size.height())
            self._scaled[key] = scaled
        return scaled

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        item = index.data(ItemRole)
        if item is None:
            return
        style = self._style_for(option.font)
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        target: QRect = option.rect
        if selected or hovered or focused:  # rare: paint directly
            self._paint_tile(painter, target, item, style, selected, hovered, focused)
            return
        # common case: a cached picture of the plain tile (scrolling paints pixmaps only)
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        thumb_key = 0
        if self.thumbnails is not None and item.image_url:
            cached = self.thumbnails.get(item.image_url)
            thumb_key = cached.cacheKey() if cached is not None else 0
        key = (item.key, target.width(), target.height(), thumb_key, dpr)
        tile = self._tiles.get(key)
        if tile is None:
            tile = QPixmap(round(target.width() * dpr), round(target.height() * dpr))
            tile.setDevicePixelRatio(dpr)
            tile.fill(Qt.GlobalColor.transparent)
            p = QPainter(tile)
            self._paint_tile(
                p, QRect(0, 0, target.width(), target.height()), item, style, False, False, False
            )
            p.end()
            self._tiles[key] = tile
            while len(self._tiles) > self._MAX_TILES:
                self._tiles.popitem(last=False)
        else:
            self._tiles.move_to_end(key)
        painter.drawPixmap(target.topLeft(), tile)

    def _paint_tile(
        self,
        painter: QPainter,
        target: QRect,
        item: CatalogItem,
        style: _TileStyle,
        selected: bool,
        hovered: bool,
        focused: bool,
    ) -> None:
        rect = target.adjusted(4, 4, -4, -4)
        inner_w = rect.width() - 20
        text = self._text_for(item, style, inner_w)

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if selected or focused:
            painter.setPen(style.pen_focus)
        else:
            painter.setPen(style.pen_hover if hovered else style.pen_normal)
        painter.setBrush(style.card_selected if selected else style.card)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)

        thumb = QRect(rect.left() + 10, rect.top() + 10, inner_w, 62)
        pixmap = self._thumbnail(item.image_url, thumb.size())
        painter.setPen(Qt.PenStyle.NoPen)
        if pixmap is not None:
            path = QPainterPath()
            path.addRoundedRect(QRectF(thumb), 8, 8)
            painter.setClipPath(path)
            painter.drawPixmap(thumb.topLeft(), pixmap)
            painter.setClipping(False)
        else:
            painter.setBrush(placeholder_color(item.key))
            painter.drawRoundedRect(QRectF(thumb), 8, 8)
            painter.setFont(style.initials)
            painter.setPen(style.white)
            initials_rect = thumb.adjusted(0, 20, 0, 0) if text.badges else thumb
            painter.drawText(initials_rect, Qt.AlignmentFlag.AlignCenter, text.initials)

        if text.badges:
            painter.setFont(style.badge)
            x = thumb.left() + 5
            for label, w in text.badges:
                badge = QRect(x, thumb.top() + 5, w, 18)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(style.badge_fill)
                painter.drawRoundedRect(QRectF(badge), 9, 9)
                painter.setPen(style.badge_text)
                painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
                x += w + 4

        painter.setFont(style.name)
        painter.setPen(style.name_color)
        name_rect = QRect(rect.left() + 10, thumb.bottom() + 6, inner_w, 34)
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, text.name
        )
        painter.setFont(style.price)
        painter.setPen(style.price_color)
        price_rect = QRect(rect.left() + 10, rect.bottom() - 22, inner_w, 18)
        painter.drawText(
            price_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text.price
        )
        painter.restore()


def _elide_two_lines(text: str, fm: QFontMetrics, width: int) -> str:
    if fm.horizontalAdvance(text) <= width:
        return text
    words = text.split()
    first = ""
    i = 0
    while i < len(words):
        candidate = f"{first} {words[i]}".strip()
        if fm.horizontalAdvance(candidate) > width:
            break
        first = candidate
        i += 1
    if not first:  # one very long word
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words[i:])
    return first + "\n" + fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)
