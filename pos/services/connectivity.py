"""One connectivity state for the whole app, and the one retry helper every loader uses.

:class:`Connectivity` owns the state — ``connecting`` (nothing answered yet), ``online``,
``offline``, ``rate_limited``, ``key_rejected``, ``server_failing`` — fed by the outcome of
every request (the API client's ``on_outcome`` hook calls :meth:`Connectivity.report`). The
top bar shows it, every loader follows it (a retry waiting for its backoff wakes as soon as
the link comes back), the outbox is poked when it does (``on_online``).

While the link is not online, :meth:`Connectivity.run` sends a cheap probe (the caller's
``probe``: the first page of the store list) with capped, jittered exponential backoff — only
when nothing else has tried for as long: a loader's own retries count as probes. A rate limit
waits out the server's ``Retry-After``.

:func:`retrying` runs a load until it succeeds: capped exponential backoff with jitter (at
most :attr:`RetryPolicy.cap` seconds, 30 by default), ``Retry-After`` honoured, each wait
announced (``on_wait``: the banner's countdown) and cut short by the link coming back or by
:meth:`Connectivity.retry_now` (the banner's *Retry now*). Errors that another try cannot fix
(a refused request, a bug) are raised at once.

No Qt here: the clock, the sleep and the random source are injected; tests drive it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from pos.api.errors import (
    APIConnectionError,
    AuthenticationError,
    InvalidResponseError,
    RateLimitedError,
    ServerError,
)
from pos.domain.backoff import jittered_backoff

if TYPE_CHECKING:
    from pos.api.ratelimit import RequestOutcome

log = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], float]


class Link(StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    RATE_LIMITED = "rate_limited"
    KEY_REJECTED = "key_rejected"
    SERVER_FAILING = "server_failing"


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter: try ``n`` (0-based) waits a uniform time in
    ``[(1 - jitter) * d, d]`` with ``d = min(cap, base * 2**n)``; a server's ``Retry-After``
    longer than that is waited in full (up to ``max_server_wait``)."""

    base: float = 1.0
    cap: float = 30.0
    jitter: float = 0.5
    max_server_wait: float = 900.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        return jittered_backoff(attempt, self.base, self.cap, rng, self.jitter)

    def delay_for(self, exc: BaseException | None, attempt: int, rng: random.Random) -> float:
        delay = self.backoff(attempt, rng)
        server = retry_after_of(exc)
        if server is not None:
            delay = max(min(server, self.max_server_wait), 0.0)
        if isinstance(exc, AuthenticationError):
            delay = self.cap  # a refused key comes back only when someone fixes it
        return delay


def retry_after_of(exc: BaseException | None) -> float | None:
    """The server's ``Retry-After`` carried by ``exc`` (seconds), if any."""
    if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
        return float(exc.retry_after)
    return None


def is_retryable(exc: BaseException) -> bool:
    """Whether trying again later can succeed: the network, a rate limit, a failing server,
    a garbled answer, a refused key (someone may fix it); not a refused request or a bug."""
    from pos.api.errors import HourlyBudgetReserved

    if isinstance(exc, HourlyBudgetReserved):
        return False
    return isinstance(
        exc,
        APIConnectionError
        | RateLimitedError
        | ServerError
        | InvalidResponseError
        | AuthenticationError
        | OSError
        | TimeoutError,
    )


def link_of_error(exc: BaseException) -> Link | None:
    """The link state an exception of a request says (``None``: it says nothing)."""
    if isinstance(exc, AuthenticationError):
        return Link.KEY_REJECTED
    if isinstance(exc, RateLimitedError):
        return Link.RATE_LIMITED
    if isinstance(exc, ServerError):
        return Link.SERVER_FAILING
    if isinstance(exc, APIConnectionError | OSError | TimeoutError):
        return Link.OFFLINE
    return None


def link_of_outcome(outcome: RequestOutcome) -> Link:
    status = outcome.status
    if status is None:
        # no complete answer within the request deadline: the server is there, but failing
        return Link.SERVER_FAILING if outcome.error == "DeadlineExceeded" else Link.OFFLINE
    if status == 401:
        return Link.KEY_REJECTED
    if status == 429:
        return Link.RATE_LIMITED
    if status >= 500:
        return Link.SERVER_FAILING
    return Link.ONLINE  # an answer: 2xx, and 4xx about the request itself


@dataclass(frozen=True)
class LinkState:
    """The state as shown: ``retry_at`` (clock time) is when the next try is due, if known;
    ``detail`` names the last failure (an exception or status; never a secret)."""

    link: Link
    since: float
    retry_at: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class RetryWait:
    """A load failed and waits: ``what`` failed ``attempt`` times; the next try is at
    ``retry_at`` (clock time), ``delay`` seconds after the failure."""

    what: str
    attempt: int
    delay: float
    retry_at: float
    error: BaseException


class Connectivity:
    """See the module docstring. ``on_change`` callbacks get the new :class:`LinkState`;
    ``on_online`` ones run on every transition to online (poke the outbox)."""

    def __init__(
        self,
        *,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
        policy: RetryPolicy | None = None,
        probe: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        self._clock = clock
        self.rng = rng or random.Random()
        self.policy = policy or RetryPolicy()
        self.probe = probe
        self._state = LinkState(Link.CONNECTING, clock())
        self._on_change: list[Callable[[LinkState], None]] = []
        self._on_online: list[Callable[[], None]] = []
        self._wake = asyncio.Event()  # set (and replaced) on back-online and retry_now
        self._activity = asyncio.Event()  # any outcome: the probe postpones itself
        self._last_activity = clock()
        self._waits: dict[str, float] = {}  # what -> retry_at of every waiting load
        self.probes = 0  # probes sent (tests, bench)

    # --- state ---------------------------------------------------------------------
    @property
    def state(self) -> LinkState:
        return self._state

    @property
    def link(self) -> Link:
        return self._state.link

    @property
    def online(self) -> bool:
        return self._state.link is Link.ONLINE

    def on_change(self, callback: Callable[[LinkState], None]) -> None:
        self._on_change.append(callback)

    def on_online(self, callback: Callable[[], None]) -> None:
        self._on_online.append(callback)

    def next_retry_at(self) -> float | None:
        """The earliest time still to come at which a waiting load or the probe tries again
        (``None``: nothing is scheduled)."""
        now = self._clock()
        times = [*self._waits.values()]
        if self._state.retry_at is not None:
            times.append(self._state.retry_at)
        future = [t for t in times if t > now]
        return min(future) if future else None

    def waiting(self) -> dict[str, float]:
        """Loads waiting for a retry: name -> when (clock time)."""
        return dict(self._waits)

    # --- feeding ---------------------------------------------------------------------
    def report(self, outcome: RequestOutcome) -> None:
        """The API client's ``on_outcome`` hook: one finished attempt."""
        try:
            link = link_of_outcome(outcome)
            detail = str(outcome.status) if outcome.status is not None else outcome.error or ""
            retry_at = None
            if link is Link.RATE_LIMITED:
                wait = outcome.retry_after if outcome.retry_after is not None else 1.0
                retry_at = self._clock() + wait
            self._set(link, detail=detail, retry_at=retry_at)
        except Exception:  # the hook runs inside the client's request loop: never raise
            log.exception("connectivity report failed")

    def report_error(self, exc: BaseException) -> None:
        """A load failed with ``exc`` (for requests made without the client's hook)."""
        link = link_of_error(exc)
        if link is not None:
            retry_after = retry_after_of(exc)
            retry_at = self._clock() + retry_after if retry_after is not None else None
            self._set(link, detail=type(exc).__name__, retry_at=retry_at)

    def report_success(self) -> None:
        self._set(Link.ONLINE)

    def _set(self, link: Link, *, detail: str = "", retry_at: float | None = None) -> None:
        now = self._clock()
        self._last_activity = now
        self._activity.set()
        old = self._state
        if link is Link.ONLINE:
            retry_at, detail = None, ""
        elif retry_at is None and old.link is link:
            retry_at = old.retry_at
        if old.link is link and old.retry_at == retry_at and old.detail == detail:
            return
        since = old.since if old.link is link else now
        self._state = LinkState(link, since, retry_at, detail)
        if old.link is not link:
            log.info("connectivity: %s -> %s (%s)", old.link.value, link.value, detail or "-")
        self._emit()
        if link is Link.ONLINE and old.link is not Link.ONLINE:
            self._wake_all()
            for callback in list(self._on_online):
                try:
                    callback()
                except Exception:
                    log.exception("on_online callback failed")

    def _emit(self) -> None:
        for callback in list(self._on_change):
            try:
                callback(self._state)
            except Exception:
                log.exception("connectivity listener failed")

    def _wake_all(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()

    def retry_now(self) -> None:
        """The cashier's *Retry now*: every waiting load and the probe try at once."""
        self._waits.clear()
        self._wake_all()
        self._emit()

    # --- waiting ---------------------------------------------------------------------
    async def wait_retry(self, what: str, delay: float) -> None:
        """Wait ``delay`` seconds for the retry of ``what``; back online or *Retry now*
        end the wait early."""
        self._waits[what] = self._clock() + delay
        self._emit()
        wake = self._wake
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):  # not wait_for: on 3.11 it can lose a cancel
                    await wake.wait()
        finally:
            self._waits.pop(what, None)
            self._emit()

    async def wait_online(self) -> None:
        """Until the link is online (wrap in ``asyncio.timeout`` to bound it)."""
        while self._state.link is not Link.ONLINE:
            await self._wake.wait()

    # --- the probe -------------------------------------------------------------------
    async def run(self) -> None:
        """Probe while not online (cancel the task to stop). A probe goes out only when no
        other request has had an outcome for its whole backoff delay."""
        attempt = 0
        while True:
            if self._state.link in (Link.ONLINE, Link.CONNECTING) or self.probe is None:
                attempt = 0
                await self._wait_for_trouble()
                continue
            if self._state.link is Link.RATE_LIMITED and self._state.retry_at is not None:
                delay = max(self._state.retry_at - self._clock(), 0.0)
            else:
                delay = self.policy.backoff(attempt, self.rng)
            retry_at = self._clock() + delay
            self._state = LinkState(
                self._state.link, self._state.since, retry_at, self._state.detail
            )
            self._emit()
            if await self._quiet_for(delay):
                attempt += 1
                self.probes += 1
                try:
                    await self.probe()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # its outcome is reported by the client's hook
                    log.debug("probe failed: %s", type(exc).__name__)
                    self.report_error(exc)
                else:
                    self.report_success()

    async def _wait_for_trouble(self) -> None:
        self._activity.clear()
        await self._activity.wait()

    async def _quiet_for(self, delay: float) -> bool:
        """Wait until no request has had an outcome for ``delay`` seconds (``True``: time to
        probe) or until woken: *Retry now* (``True``) or back online (``False``)."""
        start = self._clock()
        while True:
            due = max(self._last_activity, start) + delay
            if self._state.retry_at != due and self._state.link is not Link.ONLINE:
                self._state = LinkState(
                    self._state.link, self._state.since, due, self._state.detail
                )
                self._emit()  # the banner's countdown follows the postponed probe
            left = due - self._clock()
            if left <= 0:
                return True
            wake = self._wake
            try:
                async with asyncio.timeout(left):  # not wait_for: on 3.11 it can lose a cancel
                    await wake.wait()
            except TimeoutError:
                continue
            return self._state.link is not Link.ONLINE


async def retrying(
    load: Callable[[], Awaitable[T]],
    *,
    what: str,
    connectivity: Connectivity | None = None,
    policy: RetryPolicy | None = None,
    on_wait: Callable[[RetryWait], None] | None = None,
    should_retry: Callable[[BaseException], bool] = is_retryable,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    rng: random.Random | None = None,
    clock: Clock = time.monotonic,
) -> T:
    """Run ``load`` until it succeeds (see the module docstring); raise what is not worth
    another try. Each failure is reported to ``connectivity``; each wait to ``on_wait``."""
    if connectivity is not None:
        policy = policy or connectivity.policy
        rng = rng or connectivity.rng
    policy = policy or RetryPolicy()
    rng = rng or random.Random()
    attempt = 0
    while True:
        try:
            return await load()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if not should_retry(exc):
                raise
            delay = policy.delay_for(exc, attempt, rng)
            attempt += 1
            log.info("%s failed (%s); retry %d in %.1f s", what, type(exc).__name__, attempt, delay)
            if connectivity is not None:
                connectivity.report_error(exc)
            if on_wait is not None:
                on_wait(RetryWait(what, attempt, delay, clock() + delay, exc))
            if connectivity is not None:
                await connectivity.wait_retry(what, delay)
            else:
                await sleep(delay)
