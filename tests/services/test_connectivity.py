"""The connectivity state machine and the one retry helper, without Qt (real asyncio, short
delays; the random source is seeded)."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from pos.api.errors import (
    APIConnectionError,
    AuthenticationError,
    BadRequestError,
    RateLimitedError,
    ServerError,
)
from pos.api.ratelimit import HourlyBudgetReserved, RequestOutcome
from pos.services.connectivity import (
    Connectivity,
    Link,
    RetryPolicy,
    RetryWait,
    is_retryable,
    retrying,
)

FAST = RetryPolicy(base=0.01, cap=0.05)


def outcome(status: int | None, *, error: str | None = None, retry_after: float | None = None):
    return RequestOutcome("GET", "/v3/x", status=status, error=error, retry_after=retry_after)


def test_every_outcome_sets_the_one_state_and_back_online_runs_the_callbacks() -> None:
    conn = Connectivity()
    seen: list[Link] = []
    online: list[int] = []
    conn.on_change(lambda s: seen.append(s.link))
    conn.on_online(lambda: online.append(1))
    assert conn.link is Link.CONNECTING
    conn.report(outcome(None, error="ConnectError"))
    assert conn.link is Link.OFFLINE and conn.state.detail == "ConnectError"
    conn.report(outcome(503))
    assert conn.link is Link.SERVER_FAILING
    conn.report(outcome(429, retry_after=8))
    assert conn.link is Link.RATE_LIMITED
    assert conn.state.retry_at is not None and conn.state.retry_at - time.monotonic() > 7
    conn.report(outcome(200))
    assert conn.link is Link.ONLINE and conn.state.retry_at is None
    conn.report(outcome(404))  # an answer about the request: still online, nothing new
    conn.report(outcome(401))
    assert conn.link is Link.KEY_REJECTED
    conn.report(outcome(201))
    assert seen == [
        Link.OFFLINE,
        Link.SERVER_FAILING,
        Link.RATE_LIMITED,
        Link.ONLINE,
        Link.KEY_REJECTED,
        Link.ONLINE,
    ]
    assert online == [1, 1]  # once per transition to online (the outbox poke)


def test_a_state_keeps_its_since_while_it_lasts() -> None:
    now = [100.0]
    conn = Connectivity(clock=lambda: now[0])
    conn.report(outcome(None, error="ConnectError"))
    now[0] = 130.0
    conn.report(outcome(None, error="ConnectTimeout"))
    assert conn.state.since == 100.0 and conn.state.detail == "ConnectTimeout"


def test_backoff_is_capped_exponential_with_jitter_and_honours_retry_after() -> None:
    policy = RetryPolicy()  # 1 s doubling, ≤ 30 s, jitter 50 %
    rng = random.Random(3)
    delays = [policy.backoff(n, rng) for n in range(10)]
    for n, d in enumerate(delays):
        ceiling = min(30.0, 2.0**n)
        assert ceiling / 2 <= d <= ceiling
    assert max(delays) <= 30.0
    limited = RateLimitedError(429, retry_after=12.0)
    assert policy.delay_for(limited, 0, rng) == 12.0
    assert policy.delay_for(AuthenticationError(401), 0, rng) == 30.0


def test_what_is_worth_another_try() -> None:
    assert is_retryable(APIConnectionError("down", may_have_sent=False))
    assert is_retryable(RateLimitedError(429))
    assert is_retryable(ServerError(503))
    assert is_retryable(AuthenticationError(401))  # someone may fix the key
    assert not is_retryable(BadRequestError(400))
    assert not is_retryable(HourlyBudgetReserved(100, 2000))
    assert not is_retryable(ValueError("a bug"))


@pytest.mark.asyncio
async def test_retrying_runs_a_load_until_it_succeeds_and_announces_each_wait() -> None:
    conn = Connectivity(policy=FAST, rng=random.Random(1))
    calls = 0
    waits: list[RetryWait] = []

    async def load() -> str:
        nonlocal calls
        calls += 1
        if calls <= 3:
            raise APIConnectionError("refused", may_have_sent=False)
        return "stores"

    result = await retrying(load, what="stores", connectivity=conn, on_wait=waits.append)
    assert result == "stores" and calls == 4
    assert [w.attempt for w in waits] == [1, 2, 3]
    assert all(w.what == "stores" and 0 < w.delay <= FAST.cap for w in waits)
    assert conn.link is Link.OFFLINE  # the loads' failures fed the one state
    assert conn.waiting() == {}


@pytest.mark.asyncio
async def test_retrying_waits_out_retry_after() -> None:
    calls: list[float] = []

    async def load() -> int:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RateLimitedError(429, retry_after=0.3)
        return 1

    assert await retrying(load, what="stores", policy=FAST) == 1
    assert calls[1] - calls[0] >= 0.29


@pytest.mark.asyncio
async def test_retrying_raises_what_another_try_cannot_fix() -> None:
    calls = 0

    async def load() -> None:
        nonlocal calls
        calls += 1
        raise BadRequestError(400)

    with pytest.raises(BadRequestError):
        await retrying(load, what="x", policy=FAST)
    assert calls == 1


@pytest.mark.asyncio
async def test_back_online_and_retry_now_cut_a_long_wait_short() -> None:
    conn = Connectivity(policy=RetryPolicy(base=20, cap=30), rng=random.Random(1))
    calls = 0

    async def load() -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise APIConnectionError("refused", may_have_sent=False)
        return "ok"

    task = asyncio.ensure_future(retrying(load, what="stores", connectivity=conn))
    await asyncio.sleep(0.05)
    assert not task.done() and "stores" in conn.waiting()
    assert conn.next_retry_at() is not None and conn.next_retry_at() - time.monotonic() > 5
    conn.report(outcome(200))  # another request got an answer: the link is back
    assert await asyncio.wait_for(task, 1.0) == "ok"

    calls = 0
    task = asyncio.ensure_future(retrying(load, what="methods", connectivity=conn))
    await asyncio.sleep(0.05)
    assert not task.done()
    conn.retry_now()  # the banner's button
    assert await asyncio.wait_for(task, 1.0) == "ok"


@pytest.mark.asyncio
async def test_the_probe_runs_only_while_not_online_and_finds_the_way_back() -> None:
    up = False
    conn: Connectivity

    async def probe() -> None:
        conn.report(outcome(200 if up else None, error=None if up else "ConnectError"))
        if not up:
            raise APIConnectionError("refused", may_have_sent=False)

    conn = Connectivity(policy=FAST, rng=random.Random(2), probe=probe)
    online: list[int] = []
    conn.on_online(lambda: online.append(1))
    runner = asyncio.ensure_future(conn.run())
    try:
        await asyncio.sleep(0.1)
        assert conn.probes == 0  # connecting: nothing to probe for
        conn.report(outcome(None, error="ConnectError"))
        await asyncio.sleep(0.3)
        assert conn.probes >= 3 and conn.link is Link.OFFLINE
        up = True
        await asyncio.wait_for(conn.wait_online(), 1.0)
        assert online == [1]
        probes = conn.probes
        await asyncio.sleep(0.2)
        assert conn.probes == probes  # online: the probe rests
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)


@pytest.mark.asyncio
async def test_the_probe_stays_quiet_while_other_requests_keep_trying() -> None:
    conn = Connectivity(policy=RetryPolicy(base=0.2, cap=0.2, jitter=0.0))
    probes: list[int] = []

    async def probe() -> None:
        probes.append(1)
        raise APIConnectionError("refused", may_have_sent=False)

    conn.probe = probe
    runner = asyncio.ensure_future(conn.run())
    try:
        conn.report(outcome(None, error="ConnectError"))
        for _ in range(6):  # a loader failing every 0.1 s is a probe already
            await asyncio.sleep(0.1)
            conn.report(outcome(None, error="ConnectError"))
        assert probes == []
        await asyncio.sleep(0.35)
        assert probes  # quiet for a whole delay: now the probe goes
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)


def test_a_reply_past_the_request_deadline_is_a_failing_server_not_offline() -> None:
    from pos.api.ratelimit import RequestOutcome
    from pos.services.connectivity import Link, link_of_outcome

    trickled = RequestOutcome("POST", "/v3/orders", error="DeadlineExceeded")
    refused = RequestOutcome("GET", "/v3/stores/simplified", error="ConnectError")
    assert link_of_outcome(trickled) is Link.SERVER_FAILING
    assert link_of_outcome(refused) is Link.OFFLINE
