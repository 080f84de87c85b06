"""Cash at the counter end to end at the service layer, against the real sandbox over HTTP:
the tender is recorded before the order, mark-paid and tagging happen once, crashes and
network failures are resumed without a second order, and a 403 leaves the order unpaid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pos.api.client import ScalevClient
from pos.domain.cart import Cart
from pos.domain.customer import InvalidInput, make_customer
from pos.domain.discount import Discount
from pos.domain.sale import draft_from_cart
from pos.sandbox import SandboxServer
from pos.sandbox.keys import NO_CHANGE_STATUS_DEMO_KEY
from pos.services import CatalogService, CheckoutService, ConfirmPolicy
from pos.services.tender import (
    Aftercare,
    TenderingCheckout,
    TenderResult,
    cash_method,
    quick_amounts,
    terminal_tag,
)
from pos.storage import Database, SaleJournal, SaleState
from pos.storage.tenders import DONE, FORBIDDEN, NONE, PENDING, TenderStore
from tests.conftest import SandboxControl
from tests.fakes.sleep import no_sleep

KOPI = 3288


class DictSettings:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value


def build(
    client: Any,
    db: Database,
    settings: DictSettings | None = None,
    policy: ConfirmPolicy | None = None,
) -> TenderingCheckout:
    journal = SaleJournal(db)
    tenders = TenderStore(db)
    checkout = CheckoutService(client, journal, terminal="KASIR-01", sleep=no_sleep, policy=policy)
    aftercare = Aftercare(client, journal, tenders, terminal="KASIR-01")
    return TenderingCheckout(checkout, tenders, aftercare, settings=settings or DictSettings())


async def cash_draft(client: Any, *, received: int = 100_000) -> Any:
    """EBOOK-SEDUH (Rp49.000) + EBOOK-KEDAI (Rp79.000) − Rp43.000 = Rp85.000, paid in cash."""
    svc = CatalogService(client)
    store = next(s for s in await svc.list_stores() if s.id == KOPI)
    items = {i.sku: i for i in await svc.load(store)}
    cart = Cart()
    cart.add(items["EBOOK-SEDUH"])
    cart.add(items["EBOOK-KEDAI"])
    cart.discount = Discount("amount", 43_000)
    method = cash_method(store.payment_methods)
    assert method == "no_payment"
    customer = make_customer("Siti Rahmawati", "081234567890", "")
    return draft_from_cart(store, cart, customer, method, cash_received=received)


def test_helpers() -> None:
    assert cash_method(["qris", "no_payment", "bank_transfer"]) == "bank_transfer"
    assert cash_method(["qris", "no_payment", "bank_transfer"], "no_payment") == "no_payment"
    assert cash_method(["qris"]) is None
    assert quick_amounts(85_000) == [85_000, 90_000, 100_000]
    assert quick_amounts(50_000) == [50_000, 100_000]
    assert quick_amounts(123_400) == [123_400, 125_000, 130_000, 150_000, 200_000]
    assert terminal_tag("KASIR-01") == "kasir-01" and terminal_tag("Meja 2") == "kasir-meja-2"


@pytest.mark.asyncio
async def test_cash_sale_is_paid_tagged_once(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    tendering = build(client, db)
    draft = await cash_draft(client)
    assert draft.total == 85_000 and draft.tender == "cash"
    sandbox_ctl.clear_requests()
    result = await tendering.submit(draft)
    assert isinstance(result, TenderResult)
    assert result.order.is_paid
    assert result.tender is not None
    assert (result.tender.received, result.tender.change_due) == (100_000, 15_000)
    assert result.tender.mark_paid == DONE and result.tender.tagged
    orders = sandbox_ctl.orders(result.pos_ref)
    assert len(orders) == 1
    assert orders[0]["payment_status"] == "paid" and orders[0]["payment_method"] == "no_payment"
    assert orders[0]["tags"] == ["kasir-01"] and orders[0]["product_discount"] == "43000.00"
    requests = sandbox_ctl.requests()
    marks = [r for r in requests if r["path"] == "/v3/orders/change-status"]
    assert len(marks) == 1
    assert marks[0]["json"]["ids"] == [orders[0]["id"]]
    assert marks[0]["json"]["payment_status"] == "paid"
    assert [r for r in requests if r["method"] == "POST" and r["path"] == "/v3/orders"]
    # nothing left to do; running again sends nothing
    sandbox_ctl.clear_requests()
    assert await tendering.aftercare.run_once(due_only=False) == []
    assert sandbox_ctl.requests() == []


@pytest.mark.asyncio
async def test_less_cash_than_the_total_is_refused(client: ScalevClient) -> None:
    with pytest.raises(InvalidInput) as info:
        await cash_draft(client, received=80_000)
    assert info.value.message_id == "cash_too_little"


@pytest.mark.asyncio
async def test_mark_paid_failure_is_retried_and_resumed_after_restart(
    client: ScalevClient, db: Database, sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    tendering = build(client, db)
    draft = await cash_draft(client)
    sandbox_ctl.fault_next("5xx", "/v3/orders/change-status", "POST", times=10)
    result = await tendering.submit(draft)
    assert not result.order.is_paid  # created, the money is taken, not yet marked paid
    tender = TenderStore(db).get(result.pos_ref)
    assert tender is not None and tender.mark_paid == PENDING and tender.attempts == 1
    assert tender.next_try_at is not None
    sandbox_ctl.set_faults()
    # "restart": new services on the same database; the retry is not due yet, then it is
    fresh = build(client, db)
    assert await fresh.aftercare.run_once() == []
    later = datetime.now(UTC) + timedelta(minutes=10)
    fresh.aftercare._clock = lambda: later
    outcomes = await fresh.aftercare.run_once()
    assert [o.pos_ref for o in outcomes] == [result.pos_ref]
    assert outcomes[0].order is not None and outcomes[0].order.is_paid
    assert len(sandbox_ctl.orders(result.pos_ref)) == 1
    tender = TenderStore(db).get(result.pos_ref)
    assert tender is not None and tender.mark_paid == DONE and tender.tagged


@pytest.mark.asyncio
async def test_queued_cash_sale_is_marked_paid_only_after_its_order_exists(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    from pos.services import BackendUnavailable

    # no confirmation window: a maybe-sent sale that is not found waits for the cashier
    tendering = build(client, db, policy=ConfirmPolicy(window=0.0, interactive_checks=(0.0,)))
    draft = await cash_draft(client)
    sandbox_ctl.fault_next("reset", "/v3/orders", "POST", times=20)
    with pytest.raises(BackendUnavailable) as info:
        await tendering.submit(draft)
    pos_ref = info.value.pos_ref
    assert pos_ref is not None
    outcomes = await tendering.aftercare.run_once(due_only=False)
    assert outcomes and outcomes[0].waiting  # no order: nothing sent
    assert not [r for r in sandbox_ctl.requests() if "change-status" in r["path"]]
    sandbox_ctl.set_faults()
    await tendering.resume(pos_ref, decided=True)  # the cashier: "send again"
    outcomes = await tendering.aftercare.run_once(due_only=False)
    assert outcomes[0].order is not None and outcomes[0].order.is_paid
    assert len(sandbox_ctl.orders(pos_ref)) == 1


@pytest.mark.asyncio
async def test_403_leaves_the_order_unpaid_and_blocks_cash(
    sandbox: SandboxServer, db: Database, sandbox_ctl: SandboxControl
) -> None:
    settings = DictSettings()
    async with ScalevClient(sandbox.base_url, NO_CHANGE_STATUS_DEMO_KEY) as limited:
        tendering = build(limited, db, settings)
        result = await tendering.submit(await cash_draft(limited))
        assert isinstance(result, TenderResult) and result.forbidden
        assert not result.order.is_paid
        assert result.tender is not None and result.tender.mark_paid == FORBIDDEN
        assert result.tender.tagged  # tagging needs only order:update
        assert tendering.cash_blocked
        with pytest.raises(PermissionError):
            await tendering.submit(await cash_draft(limited))
        # never retried: one change-status call in all
        await tendering.aftercare.run_once(due_only=False)
        marks = [r for r in sandbox_ctl.requests() if "change-status" in r["path"]]
        assert len(marks) == 1
        tendering.clear_cash_block()
        assert not tendering.cash_blocked


@pytest.mark.asyncio
async def test_non_cash_sale_is_only_tagged(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    tendering = build(client, db)
    draft = await cash_draft(client)
    from dataclasses import replace

    qris = replace(draft, payment_method="qris", tender="", cash_received=0)
    result = await tendering.submit(qris)
    assert not result.order.is_paid
    tender = TenderStore(db).get(result.pos_ref)
    assert tender is not None and tender.kind == "qris" and tender.mark_paid == NONE
    assert tender.tagged
    assert not [r for r in sandbox_ctl.requests() if "change-status" in r["path"]]
    assert SaleJournal(db).get(result.pos_ref).state == SaleState.CREATED  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_the_aftercare_loop_settles_in_the_background_and_stops_on_cancel(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    import asyncio

    tendering = build(client, db)
    draft = await cash_draft(client)
    sandbox_ctl.fault_next("5xx", "/v3/orders/change-status", "POST", times=10)
    result = await tendering.submit(draft)
    assert not result.order.is_paid
    sandbox_ctl.set_faults()
    aftercare = tendering.aftercare
    aftercare._backoff = (0.2,)
    loop_task = asyncio.ensure_future(aftercare.run(idle=0.3))
    for _ in range(100):
        await asyncio.sleep(0.05)
        tender = TenderStore(db).get(result.pos_ref)
        if tender is not None and tender.mark_paid == DONE:
            break
    assert sandbox_ctl.orders(result.pos_ref)[0]["payment_status"] == "paid"
    aftercare.poke()
    loop_task.cancel()
    done, _ = await asyncio.wait({loop_task}, timeout=2)
    assert done, "the aftercare loop did not stop on cancel"


@pytest.mark.asyncio
async def test_a_cash_sale_shows_paid_when_the_background_loop_settled_it_first(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    """When the aftercare loop takes the sale's lock first and marks it paid, the submit's own
    settle must still hand the screen a paid order (it used to hand back the order as created,
    unpaid: the cashier saw "waiting for payment" for seconds after taking the cash)."""
    import asyncio

    tendering = build(client, db)
    draft = await cash_draft(client)
    loop_task = asyncio.ensure_future(tendering.aftercare.run(idle=30))
    try:
        await asyncio.sleep(0)  # the loop is idle, waiting for a poke
        original_settle = tendering.aftercare.settle

        async def loop_goes_first(pos_ref: str, known: Any = None) -> Any:
            if known is None:  # the loop's own call
                return await original_settle(pos_ref, known)
            tendering.aftercare.poke()  # another wake-up (a queued sale created, its timer)
            for _ in range(200):  # let the poked loop take the lock and settle the sale
                tender = TenderStore(db).get(pos_ref)
                if tender is not None and tender.mark_paid == DONE and tender.tagged:
                    break
                await asyncio.sleep(0.01)
            return await original_settle(pos_ref, known)

        tendering.aftercare.settle = loop_goes_first  # type: ignore[method-assign]
        result = await tendering.submit(draft)
    finally:
        loop_task.cancel()
        await asyncio.wait({loop_task}, timeout=2)
    assert TenderStore(db).get(result.pos_ref).mark_paid == DONE  # type: ignore[union-attr]
    assert result.order.is_paid  # what the payment screen shows
    assert sandbox_ctl.orders(result.pos_ref)[0]["payment_status"] == "paid"
