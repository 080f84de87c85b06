"""Client-side rate limiting for the Scalev API.

Scalev allows a burst of 100 requests per 10 seconds per key (plus 10,000 per hour). The
:class:`RateLimiter` keeps the client under the burst bucket on its own with a sliding window
(any ``period`` seconds hold at most ``max_requests`` sends) and additionally pauses when the
server says so (``X-Ratelimit-Remaining: 0`` with ``X-Ratelimit-Reset``, or a ``429``).

The clock and the sleep function are injected so tests run without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from email.utils import parsedate_to_datetime

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# An X-Ratelimit-Reset below this is read as "seconds from now", above it as Unix time.
_EPOCH_THRESHOLD = 1_000_000_000
# Smallest pause when the window is full (guards against float rounding loops).
_MIN_WAIT = 1e-6


class RateLimiter:
    """Sliding-window limiter: at most ``max_requests`` acquisitions in any ``period`` seconds.

    ``clock`` is monotonic seconds (window bookkeeping); ``wall_clock`` is Unix seconds (only to
    read the server's ``X-Ratelimit-Reset``). ``max_server_wait`` caps how long one server hint
    can pause the client.
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
    ) -> None:
        if max_requests < 1 or period <= 0:
            raise ValueError("rate limit must allow at least one request per positive period")
        self.max_requests = max_requests
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._max_server_wait = max_server_wait
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"RateLimiter({self.max_requests}/{self.period:g}s)"

    @property
    def blocked_until(self) -> float:
        """Monotonic time before which no request is sent (server hint)."""
        return self._blocked_until

    async def acquire(self) -> None:
        """Wait until one more request fits in the window, then record it."""
        async with self._lock:
            while True:
                now = self._clock()
                # Compare differences (not now - period) so float rounding cannot let a
                # request in a hair early.
                while self._sent and now - self._sent[0] >= self.period:
                    self._sent.popleft()
                wait = 0.0
                if len(self._sent) >= self.max_requests:
                    wait = max(self._sent[0] + self.period - now, _MIN_WAIT)
                wait = max(wait, self._blocked_until - now)
                if wait <= 0:
                    self._sent.append(now)
                    return
                await self._sleep(wait)

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
        remaining_f = _parse_float(headers.get("x-ratelimit-remaining"))
        if remaining_f is None:
            return None
        remaining = int(remaining_f)
        if remaining <= 0:
            delay = self.reset_delay(headers.get("x-ratelimit-reset"))
            # No usable reset: assume the burst window.
            self.block_for(self.period if delay is None else delay)
        return remaining


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
