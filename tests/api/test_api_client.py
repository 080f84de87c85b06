"""ScalevClient basics over MockTransport: config rules, headers, endpoints, request bodies."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest

from pos.api.client import ScalevClient
from pos.api.errors import InvalidResponseError
from pos.api.models import OrderCreate, OrderVariantLine
from tests.api.scalev_mock import API_KEY, BASE_URL, FakeClock, MockAPI, load_fixture, make_client


@pytest.mark.parametrize(
    "url",
    [
        "https://api.scalev.com",
        "https://api.scalev.com/",
        "http://127.0.0.1:8123",
        "http://127.5.6.7",
        "http://localhost:9000",
        "http://LOCALHOST",
        "http://[::1]:8080",
    ],
)
def test_base_url_accepted(url: str) -> None:
    client = ScalevClient(url, API_KEY)
    assert client.base_url == url.rstrip("/").replace("LOCALHOST", "localhost")


@pytest.mark.parametrize(
    "url",
    [
        "http://api.scalev.com",
        "http://192.168.1.10:8000",
        "http://10.0.0.1",
        "http://localhost.evil.com",
        "http://128.0.0.1",
        "ftp://localhost",
        "api.scalev.com",
        "https://user:pw@api.scalev.com",
    ],
)
def test_base_url_rejected(url: str) -> None:
    with pytest.raises(ValueError):
        ScalevClient(url, API_KEY)


@pytest.mark.parametrize("key", ["", "   ", "sk_abc\ndef", "sk abc"])
def test_bad_api_key_rejected_without_echo(key: str) -> None:
    with pytest.raises(ValueError) as info:
        ScalevClient(BASE_URL, key)
    if key.strip():
        assert key not in str(info.value)


def test_timeouts_and_headers_configured() -> None:
    client = ScalevClient(
        BASE_URL, API_KEY, connect_timeout=2.5, read_timeout=9.0, user_agent="K/1"
    )
    timeout = client._http.timeout
    assert (timeout.connect, timeout.read) == (2.5, 9.0)
    default = ScalevClient(BASE_URL, API_KEY)._http.timeout
    assert (default.connect, default.read) == (5.0, 15.0)
    assert client._http.headers["User-Agent"] == "K/1"


@pytest.mark.asyncio
async def test_bearer_auth_user_agent_and_accept(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/stores/7/payment-methods", {"data": ["qris"], "is_paginated": False})
    async with make_client(api, clock, user_agent="Kasir/9") as client:
        assert await client.get_payment_methods(7) == ["qris"]
    request = api.requests[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["User-Agent"] == "Kasir/9"
    assert request.headers["Accept"] == "application/json"


@pytest.mark.asyncio
async def test_base_url_with_path_prefix(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/proxy/v3/bundles/5", {"id": 5})
    async with make_client(api, clock, base_url="https://gw.example.com/proxy/") as client:
        bundle = await client.get_bundle(5)
    assert bundle.id == 5


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"data": ["qris", "va_bca", "qris"], "is_paginated": False}, ["qris", "va_bca"]),
        (
            {
                "data": [
                    {"code": "qris", "name": "QRIS"},
                    {"payment_method": "va_bca"},
                    {"name": "invoice"},
                ],
                "is_paginated": False,
            },
            ["qris", "va_bca", "invoice"],
        ),
        (["cod", "bank_transfer"], ["cod", "bank_transfer"]),
        ({"code": 200, "status": "OK", "data": {"results": ["payment_link"]}}, ["payment_link"]),
    ],
)
@pytest.mark.asyncio
async def test_payment_methods_tolerant(
    api: MockAPI, clock: FakeClock, payload: Any, expected: list[str]
) -> None:
    api.json("GET", "/v3/stores/3288/payment-methods", payload)
    async with make_client(api, clock) as client:
        assert await client.get_payment_methods(3288) == expected


@pytest.mark.asyncio
async def test_payment_methods_item_without_code(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/stores/1/payment-methods", {"data": [{"label": "x"}]})
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError):
            await client.get_payment_methods(1)


@pytest.mark.parametrize(
    "payload",
    [
        load_fixture("postal_codes"),
        {"data": ["10510", "10520"], "is_paginated": False},
        {"data": [10510, {"postal_code": "10520"}, "10510"], "is_paginated": False},
    ],
)
@pytest.mark.asyncio
async def test_postal_codes_tolerant(api: MockAPI, clock: FakeClock, payload: Any) -> None:
    api.json("GET", "/v3/locations/2087/postal-codes", payload)
    async with make_client(api, clock) as client:
        assert await client.get_postal_codes(2087) == ["10510", "10520"]


@pytest.mark.asyncio
async def test_search_warehouses_builds_documented_body(api: MockAPI, clock: FakeClock) -> None:
    api.json(
        "POST", "/v3/shipping-costs/search-warehouse", load_fixture("search_warehouse_response")
    )
    async with make_client(api, clock) as client:
        results = await client.search_warehouses(
            store_id=3288, destination_id=2087, variants=[(494535, 1), (494535, 1)]
        )
    assert results[0].warehouse.id == 741
    assert results[0].warehouse.unique_id == "warehouse_FN9odhpi1VOF"
    assert results[0].distance_km == Decimal("12.4")
    sent = json.loads(api.requests[0].content)
    assert sent == load_fixture("search_warehouse_request")
    assert api.requests[0].headers["Content-Type"] == "application/json"


@pytest.mark.asyncio
async def test_search_warehouses_rejects_bad_quantities(api: MockAPI, clock: FakeClock) -> None:
    async with make_client(api, clock) as client:
        with pytest.raises(ValueError):
            await client.search_warehouses(store_id=1, destination_id=2, variants=[(3, 0)])
        with pytest.raises(ValueError):
            await client.search_warehouses(store_id=1, destination_id=2, variants=[])
    assert api.requests == []


@pytest.mark.asyncio
async def test_search_courier_services_builds_documented_body(
    api: MockAPI, clock: FakeClock
) -> None:
    api.json(
        "POST",
        "/v3/shipping-costs/search-courier-service",
        load_fixture("search_courier_service_response"),
    )
    async with make_client(api, clock) as client:
        results = await client.search_courier_services(
            store_id=3288,
            location_id=2087,
            warehouse_id=741,
            payment_method="bank_transfer",
            weight=500,
            postal_code="10510",
        )
        no_postal = await client.search_courier_services(
            store_id=3288, location_id=2087, warehouse_id=741, payment_method="qris", weight=250
        )
    assert [r.courier_service.id for r in results] == [12, 47]
    assert results[0].cost == Decimal(19000)
    assert results[0].shipment_provider_code == "lincah"
    assert len(no_postal) == 2
    assert json.loads(api.requests[0].content) == load_fixture("search_courier_service_request")
    second = json.loads(api.requests[1].content)
    assert second == {
        "store_id": 3288,
        "location_id": 2087,
        "warehouse_id": 741,
        "payment_method": "qris",
        "weight": 250,
    }
    assert all(
        type(second[k]) is int for k in ("store_id", "location_id", "warehouse_id", "weight")
    )


@pytest.mark.parametrize(
    "body",
    [
        load_fixture("order_create_digital"),
        OrderCreate.model_validate(load_fixture("order_create_digital")),
    ],
)
@pytest.mark.asyncio
async def test_create_order_accepts_model_or_dict(
    api: MockAPI, clock: FakeClock, body: OrderCreate | dict[str, Any]
) -> None:
    api.json("POST", "/v3/orders", load_fixture("order"))
    async with make_client(api, clock) as client:
        order = await client.create_order(body)
    assert order.id == "0196d2a4-7b1e-7c3a-9f10-3e5b8a2d4c61"
    assert order.gross_revenue == Decimal("49000.00")
    assert json.loads(api.requests[0].content) == load_fixture("order_create_digital")


@pytest.mark.asyncio
async def test_create_order_omits_none_and_keeps_extra_fields(
    api: MockAPI, clock: FakeClock
) -> None:
    api.json("POST", "/v3/orders", load_fixture("order"))
    body = OrderCreate(
        store_unique_id="store_x",
        customer_name="A",
        ordervariants=[OrderVariantLine(variant_unique_id="variant_y", quantity=2)],
        payment_method="qris",
        product_discount=1000,  # extra field, allowed
    )
    async with make_client(api, clock) as client:
        await client.create_order(body)
    sent = json.loads(api.requests[0].content)
    assert sent == {
        "store_unique_id": "store_x",
        "customer_name": "A",
        "ordervariants": [{"variant_unique_id": "variant_y", "quantity": 2}],
        "payment_method": "qris",
        "product_discount": 1000,
    }


@pytest.mark.asyncio
async def test_create_order_coerces_dict_types(api: MockAPI, clock: FakeClock) -> None:
    api.json("POST", "/v3/orders", load_fixture("order"))
    body = dict(load_fixture("order_create_physical_bundle"))
    body["location_id"] = "2087"
    body["shipping_cost"] = 19000.0
    async with make_client(api, clock) as client:
        await client.create_order(body)
    sent = json.loads(api.requests[0].content)
    assert sent["location_id"] == 2087
    assert sent["shipping_cost"] == 19000
    assert sent == load_fixture("order_create_physical_bundle")


@pytest.mark.asyncio
async def test_create_order_invalid_dict_raises_before_sending(
    api: MockAPI, clock: FakeClock
) -> None:
    async with make_client(api, clock) as client:
        with pytest.raises(ValueError):
            await client.create_order({"customer_name": "no store"})
    assert api.requests == []


@pytest.mark.asyncio
async def test_get_order_and_check_payment_paths(api: MockAPI, clock: FakeClock) -> None:
    order = load_fixture("order")
    oid = order["id"]
    api.json("GET", f"/v3/orders/{oid}", order)
    api.json("POST", f"/v3/orders/{oid}/check-payment", {**order, "payment_status": "paid"})
    async with make_client(api, clock) as client:
        got = await client.get_order(oid)
        checked = await client.check_payment(oid)
        with pytest.raises(ValueError):
            await client.get_order("  ")
    assert got.payment_status == "unpaid" and not got.is_paid
    assert checked.is_paid
    assert api.requests[1].content == b""


@pytest.mark.asyncio
async def test_order_path_id_is_quoted(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/orders/a%2Fb", {"id": "a/b"})
    async with make_client(api, clock) as client:
        assert (await client.get_order("a/b")).id == "a/b"
    assert api.requests[0].url.raw_path == b"/v3/orders/a%2Fb"


@pytest.mark.asyncio
async def test_legacy_envelope_single_object(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/orders/12", {"code": 200, "status": "OK", "data": {"id": 12}})
    async with make_client(api, clock) as client:
        order = await client.get_order("12")
    assert order.id == "12"


@pytest.mark.parametrize(
    ("response", "fragment"),
    [
        (httpx.Response(200, content=b"<html>gateway</html>"), "not JSON"),
        (httpx.Response(200, content=b""), "not JSON"),
        (httpx.Response(200, json=[1, 2]), "JSON object"),
        (httpx.Response(200, json={"order_id": "X", "gross_revenue": "abc"}), "Order"),
    ],
)
@pytest.mark.asyncio
async def test_invalid_2xx_bodies(
    api: MockAPI, clock: FakeClock, response: httpx.Response, fragment: str
) -> None:
    api.add("GET", "/v3/orders/x", lambda _r: response)
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError) as info:
            await client.get_order("x")
    assert fragment in str(info.value)
    assert info.value.status_code == 200
    assert "abc" not in str(info.value)  # no input values in the message
    assert len(api.requests) == 1  # not retried


@pytest.mark.asyncio
async def test_list_item_not_fitting_model(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/locations", {"data": [{"display": "no id"}], "has_next": False})
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError, match="Location"):
            [loc async for loc in client.search_locations("x")]


def test_repr_hides_key() -> None:
    client = ScalevClient(BASE_URL, API_KEY)
    assert API_KEY not in repr(client)
    assert BASE_URL in repr(client)
    assert API_KEY not in repr(client._http.auth)
    assert API_KEY not in repr(vars(client))
