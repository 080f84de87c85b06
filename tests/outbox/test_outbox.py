"""OutboxService on a fake server: crash recovery, backoff, poke, 429, 24 h, retry/abandon."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from pos.api.errors import RateLimitedError, ServerError
from pos.domain.sale import build_order_body
from pos.services import (
    BackendUnavailable,
    CheckoutService,
    ConfirmPolicy,
    OutboxEvent,
    OutboxService,
    SaleAlreadyCreated,
)
from pos.services.outbox import DrainReport, payment_link_for
from pos.storage import SaleJournal, SaleState
from tests.fakes.scalev import FakeScalev, rate_limited
from tests.fakes.sleep import yield_once
from tests.outbox.outbox_support import draft

DAY = 24 * 3600.0


class VirtualTime:
    """A clock + sleep pair: sleeping advances the clock instantly."""

    def __init__(self) -> None:
        self.t = time.time()
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds
        await asyncio.sleep(0)


def make(
    server: FakeScalev, journal: SaleJournal, policy: ConfirmPolicy | None = None, **kw: object
) -> tuple[CheckoutService, OutboxService, list[OutboxEvent]]:
    clock = kw.get("clock", time.time)
    checkout = CheckoutService(server, journal, sleep=yield_once, clock=clock, policy=policy)  # type: ignore[arg-type]
    events: list[OutboxEvent] = []
    kw.setdefault("sleep", yield_once)
    kw.setdefault("rng", random.Random(1))
    outbox = OutboxService(checkout, journal, on_change=events.append, **kw)  # type: ignore[arg-type]
    return checkout, outbox, events


async def queue_offline(server: FakeScalev, checkout: CheckoutService, n: int) -> str:
    online = server.online
    server.online = False
    with pytest.raises(BackendUnavailable) as ei:
        await checkout.submit(draft(n))
    server.online = online
    assert ei.value.queued and ei.value.pos_ref
    return ei.value.pos_ref


async def lost_with_the_network(
    server: FakeScalev, checkout: CheckoutService, journal: SaleJournal, n: int
) -> str:
    """A sale the server commits while its reply is lost with the network: maybe sent."""
    server.faults = ["commit_then_go_offline"]
    with pytest.raises(BackendUnavailable):
        await checkout.submit(draft(n))
    return journal.recent(limit=1)[0].pos_ref


def one_order(server: FakeScalev, ref: str) -> dict[str, object]:
    orders = server.orders_with_ref(ref)
    assert len(orders) == 1, orders
    return orders[0]


@pytest.mark.asyncio
async def test_reconcile_at_start_recovers_every_unfinished_state(
    server: FakeScalev, journal: SaleJournal
) -> None:
    refs = {}
    for n, name in enumerate(["draft", "sending_committed", "sending_lost", "unknown", "queued"]):
        d = draft(n)
        body = build_order_body(d, pos_ref=f"00000000-0000-4000-8000-00000000000{n}", terminal="K")
        ref = journal.new_sale(d, body)
        refs[name] = ref
        if name != "draft":
            journal.mark_sending(ref)
        if name == "sending_committed":  # crashed after the server committed
            server._commit(journal.get(ref).body)  # type: ignore[union-attr]
        if name == "unknown":
            journal.mark_unknown(ref, "reset")
        if name == "queued":
            journal.mark_queued(ref, "offline")
    _, outbox, events = make(server, journal)
    assert outbox.pending_count() == 5
    report = await outbox.reconcile_at_start()
    # never sent or committed: created or adopted; maybe sent and not found: confirming
    assert len(report.created) == 3 and report.blocked is None
    assert sorted(report.confirming) == sorted([refs["sending_lost"], refs["unknown"]])
    assert journal.get(refs["sending_committed"]).state == SaleState.RECONCILED  # type: ignore[union-attr]
    assert len(server.create_calls) == 2  # the committed one was adopted, not resent
    assert events[-1].pending == 2  # the badge counts the two being confirmed
    # after the window the two wait for the cashier, whose "send again" sends each once
    _, later, _ = make(server, journal, policy=ConfirmPolicy(window=0.0))
    report = await later.drain_once()
    assert len(report.needs_decision) == 2 and len(server.create_calls) == 2
    for ref in report.needs_decision:
        await later.retry(ref)
    assert later.pending_count() == 0
    for ref in refs.values():
        rec = journal.get(ref)
        assert rec is not None and rec.is_done
        assert rec.order_id == one_order(server, ref)["id"]
    assert len(server.create_calls) == 4


@pytest.mark.asyncio
async def test_queue_drains_by_itself_within_5_s_of_the_network_returning(
    server: FakeScalev, journal: SaleJournal
) -> None:
    vt = VirtualTime()
    checkout, outbox, events = make(server, journal, clock=vt.clock, sleep=vt.sleep)
    ref = await queue_offline(server, checkout, 1)
    server.online = False
    back_at = vt.t + 300.0  # five minutes offline, nobody pokes
    created_at: list[float] = []

    async def sleep(seconds: float) -> None:
        await vt.sleep(seconds)
        if vt.t >= back_at:
            server.online = True

    outbox._sleep = sleep
    waits: list[float] = []
    done = asyncio.Event()

    def seen(e: OutboxEvent) -> None:
        if e.kind == "created" and not created_at:
            created_at.append(vt.t)
            waits.extend(vt.slept)
            done.set()

    outbox.on_change = seen
    task = asyncio.create_task(outbox.run())
    await asyncio.wait_for(done.wait(), 30)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert created_at[0] - back_at <= 5.0
    assert max(waits) <= outbox.offline_max_delay
    assert len(set(waits)) > 3  # jittered
    one_order(server, ref)
    assert events == []  # on_change was replaced above


@pytest.mark.asyncio
async def test_backoff_grows_to_30_s_on_server_trouble_and_respects_429(
    server: FakeScalev, journal: SaleJournal
) -> None:
    _, outbox, _ = make(server, journal)
    unknown = BackendUnavailable("5xx", cause=ServerError(503))
    delays = [
        outbox._next_delay(DrainReport(blocked=unknown, still_pending=["x"])) for _ in range(12)
    ]
    assert delays[0] <= 1.0 and max(delays) <= 30.0 and delays[-1] >= 15.0
    assert delays == sorted(delays[:5]) + delays[5:]  # exponential at first
    limited = BackendUnavailable("429", cause=RateLimitedError(retry_after=45.0))
    report = DrainReport()
    outbox._block(report, limited)
    assert report.retry_after == 45.0
    assert outbox._next_delay(report) >= 45.0
    outbox.poke()
    offline = DrainReport()
    from pos.api.errors import APIConnectionError

    outbox._block(offline, BackendUnavailable(cause=APIConnectionError("refused")))
    assert offline.offline
    assert all(outbox._next_delay(offline) <= 4.0 for _ in range(10))


@pytest.mark.asyncio
async def test_a_429_on_lookup_blocks_the_pass_with_retry_after(
    server: FakeScalev, journal: SaleJournal
) -> None:
    vt = VirtualTime()
    checkout, outbox, _ = make(server, journal, clock=vt.clock)
    await lost_with_the_network(server, checkout, journal, 1)
    server.online = True
    server.lookup_faults = [rate_limited(12.0)]
    vt.t += 60  # the next lookup is due
    report = await outbox.drain_once()
    assert report.retry_after == 12.0 and report.still_pending
    assert outbox._next_delay(report) >= 12.0
    vt.t += 60
    report = await outbox.drain_once()
    assert report.ok and len(server.orders) == 1


@pytest.mark.asyncio
async def test_poke_wakes_the_idle_loop(server: FakeScalev, journal: SaleJournal) -> None:
    forever = asyncio.Event()

    async def never(_: float) -> None:
        await forever.wait()

    checkout, outbox, events = make(server, journal, sleep=never)
    task = asyncio.create_task(outbox.run())
    await asyncio.sleep(0.01)  # first pass: nothing to do, now idle
    ref = await queue_offline(server, checkout, 2)
    created = asyncio.Event()
    outbox.on_change = lambda e: created.set() if e.kind == "created" else None
    outbox.poke()
    await asyncio.wait_for(created.wait(), 10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    one_order(server, ref)
    assert not events or events[0].kind != "created"


@pytest.mark.asyncio
async def test_after_24_h_a_pending_sale_waits_for_a_human(
    server: FakeScalev, journal: SaleJournal
) -> None:
    vt = VirtualTime()
    checkout, outbox, events = make(server, journal, clock=vt.clock)
    ref = await queue_offline(server, checkout, 3)
    calls = len(server.create_calls)
    vt.t += DAY + 1
    report = await outbox.drain_once()
    assert report.needs_decision == [ref]
    assert journal.get(ref).state == SaleState.NEEDS_DECISION  # type: ignore[union-attr]
    assert [e.kind for e in events][-1] == "needs_decision"
    assert events[-1].record is not None and events[-1].record.pos_ref == ref
    await outbox.drain_once()  # never sent automatically any more
    assert len(server.create_calls) == calls and outbox.pending_count() == 1
    assert outbox.attention_count() == 1
    # a retry while still offline returns to needs_decision
    server.online = False
    with pytest.raises(BackendUnavailable):
        await outbox.retry(ref)
    assert journal.get(ref).state == SaleState.NEEDS_DECISION  # type: ignore[union-attr]
    # the cashier retries once the network is back: created exactly once
    server.online = True
    result = await outbox.retry(ref)
    assert result.order.id == one_order(server, ref)["id"]
    assert outbox.pending_count() == 0 and events[-1].kind == "created"


@pytest.mark.asyncio
async def test_abandon(server: FakeScalev, journal: SaleJournal) -> None:
    vt = VirtualTime()
    checkout, outbox, events = make(server, journal, clock=vt.clock)
    never_sent = await queue_offline(server, checkout, 4)
    maybe_sent = await lost_with_the_network(server, checkout, journal, 5)
    assert journal.get(maybe_sent).state == SaleState.UNKNOWN  # type: ignore[union-attr]
    # offline: a sale that may exist cannot be abandoned (cannot check)
    with pytest.raises(BackendUnavailable):
        await outbox.abandon(maybe_sent)
    # online: it exists -> adopted, abandon refused
    server.online = True
    with pytest.raises(SaleAlreadyCreated) as ei:
        await outbox.abandon(maybe_sent)
    assert ei.value.result.order.id == one_order(server, maybe_sent)["id"]
    assert journal.get(maybe_sent).state == SaleState.RECONCILED  # type: ignore[union-attr]
    # the other one was never sent (attempts counted, but nothing committed): abandoned
    await outbox.abandon(never_sent)
    assert journal.get(never_sent).state == SaleState.ABANDONED  # type: ignore[union-attr]
    assert events[-1].kind == "abandoned" and events[-1].pending == 0
    await outbox.drain_once()
    assert server.orders_with_ref(never_sent) == []  # final: never sent again
    with pytest.raises(SaleAlreadyCreated):
        await outbox.abandon(maybe_sent)


@pytest.mark.asyncio
async def test_expired_sale_that_may_exist_is_looked_up_not_resent(
    server: FakeScalev, journal: SaleJournal
) -> None:
    vt = VirtualTime()
    checkout, outbox, _ = make(server, journal, clock=vt.clock)
    ref = await lost_with_the_network(server, checkout, journal, 6)
    server.online = True
    vt.t += DAY + 1
    calls = len(server.create_calls)
    report = await outbox.drain_once()
    assert [r.pos_ref for r in report.created] == [ref]
    assert len(server.create_calls) == calls
    assert journal.get(ref).state == SaleState.RECONCILED  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_events_created_since_and_payment_link(
    server: FakeScalev, journal: SaleJournal
) -> None:
    checkout, outbox, events = make(server, journal)
    t0 = time.time() - 1
    ref = await queue_offline(server, checkout, 7)
    outbox.note_queued(ref)
    assert events[-1].kind == "queued" and events[-1].pending == 1
    await outbox.drain_once()
    created = [e for e in events if e.kind == "created"]
    assert len(created) == 1 and created[0].record is not None
    rec = created[0].record
    assert rec.pos_ref == ref and rec.payment_url and rec.is_done
    assert [r.pos_ref for r in outbox.created_since(t0)] == [ref]
    assert outbox.created_since(time.time() + 60) == []
    link = payment_link_for(rec)
    assert link is not None and link.startswith("https://wa.me/6281200000007?text=")


@pytest.mark.asyncio
async def test_rejected_and_failed_sales_leave_the_queue(
    server: FakeScalev, journal: SaleJournal
) -> None:
    checkout, outbox, events = make(server, journal)
    bad = await queue_offline(server, checkout, 8)
    refused = await queue_offline(server, checkout, 9)
    third = await queue_offline(server, checkout, 12)
    server.faults = ["status_422", "status_401"]
    report = await outbox.drain_once()
    assert report.rejected == [bad] and report.failed == [refused]
    assert report.auth_refused and report.still_pending == [third]  # the key: stop the pass
    assert journal.get(third).state == SaleState.QUEUED  # type: ignore[union-attr]
    await outbox.drain_once()
    one_order(server, third)
    assert journal.get(bad).state == SaleState.REJECTED  # type: ignore[union-attr]
    assert journal.get(refused).state == SaleState.FAILED  # type: ignore[union-attr]
    assert {e.kind for e in events} >= {"rejected", "failed"}
    assert outbox.pending_count() == 1 and outbox.attention_count() == 1
    assert server.orders_with_ref(bad) == server.orders_with_ref(refused) == []
    result = await outbox.retry(refused)  # the key was fixed
    assert result.order.id == one_order(server, refused)["id"]


@pytest.mark.asyncio
async def test_a_sale_in_flight_is_not_driven_twice(
    server: FakeScalev, journal: SaleJournal
) -> None:
    checkout, outbox, _ = make(server, journal)
    gate = asyncio.Event()
    real = server.create_order

    async def slow(body: object) -> object:
        await gate.wait()
        return await real(body)

    server.create_order = slow  # type: ignore[method-assign]
    submit = asyncio.create_task(checkout.submit(draft(10)))
    await asyncio.sleep(0.01)
    report = await outbox.drain_once()  # skips the sale the screen is sending
    assert report.created == [] and not report.still_pending
    gate.set()
    result = await submit
    assert one_order(server, result.pos_ref)["id"] == result.order.id


@pytest.mark.asyncio
async def test_pokes_from_a_failing_pass_do_not_defeat_the_backoff(
    server: FakeScalev, journal: SaleJournal
) -> None:
    vt = VirtualTime()
    checkout, outbox, _ = make(server, journal, clock=vt.clock)
    await queue_offline(server, checkout, 11)
    server.faults = ["status_503_outcome_unknown"] * 1000  # the server is sick: every create fails
    real_list = server.list_orders

    def poking_list(**kw: object) -> object:
        outbox.poke()  # a response hook: every successful lookup pokes
        return real_list(**kw)  # type: ignore[arg-type]

    server.list_orders = poking_list  # type: ignore[method-assign,assignment]
    enough = asyncio.Event()

    async def sleep(seconds: float) -> None:
        await vt.sleep(seconds)
        if len(vt.slept) >= 8:
            enough.set()
            await asyncio.Event().wait()  # park the loop

    outbox._sleep = sleep
    task = asyncio.create_task(outbox.run())
    await asyncio.wait_for(enough.wait(), 30)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert vt.slept[-1] > 15.0  # backed off towards 30 s instead of spinning
    assert server.orders == []


@pytest.mark.asyncio
async def test_a_refused_key_parks_the_queue_until_poked(
    server: FakeScalev, journal: SaleJournal
) -> None:
    checkout, outbox, _ = make(server, journal)
    first = await queue_offline(server, checkout, 13)
    second = await queue_offline(server, checkout, 14)
    server.faults = ["status_401"]
    seen: list[OutboxEvent] = []
    failed, created = asyncio.Event(), asyncio.Event()

    def on_change(e: OutboxEvent) -> None:
        seen.append(e)
        if e.kind == "failed":
            failed.set()
        if e.kind == "created":
            created.set()

    outbox.on_change = on_change
    task = asyncio.create_task(outbox.run())
    await asyncio.wait_for(failed.wait(), 10)
    for _ in range(20):
        await asyncio.sleep(0)
    assert journal.get(second).state == SaleState.QUEUED  # type: ignore[union-attr]
    assert not created.is_set()  # parked, not retrying on a timer
    outbox.poke()  # the cashier fixed the key
    await asyncio.wait_for(created.wait(), 10)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    one_order(server, second)
    assert journal.get(first).state == SaleState.FAILED  # type: ignore[union-attr]
