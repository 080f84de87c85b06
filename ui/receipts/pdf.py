"""The receipt as a PDF on roll paper (58 or 80 mm wide), drawn with QPdfWriter + QPainter.

Same content and labels as the thermal receipt (:mod:`pos.receipts.text`), in proportional
type: store, order facts, items, totals, shipping, payment method, a LUNAS / BELUM LUNAS badge
and a QR code of the public order URL (drawn as vector squares from the ``qrcode`` matrix).
The page is exactly as tall as the receipt: one page, paper width × content height.

Layout happens once, in "dots" at :data:`LAYOUT_DPI`, into a list of drawing operations; the
PDF (:func:`render_pdf`) and the preview image (:func:`render_image`) replay the same list, so
they always agree. Needs a ``QGuiApplication`` (fonts); any platform works, offscreen included.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from pos.domain.money import format_idr
from pos.receipts.model import Receipt
from pos.receipts.text import _LABELS, clean

log = logging.getLogger(__name__)

LAYOUT_DPI = 300
DOTS_PER_MM = LAYOUT_DPI / 25.4
PAPER_WIDTHS = (58, 80)
# Printable width of common thermal heads: 72 mm on 80 mm paper, 48 mm on 58 mm paper.
_SIDE_MARGIN_MM = {80: 4.0, 58: 5.0}
_FONT_SCALE = {80: 1.0, 58: 0.82}
_QR_MM = {80: 38.0, 58: 32.0}
_FONT_FAMILIES = ["Inter", "Segoe UI", "Helvetica Neue", "Noto Sans", "DejaVu Sans", "Arial"]
_INK = QColor(0, 0, 0)
_GREY = QColor(90, 90, 90)
_PAPER = QColor(255, 255, 255)


def _mm(value: float) -> float:
    return value * DOTS_PER_MM


# --- drawing operations ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    x: float
    baseline: float
    text: str
    font: QFont
    color: QColor

    def draw(self, p: QPainter) -> None:
        p.setFont(self.font)
        p.setPen(self.color)
        p.drawText(QPointF(self.x, self.baseline), self.text)


@dataclass(frozen=True, slots=True)
class _Rule:
    y: float
    x1: float
    x2: float
    width: float
    dashed: bool

    def draw(self, p: QPainter) -> None:
        pen = QPen(_INK, self.width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if self.dashed:
            pen.setDashPattern([4.0, 3.0])
        p.setPen(pen)
        p.drawLine(QPointF(self.x1, self.y), QPointF(self.x2, self.y))


@dataclass(frozen=True, slots=True)
class _Box:
    rect: QRectF
    filled: bool
    line_width: float

    def draw(self, p: QPainter) -> None:
        radius = self.rect.height() * 0.18
        if self.filled:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(_INK)
        else:
            p.setPen(QPen(_INK, self.line_width))
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(self.rect, radius, radius)
        p.setBrush(Qt.BrushStyle.NoBrush)


@dataclass(frozen=True, slots=True)
class _Qr:
    rect: QRectF
    matrix: tuple[tuple[bool, ...], ...]

    def draw(self, p: QPainter) -> None:
        n = len(self.matrix)
        module = self.rect.width() / n
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        for row, cells in enumerate(self.matrix):
            col = 0
            while col < n:
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < n and cells[col]:
                    col += 1
                path.addRect(
                    QRectF(
                        self.rect.x() + start * module,
                        self.rect.y() + row * module,
                        (col - start) * module,
                        module,
                    )
                )
        p.fillPath(path, _INK)


_Op = _Text | _Rule | _Box | _Qr


# --- layout ------------------------------------------------------------------------------


def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of ``data`` (error correction M) with its 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def _measure_device() -> QImage:
    """A 1×1 image that reports LAYOUT_DPI, so font metrics come out in layout dots."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    dpm = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    return image


@dataclass
class _Layout:
    width_mm: int
    device: QImage
    ops: list[_Op] = field(default_factory=list)
    y: float = 0.0

    def __post_init__(self) -> None:
        margin = _mm(_SIDE_MARGIN_MM[self.width_mm])
        self.left = margin
        self.right = _mm(self.width_mm) - margin
        self.y = _mm(4.0)
        self._scale = _FONT_SCALE[self.width_mm]

    @property
    def content_width(self) -> float:
        return self.right - self.left

    def font(self, points: float, *, bold: bool = False) -> QFont:
        font = QFont()
        font.setFamilies(_FONT_FAMILIES)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setPointSizeF(points * self._scale)
        font.setBold(bold)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.device)

    # -- text -----------------------------------------------------------------------------

    def wrap(self, text: str, font: QFont, width: float) -> list[str]:
        """Greedy word wrap to ``width`` dots; a word wider than a line is broken."""
        fm = self.metrics(font)
        lines: list[str] = []
        current = ""
        for word in clean(text).split(" "):
            candidate = f"{current} {word}" if current else word
            if fm.horizontalAdvance(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while fm.horizontalAdvance(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and fm.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
        return lines

    def _line(self, font: QFont, draw: Callable[[float, QFontMetricsF], None]) -> None:
        fm = self.metrics(font)
        baseline = self.y + fm.ascent()
        draw(baseline, fm)
        self.y += fm.height() * 1.12

    def text(
        self,
        text: str,
        font: QFont,
        *,
        align: str = "left",
        color: QColor = _INK,
        indent: float = 0.0,
    ) -> None:
        width = self.content_width - indent
        for part in self.wrap(text, font, width):

            def draw(baseline: float, fm: QFontMetricsF, part: str = part) -> None:
                advance = fm.horizontalAdvance(part)
                if align == "center":
                    x = self.left + (self.content_width - advance) / 2
                elif align == "right":
                    x = self.right - advance
                else:
                    x = self.left + indent
                self.ops.append(_Text(x, baseline, part, font, color))

            self._line(font, draw)

    def row(
        self,
        left: str,
        right: str,
        font: QFont,
        *,
        right_font: QFont | None = None,
        indent: float = 0.0,
        color: QColor = _INK,
    ) -> None:
        """``left`` flush left, ``right`` flush right on the same line (the left side wraps;
        the value sits on its last line, or on a line of its own when it is too wide)."""
        right_font = right_font or font
        value = clean(right)
        value_width = self.metrics(right_font).horizontalAdvance(value)
        gap = _mm(2.0)
        avail = self.content_width - indent - value_width - gap
        if avail < self.content_width * 0.3:
            self.text(left, font, indent=indent, color=color)
            self.text(value, right_font, align="right", color=color)
            return
        parts = self.wrap(left, font, avail)
        for part in parts[:-1]:
            self.text(part, font, indent=indent, color=color)
        last = parts[-1]
        tallest = max(
            (font, right_font), key=lambda f: self.metrics(f).height()
        )  # one baseline for both

        def draw(baseline: float, fm: QFontMetricsF) -> None:
            self.ops.append(_Text(self.left + indent, baseline, last, font, color))
            self.ops.append(_Text(self.right - value_width, baseline, value, right_font, color))

        self._line(tallest, draw)

    # -- graphics -------------------------------------------------------------------------

    def space(self, mm: float) -> None:
        self.y += _mm(mm)

    def rule(self, *, dashed: bool = True, weight_mm: float = 0.25) -> None:
        self.space(1.2)
        self.ops.append(_Rule(self.y, self.left, self.right, _mm(weight_mm), dashed))
        self.space(1.6)

    def badge(self, text: str, *, filled: bool) -> None:
        font = self.font(12, bold=True)
        fm = self.metrics(font)
        pad_x, pad_y = _mm(4.0), _mm(1.4)
        width = fm.horizontalAdvance(text) + 2 * pad_x
        height = fm.height() + 2 * pad_y
        rect = QRectF(self.left + (self.content_width - width) / 2, self.y, width, height)
        self.ops.append(_Box(rect, filled, _mm(0.5)))
        baseline = rect.y() + pad_y + fm.ascent()
        x = rect.x() + pad_x
        self.ops.append(_Text(x, baseline, text, font, _PAPER if filled else _INK))
        self.y += height

    def qr(self, data: str) -> None:
        size = _mm(_QR_MM[self.width_mm])
        rect = QRectF(self.left + (self.content_width - size) / 2, self.y, size, size)
        self.ops.append(_Qr(rect, qr_matrix(data)))
        self.y += size


def _layout(receipt: Receipt, width_mm: int) -> tuple[list[_Op], float]:
    """The drawing operations and the page height, both in layout dots."""
    if width_mm not in PAPER_WIDTHS:
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")
    t = _LABELS.get(receipt.lang, _LABELS["id"])
    lay = _Layout(width_mm, _measure_device())
    body = lay.font(8.5)
    small = lay.font(7.5)
    strong = lay.font(8.5, bold=True)

    lay.text(receipt.store_name, lay.font(13, bold=True), align="center")
    for extra in receipt.extra_header:
        lay.text(extra, small, align="center", color=_GREY)
    lay.rule(dashed=False, weight_mm=0.35)

    lay.row(t["order"], receipt.order_number, body, right_font=strong)
    lay.row(t["date"], receipt.date_text, body)
    lay.row(t["terminal"], receipt.terminal, body)
    if clean(receipt.customer_name):
        lay.row(t["customer"], receipt.customer_name, body)
    lay.rule()

    for item in receipt.lines:
        lay.text(item.name, strong)
        qty = f"{item.quantity} × {format_idr(item.unit_price)}"
        lay.row(qty, format_idr(item.subtotal), body, indent=_mm(2.0), color=_INK)
        lay.space(0.8)
    lay.rule()

    lay.row(t["subtotal"], format_idr(receipt.subtotal), body)
    if receipt.shipping is not None:
        label = f"{t['shipping']} {clean(receipt.shipping.courier_label)}".strip()
        lay.row(label, format_idr(receipt.shipping.cost), body)
    for label, amount in receipt.adjustments:
        lay.row(label, format_idr(amount), body)
    lay.space(0.8)
    lay.row(t["total"], format_idr(receipt.total), lay.font(12, bold=True))
    lay.row(t["payment"], receipt.payment_method, body)
    for label, amount in receipt.tendered:
        lay.row(label, format_idr(amount), body)
    lay.rule(dashed=False, weight_mm=0.35)

    lay.space(1.0)
    lay.badge(t["paid"] if receipt.paid else t["unpaid"], filled=receipt.paid)
    if receipt.order_url:
        lay.space(3.0)
        lay.qr(receipt.order_url)
        lay.space(0.5)
        lay.text(t["scan"], small, align="center")
    if receipt.footer.strip():
        lay.space(2.5)
        for paragraph in receipt.footer.splitlines():
            if paragraph.strip():
                lay.text(paragraph, small, align="center", color=_GREY)
    lay.space(6.0)  # tear-off margin
    return lay.ops, lay.y


def _paint(painter: QPainter, ops: list[_Op]) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    for op in ops:
        op.draw(painter)


def _require_gui() -> None:
    if QGuiApplication.instance() is None:
        raise RuntimeError("receipt rendering needs a QGuiApplication (fonts)")


# --- public ------------------------------------------------------------------------------


def page_size_mm(receipt: Receipt, *, width_mm: int = 80) -> tuple[float, float]:
    """(width, height) in millimetres of the page :func:`render_pdf` would write."""
    _require_gui()
    _ops, height = _layout(receipt, width_mm)
    return float(width_mm), height / DOTS_PER_MM


def render_pdf(receipt: Receipt, path: str | Path, *, width_mm: int = 80) -> Path:
    """Write ``receipt`` as a one-page PDF, ``width_mm`` (58 or 80) wide and as tall as the
    receipt, to ``path`` (parent folders are created). Returns the path.

    Raises ``ValueError`` for another paper width and ``OSError`` when the file cannot be
    written."""
    _require_gui()
    ops, height = _layout(receipt, width_mm)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(out))
    writer.setResolution(LAYOUT_DPI)
    writer.setTitle(f"Struk {receipt.order_number}")
    writer.setCreator("Kasir")
    page = QPageSize(
        QSizeF(float(width_mm), height / DOTS_PER_MM),
        QPageSize.Unit.Millimeter,
        "Receipt",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    writer.setPageLayout(
        QPageLayout(
            page,
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {out}")
    try:
        _paint(painter, ops)
    finally:
        painter.end()
    if not out.is_file() or out.stat().st_size == 0:
        raise OSError(f"cannot write {out}")
    return out


def roll_page_layout(width_mm: float, height_mm: float) -> QPageLayout:
    """A roll-paper page (``width_mm`` × ``height_mm``, no margins)."""
    page = QPageSize(
        QSizeF(float(width_mm), height_mm),
        QPageSize.Unit.Millimeter,
        f"Receipt {width_mm:g} mm",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )
    return QPageLayout(
        page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
    )


def paint_receipt(device: QPagedPaintDevice, receipt: Receipt, *, width_mm: int = 80) -> None:
    """Draw ``receipt`` on one roll-paper page of ``device`` (a ``QPrinter`` or
    ``QPdfWriter``), whatever its resolution. Raises ``ValueError`` for another paper width
    and ``OSError`` when the device cannot be painted on (printer gone, file unwritable)."""
    _require_gui()
    ops, height = _layout(receipt, width_mm)
    if not device.setPageLayout(roll_page_layout(width_mm, height / DOTS_PER_MM)):
        log.info("the printer kept its own page size for the %d mm receipt", width_mm)
    set_resolution = getattr(device, "setResolution", None)
    if set_resolution is not None:  # fonts are sized for the layout's dots
        set_resolution(LAYOUT_DPI)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("the printer or file cannot be opened for printing")
    try:
        dpi = device.logicalDpiX()
        if dpi == LAYOUT_DPI and device.logicalDpiY() == LAYOUT_DPI:
            _paint(painter, ops)  # vector: sharp text and QR at any printer resolution
        else:  # the driver kept its own resolution: the receipt as an image at that one
            painter.drawImage(QPointF(0, 0), render_image(receipt, width_mm=width_mm, dpi=dpi))
    finally:
        painter.end()


def render_image(receipt: Receipt, *, width_mm: int = 80, dpi: int = 203) -> QImage:
    """The same receipt as an image at ``dpi`` (203 dpi = a thermal printer's dots): for an
    on-screen preview or a screenshot."""
    _require_gui()
    ops, height = _layout(receipt, width_mm)
    scale = dpi / LAYOUT_DPI
    image = QImage(
        max(1, round(_mm(width_mm) * scale)),
        max(1, round(height * scale)),
        QImage.Format.Format_RGB32,
    )
    dpm = round(LAYOUT_DPI / 0.0254)  # fonts are sized in layout dots; the painter scales
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.fill(_PAPER)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        _paint(painter, ops)
    finally:
        painter.end()
    real_dpm = round(dpi / 0.0254)
    image.setDotsPerMeterX(real_dpm)
    image.setDotsPerMeterY(real_dpm)
    return image


__all__ = [
    "PAPER_WIDTHS",
    "page_size_mm",
    "paint_receipt",
    "qr_matrix",
    "render_image",
    "render_pdf",
    "roll_page_layout",
]
