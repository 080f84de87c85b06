"""Helpers for the pos.api tests: a strict mock transport, a fake clock, fixture loading."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from pos.api.client import ScalevClient

FIXTURES = Path(__file__).parent / "fixtures"
API_KEY = "sk_test_SECRET_abcdefghijklmnopqrstuvwxyz0123456789"
BASE_URL = "https://api.scalev.test"

Handler = Callable[[httpx.Request], httpx.Response]


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


class FakeClock:
    """Monotonic + wall clock whose ``sleep`` only advances time (and records the delays)."""

    def __init__(self, start: float = 1_000.0, wall: float = 1_800_000_000.0) -> None:
        self.now = start
        self.wall_offset = wall - start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def wall(self) -> float:
        return self.now + self.wall_offset

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)


class MockAPI:
    """Routes ``(METHOD, path)`` to handlers; any unexpected request fails the test.

    A route's value is a handler or a list of handlers/exceptions consumed one per call (the
    last one repeats). Every request is recorded with the fake time it was sent.
    """

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.routes: dict[tuple[str, str], list[Handler | Exception]] = {}
        self.requests: list[httpx.Request] = []
        self.sent_at: list[float] = []
        self.clock = clock

    def add(self, method: str, path: str, *responses: Handler | Exception) -> None:
        self.routes[(method.upper(), path)] = list(responses)

    def json(self, method: str, path: str, body: Any, status: int = 200, **headers: str) -> None:
        self.add(method, path, lambda _r: httpx.Response(status, json=body, headers=headers))

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and _raw_path(r) == path]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.clock is not None:
            self.sent_at.append(self.clock.now)
        key = (request.method, _raw_path(request))
        if key not in self.routes:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        queue = self.routes[key]
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item(request)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)


def _raw_path(request: httpx.Request) -> str:
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii")


def respond(status: int = 200, body: Any = None, **kw: Any) -> Handler:
    """A handler that returns JSON ``body`` (or ``content=``/``text=`` via kw)."""

    def _h(_r: httpx.Request) -> httpx.Response:
        if body is not None:
            return httpx.Response(status, json=body, **kw)
        return httpx.Response(status, **kw)

    return _h


def make_client(api: MockAPI, clock: FakeClock, **kw: Any) -> ScalevClient:
    """A ScalevClient on ``api``'s transport with the fake clock/sleep and a fixed RNG."""
    kw.setdefault("max_retries", 3)
    return ScalevClient(
        kw.pop("base_url", BASE_URL),
        kw.pop("api_key", API_KEY),
        transport=api.transport(),
        clock=clock.monotonic,
        sleep=clock.sleep,
        wall_clock=clock.wall,
        rng=random.Random(7),
        **kw,
    )
