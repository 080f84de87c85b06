"""Cancelling the outbox task always stops it, whichever step of its wait the cancel lands on
(a poke and an app shutdown can arrive in the same loop iteration)."""

from __future__ import annotations

import asyncio

import pytest

from pos.services import CheckoutService, OutboxService
from pos.storage import SaleJournal
from tests.fakes.scalev import FakeScalev


@pytest.mark.asyncio
@pytest.mark.parametrize("steps", range(6))
async def test_cancel_right_after_a_poke_stops_the_loop(
    server: FakeScalev, journal: SaleJournal, steps: int
) -> None:
    outbox = OutboxService(CheckoutService(server, journal), journal, idle_interval=3600)
    task = asyncio.ensure_future(outbox.run())
    for _ in range(3):
        await asyncio.sleep(0)  # idle: waiting for a poke
    outbox.poke()
    for _ in range(steps):
        await asyncio.sleep(0)
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert task in done, "the outbox swallowed the cancel"
    assert task.cancelled()
