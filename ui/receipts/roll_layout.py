"""Roll-paper typesetting for the PDF receipt (:mod:`ui.receipts.pdf`): a :class:`RollLayout`
places text, rows, rules, a badge and a QR code top to bottom, in "dots" at
:data:`LAYOUT_DPI`, as a list of drawing operations (:data:`Op`) any ``QPainter`` replays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import qrcode
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from pos.receipts.text import clean

LAYOUT_DPI = 300
DOTS_PER_MM = LAYOUT_DPI / 25.4
PAPER_WIDTHS = (58, 80)
# Printable width of common thermal heads: 72 mm on 80 mm paper, 48 mm on 58 mm paper.
_SIDE_MARGIN_MM = {80: 4.0, 58: 5.0}
_FONT_SCALE = {80: 1.0, 58: 0.82}
_QR_MM = {80: 38.0, 58: 32.0}
_FONT_FAMILIES = ["Inter", "Segoe UI", "Helvetica Neue", "Noto Sans", "DejaVu Sans", "Arial"]
INK = QColor(0, 0, 0)
GREY = QColor(90, 90, 90)
PAPER = QColor(255, 255, 255)


def to_dots(value: float) -> float:
    """Millimetres in layout dots."""
    return value * DOTS_PER_MM


# --- drawing operations ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextOp:
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
class RuleOp:
    y: float
    x1: float
    x2: float
    width: float
    dashed: bool

    def draw(self, p: QPainter) -> None:
        pen = QPen(INK, self.width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if self.dashed:
            pen.setDashPattern([4.0, 3.0])
        p.setPen(pen)
        p.drawLine(QPointF(self.x1, self.y), QPointF(self.x2, self.y))


@dataclass(frozen=True, slots=True)
class BoxOp:
    rect: QRectF
    filled: bool
    line_width: float

    def draw(self, p: QPainter) -> None:
        radius = self.rect.height() * 0.18
        if self.filled:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(INK)
        else:
            p.setPen(QPen(INK, self.line_width))
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(self.rect, radius, radius)
        p.setBrush(Qt.BrushStyle.NoBrush)


@dataclass(frozen=True, slots=True)
class QrOp:
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
        p.fillPath(path, INK)


Op = TextOp | RuleOp | BoxOp | QrOp


# --- layout ------------------------------------------------------------------------------


def qr_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of ``data`` (error correction M) with its 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def measure_device() -> QImage:
    """A 1×1 image that reports LAYOUT_DPI, so font metrics come out in layout dots."""
    image = QImage(1, 1, QImage.Format.Format_RGB32)
    dpm = round(LAYOUT_DPI / 0.0254)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    return image


@dataclass
class RollLayout:
    width_mm: int
    device: QImage
    ops: list[Op] = field(default_factory=list)
    y: float = 0.0

    def __post_init__(self) -> None:
        margin = to_dots(_SIDE_MARGIN_MM[self.width_mm])
        self.left = margin
        self.right = to_dots(self.width_mm) - margin
        self.y = to_dots(4.0)
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
        color: QColor = INK,
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
                self.ops.append(TextOp(x, baseline, part, font, color))

            self._line(font, draw)

    def row(
        self,
        left: str,
        right: str,
        font: QFont,
        *,
        right_font: QFont | None = None,
        indent: float = 0.0,
        color: QColor = INK,
    ) -> None:
        """``left`` flush left, ``right`` flush right on the same line (the left side wraps;
        the value sits on its last line, or on a line of its own when it is too wide)."""
        right_font = right_font or font
        value = clean(right)
        value_width = self.metrics(right_font).horizontalAdvance(value)
        gap = to_dots(2.0)
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
            self.ops.append(TextOp(self.left + indent, baseline, last, font, color))
            self.ops.append(TextOp(self.right - value_width, baseline, value, right_font, color))

        self._line(tallest, draw)

    # -- graphics -------------------------------------------------------------------------

    def space(self, mm: float) -> None:
        self.y += to_dots(mm)

    def rule(self, *, dashed: bool = True, weight_mm: float = 0.25) -> None:
        self.space(1.2)
        self.ops.append(RuleOp(self.y, self.left, self.right, to_dots(weight_mm), dashed))
        self.space(1.6)

    def badge(self, text: str, *, filled: bool) -> None:
        font = self.font(12, bold=True)
        fm = self.metrics(font)
        pad_x, pad_y = to_dots(4.0), to_dots(1.4)
        width = fm.horizontalAdvance(text) + 2 * pad_x
        height = fm.height() + 2 * pad_y
        rect = QRectF(self.left + (self.content_width - width) / 2, self.y, width, height)
        self.ops.append(BoxOp(rect, filled, to_dots(0.5)))
        baseline = rect.y() + pad_y + fm.ascent()
        x = rect.x() + pad_x
        self.ops.append(TextOp(x, baseline, text, font, PAPER if filled else INK))
        self.y += height

    def qr(self, data: str) -> None:
        size = to_dots(_QR_MM[self.width_mm])
        rect = QRectF(self.left + (self.content_width - size) / 2, self.y, size, size)
        self.ops.append(QrOp(rect, qr_matrix(data)))
        self.y += size
