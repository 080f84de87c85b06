"""The receipt as a PDF on roll paper (58 or 80 mm wide), drawn with QPdfWriter + QPainter.

Same content and labels as the thermal receipt (:mod:`pos.receipts.text`), in proportional
type: store, order facts, items, totals, shipping, payment method, a LUNAS / BELUM LUNAS badge
and a QR code of the public order URL (drawn as vector squares from the ``qrcode`` matrix).
The page is exactly as tall as the receipt: one page, paper width × content height.

Layout happens once, in "dots" at :data:`~ui.receipts.roll_layout.LAYOUT_DPI`, into a list of
drawing operations (:mod:`ui.receipts.roll_layout`); the PDF (:func:`render_pdf`), the printer
(:func:`paint_receipt`) and the preview image (:func:`render_image`) replay the same list, so
they always agree. Needs a ``QGuiApplication`` (fonts); any platform works, offscreen included.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QSizeF
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from pos.domain.money import format_idr
from pos.receipts.model import Receipt
from pos.receipts.text import _LABELS, clean
from ui.receipts.roll_layout import (
    DOTS_PER_MM,
    GREY,
    INK,
    LAYOUT_DPI,
    PAPER,
    PAPER_WIDTHS,
    Op,
    RollLayout,
    measure_device,
    to_dots,
)

log = logging.getLogger(__name__)


def _layout(receipt: Receipt, width_mm: int) -> tuple[list[Op], float]:
    """The drawing operations and the page height, both in layout dots."""
    if width_mm not in PAPER_WIDTHS:
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")
    t = _LABELS.get(receipt.lang, _LABELS["id"])
    lay = RollLayout(width_mm, measure_device())
    body = lay.font(8.5)
    small = lay.font(7.5)
    strong = lay.font(8.5, bold=True)

    lay.text(receipt.store_name, lay.font(13, bold=True), align="center")
    for extra in receipt.extra_header:
        lay.text(extra, small, align="center", color=GREY)
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
        lay.row(qty, format_idr(item.subtotal), body, indent=to_dots(2.0), color=INK)
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
                lay.text(paragraph, small, align="center", color=GREY)
    lay.space(6.0)  # tear-off margin
    return lay.ops, lay.y


def _paint(painter: QPainter, ops: list[Op]) -> None:
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
    writer.setPageLayout(roll_page_layout(width_mm, height / DOTS_PER_MM))
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
        max(1, round(to_dots(width_mm) * scale)),
        max(1, round(height * scale)),
        QImage.Format.Format_RGB32,
    )
    dpm = round(LAYOUT_DPI / 0.0254)  # fonts are sized in layout dots; the painter scales
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.fill(PAPER)
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
    "render_image",
    "render_pdf",
    "roll_page_layout",
]
