"""Indonesian rupiah: integer amounts, formatted as ``Rp150.000``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

#: Amounts at or above this (Rp1.000.000.000.000.000) are refused: no real price is that high,
#: and every sum of a cart stays far inside SQLite's 64-bit integers and JSON's exact range.
AMOUNT_LIMIT = 10**15


def amount_in_bounds(value: int) -> bool:
    """``0 <= value < AMOUNT_LIMIT``."""
    return 0 <= value < AMOUNT_LIMIT


def format_idr(amount: int | Decimal) -> str:
    """``150000`` -> ``"Rp150.000"``; ``-5000`` -> ``"-Rp5.000"``. Fractions are rounded half up."""
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"amount must be int or Decimal, not {type(amount).__name__}")
    dec = Decimal(amount)
    if not dec.is_finite():
        raise ValueError(f"not a finite amount: {amount!r}")
    with localcontext() as ctx:  # a server's 1e30 must format, not raise (precision is 28)
        ctx.prec = max(28, dec.adjusted() + 3)
        value = int(dec.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if value < 0 else ""
    digits = f"{abs(value):,}".replace(",", ".")
    return f"{sign}Rp{digits}"


def to_rupiah(value: Decimal | int | str) -> int:
    """Exact conversion to integer rupiah. ``"168724.00"`` -> ``168724``.

    Raises :class:`ValueError` for fractional rupiah or text that is not a number, and
    :class:`TypeError` for floats (they are never exact).
    """
    if isinstance(value, bool):
        raise TypeError("bool is not an amount")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise TypeError("float amounts are not exact; pass Decimal or str")
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"not an amount: {value!r}") from None
    elif isinstance(value, Decimal):
        dec = value
    else:
        raise TypeError(f"not an amount: {type(value).__name__}")
    if not dec.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    if dec != dec.to_integral_value():
        raise ValueError(f"fractional rupiah: {value!r}")
    return int(dec)


def round_rupiah(value: Decimal | int | str) -> int:
    """Like :func:`to_rupiah` but rounds fractions half up (catalog prices, courier costs)."""
    if isinstance(value, bool | float):
        raise TypeError("not an exact amount")
    if isinstance(value, int):
        return value
    dec = Decimal(value.strip()) if isinstance(value, str) else value
    if not dec.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return int(dec.quantize(Decimal(1), rounding=ROUND_HALF_UP))
