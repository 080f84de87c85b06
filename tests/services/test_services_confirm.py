"""A send whose outcome is unknown may be committed by the server LATER: the sale is confirmed
by lookups over a window and never sent again inside it (issue 11).

Time is virtual: the service's clock and sleep are a test clock (epoch seconds), and the slow
server commits a timed-out request when that clock passes ``commit_after`` seconds after the
send. The journal keeps the send time, so a new service (a restart) continues the same window.
"""

from __future__ import annotations

import asyncio
import time
from copy import deepcopy
from datetime import UTC, datetime
from typing import Any

import pytest

from pos.api.errors import (
    APITimeoutError,
    InvalidResponseError,
    NotFoundError,
    OrderOutcomeUnknown,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from pos.api.models import Order
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine
from pos.services import (
    BackendUnavailable,
    CheckoutService,
    ConfirmPolicy,
    OutboxService,
    SaleConfirming,
    SaleNeedsDecision,
    user_message,
)
from pos.storage import SaleJournal, SaleState
from tests.fakes.scalev import FakeScalev, rate_limited

#: now, in epoch seconds: the journal stamps rows with the real time (the 24 h expiry reads it)
START = float(int(time.time()))
WINDOW = 600.0


class VirtualClock:
    def __init__(self) -> None:
        self.now = START
        self.sleeps: list[float] = []
        self.on_advance: list[Any] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for hook in list(self.on_advance):
            hook()


class SlowCommitServer(FakeScalev):
    """Creates time out on the client; the server commits each one ``commit_after`` seconds
    (virtual) after the request started (never, with ``None``)."""

    def __init__(self, clock: VirtualClock, commit_after: float | None, slow: int = 1) -> None:
        super().__init__()
        self.clock = clock
        self.commit_after = commit_after
        self.slow = slow
        self._pending: list[tuple[float, dict[str, Any]]] = []
        clock.on_advance.append(self._apply)

    def created_at(self) -> str:
        return datetime.fromtimestamp(self.clock.now, UTC).isoformat().replace("+00:00", "Z")

    def _apply(self) -> None:
        due = [p for p in self._pending if p[0] <= self.clock.now]
        for p in due:
            self._pending.remove(p)
            self._commit(p[1])

    async def create_order(self, body: Any) -> Order:
        if self.slow <= 0:
            return await super().create_order(body)
        self.slow -= 1
        self.create_calls.append(deepcopy(body))
        if self.commit_after is not None:
            self._pending.append((self.clock.now + self.commit_after, deepcopy(body)))
        raise OrderOutcomeUnknown(
            "read timeout", cause=APITimeoutError("timed out", may_have_sent=True)
        )


def draft(phone: str = "6281234567890") -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_Nq7Rk2LmXa91",
        store_name="Toko Kopi",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 1000, 1),),
        customer=Customer("Siti", phone, None),
        payment_method="qris",
    )


def checkout(
    server: FakeScalev, journal: SaleJournal, clock: VirtualClock, **kw: Any
) -> CheckoutService:
    kw.setdefault("policy", ConfirmPolicy(window=WINDOW))
    return CheckoutService(server, journal, sleep=clock.sleep, clock=clock, **kw)


def outbox_for(
    service: CheckoutService, journal: SaleJournal, clock: VirtualClock
) -> OutboxService:
    return OutboxService(service, journal, clock=clock, sleep=clock.sleep)


async def confirming_sale(
    server: FakeScalev, journal: SaleJournal, clock: VirtualClock
) -> tuple[CheckoutService, str]:
    service = checkout(server, journal, clock)
    with pytest.raises(SaleConfirming) as caught:
        await service.submit(draft())
    pos_ref = caught.value.pos_ref
    assert pos_ref is not None
    return service, pos_ref


@pytest.mark.asyncio
async def test_late_commit_within_the_window_is_adopted_never_resent(
    journal: SaleJournal,
) -> None:
    """Duplicate 1: the server commits 45 s after our timeout. The screen is freed
    (confirming), the outbox keeps looking, adopts the order: one order, one send."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=45.0)
    service, pos_ref = await confirming_sale(server, journal, clock)
    rec = journal.get(pos_ref)
    assert rec is not None and rec.state == SaleState.UNKNOWN
    assert rec.maybe_sent_at == START and rec.first_maybe_sent_at == START
    assert len(server.list_calls) >= 2  # looked up while the cashier waited (found nothing)
    assert clock.now - START <= 6.0  # the cashier waited seconds, not minutes

    outbox = outbox_for(service, journal, clock)
    for _ in range(30):
        report = await outbox.drain_once()
        if report.created:
            break
        assert report.confirming == [pos_ref] and report.blocked is None
        await clock.sleep(outbox._next_delay(report))
    assert [r.pos_ref for r in report.created] == [pos_ref] and report.created[0].adopted
    assert len(server.create_calls) == 1
    assert len(server.orders_with_ref(pos_ref)) == 1
    assert journal.get(pos_ref).state == SaleState.RECONCILED  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_a_restart_continues_the_same_window(journal: SaleJournal) -> None:
    """Duplicate 2: killed during a slow send and restarted at once. The new process finds the
    sale ``sending``, looks up (nothing yet) and does NOT resend; the commit arrives later and
    is adopted."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=90.0)
    first = checkout(server, journal, clock)
    ref = journal.new_sale(draft(), {"customer_phone": "6281234567890", "metadata": {}})
    journal.mark_sending(ref, at=clock.now)  # the request is on the wire…
    server.create_calls.append({})  # …and reaches the server, which commits in 90 s
    server._pending.append((clock.now + 90.0, {"metadata": {"pos_ref": ref},
                                               "customer_phone": "6281234567890"}))  # fmt: skip
    del first  # kill -9
    clock.advance(3.0)  # an immediate restart

    restarted = checkout(server, journal, clock)
    outbox = outbox_for(restarted, journal, clock)
    report = await outbox.reconcile_at_start()
    assert report.confirming == [ref] and not report.created
    rec = journal.get(ref)
    assert rec is not None and rec.state == SaleState.UNKNOWN
    assert rec.maybe_sent_at == START  # the window runs from the original send
    assert restarted.confirming_until(rec) == START + WINDOW
    for _ in range(30):
        report = await outbox.drain_once()
        if report.created:
            break
        await clock.sleep(outbox._next_delay(report))
    assert report.created and report.created[0].adopted
    assert len(server.orders_with_ref(ref)) == 1
    assert len(server.create_calls) == 1  # the one send before the kill


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "failure",
    [
        PermissionDeniedError(403, method="GET", path="/v3/orders", error="Forbidden"),
        NotFoundError(404, method="GET", path="/v3/orders"),
        ServerError(500, method="GET", path="/v3/orders"),
        RateLimitedError(retry_after=2.0, method="GET", path="/v3/orders"),
        APITimeoutError("GET /v3/orders: timed out", may_have_sent=True),
        InvalidResponseError("GET /v3/orders: body is not JSON"),
    ],
    ids=["403", "404", "500", "429", "timeout", "unreadable"],
)
async def test_a_failed_lookup_never_fails_the_sale(
    journal: SaleJournal, failure: Exception
) -> None:
    """Duplicate 3: the reply was lost after commit and the lookup is refused. The sale stays
    confirming (the cashier is told not to ring it again); when lookups work, it is adopted."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=0.0)
    failing = {"n": 6}
    real_list = server.list_orders

    def list_orders(**kw: Any) -> Any:
        if failing["n"] > 0:
            failing["n"] -= 1
            raise failure
        return real_list(**kw)

    server.list_orders = list_orders  # type: ignore[method-assign]
    service, pos_ref = await confirming_sale(server, journal, clock)
    err = SaleConfirming(pos_ref, START + WINDOW)
    for lang in ("id", "en"):
        text = user_message(err, lang)
        assert "jangan buat pesanan ini lagi" in text or "do not ring it up again" in text
    outbox = outbox_for(service, journal, clock)
    for _ in range(20):
        report = await outbox.drain_once()
        assert not report.failed and not report.rejected and not report.auth_refused
        if report.created:
            break
        await clock.sleep(outbox._next_delay(report))
    assert report.created and report.created[0].adopted
    assert len(server.create_calls) == 1 and len(server.orders_with_ref(pos_ref)) == 1


@pytest.mark.asyncio
async def test_a_busy_phone_is_paged_back_to_the_send(journal: SaleJournal) -> None:
    """Duplicate 4: 60 newer orders for the same phone (a reseller): the lookup reads page
    after page until it reaches ours."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=8.0)
    service, pos_ref = await confirming_sale(server, journal, clock)
    clock.advance(4.0)  # the late commit lands
    for i in range(60):
        clock.advance(0.5)
        server._commit({"customer_phone": "6281234567890", "metadata": {"pos_ref": f"other{i}"},
                        "customer_name": "Reseller"})  # fmt: skip
    found = await service.find(pos_ref)
    assert found is not None and found.adopted
    assert len(server.create_calls) == 1
    phone_calls = [c for c in server.list_calls if c["search_field"] == "customer_phone"]
    assert phone_calls  # the phone's orders were searched


@pytest.mark.asyncio
async def test_a_list_that_cannot_be_read_far_enough_is_not_absent(journal: SaleJournal) -> None:
    """More newer orders than a lookup may read: inconclusive, so the sale stays confirming
    even after the window (never needs_decision, never resent)."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=None)  # lost: never committed
    policy = ConfirmPolicy(window=WINDOW, max_pages=2, store_pages=1)
    service = checkout(server, journal, clock, policy=policy)
    with pytest.raises(SaleConfirming) as caught:
        await service.submit(draft())
    pos_ref = caught.value.pos_ref
    assert pos_ref is not None
    clock.advance(1.0)
    for i in range(80):  # 80 newer orders of the phone: more than 2 pages of 25
        server._commit({"customer_phone": "6281234567890", "metadata": {"pos_ref": f"x{i}"}})
    clock.advance(WINDOW + 5)
    with pytest.raises(BackendUnavailable):
        await service.find(pos_ref)
    outbox = outbox_for(service, journal, clock)
    report = await outbox.drain_once()
    assert report.confirming == [pos_ref] and not report.needs_decision
    assert len(server.create_calls) == 1


@pytest.mark.asyncio
async def test_end_of_the_window_asks_the_cashier_then_one_resend(journal: SaleJournal) -> None:
    """The request really was lost. Nothing is resent inside the window; at its end the sale
    waits for the cashier (needs_decision) with the facts; their "send again" sends once."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=None)
    service, pos_ref = await confirming_sale(server, journal, clock)
    outbox = outbox_for(service, journal, clock)
    events: list[str] = []
    outbox.on_change = lambda e: events.append(e.kind)
    while True:
        report = await outbox.drain_once()
        if report.needs_decision:
            break
        assert len(server.create_calls) == 1, "resent inside the window"
        assert clock.now < START + WINDOW + 120
        await clock.sleep(outbox._next_delay(report))
    assert clock.now >= START + WINDOW
    assert "needs_decision" in events
    rec = journal.get(pos_ref)
    assert rec is not None and rec.state == SaleState.NEEDS_DECISION
    assert "not found" in (rec.last_error or "")
    assert user_message(SaleNeedsDecision(pos_ref, START), "en").startswith("The order was not")
    # no automatic pass sends it
    await outbox.drain_once()
    assert len(server.create_calls) == 1
    result = await outbox.retry(pos_ref)  # the cashier: "send again"
    assert not result.adopted
    assert len(server.create_calls) == 2 and server.create_calls[0] == server.create_calls[1]
    assert len(server.orders_with_ref(pos_ref)) == 1


@pytest.mark.asyncio
async def test_retry_and_abandon_inside_the_window_never_resend(journal: SaleJournal) -> None:
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=None)
    service, pos_ref = await confirming_sale(server, journal, clock)
    outbox = outbox_for(service, journal, clock)
    clock.advance(60.0)
    with pytest.raises(SaleConfirming):
        await outbox.retry(pos_ref)
    with pytest.raises(SaleConfirming):
        await outbox.abandon(pos_ref)
    assert len(server.create_calls) == 1
    assert journal.get(pos_ref).state == SaleState.UNKNOWN  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_429_on_create_is_queued_not_offline(journal: SaleJournal) -> None:
    """The request was not processed: queued, said as such, sent when the limit allows."""
    clock = VirtualClock()
    server = FakeScalev()
    server.faults = [rate_limited()]
    service = checkout(server, journal, clock, rate_limit_wait=1.0)  # Retry-After 1.5 > 1
    with pytest.raises(BackendUnavailable) as caught:
        await service.submit(draft())
    err = caught.value
    assert err.queued and isinstance(err.cause, RateLimitedError)
    assert err.pos_ref is not None
    rec = journal.get(err.pos_ref)
    assert rec is not None and rec.state == SaleState.QUEUED and rec.maybe_sent_at is None
    en = user_message(err, "en")
    assert "limiting requests" in en and "not processed" in en
    assert "Cannot reach" not in en
    report = await outbox_for(service, journal, clock).drain_once()
    assert [r.pos_ref for r in report.created] == [err.pos_ref]
    assert len(server.orders_with_ref(err.pos_ref)) == 1


@pytest.mark.asyncio
async def test_a_short_retry_after_is_waited_out_on_the_sale_screen(
    journal: SaleJournal,
) -> None:
    clock = VirtualClock()
    server = FakeScalev()
    server.faults = [rate_limited()]
    result = await checkout(server, journal, clock, rate_limit_wait=5.0).submit(draft())
    assert not result.adopted and clock.sleeps == [1.5]
    assert len(server.orders_with_ref(result.pos_ref)) == 1


@pytest.mark.asyncio
async def test_a_confirming_sale_does_not_hold_up_the_queue(journal: SaleJournal) -> None:
    """The next sale goes on meanwhile: a queued sale is sent while another is confirming."""
    clock = VirtualClock()
    server = SlowCommitServer(clock, commit_after=None)
    service, confirming = await confirming_sale(server, journal, clock)
    server.faults = ["connection_refused"] * 3
    with pytest.raises(BackendUnavailable) as caught:
        await service.submit(draft(phone="6289999999999"))
    queued = caught.value.pos_ref
    assert queued is not None and caught.value.queued
    report = await outbox_for(service, journal, clock).drain_once()
    assert [r.pos_ref for r in report.created] == [queued]
    assert report.confirming == [confirming]


def test_the_window_is_configurable() -> None:
    assert ConfirmPolicy.from_env({}).window == 600.0
    assert ConfirmPolicy.from_env({"KASIR_CONFIRM_WINDOW_S": "1800"}).window == 1800.0
    assert ConfirmPolicy.from_env({"KASIR_CONFIRM_WINDOW_S": "5"}).window == 60.0  # floor
    assert ConfirmPolicy.from_env({"KASIR_CONFIRM_WINDOW_S": "soon"}).window == 600.0
