"""The client-side limiter: never more than N requests in any window (property test)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.api.ratelimit import RateLimiter
from tests.api.scalev_mock import FakeClock, MockAPI, load_fixture, make_client


def _max_in_window(times: list[float], period: float) -> int:
    """Largest number of timestamps inside any half-open window [t, t + period)."""
    best = 0
    j = 0
    for i in range(len(times)):
        while times[i] - times[j] >= period:
            j += 1
        best = max(best, i - j + 1)
    return best


@settings(max_examples=60, deadline=None, database=None)
@given(
    gaps=st.lists(st.floats(min_value=0.0, max_value=0.5), min_size=1, max_size=400),
    limit=st.integers(min_value=1, max_value=120),
    period=st.floats(min_value=0.5, max_value=20.0),
)
def test_limiter_never_exceeds_window(gaps: list[float], limit: int, period: float) -> None:
    clock = FakeClock()
    limiter = RateLimiter(limit, period, clock=clock.monotonic, sleep=clock.sleep)
    sent: list[float] = []

    async def run() -> None:
        for gap in gaps:
            clock.now += gap
            await limiter.acquire()
            sent.append(clock.now)

    asyncio.run(run())
    assert len(sent) == len(gaps)
    assert _max_in_window(sent, period) <= limit


@settings(max_examples=30, deadline=None, database=None)
@given(n=st.integers(min_value=1, max_value=350), concurrency=st.integers(1, 20))
def test_limiter_concurrent_callers(n: int, concurrency: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(100, 10.0, clock=clock.monotonic, sleep=clock.sleep)
    sent: list[float] = []

    async def worker(count: int) -> None:
        for _ in range(count):
            await limiter.acquire()
            sent.append(clock.now)

    async def run() -> None:
        per, extra = divmod(n, concurrency)
        await asyncio.gather(*(worker(per + (i < extra)) for i in range(concurrency)))

    asyncio.run(run())
    assert len(sent) == n
    assert _max_in_window(sorted(sent), 10.0) <= 100
    # And it does not wait needlessly: the k-th hundred starts at about k * 10 s.
    assert clock.now - 1000.0 <= 10.0 * ((n - 1) // 100) + 1e-3


@pytest.mark.asyncio
async def test_client_burst_of_250_stays_within_100_per_10s(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/bundles/1", {"id": 1})
    async with make_client(api, clock) as client:
        await asyncio.gather(*(client.get_bundle(1) for _ in range(250)))
    assert len(api.sent_at) == 250
    assert _max_in_window(api.sent_at, 10.0) == 100


@pytest.mark.asyncio
async def test_custom_rate_limit(api: MockAPI, clock: FakeClock) -> None:
    api.json("GET", "/v3/bundles/1", {"id": 1})
    async with make_client(api, clock, rate_limit=(5, 1.0)) as client:
        for _ in range(12):
            await client.get_bundle(1)
    assert _max_in_window(api.sent_at, 1.0) == 5
    assert api.sent_at[-1] - api.sent_at[0] == pytest.approx(2.0)


def test_header_parsing() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock.monotonic, sleep=clock.sleep, wall_clock=clock.wall)
    assert limiter.retry_after_delay("5") == 5
    assert limiter.retry_after_delay("-3") == 0
    assert limiter.retry_after_delay("garbage") is None
    assert limiter.retry_after_delay(None) is None
    assert limiter.reset_delay(str(clock.wall() + 8)) == pytest.approx(8)
    assert limiter.reset_delay("3") == 3  # small values read as seconds
    assert limiter.reset_delay("nan") is None
    assert limiter.observe({"x-ratelimit-remaining": "4"}) == 4
    assert limiter.blocked_until == 0
    assert limiter.observe({"x-ratelimit-remaining": "0"}) == 0
    assert limiter.blocked_until == pytest.approx(clock.now + 10.0)
    assert limiter.observe({}) is None
    with pytest.raises(ValueError):
        RateLimiter(0, 1.0)


def test_bulk_requests_leave_a_reserve_for_interactive_ones() -> None:
    """Catalog paging (bulk) fills only max - reserve of the window; orders and payment checks
    (interactive) take the rest at once, never in line behind a waiting bulk request."""
    clock = FakeClock()
    released: list[asyncio.Event] = []

    async def held_sleep(seconds: float) -> None:  # time passes only when the test says so
        clock.sleeps.append(seconds)
        await released[0].wait()
        clock.now += seconds

    limiter = RateLimiter(100, 10.0, clock=clock.monotonic, sleep=held_sleep, reserve=8)

    async def run() -> None:
        released.append(asyncio.Event())
        for _ in range(92):
            await limiter.acquire(bulk=True)
        assert clock.sleeps == []
        waiting_bulk = asyncio.ensure_future(limiter.acquire(bulk=True))
        await asyncio.sleep(0)
        assert not waiting_bulk.done() and clock.sleeps == [10.0]  # the bulk lane is full
        for _ in range(8):  # the reserve: no wait, although a bulk request waits in line
            await limiter.acquire(interactive=True)
        assert clock.sleeps == [10.0] and clock.now == 1_000.0
        waiting_order = asyncio.ensure_future(limiter.acquire(interactive=True))
        await asyncio.sleep(0)
        assert not waiting_order.done()  # the whole window is used: interactive waits too
        released[0].set()
        await asyncio.gather(waiting_bulk, waiting_order)

    asyncio.run(run())


def test_reserve_is_clamped() -> None:
    assert RateLimiter(100, 10.0, reserve=8).reserve == 8
    assert RateLimiter(3, 1.0, reserve=8).reserve == 2  # bulk keeps at least one slot
    assert RateLimiter(5, 1.0).reserve == 0


@pytest.mark.asyncio
async def test_client_catalog_paging_leaves_the_reserve_to_orders(
    api: MockAPI, clock: FakeClock
) -> None:
    def page(request: Any) -> Any:
        import httpx

        n = int(request.url.params.get("next_cursor") or 0)
        body = {"data": [], "has_next": n < 91, "next_cursor": str(n + 1)}
        return httpx.Response(200, json=body)

    api.add("GET", "/v3/stores/1/products", page)
    api.json("GET", "/v3/orders/ord-1", load_fixture("order"))
    async with make_client(api, clock) as client:
        assert client.limiter.reserve == 8
        assert [p async for p in client.list_store_products(1)] == []
        assert len(api.sent_at) == 92 and clock.sleeps == []  # the bulk share of one window
        await client.get_order("ord-1")  # an order look-up goes at once: a reserved slot
        assert clock.sleeps == [] and len(api.sent_at) == 93
        assert [p async for p in client.list_store_products(1)] == []  # more paging waits
        assert clock.sleeps and api.sent_at[93] - api.sent_at[0] >= 10.0

    async with make_client(api, clock, rate_limit=(5, 1.0)) as small:
        assert small.limiter.reserve == 0  # tiny limits keep no reserve
