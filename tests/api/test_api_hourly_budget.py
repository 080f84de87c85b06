"""The key's hourly budget: catalog paging stops at the reserve, orders never do."""

from __future__ import annotations

import asyncio

import pytest

from pos.api.ratelimit import HourlyBudget, HourlyBudgetReserved, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_own_count_slides_over_the_hour() -> None:
    clock = Clock()
    budget = HourlyBudget(100, reserve_fraction=0.2, clock=clock)
    for _ in range(79):
        budget.record()
    assert budget.remaining() == 21 and budget.reserve == 20
    assert budget.allows_bulk()
    budget.record()
    assert not budget.allows_bulk()
    with pytest.raises(HourlyBudgetReserved):
        budget.check_bulk()
    clock.now += 3600
    assert budget.remaining() == 100 and budget.used() == 0


def test_the_servers_hourly_headers_count_the_other_terminals_too() -> None:
    clock = Clock()
    budget = HourlyBudget(10_000, clock=clock, wall_clock=lambda: 1_700_000_000.0)
    budget.observe({"x-ratelimit-limit": "100", "x-ratelimit-remaining": "3"})  # burst bucket
    assert budget.remaining() == 10_000
    budget.observe(
        {
            "x-ratelimit-limit": "10000",
            "x-ratelimit-remaining": "2100",
            "x-ratelimit-reset": str(1_700_000_000 + 600),
        }
    )
    assert budget.remaining() == 2100
    budget.record()
    budget.record()
    assert budget.remaining() == 2098  # own sends since the header
    assert budget.allows_bulk(98) and not budget.allows_bulk(99)
    clock.now += 601  # the server's hour reset: back to the own count
    assert budget.remaining() == 10_000 - 2


def test_bulk_requests_stop_at_the_reserve_interactive_ones_go_on() -> None:
    clock = Clock()

    async def sleep(_s: float) -> None:
        return None

    limiter = RateLimiter(1000, 10.0, clock=clock, sleep=sleep)
    limiter.budget = HourlyBudget(10, reserve_fraction=0.2, clock=clock)

    async def run() -> tuple[int, int]:
        bulk = 0
        try:
            while True:
                await limiter.acquire(bulk=True)
                bulk += 1
        except HourlyBudgetReserved:
            pass
        interactive = 0
        for _ in range(5):
            await limiter.acquire(interactive=True)
            interactive += 1
        return bulk, interactive

    bulk, interactive = asyncio.run(run())
    assert bulk == 8  # 10 - 8 = 2 left = the reserve (20 %): the next bulk one is refused
    assert interactive == 5  # orders never refused, even past the reserve
    assert limiter.budget.remaining() == 0


def test_bulk_requests_leave_the_servers_shared_window_reserve_to_other_tills() -> None:
    """Another till on the key filled the server's burst window: this till's catalog paging
    waits for the reset while ``reserve`` requests are left; its orders go at once."""
    clock = Clock()
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    limiter = RateLimiter(
        100, 10.0, clock=clock, sleep=sleep, wall_clock=lambda: 1_700_000_000.0, reserve=8
    )

    async def run() -> None:
        await limiter.acquire(bulk=True)
        limiter.observe(
            {
                "x-ratelimit-limit": "100",
                "x-ratelimit-remaining": "8",
                "x-ratelimit-reset": str(1_700_000_000 + 6),
            }
        )
        await limiter.acquire(interactive=True)  # an order: no wait
        assert slept == []
        await limiter.acquire(bulk=True)  # paging: waits for the server's reset
        assert slept and abs(sum(slept) - 6) < 1e-6

    asyncio.run(run())


def test_per_window_hourly_headers_are_read_while_the_burst_window_binds() -> None:
    """The sandbox (and a server like it) names the binding window in ``X-Ratelimit-*`` —
    the 10 s burst window almost always — and each window in its own headers: the hourly
    bucket must be read from ``X-Ratelimit-Hourly-*`` then, or three tills refreshing
    together spend the key's hour past the reserve."""
    clock = Clock()
    budget = HourlyBudget(1000, clock=clock, wall_clock=lambda: 1_700_000_000.0)
    headers = {
        "x-ratelimit-limit": "100", "x-ratelimit-remaining": "90", "x-ratelimit-reset": "5",
        "x-ratelimit-burst-limit": "100", "x-ratelimit-burst-remaining": "90",
        "x-ratelimit-hourly-limit": "1000", "x-ratelimit-hourly-remaining": "210",
        "x-ratelimit-hourly-reset": str(1_700_000_000 + 1800),
    }  # fmt: skip
    budget.observe(headers)
    assert budget.remaining() == 210 and budget.reserve == 200
    assert budget.allows_bulk(10) and not budget.allows_bulk(11)
