"""Receipt layout in fixed columns: 32 (58 mm paper) or 48 (80 mm paper).

:func:`layout` produces styled lines plus a QR marker; :func:`render_text` turns them into plain
text and :mod:`.escpos` into printer bytes, so both outputs always agree.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass
from typing import Literal

from pos.domain.money import format_idr
from pos.receipts.model import Receipt

Style = Literal["normal", "title", "strong"]
COLUMNS_58MM = 32
COLUMNS_80MM = 48
_MIN_LABEL = 8

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "order": "No. Pesanan",
        "date": "Tanggal",
        "terminal": "Kasir",
        "customer": "Pelanggan",
        "subtotal": "Subtotal",
        "shipping": "Ongkir",
        "total": "TOTAL",
        "payment": "Pembayaran",
        "paid": "LUNAS",
        "unpaid": "BELUM LUNAS",
        "scan": "Pindai untuk melihat pesanan",
    },
    "en": {
        "order": "Order no.",
        "date": "Date",
        "terminal": "Terminal",
        "customer": "Customer",
        "subtotal": "Subtotal",
        "shipping": "Shipping",
        "total": "TOTAL",
        "payment": "Payment",
        "paid": "PAID",
        "unpaid": "UNPAID",
        "scan": "Scan to view your order",
    },
}


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    style: Style = "normal"


@dataclass(frozen=True, slots=True)
class QrCode:
    data: str
    caption: str


Item = Line | QrCode


def clean(text: str) -> str:
    """NFC, control characters and runs of whitespace folded to single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return " ".join(text.split())


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to ``width``; words longer than a line are broken. Never returns ``[]``."""
    return textwrap.wrap(clean(text), width, break_long_words=True, break_on_hyphens=False) or [""]


def center(text: str, width: int) -> list[str]:
    return [" " * ((width - len(part)) // 2) + part for part in wrap(text, width)]


def left_right(left: str, right: str, width: int, indent: int = 0) -> list[str]:
    """``left`` (after ``indent`` spaces) flush left and ``right`` flush right on one line; a
    long label wraps so that the value stays on its last line, right-aligned."""
    left, right = clean(left), clean(right)
    pad = " " * indent
    if len(right) >= width:
        return [pad + part for part in wrap(left, width - indent)] + wrap(right, width)
    avail = width - len(right) - 1 - indent
    if avail < _MIN_LABEL and len(left) > avail:
        return [pad + part for part in wrap(left, width - indent)] + [right.rjust(width)]
    parts = [pad + part for part in wrap(left, avail)]
    last = parts[-1]
    return [*parts[:-1], last + " " * (width - len(last) - len(right)) + right]


def columns_for(width_mm: int) -> int:
    if width_mm == 58:
        return COLUMNS_58MM
    if width_mm == 80:
        return COLUMNS_80MM
    raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")


def layout(receipt: Receipt, columns: int) -> list[Item]:
    """The receipt as styled lines of exactly ``columns`` or fewer characters."""
    if columns < 24:
        raise ValueError("a receipt needs at least 24 columns")
    t = _LABELS.get(receipt.lang, _LABELS["id"])
    w = columns
    out: list[Item] = []

    def add(lines: list[str], style: Style = "normal") -> None:
        out.extend(Line(text, style) for text in lines)

    add(center(receipt.store_name, w), "title")
    for extra in receipt.extra_header:
        add(center(extra, w))
    add(["=" * w])
    add(left_right(t["order"], receipt.order_number, w))
    add(left_right(t["date"], receipt.date_text, w))
    add(left_right(t["terminal"], receipt.terminal, w))
    if clean(receipt.customer_name):
        add(left_right(t["customer"], receipt.customer_name, w))
    add(["-" * w])
    for item in receipt.lines:
        add(wrap(item.name, w))
        qty = f"{item.quantity} x {format_idr(item.unit_price)}"
        add(left_right(qty, format_idr(item.subtotal), w, indent=2))
    add(["-" * w])
    add(left_right(t["subtotal"], format_idr(receipt.subtotal), w))
    if receipt.shipping is not None:
        label = f"{t['shipping']} {clean(receipt.shipping.courier_label)}".strip()
        add(left_right(label, format_idr(receipt.shipping.cost), w))
    for label, amount in receipt.adjustments:
        add(left_right(label, format_idr(amount), w))
    add(left_right(t["total"], format_idr(receipt.total), w), "strong")
    add(left_right(t["payment"], receipt.payment_method, w))
    for label, amount in receipt.tendered:
        add(left_right(label, format_idr(amount), w))
    add(["=" * w])
    add(center(t["paid"] if receipt.paid else t["unpaid"], w), "strong")
    if receipt.order_url:
        out.append(QrCode(receipt.order_url, t["scan"]))
    if receipt.footer.strip():
        add([""])
        for paragraph in receipt.footer.splitlines():
            add(center(paragraph, w))
    return out


def render_text(receipt: Receipt, columns: int = COLUMNS_58MM) -> str:
    """Plain text, one ``\\n`` per line, no trailing spaces. The QR becomes its caption and
    the URL (wrapped)."""
    lines: list[str] = []
    for item in layout(receipt, columns):
        if isinstance(item, QrCode):
            lines.append("")
            lines.extend(center(item.caption, columns))
            lines.extend(
                textwrap.wrap(item.data, columns, break_long_words=True, break_on_hyphens=False)
                or [""]
            )
        else:
            lines.append(item.text)
    return "".join(line.rstrip() + "\n" for line in lines)
