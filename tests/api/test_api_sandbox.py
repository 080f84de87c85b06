"""ScalevClient against the real sandbox over HTTP, with every request body checked against
the OpenAPI subset (tests/contract/openapi.py) by an httpx event hook."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import logging
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

import pos.sandbox as sandbox_mod
from pos.api.client import ScalevClient
from pos.api.errors import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    OrderOutcomeUnknown,
    PermissionDeniedError,
    RateLimitedError,
    ScalevError,
    ValidationFailed,
)
from pos.api.models import StoreProduct

# tests/conftest.py puts the repo root on sys.path; imported dynamically so mypy checks this
# file without type-checking the contract helper.
openapi: Any = importlib.import_module("tests.contract.openapi")
CONTRACT_DIR = Path(__file__).resolve().parents[1] / "contract"
SPEC = json.loads((CONTRACT_DIR / "scalev-openapi-subset.json").read_text(encoding="utf-8"))
_TEMPLATES = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", p) + "$"), p) for p in SPEC["paths"]]


def _template(path: str) -> str | None:
    """The OpenAPI path template for ``path`` (None for routes outside the subset, such as
    ``/v3/products`` and ``/v3/bundles/{id}``). Literal paths win over templated ones."""
    matches = [t for rx, t in _TEMPLATES if rx.match(path)]
    return min(matches, key=lambda t: t.count("{")) if matches else None


class ContractHook:
    """httpx hooks: every JSON body the client sends must fit the contract, and every JSON
    response from a contract route is checked against its documented schema."""

    def __init__(self) -> None:
        self.validator = openapi
        self.checked: list[tuple[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.responses: list[tuple[str, str, int]] = []

    async def response(self, response: httpx.Response) -> None:
        request = response.request
        template = _template(request.url.path)
        if template is None or not request.url.path.startswith("/v3/"):
            return
        await response.aread()
        if "json" not in response.headers.get("content-type", ""):
            return
        try:
            self.validator.validate_response(
                request.method, template, response.status_code, response.json()
            )
        except KeyError:
            return  # a status the contract does not document for this operation
        self.responses.append((request.method, template, response.status_code))

    async def __call__(self, request: httpx.Request) -> None:
        template = _template(request.url.path)
        self.requests.append((request.method, template or request.url.path))
        if request.content:
            assert template is not None, f"body sent to {request.url.path}, not in the contract"
            body = json.loads(request.content)
            self.validator.validate_request_body(request.method.lower(), template, body)
            self.checked.append((request.method, template))


def _demo_key() -> str:
    return str(sandbox_mod.DEMO_API_KEY)


def _start(server: Any) -> None:
    result = server.start()
    assert not inspect.isawaitable(result), "SandboxServer.start() is expected to be sync"


@pytest.fixture(scope="module")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    server = sandbox_mod.SandboxServer(tmp_path_factory.mktemp("sandbox"), rate_limit=False)
    _start(server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def contract() -> ContractHook:
    return ContractHook()


@pytest_asyncio.fixture
async def client(sandbox_server: Any, contract: ContractHook) -> AsyncIterator[ScalevClient]:
    async with ScalevClient(
        sandbox_server.base_url,
        _demo_key(),
        event_hooks={"request": [contract], "response": [contract.response]},
        backoff_base=0.05,
    ) as c:
        yield c


@pytest_asyncio.fixture
async def control(sandbox_server: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        base_url=sandbox_server.base_url,
        headers={"Authorization": f"Bearer {_demo_key()}"},
        timeout=10,
    ) as c:
        yield c


async def _fault(control: httpx.AsyncClient, method: str, path: str, fault: str) -> None:
    rule: dict[str, Any] = {"method": method, "path": path, "fault": fault, "times": 1}
    if fault == "timeout":
        rule["hang_s"] = 2.5  # longer than the 1 s read timeout the tests use
    body = {"next": [rule]}
    response = await control.put("/__sandbox/faults", json=body)
    assert response.status_code < 300, response.text


async def _store(client: ScalevClient) -> Any:
    stores = [s async for s in client.list_stores()]
    assert stores, "sandbox has no stores"
    return stores[0]


async def _variant(client: ScalevClient, store_id: int, item_type: str) -> Any:
    async for product in client.list_products(store_id=store_id, item_type=item_type):
        if product.item_type == item_type and product.variants:
            return product.variants[0]
    pytest.fail(f"sandbox store {store_id} has no {item_type} product")


def _order_body(store: Any, variant: Any, pos_ref: str, phone: str) -> dict[str, Any]:
    method = "payment_link" if "payment_link" in store.payment_methods else "qris"
    return {
        "store_unique_id": store.unique_id,
        "customer_name": "Siti Rahmawati",
        "customer_phone": phone,
        "customer_email": "siti@example.co.id",
        "ordervariants": [{"variant_unique_id": variant.unique_id, "quantity": 1}],
        "payment_method": method,
        "notes": f"Kasir test {pos_ref[:8]}",
        "metadata": {"pos_ref": pos_ref, "terminal": "KASIR-T"},
    }


def _phone() -> str:
    return "628" + str(uuid.uuid4().int)[:10]


# --- reading ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_stores_and_payment_methods(client: ScalevClient) -> None:
    store = await _store(client)
    assert store.unique_id.startswith("store_")
    methods = await client.get_payment_methods(store.id)
    assert methods and all(isinstance(m, str) for m in methods)
    found = [s async for s in client.list_stores(search=store.name[:4].lower())]
    assert store.id in {s.id for s in found}


@pytest.mark.asyncio
async def test_store_products_paginate_to_the_end(
    client: ScalevClient, contract: ContractHook
) -> None:
    store = await _store(client)
    small: list[StoreProduct] = [p async for p in client.list_store_products(store.id, page_size=3)]
    full = [p async for p in client.list_store_products(store.unique_id, page_size=25)]
    assert len(small) > 3, "catalog should span several pages of 3"
    assert [p.id for p in small] == [p.id for p in full]
    assert len({p.id for p in small}) == len(small)
    pages = [r for r in contract.requests if r[1] == "/v3/stores/{store_id}/products"]
    assert len(pages) >= 3


@pytest.mark.asyncio
async def test_bundles_and_products(client: ScalevClient) -> None:
    store = await _store(client)
    bundles = [b async for b in client.list_store_bundles(store.id, page_size=2)]
    simplified = [b async for b in client.list_bundles_simplified(store.id, page_size=2)]
    assert {b.id for b in bundles} == {b.id for b in simplified}
    if bundles:
        bundle = await client.get_bundle(bundles[0].id)
        assert bundle.bundlelines and bundle.bundle_price_options
        assert all(o.unique_id for o in bundle.bundle_price_options)
    products = [p async for p in client.list_products(store_id=store.id, page_size=4)]
    assert products and all(p.item_type for p in products)
    with pytest.raises(NotFoundError):
        await client.get_bundle(987654321)


@pytest.mark.asyncio
async def test_locations_postal_codes_and_shipping(
    client: ScalevClient, contract: ContractHook
) -> None:
    locations = [loc async for loc in client.search_locations("cempaka", page_size=2)]
    assert locations
    location = next((x for x in locations if "Jakarta" in x.city_name), locations[0])
    postal_codes = await client.get_postal_codes(location.id)
    assert postal_codes and all(code.isdigit() for code in postal_codes)

    store = await _store(client)
    variant = await _variant(client, store.id, "physical")
    warehouses = await client.search_warehouses(
        store_id=store.id, destination_id=location.id, variants=[(variant.id, 2)]
    )
    assert warehouses
    warehouse = warehouses[0].warehouse
    couriers = await client.search_courier_services(
        store_id=store.id,
        location_id=location.id,
        warehouse_id=warehouse.id,
        payment_method="bank_transfer",
        weight=max(1, (variant.weight or 250) * 2),
        postal_code=postal_codes[0],
    )
    assert couriers and all(c.cost >= 0 for c in couriers)
    assert ("POST", "/v3/shipping-costs/search-warehouse") in contract.checked
    assert ("POST", "/v3/shipping-costs/search-courier-service") in contract.checked


# --- orders ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_create_get_list_check_payment_and_pay(
    client: ScalevClient, control: httpx.AsyncClient, contract: ContractHook
) -> None:
    store = await _store(client)
    variant = await _variant(client, store.id, "digital")
    pos_ref, phone = str(uuid.uuid4()), _phone()
    created = await client.create_order(_order_body(store, variant, pos_ref, phone))
    assert ("POST", "/v3/orders") in contract.checked
    assert ("POST", "/v3/orders", 200) in contract.responses or (
        "POST",
        "/v3/orders",
        201,
    ) in contract.responses
    assert created.metadata == {"pos_ref": pos_ref, "terminal": "KASIR-T"}
    assert created.payment_status == "unpaid"

    got = await client.get_order(created.id)
    assert (got.id, got.order_id, got.gross_revenue) == (
        created.id,
        created.order_id,
        created.gross_revenue,
    )

    listed = [
        o
        async for o in client.list_orders(
            search=phone,
            search_field="customer_phone",
            store_id=store.id,
            columns=["id", "order_id", "status", "payment_status", "metadata", "notes"],
        )
    ]
    assert [o.id for o in listed] == [created.id]
    assert listed[0].metadata is not None and listed[0].metadata["pos_ref"] == pos_ref

    checked = await client.check_payment(created.id)
    assert checked.id == created.id and not checked.is_paid

    paid = await control.post(f"/__sandbox/orders/{created.id}/pay")
    assert paid.status_code < 300, paid.text
    after = await client.get_order(created.id)
    assert ("GET", "/v3/orders/{id}", 200) in contract.responses
    assert ("GET", "/v3/orders", 200) in contract.responses
    assert after.is_paid
    assert (await client.check_payment(created.id)).is_paid


@pytest.mark.asyncio
async def test_validation_error_carries_errors(client: ScalevClient) -> None:
    store = await _store(client)
    body = {
        "store_unique_id": store.unique_id,
        "customer_name": "Budi",
        "customer_phone": _phone(),
        "ordervariants": [{"variant_unique_id": "variant_doesNotExist0", "quantity": 1}],
        "payment_method": "qris",
    }
    with pytest.raises(BadRequestError) as info:
        await client.create_order(body)
    err = info.value
    assert isinstance(err, ValidationFailed)  # 422, or 400 with error_code validation_failed
    assert err.status_code in (400, 422)
    assert err.error and err.error_code == "validation_failed"
    assert isinstance(err.errors, list) and err.errors
    assert any("variant_unique_id" in str(e.get("field", "")) for e in err.errors)


@pytest.mark.asyncio
async def test_get_unknown_order_is_not_found(client: ScalevClient) -> None:
    with pytest.raises(NotFoundError):
        await client.get_order(str(uuid.uuid4()))


@pytest.mark.asyncio
async def test_bad_key_is_401(sandbox_server: Any) -> None:
    async with ScalevClient(sandbox_server.base_url, "sk_not_a_real_key_123") as bad:
        with pytest.raises(AuthenticationError) as info:
            await bad.get_payment_methods(1)
    assert info.value.status_code == 401
    assert "sk_not_a_real_key_123" not in str(info.value)


@pytest.mark.asyncio
async def test_restricted_key_is_403(sandbox_server: Any) -> None:
    key = str(sandbox_mod.RESTRICTED_DEMO_KEY)  # scopes: store/product/bundle reads only
    async with ScalevClient(sandbox_server.base_url, key) as restricted:
        store = await _store(restricted)  # store:list is granted
        with pytest.raises(PermissionDeniedError) as info:
            [o async for o in restricted.list_orders(store_id=store.id)]
    assert info.value.status_code == 403
    assert key not in str(info.value)


# --- faults ----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["timeout", "5xx", "reset", "429"])
@pytest.mark.asyncio
async def test_get_faults_are_retried(
    sandbox_server: Any, control: httpx.AsyncClient, fault: str
) -> None:
    async with ScalevClient(
        sandbox_server.base_url, _demo_key(), read_timeout=1.0, backoff_base=0.05
    ) as fast:
        store = await _store(fast)
        path = f"/v3/stores/{store.id}/payment-methods"
        await _fault(control, "GET", path, fault)
        assert await fast.get_payment_methods(store.id)


@pytest.mark.asyncio
async def test_drop_after_commit_is_outcome_unknown_and_order_exists(
    client: ScalevClient, control: httpx.AsyncClient
) -> None:
    store = await _store(client)
    variant = await _variant(client, store.id, "digital")
    pos_ref, phone = str(uuid.uuid4()), _phone()
    await _fault(control, "POST", "/v3/orders", "drop_after_commit")
    with pytest.raises(OrderOutcomeUnknown):
        await client.create_order(_order_body(store, variant, pos_ref, phone))
    found = [
        o
        async for o in client.list_orders(
            search=phone,
            search_field="customer_phone",
            store_id=store.id,
            columns=["id", "metadata"],
        )
    ]
    assert len(found) == 1
    assert found[0].metadata is not None and found[0].metadata["pos_ref"] == pos_ref


async def _create_posts(control: httpx.AsyncClient) -> int:
    """How many ``POST /v3/orders`` the sandbox has received so far."""
    log = (await control.get("/__sandbox/requests")).json()
    entries = log if isinstance(log, list) else log.get("data", log.get("requests", []))
    return sum(1 for e in entries if e.get("method") == "POST" and e.get("path") == "/v3/orders")


@pytest.mark.parametrize("fault", ["timeout", "5xx", "reset"])
@pytest.mark.asyncio
async def test_create_faults_are_never_retried(
    sandbox_server: Any, control: httpx.AsyncClient, fault: str
) -> None:
    async with ScalevClient(sandbox_server.base_url, _demo_key(), read_timeout=1.0) as fast:
        store = await _store(fast)
        variant = await _variant(fast, store.id, "digital")
        before = await _create_posts(control)
        await _fault(control, "POST", "/v3/orders", fault)
        with pytest.raises(OrderOutcomeUnknown):
            await fast.create_order(_order_body(store, variant, str(uuid.uuid4()), _phone()))
    assert await _create_posts(control) == before + 1


@pytest.mark.asyncio
async def test_key_never_logged_over_real_http(
    sandbox_server: Any, control: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = _demo_key()
    errors: list[BaseException] = []
    async with ScalevClient(sandbox_server.base_url, key, read_timeout=1.0, max_retries=0) as c:
        assert key not in repr(c)
        store = await _store(c)
        await _fault(control, "GET", f"/v3/stores/{store.id}/payment-methods", "timeout")
        with pytest.raises(ScalevError) as info:
            await c.get_payment_methods(store.id)
        errors.append(info.value)
        await _fault(control, "POST", "/v3/orders", "reset")
        with pytest.raises(ScalevError) as info:
            await c.create_order(
                {"store_unique_id": store.unique_id, "customer_name": "x", "payment_method": "qris"}
            )
        errors.append(info.value)
    for err in errors:
        chain: BaseException | None = err
        while chain is not None:
            assert key not in str(chain) and key not in repr(chain)
            chain = chain.__cause__ or chain.__context__
    assert key not in caplog.text
    assert any(r.name == "pos.api" for r in caplog.records)


# --- rate limit ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_150_gets_with_sandbox_rate_limit_on(sandbox: Any) -> None:
    """``sandbox`` (tests/conftest.py) runs with the 100 / 10 s limit on."""
    async with ScalevClient(sandbox.base_url, _demo_key(), max_retries=5) as c:
        store = await _store(c)
        try:
            results = await asyncio.gather(*(c.get_payment_methods(store.id) for _ in range(150)))
        except RateLimitedError as exc:  # pragma: no cover - the failure being tested
            pytest.fail(f"client hit the rate limit: {exc}")
    assert len(results) == 150
