"""The store list and payment methods cached for an offline start; the catalog refreshed at
start only when older than its max age, and never below the hourly budget's reserve."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pos.api.errors import APIConnectionError, ServerError
from pos.api.models import Store
from pos.api.ratelimit import HourlyBudget, HourlyBudgetReserved
from pos.services import CatalogService
from pos.services.catalog import refresh_cost
from pos.storage import CachedStore, CatalogCache, Database, SettingsTable, StoreCache
from tests.domain import catalog_samples as samples
from tests.fakes.scalev import FakeScalev

STORE = Store(id=3288, unique_id="store_X", name="Toko Kopi", payment_methods=["va_bca"])


@pytest.mark.asyncio
async def test_stores_and_methods_are_cached_and_read_back_without_the_network(
    fake: FakeScalev, db: Database
) -> None:
    fake.stores = [STORE, Store(id=1, unique_id="store_B", name="Butik", payment_methods=[])]
    svc = CatalogService(fake, CatalogCache(db), stores=StoreCache(SettingsTable(db)))
    assert svc.cached_stores() == []
    await svc.list_stores()
    assert await svc.payment_methods(STORE) == ["qris", "payment_link"]

    offline = CatalogService(object(), CatalogCache(db), stores=StoreCache(SettingsTable(db)))
    assert offline.cached_stores() == [
        CachedStore(3288, "store_X", "Toko Kopi", ("va_bca",)),
        CachedStore(1, "store_B", "Butik", ()),
    ]
    assert offline.cached_methods(3288) == ["qris", "payment_link"]
    assert offline.cached_methods(1) is None


@pytest.mark.asyncio
async def test_payment_methods_retry_on_the_network_but_fall_back_on_a_server_error(
    fake: FakeScalev,
) -> None:
    svc = CatalogService(fake)
    fake.payment_methods = APIConnectionError("refused", may_have_sent=False)
    with pytest.raises(APIConnectionError):  # the caller retries; the cache stays shown
        await svc.payment_methods(STORE)
    fake.payment_methods = ServerError(500)
    assert await svc.payment_methods(STORE) == ["va_bca"]


def test_a_damaged_store_cache_is_a_miss(db: Database) -> None:
    SettingsTable(db).set(StoreCache.STORES, [{"id": "x"}, "junk", {"id": 5, "unique_id": "s5"}])
    assert StoreCache(SettingsTable(db)).stores() == [CachedStore(5, "s5", "", ())]
    SettingsTable(db).set(StoreCache.STORES, {"not": "a list"})
    assert StoreCache(SettingsTable(db)).stores() == []


def test_a_start_refreshes_only_a_missing_or_old_catalog(db: Database) -> None:
    now = [datetime.now(UTC)]
    cache = CatalogCache(db)
    svc = CatalogService(object(), cache, max_age=4 * 3600, now=lambda: now[0])
    assert svc.refresh_due(3288)  # nothing cached
    cache.save(3288, [samples.item(n) for n in range(1, 4)])
    age = svc.catalog_age(3288)
    assert age is not None and abs((age - now[0]).total_seconds()) < 60
    assert not svc.refresh_due(3288)
    now[0] += timedelta(hours=4, minutes=1)
    assert svc.refresh_due(3288)


@pytest.mark.asyncio
async def test_a_refresh_that_would_eat_the_reserve_does_not_start(
    fake: FakeScalev, db: Database
) -> None:
    cache = CatalogCache(db)
    cache.save(3288, [samples.item(n) for n in range(1, 101)])
    budget = HourlyBudget(10_000)  # reserve 2,000

    class Limiter:
        pass

    limiter = Limiter()
    limiter.budget = budget  # type: ignore[attr-defined]
    fake.limiter = limiter  # type: ignore[attr-defined]
    calls: list[int] = []
    real_listing = fake.list_store_products

    def counting(store_id: int | str, **kw: object) -> object:
        calls.append(1)
        return real_listing(store_id, **kw)  # type: ignore[arg-type]

    fake.list_store_products = counting  # type: ignore[method-assign]
    svc = CatalogService(fake, cache)
    cost = refresh_cost(100)
    for _ in range(10_000 - 2_000 - cost + 1):
        budget.record()
    with pytest.raises(HourlyBudgetReserved):
        await svc.load(STORE)
    assert calls == []  # not one catalog request
    assert len(cache.load(3288) or []) == 100  # the cache untouched
