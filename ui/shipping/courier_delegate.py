"""The two-line courier rows of the shipping panel."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from ui.common.i18n import tr
from ui.common.money import format_idr
from ui.shipping.models import CourierModel, courier_name, etd_text

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
