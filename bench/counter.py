"""Counter sales (issue 13): keystrokes and Kasir's own time from the first scan to "new sale".

The real window (``ui.app.build_window``), a real ``ScalevClient`` and a real SQLite journal,
against the loopback sandbox (its own time per request is measured by an ASGI wrapper and
subtracted). The till is set up for walk-in sales (setting ``walk_in_phone``); every key goes
through Qt as a key event (``QTest``), so shortcuts, focus and validation are the real ones.

- **Cash**, 3 items: 3 scans (a keyboard-wedge scanner types the SKU and Enter: one action of
  the cashier each), F9 (checkout), F6 (walk-in customer), F8 (cash), Enter (exact cash; the
  order is created, marked paid and tagged), Ctrl+N (new sale). Timed from the first scan to the
  sale screen after Ctrl+N.
- **QRIS**, 3 items: 3 scans, F9, F6, Shift+Tab (to the payment method), Q (QRIS), F9 (create;
  the QRIS ``qr_string`` is fetched and drawn), then — after the customer paid, which is not
  Kasir's time and not timed — Ctrl+N. Timed: first scan → QRIS drawn, plus Ctrl+N → sale screen.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.charge import _LOCK, SERVER, _timed_sandbox
from bench.common import BENCH_STORE_ID, Figure, emit, median, ms, parse_args, qt_app, runs_for


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=15, quick=3)
    app = qt_app()
    import httpx
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY
    from pos.storage import Database
    from ui.app import build_window
    from ui.controllers import MemorySettings
    from ui.main_window import PAGE_PAYMENT, PAGE_SALE
    from ui.netclient import Outcomes

    sandbox_cls = _timed_sandbox()
    tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-counter-"))
    server = sandbox_cls(tmp / "sandbox", port=0, rate_limit=False, products=300).start()
    cash_ms: list[float] = []
    qris_ms: list[float] = []
    cash_keys: list[float] = []
    qris_keys: list[float] = []
    server_cash: list[float] = []

    def server_time(t0: float, t1: float) -> float:
        with _LOCK:
            return sum(e - s for s, e, _m, _p in SERVER if s >= t0 and e <= t1)

    async def wait_for(check: Any, what: str) -> None:
        started = time.perf_counter()
        while not check():
            await asyncio.sleep(0)
            if time.perf_counter() - started > 30:
                raise RuntimeError(f"never happened: {what}")

    async def scenario() -> None:
        outcomes = Outcomes()  # each successful response pokes the outbox, as in the app
        client = ScalevClient(server.base_url, DEMO_API_KEY, on_outcome=outcomes)
        db = Database.open(tmp / "kasir.sqlite3")
        settings = MemorySettings()
        settings.set("walk_in_phone", "0811-0000-1111")
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
        window.activateWindow()
        keys = 0

        def key(widget: Any, k: Any, mod: Any = Qt.KeyboardModifier.NoModifier) -> None:
            nonlocal keys
            keys += 1
            QTest.keyClick(widget, k, mod)

        def scan(sku: str) -> None:
            nonlocal keys
            keys += 1  # the scanner's, one action of the cashier
            search = window.catalog.search
            QTest.keyClicks(search, sku)
            QTest.keyClick(search, Qt.Key.Key_Return)

        try:
            stores = await controller.catalog.list_stores()
            store = next(s for s in stores if s.id == BENCH_STORE_ID)
            controller.stores = stores
            controller.select_store(store)
            while runner.is_busy("catalog") or runner.is_busy("methods"):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            skus = [it.sku for it in controller.items if it.item_type == "digital" and it.sku][:3]
            assert len(skus) == 3, "the bench store has no digital items"
            window.build_pages()
            for i in range(runs + 1):  # the first run warms up (imports, first QR, fonts)
                window.new_sale()
                await asyncio.sleep(0.05)
                # --- cash -------------------------------------------------------------
                keys = 0
                t0 = time.perf_counter()
                for sku in skus:
                    scan(sku)
                key(window.catalog.search, Qt.Key.Key_F9)
                co = window.checkout
                key(co.name, Qt.Key.Key_F6)
                key(co.note, Qt.Key.Key_F8)
                key(co.cash.received, Qt.Key.Key_Return)
                await wait_for(
                    lambda: window.page() == PAGE_PAYMENT and window.payment.state() == "paid",
                    "cash sale paid",
                )
                key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                await wait_for(lambda: window.page() == PAGE_SALE, "new sale")
                t1 = time.perf_counter()
                srv = server_time(t0, t1)
                if i:
                    cash_ms.append(ms(t1 - t0 - srv))
                    server_cash.append(ms(srv))
                    cash_keys.append(keys)
                await asyncio.sleep(0.05)
                # --- QRIS -------------------------------------------------------------
                keys = 0
                t0 = time.perf_counter()
                for sku in skus:
                    scan(sku)
                key(window.catalog.search, Qt.Key.Key_F9)
                key(co.name, Qt.Key.Key_F6)
                key(co.note, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
                key(co.method, Qt.Key.Key_Q)
                assert co.method.currentData() == "qris", co.method.currentData()
                key(co.method, Qt.Key.Key_F9)
                await wait_for(lambda: bool(window.payment.qris_string), "QRIS drawn")
                t1 = time.perf_counter()
                srv = server_time(t0, t1)
                order = controller.order
                assert order is not None
                # the customer pays (not timed), then the cashier starts the next sale
                async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as ctl:
                    await ctl.post(f"/__sandbox/orders/{order.id}/pay")
                controller.check_now()
                await wait_for(lambda: window.payment.state() == "paid", "QRIS paid")
                t2 = time.perf_counter()
                key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
                await wait_for(lambda: window.page() == PAGE_SALE, "new sale")
                t3 = time.perf_counter()
                if i:
                    qris_ms.append(ms(t1 - t0 - srv + t3 - t2 - server_time(t2, t3)))
                    qris_keys.append(keys)
            window.new_sale()
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

    emit(
        [
            Figure(
                "counter_cash",
                "3-item cash sale: first scan → new sale, minus server time",
                "ms",
                cash_ms,
                150,
                stat="median",
                runs=runs,
                note=f"server's own time (create, mark paid, tag) median "
                f"{median(server_cash):.1f} ms",
            ),
            Figure(
                "counter_qris",
                "3-item QRIS sale: first scan → QRIS shown, + new sale, minus server time",
                "ms",
                qris_ms,
                150,
                stat="median",
                runs=runs,
            ),
            Figure(
                "counter_keys",
                "Keystrokes: 3-item cash sale / QRIS sale (a scan counts one)",
                "count",
                [*cash_keys, *qris_keys],
                12,
                stat="max",
                runs=runs,
                note=f"cash {median(cash_keys):g}, QRIS {median(qris_keys):g} "
                "(F9, F6 walk-in, F8 cash, Enter exact / Shift+Tab, Q, F9; Ctrl+N)",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
