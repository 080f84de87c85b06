"""The one home of "is this order paid / closed / finished" (Scalev status strings).

An order is **finished** when nothing more is to be waited for: paid (``paid``/``settled``) or
closed (``canceled``, ``closed`` or ``rts`` — returned to sender). Status strings from the server
are compared case-insensitively; anything unknown counts as "still open".
"""

from __future__ import annotations

PAID_STATUSES = frozenset({"paid", "settled"})
CLOSED_STATUSES = frozenset({"canceled", "cancelled", "closed", "rts"})
CANCELED_PAYMENT_STATUSES = frozenset({"canceled", "cancelled", "expired", "refunded"})


def _norm(value: object) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def is_paid(payment_status: object) -> bool:
    return _norm(payment_status) in PAID_STATUSES


def is_closed(status: object) -> bool:
    return _norm(status) in CLOSED_STATUSES


def is_finished(status: object, payment_status: object) -> bool:
    """Paid/settled (success) or canceled/closed/rts (failure): nothing more to wait for."""
    return is_paid(payment_status) or is_closed(status)


def is_canceled_payment(payment_status: object) -> bool:
    return _norm(payment_status) in CANCELED_PAYMENT_STATUSES
