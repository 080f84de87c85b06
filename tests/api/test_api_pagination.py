"""Cursor pagination edge cases (MockTransport)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pos.api.errors import InvalidResponseError
from tests.api.scalev_mock import FakeClock, MockAPI, load_fixture, make_client


def _page(ids: list[int], *, has_next: bool, cursor: str | None) -> dict[str, Any]:
    return {
        "data": [{"id": i, "subdistrict_name": f"S{i}", "display": f"S{i}"} for i in ids],
        "is_paginated": True,
        "has_next": has_next,
        "has_previous": False,
        "next_cursor": cursor,
        "previous_cursor": None,
        "page_size": 25,
    }


class Pager:
    """Serves ``pages`` in order keyed by cursor; asserts the filters are resent each time."""

    def __init__(self, pages: list[dict[str, Any]], filters: dict[str, str]) -> None:
        self.pages = pages
        self.filters = filters
        self.seen_params: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.seen_params.append(params)
        for key, value in self.filters.items():
            assert params.get(key) == value, (key, params)
        assert "previous_cursor" not in params
        index = 0 if "next_cursor" not in params else int(params["next_cursor"].removeprefix("c"))
        return httpx.Response(200, json=self.pages[index])


@pytest.mark.asyncio
async def test_follows_short_pages_while_has_next(api: MockAPI, clock: FakeClock) -> None:
    pager = Pager(
        [
            _page([1, 2], has_next=True, cursor="c1"),  # short page but has_next
            _page([3], has_next=True, cursor="c2"),
            _page([], has_next=True, cursor="c3"),  # empty page, still more
            _page([4, 5], has_next=False, cursor=None),
        ],
        {"search": "cempaka", "page_size": "25"},
    )
    api.add("GET", "/v3/locations", pager)
    async with make_client(api, clock) as client:
        ids = [loc.id async for loc in client.search_locations("cempaka")]
    assert ids == [1, 2, 3, 4, 5]
    assert [p.get("next_cursor") for p in pager.seen_params] == [None, "c1", "c2", "c3"]


@pytest.mark.asyncio
async def test_empty_last_page(api: MockAPI, clock: FakeClock) -> None:
    pager = Pager(
        [_page([1], has_next=True, cursor="c1"), _page([], has_next=False, cursor=None)], {}
    )
    api.add("GET", "/v3/locations", pager)
    async with make_client(api, clock) as client:
        assert [loc.id async for loc in client.search_locations("x")] == [1]
    assert len(api.requests) == 2


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("has_next", "cursor"),
    [(True, None), (False, "c9")],
    ids=["cursor_missing_even_if_has_next", "has_next_false_even_with_cursor"],
)
async def test_stops_at_the_last_page(
    api: MockAPI, clock: FakeClock, has_next: bool, cursor: str | None
) -> None:
    api.json("GET", "/v3/locations", _page([1], has_next=has_next, cursor=cursor))
    async with make_client(api, clock) as client:
        assert [loc.id async for loc in client.search_locations("x")] == [1]
    assert len(api.requests) == 1


@pytest.mark.asyncio
async def test_repeated_cursor_is_an_error(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/locations", _page([1], has_next=True, cursor="same"))
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError, match="repeated a cursor"):
            [loc async for loc in client.search_locations("x")]
    assert len(api.requests) == 2


@pytest.mark.parametrize(("asked", "sent"), [(100, "25"), (25, "25"), (10, "10"), (0, "1")])
@pytest.mark.asyncio
async def test_page_size_clamped(api: MockAPI, clock: FakeClock, asked: int, sent: str) -> None:
    api.json("GET", "/v3/stores/simplified", load_fixture("stores_simplified"))
    async with make_client(api, clock) as client:
        stores = [s async for s in client.list_stores(page_size=asked)]
    assert stores[0].unique_id == "store_Nq7Rk2LmXa91"
    assert api.requests[0].url.params["page_size"] == sent


@pytest.mark.asyncio
async def test_store_filters_only_sent_when_given(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/stores/simplified", load_fixture("stores_simplified"))
    async with make_client(api, clock) as client:
        [s async for s in client.list_stores()]
        [s async for s in client.list_stores(search="kopi", domain="kopinusantara.id")]
    assert dict(api.requests[0].url.params) == {"page_size": "25"}
    assert dict(api.requests[1].url.params) == {
        "page_size": "25",
        "search": "kopi",
        "domain": "kopinusantara.id",
    }


@pytest.mark.asyncio
async def test_legacy_envelope_results(api: MockAPI, clock: FakeClock) -> None:
    api.json(
        "GET",
        "/v3/stores/5/bundles",
        {"code": 200, "status": "OK", "data": {"results": [{"id": 9, "name": "B"}]}},
    )
    async with make_client(api, clock) as client:
        bundles = [b async for b in client.list_store_bundles(5)]
    assert [b.id for b in bundles] == [9]


@pytest.mark.asyncio
async def test_no_list_in_body(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/stores/5/bundles", {"data": {"oops": 1}})
    async with make_client(api, clock) as client:
        with pytest.raises(InvalidResponseError):
            [b async for b in client.list_store_bundles(5)]


@pytest.mark.asyncio
async def test_catalog_routes_and_filters(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/stores/store_Nq7Rk2LmXa91/products", load_fixture("store_products"))
    api.json("GET", "/v3/stores/3288/bundles", load_fixture("store_bundles"))
    api.json("GET", "/v3/bundles/simplified", {"data": [{"id": 9012}], "has_next": False})
    api.json("GET", "/v3/products", {"data": [{"id": 1, "item_type": "digital"}]})
    api.json(
        "GET",
        "/v3/orders",
        {"data": [{"id": "o1", "metadata": {"pos_ref": "r"}}], "has_next": False},
    )
    async with make_client(api, clock) as client:
        # store_products fixture says has_next with a cursor: second call reuses the same page.
        products = []
        async for p in client.list_store_products("store_Nq7Rk2LmXa91"):
            products.append(p)
            if len(products) == 2:
                break
        bundles = [b async for b in client.list_store_bundles(3288)]
        simple = [b async for b in client.list_bundles_simplified(3288)]
        full = [p async for p in client.list_products(store_id=3288, item_type="digital")]
        orders = [
            o
            async for o in client.list_orders(
                search="6281234567890",
                search_field="customer_phone",
                store_id=3288,
                columns=["id", "metadata"],
                payment_status="unpaid",
            )
        ]
    assert products[0].variants[0].unique_id == "variant_Wq3Lk9PzT0aB"
    assert bundles[0].bundle_price_options[0].unique_id == "bpo_Hj8Kk3LmN4pQ"
    assert simple[0].id == 9012
    assert full[0].item_type == "digital"
    assert orders[0].metadata == {"pos_ref": "r"}
    params = {r.url.path: dict(r.url.params) for r in api.requests}
    assert params["/v3/bundles/simplified"] == {"store_id": "3288", "page_size": "25"}
    assert params["/v3/products"] == {"store_id": "3288", "item_type": "digital", "page_size": "25"}
    assert params["/v3/orders"] == {
        "search": "6281234567890",
        "search_field": "customer_phone",
        "store_id": "3288",
        "columns": "id,metadata",
        "payment_status": "unpaid",
        "page_size": "25",
    }
