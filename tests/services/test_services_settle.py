"""A timed-out send may still be committed by the server LATER: the lookup waits a settle delay
(measured from the attempt's start) before it may conclude "absent" and resend.

Time is virtual: the service's clock and sleep are a test clock, and the slow server commits
the timed-out request when that clock passes ``commit_after`` seconds after the send.
"""

from __future__ import annotations

import asyncio
from copy import deepcopy
from typing import Any

import pytest
from fake_scalev import FakeScalev

from pos.api.errors import APITimeoutError, OrderOutcomeUnknown
from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine
from pos.services import BackendUnavailable, CheckoutService, OutboxService
from pos.services.checkout import SaleSettling
from pos.storage import SaleJournal, SaleState


class VirtualClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_advance: list[Any] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        for hook in list(self.on_advance):
            hook()
        await asyncio.sleep(0)


class SlowCommitServer(FakeScalev):
    """The first create times out on the client; the server commits it ``commit_after``
    seconds (virtual) after the request started."""

    def __init__(self, clock: VirtualClock, commit_after: float) -> None:
        super().__init__()
        self.clock = clock
        self.commit_after = commit_after
        self.slow_once = True
        self._pending: list[tuple[float, dict[str, Any]]] = []
        clock.on_advance.append(self._apply)

    def _apply(self) -> None:
        due = [p for p in self._pending if p[0] <= self.clock.now]
        for p in due:
            self._pending.remove(p)
            self._commit(p[1])

    async def create_order(self, body: Any) -> Order:
        if not self.slow_once:
            return await super().create_order(body)
        self.slow_once = False
        self.create_calls.append(deepcopy(body))
        self._pending.append((self.clock.now + self.commit_after, deepcopy(body)))
        raise OrderOutcomeUnknown(
            "read timeout", cause=APITimeoutError("timed out", may_have_sent=True)
        )


def draft() -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_Nq7Rk2LmXa91",
        store_name="Toko Kopi",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 1000, 1),),
        customer=Customer("Siti", "6281234567890", None),
        payment_method="qris",
    )


def checkout(
    server: FakeScalev, journal: SaleJournal, clock: VirtualClock, **kw: Any
) -> CheckoutService:
    return CheckoutService(server, journal, sleep=clock.sleep, clock=clock, **kw)


@pytest.mark.asyncio
async def test_without_a_settle_delay_a_late_commit_is_duplicated(journal: SaleJournal) -> None:
    """The hazard itself: lookup at once, nothing found, resend → the late commit makes two."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=3.0)
    result = await checkout(server, journal, clock, settle_delay=0.0).submit(draft())
    clock.now += 10
    server._apply()
    assert len(server.orders_with_ref(result.pos_ref)) == 2


@pytest.mark.asyncio
async def test_settle_delay_waits_for_the_late_commit_and_adopts_it(journal: SaleJournal) -> None:
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=3.0)
    service = checkout(server, journal, clock, settle_delay=4.0, settle_wait_limit=5.0)
    result = await service.submit(draft())
    assert result.adopted
    assert len(server.create_calls) == 1  # never resent
    assert len(server.orders_with_ref(result.pos_ref)) == 1
    assert server.list_calls  # looked up…
    assert clock.now >= 1000.0 + 4.0  # …only once the settle delay had passed
    rec = journal.get(result.pos_ref)
    assert rec is not None and rec.state == SaleState.RECONCILED


@pytest.mark.asyncio
async def test_a_long_settle_hands_the_sale_to_the_outbox(journal: SaleJournal) -> None:
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=12.0)
    service = checkout(server, journal, clock, settle_delay=20.0, settle_wait_limit=2.0)
    with pytest.raises(SaleSettling) as caught:
        await service.submit(draft())
    err = caught.value
    assert isinstance(err, BackendUnavailable) and not err.queued
    pos_ref = err.pos_ref
    assert pos_ref is not None
    rec = journal.get(pos_ref)
    assert rec is not None and rec.state == SaleState.UNKNOWN
    assert server.list_calls == []  # no lookup yet: the server may still commit
    assert service.settling(pos_ref) > 0

    outbox = OutboxService(service, journal, clock=lambda: 0.0, sleep=clock.sleep)
    report = await outbox.drain_once()
    assert [r.pos_ref for r in report.created] == [pos_ref]
    assert report.created[0].adopted
    assert len(server.create_calls) == 1
    assert len(server.orders_with_ref(pos_ref)) == 1
    assert clock.now >= 1000.0 + 20.0
    assert outbox.pending_count() == 0


@pytest.mark.asyncio
async def test_settle_then_absent_resends_once(journal: SaleJournal) -> None:
    """The timed-out request really was lost: after the settle delay the lookup finds nothing
    and the same body is sent once more."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=1e9)  # never commits
    service = checkout(server, journal, clock, settle_delay=4.0, settle_wait_limit=5.0)
    result = await service.submit(draft())
    assert not result.adopted
    assert len(server.create_calls) == 2
    assert server.create_calls[0] == server.create_calls[1]
    assert len(server.orders_with_ref(result.pos_ref)) == 1
