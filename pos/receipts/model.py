"""The receipt as data: what a sale prints, independent of paper or printer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pos.domain.text import display_text
from pos.domain.urls import payment_url_allowed

_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_receipt_date(when: datetime, lang: str = "id") -> str:
    """``26 Nov 2026 21.15`` (Indonesian: ``Mei``/``Agu``/``Okt``/``Des``, time with a dot);
    English: ``26 Nov 2026 21:15``. The datetime is printed as given (pass local time)."""
    if lang == "en":
        return f"{when.day} {_MONTHS_EN[when.month - 1]} {when.year} {when:%H}:{when:%M}"
    return f"{when.day} {_MONTHS_ID[when.month - 1]} {when.year} {when:%H}.{when:%M}"


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: int  # integer rupiah

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", display_text(self.name))

    @property
    def subtotal(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class ReceiptShipping:
    courier_label: str  # e.g. "JNE REG"
    cost: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """One printed receipt. Amounts are integer rupiah.

    ``adjustments`` are extra signed lines between subtotal and total (discount, unique code,
    fee), e.g. ``(("Diskon", -5000),)``. ``order_url`` (the public order page) becomes a QR code;
    leave it ``None`` for no QR. ``lang`` picks the fixed labels: ``"id"`` or ``"en"``.
    """

    store_name: str
    terminal: str
    order_number: str
    created_at: datetime
    lines: tuple[ReceiptLine, ...]
    payment_method: str  # readable label, e.g. "QRIS"
    paid: bool
    shipping: ReceiptShipping | None = None
    adjustments: tuple[tuple[str, int], ...] = ()
    customer_name: str = ""
    order_url: str | None = None
    footer: str = ""
    lang: str = "id"
    extra_header: tuple[str, ...] = field(default=())  # address / phone lines under the name
    #: how it was paid at the counter, printed under the payment method (issue 13), e.g.
    #: ``(("Tunai", 100000), ("Kembalian", 15000))``
    tendered: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        # Server text is printed as plain one-line text; a QR only of an https link (a
        # customer's phone cannot open anything else, and nothing else is to be trusted).
        for name in ("store_name", "terminal", "order_number", "customer_name", "payment_method"):
            object.__setattr__(self, name, display_text(getattr(self, name)))
        if self.order_url is not None and not payment_url_allowed(self.order_url):
            object.__setattr__(self, "order_url", None)

    @property
    def subtotal(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def shipping_cost(self) -> int:
        return self.shipping.cost if self.shipping else 0

    @property
    def total(self) -> int:
        return self.subtotal + self.shipping_cost + sum(amount for _, amount in self.adjustments)

    @property
    def date_text(self) -> str:
        return format_receipt_date(self.created_at, self.lang)
