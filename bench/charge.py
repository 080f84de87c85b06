"""Charge → QR shown, minus the server's own time (loopback sandbox, no latency, no faults).

The real sale screen (``ui.app.build_window``) with a real ``ScalevClient`` and a real SQLite
journal (WAL, ``synchronous=FULL``) in a temporary folder. Each run: two digital items in the
cart, checkout form filled, then F9 (``MainWindow.charge_or_submit``) → journal → ``POST
/v3/orders`` → ``order_created`` → QR drawn → payment page's QR label painted. The sandbox's
own time per request is measured by an ASGI wrapper around the sandbox app (from the call to
the last byte handed to the server), and the server time of ``POST /v3/orders`` is subtracted.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_STORE_ID,
    Figure,
    PaintProbe,
    emit,
    median,
    ms,
    parse_args,
    qt_app,
    runs_for,
)

SERVER: list[tuple[float, float, str, str]] = []  # (start, end, method, path)
_LOCK = threading.Lock()


def _timed_sandbox() -> Any:
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
                with _LOCK:
                    SERVER.append((t0, time.perf_counter(), scope["method"], scope["path"]))

        return app

    server_mod.build_app = build_app
    return server_mod.SandboxServer


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=20, quick=5)
    app = qt_app()
    import qasync

    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY
    from pos.storage import Database
    from ui.app import build_window
    from ui.main_window import PAGE_PAYMENT, PAGE_SALE
    from ui.netclient import Outcomes

    sandbox_cls = _timed_sandbox()
    tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-charge-"))
    server = sandbox_cls(tmp / "sandbox", port=0, rate_limit=False, products=300).start()
    client_times: dict[str, float] = {}

    async def on_request(request: Any) -> None:
        if request.method == "POST" and request.url.path == "/v3/orders":
            client_times["sent"] = time.perf_counter()

    async def on_response(response: Any) -> None:
        if response.request.method == "POST" and response.request.url.path == "/v3/orders":
            client_times["answered"] = time.perf_counter()

    totals: list[float] = []
    pre: list[float] = []
    post: list[float] = []
    net: list[float] = []
    server_ms: list[float] = []

    async def scenario() -> None:
        outcomes = Outcomes()  # each successful response pokes the outbox, as in the app
        client = ScalevClient(
            server.base_url,
            DEMO_API_KEY,
            event_hooks={"request": [on_request], "response": [on_response]},
            on_outcome=outcomes,
        )
        db = Database.open(tmp / "kasir.sqlite3")
        window, controller, runner, _notifier = build_window(
            client,
            db=db,
            demo=True,
            sandbox_origin=server.base_url,
            poll_interval=60.0,
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
            digital = [it for it in controller.items if it.item_type == "digital"][:2]
            assert len(digital) == 2, "the bench store has no digital items"
            qr = PaintProbe(window.payment.qr)
            for _ in range(runs + 1):  # the first run warms up (imports, first QR, fonts)
                window.new_sale()
                await asyncio.sleep(0.05)
                for item in digital:
                    controller.add_item(item)
                window.go_checkout()
                window.checkout.name.setText("Siti Rahmawati")
                window.checkout.phone.setText("0812-3456-7890")
                await asyncio.sleep(0.05)
                client_times.clear()
                seen = qr.count
                with _LOCK:
                    SERVER.clear()
                t0 = time.perf_counter()
                window.charge_or_submit()
                while qr.count <= seen or window.page() != PAGE_PAYMENT:
                    await asyncio.sleep(0)
                    if time.perf_counter() - t0 > 30:
                        raise RuntimeError("the QR was never shown")
                t1 = time.perf_counter()
                with _LOCK:
                    posts = [e - s for s, e, m, p in SERVER if m == "POST" and p == "/v3/orders"]
                assert len(posts) == 1, f"expected one POST /v3/orders, saw {len(posts)}"
                if _ == 0:
                    continue
                srv = posts[0]
                totals.append(ms(t1 - t0 - srv))
                server_ms.append(ms(srv))
                pre.append(ms(client_times["sent"] - t0))
                post.append(ms(t1 - client_times["answered"]))
                net.append(ms(client_times["answered"] - client_times["sent"] - srv))
            window.new_sale()
            assert window.page() == PAGE_SALE
        finally:
            await runner.shutdown()
            await client.aclose()
            window.close()
            db.close()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(scenario())
    finally:
        asyncio.set_event_loop(None)
        loop.close()
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    note = (
        f"medians: before the POST (journal) {median(pre):.1f} ms, HTTP round trip minus "
        f"server {median(net):.1f} ms, after the reply (journal + QR + paint) "
        f"{median(post):.1f} ms; server's own time {median(server_ms):.1f} ms"
    )
    emit(
        [
            Figure(
                "charge_qr",
                "Charge → QR shown, minus server time",
                "ms",
                totals,
                50,
                stat="median",
                runs=runs,
                note=note,
            )
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
