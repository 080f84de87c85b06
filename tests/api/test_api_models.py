"""The digest's JSON examples (tests/api/fixtures) parse into the models."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos.api.models import (
    CourierServiceResult,
    Location,
    Order,
    OrderCreate,
    OrderListItem,
    Store,
    StoreBundle,
    StoreProduct,
    WarehouseResult,
)
from tests.api.scalev_mock import load_fixture


def test_stores_simplified() -> None:
    (store,) = [Store.model_validate(x) for x in load_fixture("stores_simplified")["data"]]
    assert (store.id, store.unique_id) == (3288, "store_Nq7Rk2LmXa91")
    assert store.custom_domain is not None and store.custom_domain.is_verified
    assert "payment_link" in store.payment_methods
    assert store.sub_payment_methods == ["BCA", "BRI"]


def test_store_products() -> None:
    products = [StoreProduct.model_validate(x) for x in load_fixture("store_products")["data"]]
    assert [p.id for p in products] == [88123, 88140]
    variant = products[0].variants[0]
    assert (variant.id, variant.unique_id, variant.price) == (
        494535,
        "variant_Wq3Lk9PzT0aB",
        Decimal(85000),
    )
    assert products[1].is_visible


def test_store_bundles() -> None:
    (bundle,) = [StoreBundle.model_validate(x) for x in load_fixture("store_bundles")["data"]]
    assert [o.unique_id for o in bundle.bundle_price_options] == [
        "bpo_Hj8Kk3LmN4pQ",
        "bpo_Rs9Tt4UvW5xY",
    ]
    assert bundle.bundle_price_options[1].price == Decimal(305000)


def test_locations() -> None:
    locations = [Location.model_validate(x) for x in load_fixture("locations")["data"]]
    assert [loc.id for loc in locations] == [2087, 2093]
    assert locations[0].display == "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"


def test_search_warehouse_response() -> None:
    (result,) = [
        WarehouseResult.model_validate(x) for x in load_fixture("search_warehouse_response")["data"]
    ]
    assert result.warehouse.id == 741
    assert result.warehouse.warehouse_address is not None
    assert result.warehouse.warehouse_address.location == 1933
    assert result.destination is not None and result.destination.id == 2087
    assert result.warehouse_partner is None


def test_search_courier_service_response() -> None:
    results = [
        CourierServiceResult.model_validate(x)
        for x in load_fixture("search_courier_service_response")["data"]
    ]
    assert [r.cost for r in results] == [Decimal(19000), Decimal(17000)]
    assert results[0].courier_service.courier is not None
    assert results[0].courier_service.courier.courier_type == "standard"
    assert results[0].is_cod and not results[1].is_cod


@pytest.mark.parametrize("name", ["order_create_digital", "order_create_physical_bundle"])
def test_order_create_round_trip(name: str) -> None:
    body = load_fixture(name)
    assert OrderCreate.model_validate(body).to_json() == body


def test_order() -> None:
    order = Order.model_validate(load_fixture("order"))
    assert order.id == "0196d2a4-7b1e-7c3a-9f10-3e5b8a2d4c61"
    assert order.gross_revenue == Decimal("49000.00")
    assert order.metadata == {
        "pos_ref": "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40",
        "terminal": "KASIR-01",
    }
    assert order.orderlines is not None and order.orderlines[0].variant == 494600
    assert not order.is_paid and not order.is_closed
    # Unknown fields are kept.
    assert order.model_extra is not None and order.model_extra["platform"] == "scalev"


def test_order_list_item_and_legacy_numeric_id() -> None:
    item = OrderListItem.model_validate({"id": 12, "gross_revenue": 85000.1})
    assert item.id == "12"
    assert item.gross_revenue == Decimal("85000.1")
    assert Order.model_validate({"id": 99}).id == "99"


def test_error_fixture_shape() -> None:
    body = load_fixture("error_validation")
    assert set(body) == {"error", "error_code", "message"}
