"""``SandboxCore``: the shared state of one sandbox instance (routes, gate and control API)."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from pathlib import Path
from typing import Any, TypedDict

from pos.sandbox.data import DemoData
from pos.sandbox.faults import FaultConfig, FaultInjector
from pos.sandbox.orders import OrderBuilder
from pos.sandbox.ratelimit import DEFAULT_HOURLY_LIMIT, RateLimiter
from pos.sandbox.shipping import ShippingCalculator
from pos.sandbox.store import OrderStore


class CoreOptions(TypedDict, total=False):
    """The keyword options of :class:`SandboxCore` (passed on by ``SandboxServer``)."""

    rate_limit: bool
    hourly_limit: int | None
    faults: FaultConfig | None
    products: int | None
    seed: int
    log_requests: bool


class SandboxCore:
    """Shared state of one sandbox instance (used by the routes and the control API)."""

    def __init__(
        self,
        data_dir: Path,
        *,
        rate_limit: bool = True,
        hourly_limit: int | None = DEFAULT_HOURLY_LIMIT,
        faults: FaultConfig | None = None,
        products: int | None = None,
        seed: int = 7,
        log_requests: bool = False,
    ) -> None:
        self.data = DemoData(seed=seed, products=products)
        self.shipping = ShippingCalculator(self.data)
        self.builder = OrderBuilder(self.data, self.shipping)
        self.orders = OrderStore(Path(data_dir) / "sandbox.sqlite3")
        self.faults = FaultInjector(faults)
        self.limiter = RateLimiter(100, 10.0, hourly_limit=hourly_limit, enabled=rate_limit)
        self.requests: deque[dict[str, Any]] = deque(maxlen=5000)
        self.requests_lock = threading.Lock()
        self.base_url = ""
        self.log_requests = log_requests
        self.stopping = threading.Event()
        # Work that must outlive its request (a slow commit whose client has gone).
        self.tasks: set[asyncio.Task[Any]] = set()

    def close(self) -> None:
        self.orders.close()

    def record(self, entry: dict[str, Any]) -> None:
        with self.requests_lock:
            self.requests.append(entry)
