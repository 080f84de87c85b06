from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.api.errors import AuthenticationError
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine, build_order_body
from pos.services import (
    BackendUnavailable,
    CheckoutService,
    ConfirmPolicy,
    SaleConfirming,
    SaleNeedsDecision,
    SaleRejected,
)
from pos.storage import Database, SaleJournal, SaleState
from tests.fakes.scalev import FakeScalev, rate_limited


def draft(phone: str = "6281234567890", qty: int = 2) -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_Nq7Rk2LmXa91",
        store_name="Toko Kopi",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 1000, qty),),
        customer=Customer("Siti", phone, None),
        payment_method="qris",
    )


sleeps: list[float] = []

#: no confirmation window: a maybe-sent sale the lookup does not find waits for the cashier
NO_WINDOW = ConfirmPolicy(window=0.0, interactive_checks=(0.0,))


async def fast_sleep(seconds: float) -> None:
    sleeps.append(seconds)
    await asyncio.sleep(0)


def service(fake: FakeScalev, journal: SaleJournal, **kw: object) -> CheckoutService:
    return CheckoutService(fake, journal, terminal="KASIR-01", sleep=fast_sleep, **kw)  # type: ignore[arg-type]


def only_order(fake: FakeScalev, pos_ref: str) -> dict[str, object]:
    found = fake.orders_with_ref(pos_ref)
    assert len(found) == 1, f"expected exactly one order for {pos_ref}, got {len(found)}"
    return found[0]


def journaled(journal: SaleJournal, pos_ref: str) -> tuple[str, dict[str, Any]]:
    """A sale a previous process journaled with its frozen body (and did not finish)."""
    d = draft()
    body = build_order_body(d, pos_ref=pos_ref, terminal="K")
    return journal.new_sale(d, body), body


@pytest.mark.asyncio
async def test_happy_path(fake: FakeScalev, journal: SaleJournal) -> None:
    result = await service(fake, journal).submit(draft())
    assert not result.adopted
    order = only_order(fake, result.pos_ref)
    assert result.order.id == order["id"]
    body = fake.create_calls[0]
    assert body["metadata"] == {"pos_ref": result.pos_ref, "terminal": "KASIR-01"}
    assert body["notes"].startswith("Kasir KASIR-01 #")
    rec = journal.get(result.pos_ref)
    assert rec is not None and rec.state == SaleState.CREATED and rec.attempts == 1
    assert rec.order_id == result.order.id and rec.payment_url == result.order.payment_url
    assert fake.list_calls == []  # no lookup needed


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["commit_then_drop_reply", "commit_then_status_502"])
async def test_lost_reply_is_adopted_not_resent(
    fake: FakeScalev, journal: SaleJournal, fault: str
) -> None:
    fake.faults = [fault]
    result = await service(fake, journal).submit(draft())
    assert result.adopted
    assert len(fake.create_calls) == 1
    order = only_order(fake, result.pos_ref)
    assert result.order.id == order["id"]
    rec = journal.get(result.pos_ref)
    assert rec is not None and rec.state == SaleState.RECONCILED
    call = fake.list_calls[0]
    assert call["search"] == "6281234567890" and call["search_field"] == "customer_phone"
    assert call["store_id"] == 3288 and "metadata" in call["columns"]


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["timeout_before_commit", "status_502"])
async def test_lost_request_is_resent_only_after_the_window_by_decision(
    fake: FakeScalev, journal: SaleJournal, fault: str
) -> None:
    fake.faults = [fault]
    svc = service(fake, journal, policy=NO_WINDOW)
    with pytest.raises(SaleNeedsDecision) as caught:  # looked up: absent, window over
        await svc.submit(draft())
    pos_ref = caught.value.pos_ref
    assert pos_ref is not None and len(fake.create_calls) == 1
    # looked up: by phone, then the store's newest orders
    assert [c["search"] for c in fake.list_calls] == ["6281234567890", None]
    result = await svc.resume(pos_ref, decided=True)  # the cashier: "send again"
    assert not result.adopted
    assert len(fake.create_calls) == 2
    assert fake.create_calls[0] == fake.create_calls[1]  # same frozen body, same pos_ref
    only_order(fake, result.pos_ref)
    rec = journal.get(result.pos_ref)
    assert rec is not None and rec.state == SaleState.CREATED and rec.attempts == 2


@pytest.mark.asyncio
async def test_lookup_skips_other_orders_of_the_same_customer(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    svc = service(fake, journal, policy=NO_WINDOW)
    first = await svc.submit(draft())
    fake.faults = ["timeout_before_commit"]
    with pytest.raises(SaleNeedsDecision) as caught:
        await svc.submit(draft(qty=3))
    assert caught.value.pos_ref is not None
    second = await svc.resume(caught.value.pos_ref, decided=True)
    assert first.pos_ref != second.pos_ref
    only_order(fake, first.pos_ref)
    only_order(fake, second.pos_ref)
    assert len(fake.orders) == 2


@pytest.mark.asyncio
async def test_rejection_is_final(fake: FakeScalev, journal: SaleJournal) -> None:
    fake.faults = ["status_422_unknown_warehouse"]
    svc = service(fake, journal)
    with pytest.raises(SaleRejected) as ei:
        await svc.submit(draft())
    err = ei.value
    assert err.user_message == "Warehouse tidak ditemukan untuk store ini"
    assert err.field == "warehouse_unique_id"
    assert err.pos_ref and fake.orders == []
    rec = journal.get(err.pos_ref)
    assert rec is not None and rec.state == SaleState.REJECTED
    with pytest.raises(SaleRejected):
        await svc.resume(err.pos_ref)
    await svc.reconcile_unfinished()
    assert len(fake.create_calls) == 1


@pytest.mark.asyncio
async def test_offline_queues_then_sends_once_back_online(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.faults = ["connection_refused"] * 3
    svc = service(fake, journal)
    with pytest.raises(BackendUnavailable) as ei:
        await svc.submit(draft())
    assert ei.value.queued and ei.value.pos_ref
    pos_ref = ei.value.pos_ref
    rec = journal.get(pos_ref)
    assert rec is not None and rec.state == SaleState.QUEUED and fake.orders == []
    assert [r.pos_ref for r in journal.unfinished()] == [pos_ref]
    results = await service(fake, journal).reconcile_unfinished()
    assert not isinstance(results[pos_ref], BaseException)
    only_order(fake, pos_ref)
    assert journal.unfinished() == []


@pytest.mark.asyncio
async def test_transient_refusal_is_retried(fake: FakeScalev, journal: SaleJournal) -> None:
    fake.faults = ["connection_refused"]
    result = await service(fake, journal).submit(draft())
    only_order(fake, result.pos_ref)
    assert len(fake.create_calls) == 2


@pytest.mark.asyncio
async def test_rate_limited_create_waits_and_retries(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    sleeps.clear()
    fake.faults = [rate_limited()]
    result = await service(fake, journal).submit(draft())
    only_order(fake, result.pos_ref)
    assert 1.5 in sleeps


@pytest.mark.asyncio
async def test_persistent_unknown_is_never_resent_inside_the_window(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.faults = ["timeout_before_commit"] * 10
    with pytest.raises(SaleConfirming) as ei:
        await service(fake, journal).submit(draft())
    assert not ei.value.queued
    pos_ref = ei.value.pos_ref
    assert pos_ref is not None
    rec = journal.get(pos_ref)
    assert rec is not None and rec.state == SaleState.UNKNOWN
    assert len(fake.create_calls) == 1 and fake.orders == []
    # looked up while the cashier waited: phone search + store-wide page, three times
    assert len(fake.list_calls) == 3 * 2
    fake.faults = []
    results = await service(fake, journal).reconcile_unfinished()
    assert isinstance(results[pos_ref], SaleConfirming)
    assert len(fake.create_calls) == 1 and fake.orders == []


@pytest.mark.asyncio
async def test_unknown_with_lookup_down_then_recovered(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.faults = ["commit_then_drop_reply"]
    fake.lookup_faults = ["connection_refused"] * 3  # every lookup while the cashier waits
    with pytest.raises(SaleConfirming) as ei:
        await service(fake, journal).submit(draft())
    pos_ref = ei.value.pos_ref
    assert pos_ref is not None
    assert journal.get(pos_ref).state == SaleState.UNKNOWN  # type: ignore[union-attr]
    assert len(fake.create_calls) == 1
    results = await service(fake, journal).reconcile_unfinished()
    assert results[pos_ref].adopted is True  # type: ignore[union-attr]
    assert len(fake.create_calls) == 1
    only_order(fake, pos_ref)


@pytest.mark.asyncio
async def test_crash_while_sending_is_recovered_by_lookup(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    # The previous process journaled, marked sending, the server committed, then it died.
    pos_ref, body = journaled(journal, "11111111-2222-4333-8444-555555555555")
    journal.mark_sending(pos_ref)
    fake._commit(body)
    results = await service(fake, journal).reconcile_unfinished()
    assert results[pos_ref].adopted is True  # type: ignore[union-attr]
    assert fake.create_calls == []
    only_order(fake, pos_ref)


@pytest.mark.asyncio
async def test_crash_while_sending_not_committed_is_confirmed_not_resent(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    pos_ref, _ = journaled(journal, "11111111-2222-4333-8444-555555555556")
    journal.mark_sending(pos_ref)
    results = await service(fake, journal).reconcile_unfinished()
    assert isinstance(results[pos_ref], SaleConfirming)  # the server may still commit it
    assert len(fake.list_calls) == 2 and fake.create_calls == []
    # after the window, the cashier decides: one lookup, then one send
    result = await service(fake, journal, policy=NO_WINDOW).resume(pos_ref, decided=True)
    assert len(fake.create_calls) == 1 and not result.adopted
    only_order(fake, pos_ref)


@pytest.mark.asyncio
async def test_metadata_dropped_by_server_matches_notes(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.keep_metadata = False
    fake.faults = ["commit_then_drop_reply"]
    result = await service(fake, journal).submit(draft())
    assert result.adopted and len(fake.orders) == 1


@pytest.mark.asyncio
async def test_phone_format_mismatch_falls_back_to_store_scan(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.phone_stored_as_local = True  # the server keeps "0812…" and our "62812…" finds nothing
    fake.faults = ["commit_then_drop_reply"]
    result = await service(fake, journal).submit(draft())
    assert result.adopted and len(fake.orders) == 1 and len(fake.create_calls) == 1


@pytest.mark.asyncio
async def test_concurrent_resume_never_sends_twice(fake: FakeScalev, journal: SaleJournal) -> None:
    fake.create_delay = 0.05
    pos_ref, _ = journaled(journal, "11111111-2222-4333-8444-555555555557")
    svc = service(fake, journal)
    results = await asyncio.gather(svc.resume(pos_ref), svc.resume(pos_ref), svc.resume(pos_ref))
    assert {r.order.id for r in results} == {results[0].order.id}
    assert len(fake.create_calls) == 1
    only_order(fake, pos_ref)
    assert not svc.in_flight(pos_ref)
    again = await svc.resume(pos_ref)  # already created: answered from the journal
    assert again.order.id == results[0].order.id and len(fake.create_calls) == 1


@pytest.mark.asyncio
async def test_double_submit_of_the_same_draft_joins(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.create_delay = 0.05
    svc = service(fake, journal)
    d = draft()
    a, b = await asyncio.gather(svc.submit(d), svc.submit(d))
    assert a.pos_ref == b.pos_ref and len(fake.orders) == 1
    c = await svc.submit(d)  # a later, separate sale of the same things is a new sale
    assert c.pos_ref != a.pos_ref and len(fake.orders) == 2


@pytest.mark.asyncio
async def test_auth_failure_marks_failed(fake: FakeScalev, journal: SaleJournal) -> None:
    fake.faults = ["status_401"]
    svc = service(fake, journal)
    with pytest.raises(AuthenticationError):
        await svc.submit(draft())
    rec = journal.recent()[0]
    assert rec.state == SaleState.FAILED and fake.orders == []
    result = await svc.resume(rec.pos_ref)  # key fixed: the cashier retries
    only_order(fake, result.pos_ref)
    assert fake.list_calls == []  # a 401 is refused unprocessed: nothing to look up


@pytest.mark.asyncio
async def test_cancel_during_send_leaves_sale_unknown(
    fake: FakeScalev, journal: SaleJournal
) -> None:
    fake.create_delay = 10
    svc = service(fake, journal)
    task = asyncio.create_task(svc.submit(draft()))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rec = journal.recent()[0]
    assert rec.state == SaleState.UNKNOWN and rec.maybe_sent_at is not None
    fake.create_delay = 0
    results = await svc.reconcile_unfinished()
    assert isinstance(results[rec.pos_ref], SaleConfirming) and fake.orders == []
    await service(fake, journal, policy=NO_WINDOW).resume(rec.pos_ref, decided=True)
    assert len(fake.orders_with_ref(rec.pos_ref)) == 1


FAULTS = [
    "ok",
    "commit_then_drop_reply",
    "timeout_before_commit",
    "status_502",
    "commit_then_status_502",
    "connection_refused",
    rate_limited(),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    faults=st.lists(st.sampled_from(FAULTS), max_size=8),
    lookup_faults=st.lists(st.sampled_from(["ok", "connection_refused", "status_503"]), max_size=3),
)
def test_never_more_than_one_order_per_sale(faults: list[str], lookup_faults: list[str]) -> None:
    async def scenario(journal: SaleJournal) -> None:
        fake = FakeScalev()
        fake.faults = list(faults)
        fake.lookup_faults = list(lookup_faults)
        svc = service(fake, journal)
        pos_ref: str | None
        try:
            result = await svc.submit(draft())
            pos_ref = result.pos_ref
            assert len(fake.orders_with_ref(pos_ref)) == 1
            assert result.order.id == fake.orders_with_ref(pos_ref)[0]["id"]
        except BackendUnavailable as e:
            pos_ref = e.pos_ref
            assert pos_ref is not None
            assert len(fake.orders_with_ref(pos_ref)) <= 1
        # however it ended, recovery with a healthy server converges on exactly one order:
        # by lookup inside the window, or by the cashier's decision after it
        fake.faults, fake.lookup_faults = [], []
        for _ in range(2):
            await service(fake, journal, policy=NO_WINDOW).reconcile_unfinished()
        rec = journal.get(pos_ref)
        if rec is not None and rec.state == SaleState.NEEDS_DECISION:
            await service(fake, journal, policy=NO_WINDOW).resume(pos_ref, decided=True)
        assert len(fake.orders_with_ref(pos_ref)) == 1
        rec = journal.get(pos_ref)
        assert rec is not None and rec.is_done
        assert rec.order_id == fake.orders_with_ref(pos_ref)[0]["id"]
        assert len(fake.orders) == 1

    with tempfile.TemporaryDirectory() as tmp, Database.open(Path(tmp) / "k.db") as db:
        asyncio.run(scenario(SaleJournal(db)))
