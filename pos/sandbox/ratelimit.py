"""Sliding-window rate limits per API key: a burst window and an hourly window, like Scalev's
"100 requests per 10 seconds and 10,000 requests per hour per key".

Every answer carries ``X-Ratelimit-Limit/Remaining/Reset`` for the window that binds (the one
with fewer requests left, or the one that refused), plus ``X-Ratelimit-Burst-*`` and
``X-Ratelimit-Hourly-*`` for each window on its own. ``Reset`` is the unix second when a slot of
that window frees up.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

HOUR_S = 3600.0
DEFAULT_HOURLY_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class WindowState:
    name: str  # "Burst" | "Hourly"
    limit: int
    remaining: int
    reset: int


@dataclass(frozen=True, slots=True)
class RateState:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # unix seconds when a slot frees up (or the window is empty)
    retry_after: int
    windows: tuple[WindowState, ...] = ()

    def headers(self) -> dict[str, str]:
        out = {
            "X-Ratelimit-Limit": str(self.limit),
            "X-Ratelimit-Remaining": str(self.remaining),
            "X-Ratelimit-Reset": str(self.reset),
        }
        for w in self.windows:
            out[f"X-Ratelimit-{w.name}-Limit"] = str(w.limit)
            out[f"X-Ratelimit-{w.name}-Remaining"] = str(w.remaining)
            out[f"X-Ratelimit-{w.name}-Reset"] = str(w.reset)
        return out


class _Window:
    def __init__(self, name: str, limit: int, window_s: float) -> None:
        self.name = name
        self.limit = limit
        self.window_s = window_s
        self.hits: dict[str, deque[float]] = {}

    def pruned(self, key: str, now: float) -> deque[float]:
        hits = self.hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def state(self, hits: deque[float], now: float) -> WindowState:
        reset = hits[0] + self.window_s if hits else now
        return WindowState(self.name, self.limit, max(0, self.limit - len(hits)), math.ceil(reset))


class RateLimiter:
    """``limit`` requests per ``window_s`` seconds and ``hourly_limit`` per hour, per key.

    ``hourly_limit`` 0 or ``None`` switches the hourly window off; ``enabled=False`` both.
    """

    def __init__(
        self,
        limit: int = 100,
        window_s: float = 10.0,
        *,
        hourly_limit: int | None = DEFAULT_HOURLY_LIMIT,
        enabled: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.enabled = enabled
        self._clock = clock
        self._burst = _Window("Burst", limit, window_s)
        self._hourly = _Window("Hourly", hourly_limit or 0, HOUR_S)
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def limit(self) -> int:
        return self._burst.limit

    @property
    def window_s(self) -> float:
        return self._burst.window_s

    @property
    def hourly_limit(self) -> int:
        return self._hourly.limit

    @hourly_limit.setter
    def hourly_limit(self, value: int | None) -> None:
        with self._lock:
            self._hourly.limit = value or 0

    def reset(self) -> None:
        with self._lock:
            self._burst.hits.clear()
            self._hourly.hits.clear()
            self._blocked_until.clear()

    def block(self, key: str, seconds: float) -> None:
        """Force 429s for ``key`` for ``seconds`` (used by the 429-burst fault)."""
        with self._lock:
            self._blocked_until[key] = self._clock() + seconds

    def hit(self, key: str) -> RateState:
        now = self._clock()
        with self._lock:
            windows = [self._burst] + ([self._hourly] if self._hourly.limit > 0 else [])
            hits = [w.pruned(key, now) for w in windows]
            blocked = self._blocked_until.get(key, 0.0)
            if blocked > now:
                wait = blocked - now
                states = tuple(w.state(h, now) for w, h in zip(windows, hits, strict=True))
                return RateState(
                    False, self.limit, 0, math.ceil(blocked), max(1, math.ceil(wait)), states
                )
            if not self.enabled:
                return RateState(True, self.limit, self.limit, math.ceil(now), 0)
            for w, h in zip(windows, hits, strict=True):
                if len(h) >= w.limit:
                    free_at = h[0] + w.window_s
                    states = tuple(w2.state(h2, now) for w2, h2 in zip(windows, hits, strict=True))
                    return RateState(
                        False,
                        w.limit,
                        0,
                        math.ceil(free_at),
                        max(1, math.ceil(free_at - now)),
                        states,
                    )
            for h in hits:
                h.append(now)
            states = tuple(w.state(h, now) for w, h in zip(windows, hits, strict=True))
            binding = min(states, key=lambda s: s.remaining)  # ties: the burst window
            return RateState(True, binding.limit, binding.remaining, binding.reset, 0, states)
