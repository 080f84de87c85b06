"""The payment watcher stops on a returned-to-sender (``rts``) order like on any closed one."""

from __future__ import annotations

import asyncio

import pytest

from pos.services import PaymentWatcher
from tests.services.test_services_payment import UNPAID, ScriptedOrders, Sleeper


@pytest.mark.asyncio
async def test_watch_stops_on_rts() -> None:
    client = ScriptedOrders([UNPAID, UNPAID, {"status": "rts", "payment_status": "unpaid"}])
    watch = PaymentWatcher(client, sleep=Sleeper()).watch("o1", lambda o: None)
    order = await asyncio.wait_for(watch, timeout=5)  # it used to poll a returned order forever
    assert order.status == "rts" and order.is_finished
    assert client.calls == 3
