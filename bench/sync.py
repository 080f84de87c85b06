"""Catalog sync under the sandbox's rate limit, and the restart that must not wait for it.

Figures:

- sync share: ``CatalogService.load`` (after ``list_stores``) of the bench store against the
  sandbox with its rate limit ON (100 requests / 10 s, 25 a page) and the client's default
  limiter. The bound is what the limit allows for the requests the sync needs: with a fresh
  sliding window, request ``k`` (0-based) can go out at ``floor(k / 100) * 10`` s at the
  earliest, so ``R`` requests need at least ``floor((R - 1) / 100) * 10`` s. The share is
  ``bound time / measured time`` (= achieved items/s over the bound's items/s);
- 429 responses the app received (must be 0);
- restart: the real app (``ui.app.start_session``) started on the data folder the sync filled;
  catalog requests (products, bundles) the app had SENT (httpx request hook) when the catalog
  grid first painted with items. Must be 0: the first paint comes from the cache.
"""

from __future__ import annotations

import asyncio
import faulthandler
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_STORE_ID,
    Figure,
    emit,
    median,
    ms,
    parse_args,
    qt_app,
    runs_for,
)
from bench.scenario import run_qasync

LIMIT, WINDOW_S = 100, 10.0
CATALOG_PATHS = ("/products", "/bundles")


def bound_seconds(requests: int) -> float:
    """Least time ``requests`` take under LIMIT per WINDOW_S with a fresh sliding window."""
    return ((requests - 1) // LIMIT) * WINDOW_S if requests > 0 else 0.0


def is_catalog_path(path: str) -> bool:
    return path.startswith("/v3/") and any(p in path for p in CATALOG_PATHS)


async def one_sync(base_url: str, data_dir: Path) -> dict[str, Any]:
    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY
    from pos.services.catalog import CatalogService
    from pos.storage import CatalogCache, Database, SettingsTable

    statuses: list[int] = []
    sent: list[float] = []

    async def on_request(request: Any) -> None:
        sent.append(time.perf_counter())

    async def on_response(response: Any) -> None:
        statuses.append(response.status_code)

    db = Database.open(data_dir / "kasir.sqlite3")
    hooks: dict[str, list[Callable[..., Awaitable[Any]]]] = {
        "request": [on_request],
        "response": [on_response],
    }
    try:
        async with ScalevClient(base_url, DEMO_API_KEY, event_hooks=hooks) as client:
            service = CatalogService(client, CatalogCache(db))
            t0 = time.perf_counter()
            store = next(s for s in await service.list_stores() if s.id == BENCH_STORE_ID)
            items = await service.load(store)
            elapsed = time.perf_counter() - t0
        SettingsTable(db).set("last_store_id", str(store.id))
    finally:
        db.close()
    ok = sum(1 for s in statuses if 200 <= s < 300)
    return {
        "items": len(items),
        "seconds": elapsed,
        "requests": ok,
        "sent": len(sent),
        "429": sum(1 for s in statuses if s == 429),
    }


def restart(base_url: str, data_dir: Path) -> dict[str, Any]:
    """Start the real app on ``data_dir``; catalog requests sent before the first grid paint."""
    app = qt_app()
    from PySide6.QtCore import QEvent, QObject

    import pos.api.client as api_client
    from pos.sandbox import DEMO_API_KEY
    from ui.app import Config, start_session

    sent: list[tuple[float, str]] = []

    async def on_request(request: Any) -> None:
        sent.append((time.perf_counter(), request.url.path))

    original = api_client.ScalevClient

    class CountingClient(original):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("event_hooks", {"request": [on_request]})
            super().__init__(*args, **kwargs)

    painted: list[float] = []
    problems: list[str] = []

    class FirstPaint(QObject):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint and not painted and self.model.rowCount() > 0:
                painted.append(time.perf_counter())
            return False

    async def scenario() -> dict[str, Any]:
        config = Config(base_url=base_url, api_key=DEMO_API_KEY, data_dir=data_dir)
        t0 = time.perf_counter()
        session = await asyncio.wait_for(start_session(config), 30)
        probe = FirstPaint(session.window.catalog.model)
        session.window.catalog.view.viewport().installEventFilter(probe)
        try:
            deadline = time.perf_counter() + 30
            while not painted and time.perf_counter() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.002)  # polled: the paint is seen by a Qt event filter
            await asyncio.sleep(0.3)  # let the refresh start, to show what follows the paint
        finally:
            session.window.catalog.view.viewport().removeEventFilter(probe)
            try:
                await asyncio.wait_for(session.aclose(), 15)
            except TimeoutError:
                problems.append("Session.aclose() did not finish within 15 s")
            session.window.close()
        if not painted:
            raise RuntimeError("the catalog grid never painted with items")
        paint_t = painted[0]
        before = [p for t, p in sent if t < paint_t]
        return {
            "problems": problems,
            "first_paint_ms": ms(paint_t - t0),
            "catalog_before_paint": sum(1 for p in before if is_catalog_path(p)),
            "requests_before_paint": before,
            "catalog_after_paint": sum(1 for t, p in sent if t >= paint_t and is_catalog_path(p)),
        }

    api_client.ScalevClient = CountingClient  # type: ignore[misc]
    # A hang must not stall the whole benchmark silently: dump every thread's stack and exit.
    faulthandler.dump_traceback_later(90, exit=True)
    try:
        return run_qasync(app, scenario)
    finally:
        faulthandler.cancel_dump_traceback_later()
        api_client.ScalevClient = original  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=5, quick=1)
    # Full: 2500 products -> 100 + 100 pages (+ bundles, stores) = 202 requests, bound 20 s.
    # Quick: 1300 -> 106 requests, bound 10 s.
    products = 1300 if args.quick else 2500
    from pos.sandbox import SandboxServer

    shares: list[float] = []
    rejected: list[float] = []
    restarts: list[float] = []
    details: list[str] = []
    first_paints: list[float] = []
    hangs: list[str] = []
    for run in range(runs):
        tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-sync-"))
        server = SandboxServer(tmp / "sandbox", port=0, rate_limit=True, products=products)
        server.start()
        try:
            r = asyncio.run(one_sync(server.base_url, tmp))
            bound = bound_seconds(r["requests"])
            shares.append(bound / r["seconds"])
            rejected.append(float(r["429"]))
            details.append(
                f"{r['items']} items, {r['requests']} requests in {r['seconds']:.1f} s "
                f"(bound {bound:.0f} s = {r['items'] / bound:.0f} items/s; "
                f"achieved {r['items'] / r['seconds']:.0f} items/s)"
            )
            print(f"  sync run {run + 1}: {details[-1]}; 429s: {r['429']}", file=sys.stderr)
            if run < max(1, runs if not args.quick else 1):
                assert server.core is not None
                server.core.limiter.reset()
                with server.core.requests_lock:
                    server.core.requests.clear()
                rs = restart(server.base_url, tmp)
                restarts.append(float(rs["catalog_before_paint"]))
                hangs.extend(rs["problems"])
                first_paints.append(rs["first_paint_ms"])
                print(
                    f"  restart {run + 1}: first paint {rs['first_paint_ms']:.0f} ms; sent "
                    f"before it: {rs['requests_before_paint']}; catalog requests after it "
                    f"(0.3 s): {rs['catalog_after_paint']}",
                    file=sys.stderr,
                )
        finally:
            server.stop()
            shutil.rmtree(tmp, ignore_errors=True)
    figures = [
        Figure(
            "sync_share",
            "Catalog sync, rate limit on: items/s as a share of the bound",
            "share",
            shares,
            0.9,
            op=">=",
            runs=runs,
            note=details[len(details) // 2],
        ),
        Figure(
            "sync_429",
            "429 responses during the sync",
            "count",
            rejected,
            0,
            op="<=",
            stat="max",
            runs=runs,
        ),
        Figure(
            "restart_requests",
            "Restart: catalog requests before first paint",
            "count",
            restarts,
            0,
            op="<=",
            stat="max",
            runs=len(restarts),
            note=f"restart → catalog painted from cache: median {median(first_paints):.0f} ms"
            + (f"; PROBLEM: {'; '.join(hangs)}" if hangs else ""),
        ),
    ]
    emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
