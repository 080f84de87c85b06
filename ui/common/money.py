"""Rupiah formatting for the UI (delegates to ``pos.domain.money.format_idr``)."""

from __future__ import annotations

from decimal import Decimal


def format_idr(amount: int | Decimal | None) -> str:
    if amount is None:
        return "—"
    from pos.domain.money import format_idr as _format

    return _format(amount)
