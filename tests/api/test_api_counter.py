"""ScalevClient's counter calls (issue 13) against the real sandbox, every body and response
checked against the OpenAPI subset: change-status, /payment (QRIS), update-tags, tags filter,
statistics, and the 403 of a key without ``order:change_status``."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from pos.api.client import ScalevClient
from pos.api.errors import PermissionDeniedError
from pos.sandbox import DEMO_API_KEY, SandboxServer
from pos.sandbox.keys import NO_CHANGE_STATUS_DEMO_KEY

sandbox_tests: Any = importlib.import_module("tests.api.test_api_sandbox")
DIGITAL_STORE = 3315  # qris only, digital goods


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    sb = SandboxServer(Path(tmp_path_factory.mktemp("counter")), rate_limit=False)
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def contract() -> Any:
    return sandbox_tests.ContractHook()


@pytest_asyncio.fixture
async def client(server: SandboxServer, contract: Any) -> AsyncIterator[ScalevClient]:
    async with ScalevClient(
        server.base_url,
        DEMO_API_KEY,
        event_hooks={"request": [contract], "response": [contract.response]},
        backoff_base=0.05,
    ) as c:
        yield c


async def _order(client: ScalevClient, store_id: int = 3288, method: str | None = None) -> Any:
    store = next(s for s in [s async for s in client.list_stores()] if s.id == store_id)
    async for product in client.list_products(store_id=store.id, item_type="digital"):
        variant = product.variants[0]
        break
    body = sandbox_tests._order_body(store, variant, str(uuid.uuid4()), sandbox_tests._phone())
    if method:
        body["payment_method"] = method
    return await client.create_order(body)


@pytest.mark.asyncio
async def test_mark_paid_is_idempotent_and_contract_valid(
    client: ScalevClient, contract: Any
) -> None:
    order = await _order(client)
    first = await client.mark_order_paid(
        order.id, payment_method="qris", transfer_time="2026-12-04T08:00:00Z"
    )
    second = await client.mark_order_paid(order.id, payment_method="qris")
    assert first.is_paid and second.is_paid and first.id == order.id
    assert ("POST", "/v3/orders/change-status") in contract.checked
    assert ("POST", "/v3/orders/change-status", 200) in contract.responses
    assert (await client.get_order(order.id)).is_paid
    with pytest.raises(ValueError):
        await client.change_order_status([order.id])


@pytest.mark.asyncio
async def test_change_status_403_without_the_scope(server: SandboxServer) -> None:
    async with ScalevClient(server.base_url, NO_CHANGE_STATUS_DEMO_KEY) as limited:
        order = await _order(limited)
        with pytest.raises(PermissionDeniedError):
            await limited.mark_order_paid(order.id, payment_method="qris")
        assert not (await limited.get_order(order.id)).is_paid


@pytest.mark.asyncio
async def test_qris_payment_info_and_link_fallback(client: ScalevClient, contract: Any) -> None:
    qris = await _order(client, DIGITAL_STORE, "qris")
    info = await client.create_order_payment(qris.id)
    assert info.qr_string and info.qr_string.startswith("000201")
    assert ("POST", "/v3/orders/{id}/payment", 200) in contract.responses
    link = await _order(client)
    assert (await client.create_order_payment(link.id)).qr_string is None


@pytest.mark.asyncio
async def test_tags_filter_and_statistics(client: ScalevClient, contract: Any) -> None:
    tag = f"kasir-{uuid.uuid4().hex[:6]}"
    orders = [await _order(client) for _ in range(2)]
    for o in orders:
        tagged = await client.update_order_tags(o.id, [tag])
        assert tagged.model_extra is not None and tagged.model_extra["tags"] == [tag]
    await client.update_order_tags(orders[0].id, [tag])  # safe to repeat
    listed = [o async for o in client.list_orders(tags=tag, columns=["id", "payment_status"])]
    assert sorted(o.id or "" for o in listed) == sorted(o.id for o in orders)
    await client.mark_order_paid(orders[0].id, payment_method="qris")
    stats = await client.order_statistics(tags=tag, is_breakdown_status="true")
    assert {s.status: s.count for s in stats} == {"confirmed": 1, "pending": 1}
    assert sum(s.gross_revenue for s in stats) == sum(o.gross_revenue or 0 for o in orders)
    assert ("GET", "/v3/orders/statistics", 200) in contract.responses
    assert ("POST", "/v3/orders/{id}/update-tags") in contract.checked
