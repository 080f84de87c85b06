"""Every JSON body the client builds fits the OpenAPI subset's request schema (no server needed).

The sandbox tests repeat this over real HTTP with tests/contract/openapi.py; this file checks
the same bodies directly with openapi-schema-validator so it runs on its own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

from tests.api.scalev_mock import FakeClock, MockAPI, load_fixture, make_client

SPEC_PATH = Path(__file__).resolve().parents[1] / "contract" / "scalev-openapi-subset.json"
SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _validate_body(method: str, template: str, body: Any) -> None:
    operation = SPEC["paths"][template][method.lower()]
    request_body = _resolve(operation["requestBody"])
    schema = request_body["content"]["application/json"]["schema"]
    # Validate with the whole document as root so "#/components/..." references resolve.
    root = {**SPEC, **schema} if "$ref" not in schema else {**SPEC, "$ref": schema["$ref"]}
    errors = list(OAS30Validator(root).iter_errors(body))
    assert not errors, [e.message for e in errors]


def test_validator_rejects_wrong_types() -> None:
    bad = {"store_id": "3288", "destination_id": 2087, "variants": [{"variant_id": 1, "qty": 1}]}
    with pytest.raises(AssertionError):
        _validate_body("POST", "/v3/shipping-costs/search-warehouse", bad)
    with pytest.raises(AssertionError):
        _validate_body("POST", "/v3/orders", {"customer_name": "no store"})


@pytest.mark.asyncio
async def test_client_bodies_fit_the_contract(api: MockAPI, clock: FakeClock) -> None:
    empty = {"data": [], "is_paginated": False}
    api.json("POST", "/v3/shipping-costs/search-warehouse", empty)
    api.json("POST", "/v3/shipping-costs/search-courier-service", empty)
    api.json("POST", "/v3/orders", load_fixture("order"))
    async with make_client(api, clock) as client:
        await client.search_warehouses(
            store_id=3288, destination_id=2087, variants=[(494535, 2), (494536, 1)]
        )
        await client.search_courier_services(
            store_id=3288,
            location_id=2087,
            warehouse_id=741,
            payment_method="bank_transfer",
            weight=500,
            postal_code="10510",
        )
        await client.create_order(load_fixture("order_create_digital"))
        await client.create_order(load_fixture("order_create_physical_bundle"))
    templates = {
        "/v3/shipping-costs/search-warehouse": "/v3/shipping-costs/search-warehouse",
        "/v3/shipping-costs/search-courier-service": "/v3/shipping-costs/search-courier-service",
        "/v3/orders": "/v3/orders",
    }
    request: httpx.Request
    for request in api.requests:
        _validate_body(request.method, templates[request.url.path], json.loads(request.content))
    assert len(api.requests) == 4
