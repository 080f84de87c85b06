"""Manual discounts at the counter (issue 13): a cart discount as an amount or a percent, and a
shipping discount. Integer rupiah; a discount is never more than what it discounts, and never
more than the terminal's cap.

Scalev takes them as plain amounts on ``POST /v3/orders``: ``product_discount`` (off the
products) and ``shipping_discount`` (off the shipping cost).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

MAX_PERCENT = 100
_AMOUNT = re.compile(r"^(?:rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)$")
_PERCENT = re.compile(r"^(\d{1,3}(?:[.,]\d{1,2})?)\s*%$")


class InvalidDiscount(ValueError):
    """The text is not a discount (``message_id`` says why, for ``pos.domain.messages``)."""

    def __init__(self, message_id: str) -> None:
        super().__init__(message_id)
        self.message_id = message_id


@dataclass(frozen=True)
class Discount:
    """``kind`` ``"amount"``: ``value`` rupiah; ``"percent"``: ``value`` hundredths of a
    percent (``1050`` = 10.5 %), so no float ever touches money."""

    kind: Literal["amount", "percent"]
    value: int

    def amount_for(self, subtotal: int, cap: int | None = None) -> int:
        """Rupiah off ``subtotal``: percents round half up; never above the subtotal or ``cap``
        (a cap of 0 or None means no cap)."""
        subtotal = max(0, int(subtotal))
        # percent: hundredths of a percent, rounded half up
        raw = (
            (subtotal * self.value * 2 + 10_000) // 20_000 if self.kind == "percent" else self.value
        )
        limit = subtotal if not cap or cap <= 0 else min(subtotal, int(cap))
        return max(0, min(raw, limit))

    def label(self) -> str:
        """``"10%"`` / ``"10,5%"`` / ``""`` for amounts (the amount is shown separately)."""
        if self.kind != "percent":
            return ""
        whole, frac = divmod(self.value, 100)
        return f"{whole}%" if not frac else f"{whole},{frac:02d}".rstrip("0") + "%"


def parse_discount(text: str) -> Discount | None:
    """``""`` → None; ``"5000"``, ``"5.000"``, ``"Rp5.000"`` → amount; ``"10%"``, ``"12,5 %"``
    → percent. Raises :class:`InvalidDiscount` for anything else (``discount_invalid``) or a
    percent above 100 (``discount_too_high``)."""
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        return None
    m = _PERCENT.match(cleaned)
    if m:
        number = m.group(1).replace(",", ".")
        whole, _, frac = number.partition(".")
        hundredths = int(whole) * 100 + int((frac + "00")[:2])
        if hundredths > MAX_PERCENT * 100:
            raise InvalidDiscount("discount_too_high")
        return Discount("percent", hundredths) if hundredths else None
    m = _AMOUNT.match(cleaned.replace(" ", ""))
    if m:
        amount = int(re.sub(r"[.,]", "", m.group(1)))
        return Discount("amount", amount) if amount else None
    raise InvalidDiscount("discount_invalid")


def shipping_discount_amount(value: int, shipping_cost: int) -> int:
    """A shipping discount never exceeds the shipping cost, nor goes below zero."""
    return max(0, min(int(value), int(shipping_cost)))


def parse_cap(text: str | None) -> int:
    """The per-terminal cap setting (rupiah; empty / invalid = 0 = no cap)."""
    try:
        return max(0, int((text or "").strip() or 0))
    except ValueError:
        return 0
