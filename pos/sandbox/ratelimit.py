"""Sliding-window rate limiter: ``limit`` requests per ``window_s`` seconds per API key."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateState:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # unix seconds when a slot frees up (or the window is empty)
    retry_after: int

    def headers(self) -> dict[str, str]:
        return {
            "X-Ratelimit-Limit": str(self.limit),
            "X-Ratelimit-Remaining": str(self.remaining),
            "X-Ratelimit-Reset": str(self.reset),
        }


class RateLimiter:
    def __init__(
        self,
        limit: int = 100,
        window_s: float = 10.0,
        *,
        enabled: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self.enabled = enabled
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
            self._blocked_until.clear()

    def block(self, key: str, seconds: float) -> None:
        """Force 429s for ``key`` for ``seconds`` (used by the 429-burst fault)."""
        with self._lock:
            self._blocked_until[key] = self._clock() + seconds

    def hit(self, key: str) -> RateState:
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            blocked = self._blocked_until.get(key, 0.0)
            if blocked > now:
                wait = blocked - now
                return RateState(False, self.limit, 0, math.ceil(blocked), max(1, math.ceil(wait)))
            if not self.enabled:
                return RateState(True, self.limit, self.limit, math.ceil(now), 0)
            if len(hits) >= self.limit:
                free_at = hits[0] + self.window_s
                return RateState(
                    False, self.limit, 0, math.ceil(free_at), max(1, math.ceil(free_at - now))
                )
            hits.append(now)
            reset_at = hits[0] + self.window_s
            return RateState(True, self.limit, self.limit - len(hits), math.ceil(reset_at), 0)
