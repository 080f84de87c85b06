"""'Order is finished' has one home (pos.domain.order_status); rts (returned) is finished too."""

from __future__ import annotations

import pytest

from pos.api.models import Order
from pos.domain.order_status import is_closed, is_finished, is_paid
from pos.services.history import status_of  # noqa: F401  (imports the same rule)
from pos.services.payment import is_finished as watcher_finished


@pytest.mark.parametrize(
    ("status", "payment", "finished"),
    [
        ("pending", "unpaid", False),
        ("confirmed", "paid", True),
        ("confirmed", "settled", True),
        ("canceled", "unpaid", True),
        ("cancelled", "unpaid", True),
        ("closed", None, True),
        ("rts", "unpaid", True),
        ("RTS", "unpaid", True),
        (None, None, False),
        ("shipped", "conflict", False),
    ],
)
def test_one_rule_everywhere(status: str | None, payment: str | None, finished: bool) -> None:
    order = Order.model_validate({"id": "o1", "status": status, "payment_status": payment})
    assert is_finished(status, payment) is finished
    assert order.is_finished is finished
    assert watcher_finished(order) is finished
    assert (order.is_paid or order.is_closed) is finished
    assert is_paid(payment) is order.is_paid and is_closed(status) is order.is_closed


def test_watcher_stops_on_a_returned_order() -> None:
    """services/payment.is_finished used to miss ``rts``: the watcher polled a returned order
    forever."""
    order = Order.model_validate({"id": "o1", "status": "rts", "payment_status": "unpaid"})
    assert watcher_finished(order)


def test_non_strings_are_not_finished() -> None:
    assert not is_finished(123, ["paid"])
