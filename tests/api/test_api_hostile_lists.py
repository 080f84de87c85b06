"""Hostile listings (MockTransport): one malformed product or bundle is skipped and reported,
never the whole catalog; a reply above the size cap is refused; paging stops at the page cap;
an implausible price leaves only that item out. The sync summary counts all of it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pos.api.errors import InvalidResponseError
from pos.api.models import Store
from pos.api.responses import MAX_RESPONSE_BYTES
from pos.services.catalog import CatalogService
from tests.api.scalev_mock import FakeClock, MockAPI, make_client


def product(pid: int, price: Any = "49000") -> dict[str, Any]:
    return {
        "id": pid,
        "name": f"Produk {pid}",
        "is_visible": True,
        "variants": [
            {"id": pid * 10, "unique_id": f"variant_{pid}", "price": price, "sku": f"S{pid}"}
        ],
    }


def page(items: list[Any], *, cursor: str | None = None) -> dict[str, Any]:
    return {"data": items, "has_next": cursor is not None, "next_cursor": cursor}


BAD_PRODUCTS: list[Any] = [
    {"id": "not-a-number", "variants": []},
    {"id": 5, "variants": "nope"},
    "a string",
    None,
    {"id": 6, "variants": [{"id": {"deep": 1}}]},
]


@pytest.mark.asyncio
@pytest.mark.parametrize("bad", BAD_PRODUCTS)
async def test_one_bad_product_is_skipped_and_reported(
    api: MockAPI, clock: FakeClock, bad: Any
) -> None:
    api.json("GET", "/v3/stores/1/products", page([product(1), bad, product(2)]))
    reports: list[tuple[str, str]] = []
    async with make_client(api, clock) as client:
        got = [
            p.id
            async for p in client.list_store_products(1, on_invalid=lambda *a: reports.append(a))
        ]
        assert got == [1, 2]
        assert len(reports) == 1 and reports[0][0] == "GET /v3/stores/1/products"
        # without a report callback the listing still fails loudly (other lists)
        with pytest.raises(InvalidResponseError):
            _ = [p async for p in client.list_store_products(1)]


@pytest.mark.asyncio
async def test_a_reply_above_the_size_cap_is_refused(api: MockAPI, clock: FakeClock) -> None:
    huge = b'{"data": [], "pad": "' + b"x" * (MAX_RESPONSE_BYTES + 1) + b'"}'
    api.add("GET", "/v3/stores/1/products", lambda _r: httpx.Response(200, content=huge))
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError, match="limit"):
            _ = [p async for p in client.list_store_products(1, on_invalid=lambda *a: None)]


@pytest.mark.asyncio
async def test_paging_stops_at_the_page_cap(api: MockAPI, clock: FakeClock) -> None:
    count = 0

    def endless(_r: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        return httpx.Response(200, json=page([product(count)], cursor=f"c{count}"))

    api.add("GET", "/v3/stores/1/products", endless)
    reports: list[tuple[str, str]] = []
    async with make_client(api, clock) as client:
        client.max_pages = 5
        got = [
            p.id
            async for p in client.list_store_products(1, on_invalid=lambda *a: reports.append(a))
        ]
    assert got == [1, 2, 3, 4, 5] and count == 5
    assert reports == [("GET /v3/stores/1/products", "stopped after 5 pages")]
    # a listing without a report callback (stores, locations) fails at the cap instead
    api.add("GET", "/v3/locations", endless)
    async with make_client(api, clock) as client:
        client.max_pages = 3
        with pytest.raises(InvalidResponseError, match="more than 3 pages"):
            _ = [loc async for loc in client.search_locations("x")]


STORE = Store.model_validate({"id": 1, "unique_id": "store_1", "name": "Toko"})


@pytest.mark.asyncio
async def test_catalog_sync_keeps_the_good_items_and_counts_the_rest(
    api: MockAPI, clock: FakeClock
) -> None:
    api.json(
        "GET",
        "/v3/stores/1/products",
        page([product(1), {"id": "x"}, product(2, "1000000000000000"), product(3)]),
    )
    api.json("GET", "/v3/products", page([{"id": 1, "variants": "broken"}, {"id": 3}]))
    api.json("GET", "/v3/stores/1/bundles", page([{"id": None}]))
    async with make_client(api, clock) as client:
        service = CatalogService(client)
        items = await service.load(STORE)
    assert [i.sku for i in items] == ["S1", "S3"]
    summary = service.last_summary
    # bad store product, 10^15 price, bad full product, bad bundle
    assert summary.skipped == 4 and summary.items == 2 and not summary.truncated
    assert any(p.startswith("GET /v3/stores/1/products: ") for p in summary.problems)
    assert any("price out of range" in p for p in summary.problems)
