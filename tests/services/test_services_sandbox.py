"""The services against the real sandbox over HTTP (pos.api client -> pos.sandbox server)."""

from __future__ import annotations

import pytest

from pos.api.client import ScalevClient
from pos.api.models import Store
from pos.domain.cart import Cart
from pos.domain.catalog import CatalogItem
from pos.domain.customer import make_customer
from pos.domain.sale import draft_from_cart
from pos.sandbox import DEMO_API_KEY
from pos.services import (
    BackendUnavailable,
    CatalogService,
    CheckoutService,
    ConfirmPolicy,
    PaymentWatcher,
    SaleNeedsDecision,
    ShippingService,
)
from pos.services.shipping import make_choice
from pos.storage import CatalogCache, Database, SaleJournal, SaleState
from tests.conftest import SandboxControl
from tests.fakes.sleep import no_sleep


async def first_store(client: ScalevClient) -> Store:
    stores = await CatalogService(client).list_stores()
    assert stores
    return stores[0]


async def catalog(client: ScalevClient, db: Database) -> tuple[Store, list[CatalogItem]]:
    store = await first_store(client)
    svc = CatalogService(client, CatalogCache(db))
    items = await svc.load(store)
    return store, items


@pytest.mark.asyncio
async def test_catalog_load_from_sandbox(client: ScalevClient, db: Database) -> None:
    store, items = await catalog(client, db)
    assert items
    keys = [i.key for i in items]
    assert len(keys) == len(set(keys))
    assert all(i.unique_id and i.price >= 0 for i in items)
    assert any(i.kind == "variant" for i in items)
    assert any(i.item_type is not None for i in items)
    assert CatalogService(client, CatalogCache(db)).cached(store.id) == items
    methods = await CatalogService(client).payment_methods(store)
    assert methods


def customer() -> object:
    return make_customer("Siti Rahmawati", "0812-3456-7890", "siti@example.co.id")


async def digital_draft(client: ScalevClient, db: Database) -> object:
    store, items = await catalog(client, db)
    digital = [i for i in items if i.kind == "variant" and not i.is_physical]
    chosen = digital[0] if digital else items[0]
    cart = Cart()
    cart.add(chosen, 1)
    methods = await CatalogService(client).payment_methods(store)
    method = "payment_link" if "payment_link" in methods else methods[0]
    if cart.needs_shipping:
        pytest.fail("sandbox catalog has no digital item")
    return draft_from_cart(store, cart, customer(), method)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_submit_through_drop_after_commit_creates_exactly_one_order(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    draft = await digital_draft(client, db)
    journal = SaleJournal(db)
    sandbox_ctl.fault_next("drop_after_commit", "/v3/orders", "POST", times=1)
    result = await CheckoutService(client, journal, sleep=no_sleep).submit(draft)  # type: ignore[arg-type]
    assert result.adopted
    orders = sandbox_ctl.orders(result.pos_ref)
    assert len(orders) == 1
    assert orders[0]["id"] == result.order.id
    rec = journal.get(result.pos_ref)
    assert rec is not None and rec.state == SaleState.RECONCILED
    assert rec.order_id == result.order.id


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["5xx", "reset"])
async def test_submit_through_other_faults_creates_exactly_one_order(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl, fault: str
) -> None:
    draft = await digital_draft(client, db)
    journal = SaleJournal(db)
    sandbox_ctl.fault_next(fault, "/v3/orders", "POST", times=1)
    # no confirmation window: a maybe-sent order that is absent waits for the cashier
    policy = ConfirmPolicy(window=0.0, interactive_checks=(0.0,))
    service = CheckoutService(client, journal, sleep=no_sleep, policy=policy)  # type: ignore[arg-type]
    try:
        result = await service.submit(draft)
    except SaleNeedsDecision as e:  # the fault lost the request before the commit
        assert e.pos_ref is not None and sandbox_ctl.orders(e.pos_ref) == []
        result = await service.resume(e.pos_ref, decided=True)  # the cashier: send again
    assert len(sandbox_ctl.orders(result.pos_ref)) == 1
    assert journal.get(result.pos_ref).is_done  # type: ignore[union-attr]


@pytest.mark.asyncio
async def test_submit_and_watch_payment(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    draft = await digital_draft(client, db)
    result = await CheckoutService(client, SaleJournal(db)).submit(draft)  # type: ignore[arg-type]
    assert result.order.payment_url
    sandbox_ctl.pay(result.order.id)
    seen: list[str | None] = []
    order = await PaymentWatcher(client, interval=0.05).watch(
        result.order.id, lambda o: seen.append(o.payment_status)
    )
    assert order.is_paid and seen[-1] in ("paid", "settled")


@pytest.mark.asyncio
async def test_physical_sale_with_shipping(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    store, items = await catalog(client, db)
    physical = [i for i in items if i.is_physical and i.kind == "variant"]
    if not physical:
        pytest.fail("sandbox catalog has no physical item")
    cart = Cart()
    cart.add(physical[0], 2)
    ship = ShippingService(client)
    locations = await ship.search_locations("jakarta")
    if not locations:
        pytest.fail("sandbox has no location matching 'jakarta'")
    loc = locations[0]
    postal = await ship.postal_codes(loc.id)
    warehouses = await ship.warehouses(store.id, loc.id, cart)
    assert warehouses
    couriers = await ship.couriers(
        store.id,
        loc.id,
        warehouses[0].warehouse.id,
        "qris",
        cart.weight,
        postal[0] if postal else None,
    )
    assert couriers
    assert [c.cost for c in couriers] == sorted(c.cost for c in couriers)
    choice = make_choice(
        address="Jl. Cempaka Putih Tengah No. 17",
        location_id=loc.id,
        postal_code=postal[0] if postal else None,
        warehouse=warehouses[0],
        courier=couriers[0],
    )
    methods = await CatalogService(client).payment_methods(store)
    draft = draft_from_cart(store, cart, customer(), methods[0], shipping=choice)  # type: ignore[arg-type]
    result = await CheckoutService(client, SaleJournal(db), sleep=no_sleep).submit(draft)
    assert len(sandbox_ctl.orders(result.pos_ref)) == 1


@pytest.mark.asyncio
async def test_offline_sale_is_queued_then_sent_once(
    client: ScalevClient, db: Database, sandbox_ctl: SandboxControl
) -> None:
    import socket

    draft = await digital_draft(client, db)
    journal = SaleJournal(db)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    async with ScalevClient(dead, DEMO_API_KEY, connect_timeout=0.5, max_retries=0) as offline:
        with pytest.raises(BackendUnavailable) as ei:
            await CheckoutService(offline, journal, sleep=no_sleep).submit(draft)  # type: ignore[arg-type]
    assert ei.value.queued and ei.value.pos_ref
    pos_ref = ei.value.pos_ref
    assert journal.get(pos_ref).state == SaleState.QUEUED  # type: ignore[union-attr]
    assert sandbox_ctl.orders(pos_ref) == []
    results = await CheckoutService(client, journal, sleep=no_sleep).reconcile_unfinished()
    assert not isinstance(results[pos_ref], BaseException)
    assert len(sandbox_ctl.orders(pos_ref)) == 1
    assert journal.get(pos_ref).is_done  # type: ignore[union-attr]
