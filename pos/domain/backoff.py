"""The one home of Kasir's retry-delay arithmetic (the API client's retries, the outbox, the
connectivity monitor, checkout and aftercare schedules)."""

from __future__ import annotations

import random
from collections.abc import Sequence

#: 2**30 times any base is past every cap; beyond it the float would only overflow
_MAX_DOUBLINGS = 30


def jittered_backoff(
    attempt: int, base: float, cap: float, rng: random.Random, jitter: float = 0.5
) -> float:
    """Capped exponential backoff with jitter for try ``attempt`` (0-based): a uniform time in
    ``[(1 - jitter) * d, d]`` with ``d = min(cap, base * 2**attempt)``."""
    ceiling = min(cap, base * (2 ** min(attempt, _MAX_DOUBLINGS)))
    return ceiling * rng.uniform(1.0 - jitter, 1.0)


def nth_delay(schedule: Sequence[float], n: int) -> float:
    """Delay ``n`` (0-based) of ``schedule``; past its end the last one repeats."""
    return schedule[min(n, len(schedule) - 1)]
