"""Shared set-up of the benchmarks that drive Kasir against a live sandbox on the qasync loop.

- :func:`run_qasync`: run one scenario coroutine on a fresh ``qasync.QEventLoop`` and close it.
- :func:`timed_sandbox`: an in-process sandbox (300-product bench store, rate limit off) whose
  own time per request is recorded in :data:`SERVER`, in a temporary folder removed afterwards.
- :func:`sale_window`: the real window (``ui.app.build_window``) with a real ``ScalevClient`` and
  SQLite journal, the bench store selected and its catalog loaded; closed afterwards.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from bench.common import BENCH_STORE_ID

T = TypeVar("T")

SERVER: list[tuple[float, float, str, str]] = []  # (start, end, method, path)
SERVER_LOCK = threading.Lock()


def run_qasync(app: Any, scenario: Callable[[], Awaitable[T]]) -> T:
    """``scenario()`` run to its end on a new qasync loop over ``app`` (closed afterwards)."""
    import qasync

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(scenario())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def _timed_sandbox_class() -> Any:
    """``SandboxServer`` whose ASGI app records each request's server time in SERVER."""
    import pos.sandbox.server as server_mod

    original = server_mod.build_app

    def build_app(core: Any) -> Any:
        inner = original(core)

        async def app(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await inner(scope, receive, send)
                return
            t0 = time.perf_counter()
            try:
                await inner(scope, receive, send)
            finally:
                with SERVER_LOCK:
                    SERVER.append((t0, time.perf_counter(), scope["method"], scope["path"]))

        return app

    server_mod.build_app = build_app
    return server_mod.SandboxServer


@contextmanager
def timed_sandbox(prefix: str) -> Iterator[tuple[Any, Path]]:
    """``(started sandbox, temporary folder)``; the sandbox stops and the folder goes after."""
    sandbox_cls = _timed_sandbox_class()
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    server = sandbox_cls(tmp / "sandbox", port=0, rate_limit=False, products=300).start()
    try:
        yield server, tmp
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def server_time(t0: float, t1: float) -> float:
    """Seconds the sandbox spent on the requests that started and ended within ``[t0, t1]``."""
    with SERVER_LOCK:
        return sum(e - s for s, e, _m, _p in SERVER if s >= t0 and e <= t1)


@asynccontextmanager
async def sale_window(
    server: Any, tmp: Path, *, settings: Any = None, event_hooks: Any = None
) -> AsyncIterator[tuple[Any, Any, Any]]:
    """``(window, controller, runner)`` of a shown 1366×768 window on the bench store, its
    catalog loaded; the tasks, the client, the window and the journal are closed afterwards."""
    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY
    from pos.storage import Database
    from ui.app import build_window
    from ui.netclient import Outcomes

    outcomes = Outcomes()  # each successful response pokes the outbox, as in the app
    client = ScalevClient(
        server.base_url, DEMO_API_KEY, event_hooks=event_hooks, on_outcome=outcomes
    )
    db = Database.open(tmp / "kasir.sqlite3")
    window, controller, runner, _notifier = build_window(
        client,
        db=db,
        demo=True,
        sandbox_origin=server.base_url,
        poll_interval=60.0,
        settings=settings,
        outcomes=outcomes,
    )
    window.resize(1366, 768)
    window.show()
    try:
        stores = await controller.catalog.list_stores()
        store = next(s for s in stores if s.id == BENCH_STORE_ID)
        controller.stores = stores
        controller.select_store(store)
        while runner.is_busy("catalog") or runner.is_busy("methods"):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        yield window, controller, runner
    finally:
        await runner.shutdown()
        await client.aclose()
        window.close()
        db.close()
