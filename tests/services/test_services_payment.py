from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pos.api.errors import APIConnectionError, NotFoundError, RateLimitedError, ServerError
from pos.api.models import Order
from pos.services import PaymentWatcher


class ScriptedOrders:
    """get_order answers from a script of dicts / exceptions (the last one repeats)."""

    def __init__(self, script: list[dict[str, Any] | Exception]) -> None:
        self.script = script
        self.calls = 0
        self.checks = 0

    async def get_order(self, order_id: str) -> Order:
        step = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        await asyncio.sleep(0)
        if isinstance(step, Exception):
            raise step
        return Order.model_validate({"id": order_id, **step})

    async def check_payment(self, order_id: str) -> Order:
        self.checks += 1
        return Order.model_validate({"id": order_id, "payment_status": "paid"})


UNPAID = {"status": "pending", "payment_status": "unpaid"}
PAID = {"status": "confirmed", "payment_status": "paid"}


class Sleeper:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_watch_until_paid_reports_changes_only() -> None:
    client = ScriptedOrders([UNPAID, UNPAID, UNPAID, PAID])
    sleep = Sleeper()
    updates: list[str | None] = []
    order = await PaymentWatcher(client, interval=3.0, sleep=sleep).watch(
        "o1", lambda o: updates.append(o.payment_status)
    )
    assert order.is_paid
    assert updates == ["unpaid", "paid"]
    assert sleep.waits == [3.0, 3.0, 3.0]


@pytest.mark.asyncio
@pytest.mark.parametrize("final", [{"status": "canceled"}, {"status": "closed"},
                                   {"payment_status": "settled"}])  # fmt: skip
async def test_watch_stops_on_final_states(final: dict[str, str]) -> None:
    client = ScriptedOrders([UNPAID, final])
    order = await PaymentWatcher(client, sleep=Sleeper()).watch("o1", lambda o: None)
    assert order.status == final.get("status") or order.payment_status == "settled"


@pytest.mark.asyncio
async def test_watch_honours_rate_limits_and_backs_off_offline() -> None:
    client = ScriptedOrders(
        [
            UNPAID,
            RateLimitedError(retry_after=7.0),
            RateLimitedError(retry_after=None),
            APIConnectionError("down"),
            APIConnectionError("down"),
            ServerError(503),
            APIConnectionError("down"),
            PAID,
        ]
    )
    sleep = Sleeper()
    await PaymentWatcher(client, interval=2.0, sleep=sleep).watch("o1", lambda o: None)
    assert sleep.waits[0] == 2.0  # normal poll
    assert sleep.waits[1] == 7.0  # Retry-After
    assert sleep.waits[2] == 14.0  # doubled
    assert sleep.waits[3:] == [28.0, 30.0, 30.0, 30.0]  # capped at 30 s
    assert max(sleep.waits) <= 30.0


@pytest.mark.asyncio
async def test_watch_raises_unexpected_errors() -> None:
    client = ScriptedOrders([NotFoundError(404)])
    with pytest.raises(NotFoundError):
        await PaymentWatcher(client, sleep=Sleeper()).watch("o1", lambda o: None)


@pytest.mark.asyncio
async def test_watch_is_cancellable() -> None:
    client = ScriptedOrders([UNPAID])
    watcher = PaymentWatcher(client, interval=0.01)
    task = asyncio.create_task(watcher.watch("o1", lambda o: None))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client.calls >= 2


@pytest.mark.asyncio
async def test_check_now() -> None:
    client = ScriptedOrders([UNPAID])
    order = await PaymentWatcher(client).check_now("o1")
    assert order.is_paid and client.checks == 1
