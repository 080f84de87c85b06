from __future__ import annotations

from pathlib import Path

import pytest

from pos.api.errors import ServerError
from pos.api.models import CourierServiceResult, Location, Store, WarehouseResult
from pos.domain.cart import Cart
from pos.services import CatalogService, ShippingService
from pos.services.shipping import courier_label, etd_days, make_choice
from pos.storage import CatalogCache, Database
from tests.domain import catalog_samples as samples
from tests.fakes.scalev import FakeScalev

STORE = Store(id=3288, unique_id="store_X", name="Toko Kopi", payment_methods=["va_bca"])


def quote(
    cid: int, cost: int, etd: str | None, provider: str | None = "lincah"
) -> CourierServiceResult:
    return CourierServiceResult.model_validate(
        {
            "courier_service": {"id": cid, "code": "REG", "name": f"Svc{cid}",
                                "courier": {"name": "JNE"}},
            "cost": cost,
            "etd": etd,
            "shipment_provider_code": provider,
        }
    )  # fmt: skip


@pytest.mark.asyncio
async def test_search_locations_first_page_only(fake: FakeScalev) -> None:
    fake.locations = [
        Location(id=i, display=f"Cempaka Putih {i}, Jakarta", subdistrict_name="Cempaka Putih")
        for i in range(60)
    ]
    svc = ShippingService(fake)
    assert len(await svc.search_locations("cempaka")) == 25
    assert await svc.search_locations("   ") == []
    assert await svc.postal_codes(1) == ["10510", "10520"]


@pytest.mark.asyncio
async def test_warehouses_use_expanded_physical_variants(fake: FakeScalev) -> None:
    fake.warehouse_results = [
        WarehouseResult.model_validate(
            {"warehouse": {"id": 741, "unique_id": "warehouse_A", "name": "Gudang"}}
        )
    ]
    cart = Cart()
    cart.add(samples.item(1), 2)
    cart.add(samples.item(9, kind="bundle", lines=((1, 1), (3, 2))))
    cart.add(samples.item(5, item_type="digital"))
    svc = ShippingService(fake)
    result = await svc.warehouses(3288, 2087, cart)
    assert result[0].warehouse.unique_id == "warehouse_A"
    assert fake.warehouse_calls == [
        {"store_id": 3288, "destination_id": 2087, "variants": [(1, 3), (3, 2)]}
    ]
    assert await svc.warehouses(3288, 2087, Cart()) == []


@pytest.mark.asyncio
async def test_couriers_sorted_by_cost_then_etd(fake: FakeScalev) -> None:
    fake.courier_results = [quote(1, 19000, "2-3"), quote(2, 17000, "2-4"),
                            quote(3, 17000, "1-2"), quote(4, 17000, None)]  # fmt: skip
    result = await ShippingService(fake).couriers(3288, 2087, 741, "qris", 500, "10510")
    assert [r.courier_service.id for r in result] == [3, 2, 4, 1]
    assert fake.courier_calls[0] == {
        "store_id": 3288, "location_id": 2087, "warehouse_id": 741,
        "payment_method": "qris", "weight": 500, "postal_code": "10510",
    }  # fmt: skip


def test_make_choice_and_labels() -> None:
    wh = WarehouseResult.model_validate({"warehouse": {"id": 741, "unique_id": "warehouse_A"}})
    choice = make_choice(
        address=" Jl.  Cempaka  17 ",
        location_id=2087,
        postal_code="",
        warehouse=wh,
        courier=quote(12, 19000, "2-3"),
    )
    assert choice.address == "Jl. Cempaka 17" and choice.postal_code is None
    assert (choice.warehouse_unique_id, choice.warehouse_id) == ("warehouse_A", 741)
    assert (choice.courier_service_id, choice.shipping_cost) == (12, 19000)
    assert choice.shipment_provider_code == "lincah"
    assert choice.courier_label == "JNE Svc12 (2-3 hari)"
    assert courier_label(quote(1, 1, None), "en") == "JNE Svc1"
    assert etd_days("1") == (1, 1) and etd_days(None)[0] == float("inf")


def catalog_fake() -> FakeScalev:
    fake = FakeScalev()
    fake.stores = [STORE]
    fake.store_products = samples.store_products()
    fake.products = list(samples.full_products().values())
    fake.store_bundles = samples.store_bundles()
    fake.bundles = samples.bundle_details()
    fake.simplified = list(samples.simplified().values())
    return fake


@pytest.mark.asyncio
async def test_catalog_load_and_cache(tmp_path: Path) -> None:
    fake = catalog_fake()
    with Database.open(tmp_path / "k.db") as db:
        svc = CatalogService(fake, CatalogCache(db))
        assert svc.cached(3288) is None
        progress: list[tuple[int, int | None]] = []
        items = await svc.load(STORE, lambda n, total: progress.append((n, total)))
        assert [i.key for i in items] == ["v:variant_A", "v:variant_E", "b:bpo_A", "b:bpo_B"]
        assert items[0].item_type == "physical" and items[0].weight == 250
        assert items[2].lines == ((494535, 1), (494600, 2)) and items[2].weight == 300
        assert progress[-1] == (4, 4) and all(t is None for _, t in progress[:-1])
        assert svc.cached(3288) == items
        assert fake.bundle_calls == [9012]


@pytest.mark.asyncio
async def test_catalog_load_degrades_without_products_route() -> None:
    fake = catalog_fake()
    fake.products_error = ServerError(500)
    items = await CatalogService(fake).load(STORE)
    variants = [i for i in items if i.kind == "variant"]
    assert variants and all(i.item_type is None and i.weight == 0 for i in variants)


@pytest.mark.asyncio
async def test_catalog_bundle_details_bounded_concurrency() -> None:
    fake = catalog_fake()
    base = samples.store_bundles()[0]
    fake.store_bundles = [base.model_copy(update={"id": 9000 + i}) for i in range(20)]
    fake.bundles = {}
    items = await CatalogService(fake).load(STORE)
    assert len(fake.bundle_calls) == 20 and fake.max_bundle_concurrency <= 4
    # unique ids still come from the store route / simplified list where present
    assert any(i.key == "b:bpo_B" for i in items)


@pytest.mark.asyncio
async def test_stores_and_payment_methods(fake: FakeScalev) -> None:
    fake.stores = [STORE, Store(id=1, unique_id="store_B", name="Butik")]
    svc = CatalogService(fake)
    assert [s.id for s in await svc.list_stores()] == [3288, 1]
    assert [s.id for s in await svc.list_stores("butik")] == [1]
    assert await svc.payment_methods(STORE) == ["qris", "payment_link"]
    fake.payment_methods = ServerError(500)
    assert await svc.payment_methods(STORE) == ["va_bca"]
    fake.payment_methods = []
    assert await svc.payment_methods(STORE) == ["va_bca"]
