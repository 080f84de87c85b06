"""Catalog, location and shipping routes of the sandbox over real HTTP (contract-validated)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from pos.sandbox import DEMO_API_KEY, RESTRICTED_DEMO_KEY, SandboxServer
from tests.contract import openapi
from tests.sandbox.helpers import BATIK_STORE, DIGITAL_STORE, KOPI_STORE, Api


def test_stores_simplified_lists_three_stores_with_distinct_methods(shared_api: Api) -> None:
    body = shared_api.get("/v3/stores/simplified").json()
    assert body["is_paginated"] is True and body["has_next"] is False
    stores = {s["id"]: s for s in body["data"]}
    assert {KOPI_STORE, BATIK_STORE, DIGITAL_STORE} <= set(stores)
    assert "payment_link" in stores[KOPI_STORE]["payment_methods"]
    assert any(m.startswith("va_") for m in stores[KOPI_STORE]["payment_methods"])
    assert stores[KOPI_STORE]["sub_payment_methods"] == ["BCA", "BNI", "BRI", "MANDIRI"]
    assert set(stores[BATIK_STORE]["payment_methods"]) == {"invoice", "bank_transfer", "cod"}
    assert stores[DIGITAL_STORE]["payment_methods"] == ["qris"]
    assert all(s["unique_id"].startswith("store_") for s in body["data"])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "kopi"}, {KOPI_STORE}),
        ({"search": "LESTARI"}, {BATIK_STORE}),
        ({"domain": "kelasdigital.id"}, {DIGITAL_STORE}),
        ({"search": "tidak ada"}, set()),
    ],
)
def test_store_search_and_domain(
    shared_api: Api, params: dict[str, str], expected: set[int]
) -> None:
    data = shared_api.get("/v3/stores/simplified", params=params).json()["data"]
    assert {s["id"] for s in data} == expected


def test_payment_methods_route(shared_api: Api) -> None:
    body = shared_api.get(f"/v3/stores/{BATIK_STORE}/payment-methods").json()
    assert body == {"data": ["invoice", "bank_transfer", "cod"], "is_paginated": False}
    assert shared_api.get("/v3/stores/store_Bk4TlS7wQe22/payment-methods").status_code == 404
    assert shared_api.get("/v3/stores/999999/payment-methods").status_code == 404


def test_store_products_documented_fields_only_and_hidden_listed(shared_api: Api) -> None:
    products = shared_api.all_pages(f"/v3/stores/{KOPI_STORE}/products")
    assert len(products) >= 20
    for p in products:
        assert set(p) == {"id", "name", "display", "is_visible", "variants"}
        for v in p["variants"]:
            assert set(v) == {"id", "unique_id", "fullname", "sku", "price"}
            assert v["unique_id"].startswith("variant_")
    hidden = [p for p in products if not p["is_visible"]]
    assert [p["name"] for p in hidden] == ["Cangkir Enamel Kopi Tubruk"]
    by_unique = shared_api.all_pages("/v3/stores/store_Nq7Rk2LmXa91/products")
    assert by_unique == products


def test_catalog_size_and_barcodes(shared_api: Api) -> None:
    products = shared_api.all_pages("/v3/products")
    assert len(products) >= 60
    types = {p["item_type"] for p in products}
    assert {"physical", "digital", "course", "license"} <= types
    for p in products:
        for v in p["variants"]:
            if p["item_type"] == "physical":
                assert re.fullmatch(r"\d{13}", v["sku"]), v
                digits = [int(d) for d in v["sku"]]
                assert sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
                assert v["weight"] > 0
            else:
                assert re.fullmatch(r"[A-Z0-9-]+", v["sku"]) and v["weight"] == 0
    skus = [v["sku"] for p in products for v in p["variants"]]
    assert len(skus) == len(set(skus))
    assert any(not v["is_checked"] for p in products for v in p["variants"])  # hidden variants


def test_products_filters(shared_api: Api) -> None:
    courses = shared_api.all_pages(
        "/v3/products", {"store_id": DIGITAL_STORE, "item_type": "course"}
    )
    assert courses and all(p["item_type"] == "course" for p in courses)
    found = shared_api.get("/v3/products", params={"search": "EBOOK-SEDUH"}).json()["data"]
    assert [p["name"] for p in found] == ["E-book Panduan Seduh Manual"]
    by_uid = shared_api.all_pages("/v3/products", {"store_id": "store_Kd9ViG2aLx05"})
    assert {p["store_id"] for p in by_uid} == {DIGITAL_STORE}


def test_pagination_walks_to_the_end_with_cursors(shared_api: Api) -> None:
    path = "/v3/products"
    seen: list[int] = []
    query: dict[str, object] = {"page_size": 7}
    pages = 0
    previous_first = None
    while True:
        body = shared_api.get(path, params=query).json()
        pages += 1
        assert body["page_size"] == 7 and len(body["data"]) <= 7
        assert body["has_previous"] is (pages > 1)
        seen.extend(p["id"] for p in body["data"])
        if pages == 2:
            back = shared_api.get(
                path, params={"page_size": 7, "previous_cursor": body["previous_cursor"]}
            ).json()
            assert back["data"][0]["id"] == previous_first
        previous_first = body["data"][0]["id"]
        if not body["has_next"]:
            assert body["next_cursor"] is None
            break
        assert body["next_cursor"]
        query = {"page_size": 7, "next_cursor": body["next_cursor"]}
    assert len(seen) == len(set(seen)) == len(shared_api.all_pages(path))
    assert pages == -(-len(seen) // 7)


def test_page_size_is_clamped_to_25(shared_api: Api) -> None:
    body = shared_api.get("/v3/products", params={"page_size": 500}).json()
    assert body["page_size"] == 25 and len(body["data"]) == 25


def test_bad_cursor_and_cursor_bound_to_filters(shared_api: Api) -> None:
    assert (
        shared_api.get("/v3/products", params={"next_cursor": "%%%not-base64"}).status_code == 400
    )
    first = shared_api.get("/v3/products", params={"item_type": "physical"}).json()
    resp = shared_api.get(
        "/v3/products", params={"item_type": "digital", "next_cursor": first["next_cursor"]}
    )
    assert resp.status_code == 400
    assert "error" in resp.json()


def test_store_bundles_and_simplified_and_detail(shared_api: Api) -> None:
    bundles = shared_api.all_pages(f"/v3/stores/{KOPI_STORE}/bundles")
    assert len(bundles) == 3
    options = [o for b in bundles for o in b["bundle_price_options"]]
    assert all(o["unique_id"].startswith("bpo_") for o in options)
    assert any(not o["is_visible"] for o in options)
    simplified = shared_api.all_pages("/v3/bundles/simplified", {"store_id": KOPI_STORE})
    assert [b["id"] for b in simplified] == [b["id"] for b in bundles]
    assert all("weight_bump" in b for b in simplified)
    total = sum(
        len(s)
        for s in (
            bundles,
            shared_api.all_pages(f"/v3/stores/{BATIK_STORE}/bundles"),
            shared_api.all_pages(f"/v3/stores/{DIGITAL_STORE}/bundles"),
        )
    )
    assert total >= 6
    detail = shared_api.get(f"/v3/bundles/{bundles[0]['id']}").json()
    assert detail["bundlelines"][0]["variant"]["unique_id"].startswith("variant_")
    assert {"id", "unique_id", "sku", "fullname", "weight", "price", "item_type"} <= set(
        detail["bundlelines"][0]["variant"]
    )
    assert shared_api.get("/v3/bundles/424242").status_code == 404


def test_locations_search_and_postal_codes(shared_api: Api) -> None:
    all_locations = shared_api.all_pages("/v3/locations")
    assert len(all_locations) >= 300
    hits = shared_api.get("/v3/locations", params={"search": "cempaka putih"}).json()["data"]
    assert hits[0]["display"] == "Cempaka Putih, Kota Jakarta Pusat, DKI Jakarta"
    shared = shared_api.get("/v3/locations", params={"search": "Cibinong"}).json()["data"]
    assert {loc["city_name"] for loc in shared if loc["subdistrict_name"] == "Cibinong"} == {
        "Kabupaten Bogor",
        "Kabupaten Cianjur",
    }
    by_province = shared_api.all_pages("/v3/locations", {"search": "nusa tenggara"})
    assert by_province and all(
        loc["province_name"].startswith("Nusa Tenggara") for loc in by_province
    )
    substring = shared_api.all_pages("/v3/locations", {"search": "bali"})  # Bali + Balikpapan
    assert {loc["province_name"] for loc in substring} == {"Bali", "Kalimantan Timur"}
    codes = shared_api.get(f"/v3/locations/{hits[0]['id']}/postal-codes").json()
    assert codes["is_paginated"] is False
    assert {"postal_code": "10510"} in codes["data"]
    assert shared_api.get("/v3/locations/1/postal-codes").status_code == 404


def test_search_warehouse_and_courier(shared_api: Api) -> None:
    gayo = shared_api.variant_by_name(KOPI_STORE, "Kopi Arabika Gayo 250 g - Biji")
    sby = shared_api.location("Gubeng", "Kota Surabaya")
    wh = shared_api.search_warehouses(KOPI_STORE, sby["id"], [(gayo["id"], 1)])
    assert wh["is_paginated"] is False
    assert [r["warehouse"]["name"] for r in wh["data"]] == ["Gudang Surabaya", "Gudang Bekasi"]
    assert wh["data"][0]["destination"]["id"] == sby["id"]

    def couriers(method: str, weight: int) -> list[dict[str, Any]]:
        warehouse_id = wh["data"][0]["warehouse"]["id"]
        found = shared_api.search_couriers(KOPI_STORE, sby["id"], warehouse_id, method, weight)
        return list(found["data"])

    light = couriers("va_bca", 900)
    names = {(c["courier_service"]["courier"]["code"], c["courier_service"]["code"]) for c in light}
    assert {
        ("jne", "REG"),
        ("jne", "YES"),
        ("jne", "OKE"),
        ("jnt", "EZ"),
        ("sicepat", "REG"),
        ("anteraja", "REG"),
        ("ninja", "STANDARD"),
        ("pos", "KILAT"),
    } <= names
    assert all(c["shipment_provider_code"] in {"mengantar", "lincah", "ninja"} for c in light)
    assert all(re.fullmatch(r"\d+(-\d+)?", str(c["etd"])) for c in light)
    assert couriers("va_bca", 900) == light  # deterministic
    heavy = {c["courier_service"]["id"]: c["cost"] for c in couriers("va_bca", 1001)}
    for c in light:
        assert heavy[c["courier_service"]["id"]] > c["cost"]
    assert {c["courier_service"]["id"] for c in couriers("va_bca", 1)} == {
        c["courier_service"]["id"] for c in light
    }
    cod = couriers("cod", 900)
    assert cod and all(c["is_cod"] for c in cod) and len(cod) < len(light)


def test_remote_destination_gets_no_couriers_and_chilled_item_no_warehouse(shared_api: Api) -> None:
    gayo = shared_api.variant_by_name(KOPI_STORE, "Kopi Arabika Gayo 250 g - Biji")
    agats = shared_api.location("Agats")
    wh = shared_api.search_warehouses(KOPI_STORE, agats["id"], [(gayo["id"], 1)])["data"]
    assert wh
    none = shared_api.search_couriers(
        KOPI_STORE, agats["id"], wh[0]["warehouse"]["id"], "qris", 300
    )
    assert none == {"data": [], "is_paginated": False}
    chilled = shared_api.variant_by_name(KOPI_STORE, "Kopi Susu Gula Aren Literan 1 L")
    jkt = shared_api.location("Menteng")
    empty = shared_api.search_warehouses(
        KOPI_STORE, jkt["id"], [(gayo["id"], 1), (chilled["id"], 1)]
    )
    assert empty == {"data": [], "is_paginated": False}
    lasem = shared_api.variant_by_name(BATIK_STORE, "Kemeja Batik Tulis Lasem - M")
    only_jogja = shared_api.search_warehouses(BATIK_STORE, jkt["id"], [(lasem["id"], 1)])["data"]
    assert [r["warehouse"]["name"] for r in only_jogja] == ["Gudang Yogyakarta"]


def test_shipping_bad_requests(shared_api: Api) -> None:
    resp = shared_api.post("/v3/shipping-costs/search-warehouse", json={"store_id": KOPI_STORE})
    assert resp.status_code == 400
    resp = shared_api.post(
        "/v3/shipping-costs/search-warehouse",
        content=b"{nope",
        headers={"content-type": "application/json"},
    )
    assert resp.status_code == 400 and resp.json()["error"] == "Malformed JSON body"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer sk_wrong"},
        {"Authorization": DEMO_API_KEY},
        {"Authorization": "Basic abc"},
    ],
)
def test_auth_401(shared_sandbox: SandboxServer, headers: dict[str, str]) -> None:
    resp = httpx.get(shared_sandbox.base_url + "/v3/stores/simplified", headers=headers)
    assert resp.status_code == 401
    assert resp.json() == {"error": "Invalid API key"}
    assert resp.headers["X-Ratelimit-Limit"] == "100"
    openapi.validate_response("GET", "/v3/stores/simplified", 401, resp.json())


def test_restricted_key_scopes(shared_sandbox: SandboxServer) -> None:
    api = Api(shared_sandbox, api_key=RESTRICTED_DEMO_KEY)
    try:
        assert api.get("/v3/stores/simplified").status_code == 200
        assert api.get(f"/v3/stores/{KOPI_STORE}/payment-methods").status_code == 200
        assert api.get(f"/v3/stores/{KOPI_STORE}/products").status_code == 200
        assert api.get(f"/v3/stores/{KOPI_STORE}/bundles").status_code == 200
        for method, path in [
            ("GET", "/v3/locations"),
            ("GET", "/v3/orders"),
            ("POST", "/v3/orders"),
        ]:
            resp = api.request(method, path, json={} if method == "POST" else None)
            assert resp.status_code == 403
            assert resp.json() == {"error": "Forbidden"}
    finally:
        api.close()


def test_unknown_v3_route_is_404_json(shared_api: Api) -> None:
    resp = shared_api.get("/v3/nope")
    assert resp.status_code == 404 and resp.json() == {"error": "Not found"}
