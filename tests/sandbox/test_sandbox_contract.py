"""Every sandbox operation in the OpenAPI subset, validated against the contract."""

from __future__ import annotations

import jsonschema
import pytest

from pos.sandbox import SandboxServer
from tests.contract import openapi
from tests.sandbox.helpers import KOPI_STORE, Api, SandboxControl

# Request examples from the API digest (docs/scalev-api-v3.md, sections 2.7-2.9).
DIGEST_REQUESTS = [
    (
        "POST",
        "/v3/shipping-costs/search-warehouse",
        {"store_id": 3288, "destination_id": 2087, "variants": [{"variant_id": 494535, "qty": 2}]},
    ),
    (
        "POST",
        "/v3/shipping-costs/search-courier-service",
        {
            "store_id": 3288,
            "location_id": 2087,
            "warehouse_id": 741,
            "payment_method": "bank_transfer",
            "weight": 500,
            "postal_code": "10510",
        },
    ),
    (
        "POST",
        "/v3/orders",
        {
            "store_unique_id": "store_Nq7Rk2LmXa91",
            "customer_name": "Siti Rahmawati",
            "customer_phone": "6281234567890",
            "customer_email": "siti.rahmawati@example.co.id",
            "ordervariants": [{"variant_unique_id": "variant_Zt7Pp2ScW3dE", "quantity": 1}],
            "payment_method": "payment_link",
            "notes": "POS Kasir-01 / struk 000123",
            "metadata": {"pos_ref": "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40", "terminal": "KASIR-01"},
        },
    ),
    (
        "POST",
        "/v3/orders",
        {
            "store_unique_id": "store_Nq7Rk2LmXa91",
            "customer_name": "Budi Santoso",
            "orderbundles": [{"bundle_price_option_unique_id": "bpo_Hj8Kk3LmN4pQ", "quantity": 1}],
            "payment_method": "va_bca",
            "address": "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03",
            "location_id": 2087,
            "postal_code": "10510",
            "warehouse_unique_id": "warehouse_FN9odhpi1VOF",
            "courier_service_id": 12,
            "shipping_cost": 19000,
            "shipment_provider_code": "lincah",
            "metadata": {"pos_ref": "6c1d9e0b-2a44-4f3e-8b5a-91e0d2c7f311"},
        },
    ),
]


@pytest.mark.parametrize(("method", "path", "body"), DIGEST_REQUESTS)
def test_digest_request_examples_match_contract(
    method: str, path: str, body: dict[str, object]
) -> None:
    openapi.validate_request_body(method, path, body)


def test_validator_rejects_bad_shapes() -> None:
    before = openapi.validation_count()
    with pytest.raises(jsonschema.ValidationError):
        openapi.validate_request_body("POST", "/v3/orders", {"customer_name": "x"})  # no store
    with pytest.raises(jsonschema.ValidationError):
        openapi.validate_response("GET", "/v3/orders/{id}", 404, {"error": "x", "extra": 1})
    with pytest.raises(jsonschema.ValidationError):
        openapi.validate_response(
            "GET", "/v3/locations", 200, {"data": [{"id": 1}], "is_paginated": True}
        )
    with pytest.raises(KeyError):
        openapi.validate_response("DELETE", "/v3/orders", 200, {})
    openapi.validate_response("GET", "/v3/stores/simplified", 401, {"error": "Invalid API key"})
    assert openapi.validation_count() == before + 1


def test_every_operation_round_trip_is_contract_valid(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        before = openapi.validation_count()
        api.get("/v3/stores/simplified")
        api.get(f"/v3/stores/{KOPI_STORE}/payment-methods")
        api.get(f"/v3/stores/{KOPI_STORE}/products")
        api.get(f"/v3/stores/{KOPI_STORE}/bundles")
        api.get("/v3/bundles/simplified", params={"store_id": KOPI_STORE})
        api.get("/v3/locations", params={"search": "menteng"})
        body = api.physical_order()  # locations, postal codes, both shipping searches
        order = api.post("/v3/orders", json=body).json()
        api.post("/v3/orders", json=api.digital_order())
        api.get(f"/v3/orders/{order['id']}")
        api.post(f"/v3/orders/{order['id']}/check-payment")
        api.post(f"/v3/orders/{order['id']}/payment")
        api.post(f"/v3/orders/{order['id']}/update-tags", json={"tags": ["kasir-01"]})
        api.get("/v3/orders/statistics", params={"is_breakdown_status": "true"})
        api.post(
            "/v3/orders/change-status",
            json={"ids": [order["id"]], "payment_status": "paid", "payment_method": "va_bca"},
        )
        sandbox_ctl.pay(order["id"])
        api.get(f"/v3/orders/{order['id']}")
        api.get("/v3/orders")
        api.get(
            "/v3/orders",
            params={
                "columns": "id,order_id,metadata,notes,status,payment_status,gross_revenue,"
                "customer,pg_payment_info,secret_slug,public_order_url,payment_url"
            },
        )
        performed = {(r["method"], Api.template_for(r["path"])) for r in sandbox_ctl.requests()}
        operations = {
            (m.upper(), p)
            for p, ops in openapi.spec()["paths"].items()
            for m in ops
            if m != "parameters"
        }
        assert operations <= performed
        assert openapi.validation_count() - before >= 18
    finally:
        api.close()
