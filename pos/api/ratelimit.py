"""Client-side rate limiting for the Scalev API.

Scalev allows a burst of 100 requests per 10 seconds per key (plus 10,000 per hour). The
:class:`RateLimiter` keeps the client under the burst bucket on its own with a sliding window
(any ``period`` seconds hold at most ``max_requests`` sends) and additionally pauses when the
server says so (``X-Ratelimit-Remaining: 0`` with ``X-Ratelimit-Reset``, or a ``429``).

Each slot of the window is held from the send until ``period`` after the request was ANSWERED
when the answer is known (the server counted the request by then), not after it was sent: the
client's window can then never run ahead of the server's by the network latency. The answer is
tied to its slot through a context variable set by :meth:`acquire` and read by :meth:`observe`
in the same task (the client calls both around one request).

That also lets a server pause end on time. ``X-Ratelimit-Reset`` comes in whole seconds, so
honouring it blindly after every burst of ``max_requests`` waits up to a second too long per
window — and since the next window then starts just after a whole second, the next reset is
rounded up by almost a full second again: a long catalog sync converged on 10/11 of the rate
the limit allows. When the limiter's own window is full of answered requests (nobody else is
using the key), the server's oldest counted request is one of them, so a slot provably frees
``period`` after the earliest of their answers; the pause ends then if that is sooner (never
earlier than one second before the announced reset).

Requests come in three kinds. Bulk ones (``acquire(bulk=True)``: catalog paging) may fill
only ``max_requests - reserve`` of the window; ordinary ones the whole window, in line with the
bulk ones; interactive ones (``acquire(interactive=True)``: creating an order, looking one up,
checking a payment) the whole window too, and never in line behind a waiting bulk or ordinary
request (they have their own lock). A 50k-product catalog sync that uses the key's budget for
minutes thus leaves ``reserve`` requests of every window to the cashier's charge and payment
checks.

The clock and the sleep function are injected so tests run without waiting.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime

from .errors import HourlyBudgetReserved

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# An X-Ratelimit-Reset below this is read as "seconds from now", above it as Unix time.
_EPOCH_THRESHOLD = 1_000_000_000
# Smallest pause when the window is full (guards against float rounding loops).
_MIN_WAIT = 1e-6
# X-Ratelimit-Reset is whole seconds (rounded up): the real reset is at most this much sooner.
_RESET_RESOLUTION = 1.0


class _Slot:
    """One request in the window: counts until ``period`` after ``since`` (send, then answer)."""

    __slots__ = ("answered", "since")

    def __init__(self, now: float) -> None:
        self.since = now
        self.answered = False


# The slot the current task acquired last (its request is the one observe() hears about).
_current_slot: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar(
    "kasir_ratelimit_slot", default=None
)


class RateLimiter:
    """Sliding-window limiter: at most ``max_requests`` acquisitions in any ``period`` seconds.

    ``clock`` is monotonic seconds (window bookkeeping); ``wall_clock`` is Unix seconds (only to
    read the server's ``X-Ratelimit-Reset``). ``max_server_wait`` caps how long one server hint
    can pause the client. ``reserve`` slots of each window are kept for interactive requests
    (bulk requests wait while the window holds ``max_requests - reserve``); it is clamped to
    ``max_requests - 1``.
    """

    def __init__(
        self,
        max_requests: int = 100,
        period: float = 10.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        wall_clock: Clock = time.time,
        max_server_wait: float = 60.0,
        reserve: int = 0,
        budget: HourlyBudget | None = None,
    ) -> None:
        if max_requests < 1 or period <= 0:
            raise ValueError("rate limit must allow at least one request per positive period")
        self.max_requests = max_requests
        self.period = period
        self.reserve = max(0, min(int(reserve), max_requests - 1))
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._max_server_wait = max_server_wait
        self._sent: deque[_Slot] = deque()
        self._blocked_until = 0.0
        #: the server's burst window as last reported: (remaining, monotonic reset time)
        self._server_window: tuple[int, float] | None = None
        #: the key's hourly budget (``None``: not tracked); bulk requests never take it
        #: below its reserve (they raise :class:`HourlyBudgetReserved` instead)
        self.budget = budget
        self._lock = asyncio.Lock()  # bulk requests wait in line here
        self._interactive_lock = asyncio.Lock()  # interactive ones here: never behind bulk

    def __repr__(self) -> str:
        return f"RateLimiter({self.max_requests}/{self.period:g}s)"

    @property
    def blocked_until(self) -> float:
        """Monotonic time before which no request is sent (server hint)."""
        return self._blocked_until

    async def acquire(self, *, interactive: bool = False, bulk: bool = False) -> None:
        """Wait until one more request fits in the window, then record it.

        A ``bulk`` request fits while the window holds fewer than ``max_requests - reserve``,
        any other while it holds fewer than ``max_requests``; ``interactive`` ones wait in a
        line of their own."""
        limit = self.max_requests - self.reserve if bulk and not interactive else self.max_requests
        async with self._interactive_lock if interactive else self._lock:
            while True:
                now = self._clock()
                # Compare differences (not now - period) so float rounding cannot let a
                # request in a hair early.
                if any(now - slot.since >= self.period for slot in self._sent):
                    # Answers can come out of order: drop every expired slot, not just the first.
                    self._sent = deque(s for s in self._sent if now - s.since < self.period)
                wait = 0.0
                if len(self._sent) >= limit:
                    # the window fits one more once all but limit - 1 of its slots expired
                    since = sorted(slot.since for slot in self._sent)[len(self._sent) - limit]
                    wait = max(since + self.period - now, _MIN_WAIT)
                wait = max(wait, self._blocked_until - now)
                if limit < self.max_requests:
                    wait = max(wait, self._shared_window_wait(now))
                if wait <= 0:
                    if self.budget is not None:
                        if bulk and not interactive:
                            self.budget.check_bulk()
                        self.budget.record()
                    slot = _Slot(now)
                    self._sent.append(slot)
                    _current_slot.set(slot)
                    return
                await self._sleep(wait)

    def _shared_window_wait(self, now: float) -> float:
        """Seconds a bulk request waits because the SERVER's window (shared by every till on
        the key) has no more than ``reserve`` requests left: those stay for orders and
        payment checks, of this till or another one."""
        if self._server_window is None:
            return 0.0
        remaining, reset_at = self._server_window
        if now >= reset_at:
            self._server_window = None
            return 0.0
        return reset_at - now if remaining <= self.reserve else 0.0

    def block_for(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (e.g. after a 429)."""
        seconds = min(max(seconds, 0.0), self._max_server_wait)
        self._blocked_until = max(self._blocked_until, self._clock() + seconds)

    def reset_delay(self, reset: str | None) -> float | None:
        """Seconds until an ``X-Ratelimit-Reset`` value (Unix time, or seconds if small)."""
        value = _parse_float(reset)
        if value is None:
            return None
        if value >= _EPOCH_THRESHOLD:
            value = value - self._wall_clock()
        return max(value, 0.0)

    def retry_after_delay(self, retry_after: str | None) -> float | None:
        """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date."""
        if retry_after is None:
            return None
        value = _parse_float(retry_after)
        if value is not None:
            return max(value, 0.0)
        try:
            when = parsedate_to_datetime(retry_after.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pragma: no cover - older Pythons returned None
            return None
        return max(when.timestamp() - self._wall_clock(), 0.0)

    def observe(self, headers: Mapping[str, str]) -> int | None:
        """Read ``X-Ratelimit-*`` headers; pause until the reset when ``Remaining`` is 0.

        Returns the remaining count (or ``None`` when the header is absent).
        """
        slot = _current_slot.get()
        if slot is not None and not slot.answered:
            # The server has counted this task's request by now.
            slot.since = max(slot.since, self._clock())
            slot.answered = True
            _current_slot.set(None)
        if self.budget is not None:
            self.budget.observe(headers)
        remaining_f = _parse_float(headers.get("x-ratelimit-remaining"))
        if remaining_f is None:
            return None
        remaining = int(remaining_f)
        limit_f = _parse_float(headers.get("x-ratelimit-limit"))
        if limit_f is not None and limit_f <= self.max_requests:  # the burst window's figures
            reset = self.reset_delay(headers.get("x-ratelimit-reset"))
            self._server_window = (
                remaining,
                self._clock() + (self.period if reset is None else reset),
            )
        if remaining <= 0:
            delay = self.reset_delay(headers.get("x-ratelimit-reset"))
            if delay is None:
                delay = self.period  # no usable reset: assume the burst window
            else:
                delay = min(delay, max(self._own_free_delay(), delay - _RESET_RESOLUTION))
            self.block_for(delay)
        return remaining

    def _own_free_delay(self) -> float:
        """Seconds until the own window proves a slot free at the server; inf if it cannot.

        Only when the window holds ``max_requests`` answered requests: then they are the ones
        the server counted (a key shared with another client makes the server say 0 sooner),
        and the oldest it counted had arrived by the earliest of their answers."""
        if len(self._sent) < self.max_requests or not all(s.answered for s in self._sent):
            return float("inf")
        earliest = min(s.since for s in self._sent)
        return max(earliest + self.period - self._clock(), 0.0)


def _parse_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        result = float(value.strip())
    except ValueError:
        return None
    if result != result or result in (float("inf"), float("-inf")):
        return None
    return result


class RequestOutcome:
    """What one finished attempt of a request ended with (the client's ``on_outcome`` hook):
    an HTTP ``status`` (``None`` when no answer came: ``error`` names the transport failure),
    the ``Retry-After`` delay in seconds and the ``X-Ratelimit-*`` headers as sent."""

    __slots__ = ("error", "headers", "method", "path", "retry_after", "status")

    def __init__(
        self,
        method: str,
        path: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.error = error
        self.retry_after = retry_after
        self.headers: dict[str, str] = {
            k.lower(): v for k, v in (headers or {}).items() if k.lower().startswith("x-ratelimit")
        }

    def __repr__(self) -> str:
        what = self.status if self.status is not None else self.error
        return f"RequestOutcome({self.method} {self.path} -> {what})"


class HourlyBudget:
    """The key's hourly request budget (Scalev: 10,000 requests per hour per key).

    Two sources, the tighter one wins: the server's ``X-Ratelimit-*`` headers when they
    describe the hourly bucket (``X-Ratelimit-Limit`` above the burst window's size) — they
    see every terminal on the key — and this client's own count of requests over the last
    ``period`` seconds. Bulk requests (catalog paging) may only spend down to ``reserve`` (a
    fraction of ``limit``, default 20 %); every other request spends freely — an order or a
    payment check is never refused or delayed by the budget.
    """

    def __init__(
        self,
        limit: int = 10_000,
        *,
        reserve_fraction: float = 0.2,
        period: float = 3600.0,
        burst_limit: int = 100,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("an hourly budget needs a positive limit and period")
        self.limit = limit
        self.reserve_fraction = min(max(reserve_fraction, 0.0), 1.0)
        self.period = period
        self.burst_limit = burst_limit
        self._clock = clock
        self._wall_clock = wall_clock
        self._sent: deque[float] = deque()
        self._total = 0  # requests recorded since this budget was made
        #: (remaining, own total when seen, monotonic reset) of the server's hourly bucket
        self._server: tuple[int, int, float] | None = None
        self._server_limit: int | None = None

    @property
    def reserve(self) -> int:
        return round((self._server_limit or self.limit) * self.reserve_fraction)

    def record(self) -> None:
        """One request was sent on the key."""
        now = self._clock()
        self._sent.append(now)
        self._total += 1
        self._expire(now)

    def _expire(self, now: float) -> None:
        while self._sent and now - self._sent[0] >= self.period:
            self._sent.popleft()

    def used(self) -> int:
        """Requests this client sent in the last ``period`` seconds."""
        self._expire(self._clock())
        return len(self._sent)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read a response's ``X-Ratelimit-*``: kept when they describe the hourly bucket —
        the ``X-Ratelimit-Hourly-*`` headers when the server sends them per window, else the
        plain ones when their limit is above the burst window's size."""
        prefix = "x-ratelimit-hourly-" if "x-ratelimit-hourly-limit" in headers else "x-ratelimit-"
        limit = _parse_float(headers.get(prefix + "limit"))
        remaining = _parse_float(headers.get(prefix + "remaining"))
        if limit is None or remaining is None or limit <= self.burst_limit:
            return
        now = self._clock()
        reset = _parse_float(headers.get(prefix + "reset"))
        if reset is None:
            reset_at = now + self.period
        elif reset >= _EPOCH_THRESHOLD:
            reset_at = now + max(reset - self._wall_clock(), 0.0)
        else:
            reset_at = now + max(reset, 0.0)
        self._server_limit = int(limit)
        self._server = (int(remaining), self._total, reset_at)

    def remaining(self) -> int:
        """The best estimate of requests left in the key's hour."""
        now = self._clock()
        self._expire(now)
        own = (self._server_limit or self.limit) - len(self._sent)
        if self._server is None:
            return max(own, 0)
        remaining, seen, reset_at = self._server
        if now >= reset_at:
            self._server = None
            return max(own, 0)
        since = self._total - seen
        return max(min(own, remaining - since), 0)

    def allows_bulk(self, cost: int = 1) -> bool:
        """Whether ``cost`` more bulk requests keep the budget at or above the reserve."""
        return self.remaining() - cost >= self.reserve

    def check_bulk(self, cost: int = 1) -> None:
        """Raise :class:`HourlyBudgetReserved` unless :meth:`allows_bulk`."""
        if not self.allows_bulk(cost):
            raise HourlyBudgetReserved(self.remaining(), self.reserve)
