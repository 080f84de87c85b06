"""UI event-loop lag while the outbox drains 500 queued sales (qasync, offscreen Qt).

500 sales are journaled the way the sale screen leaves them when the network is down
(``draft`` → ``sending`` → ``queued``, one attempt recorded, so each is looked up before it is
resent). Then ``OutboxService.drain_once`` (``pos/services/outbox.py``; before it existed,
``CheckoutService.reconcile_unfinished``) drives them all against the sandbox, on the qasync
loop, while a 10 ms ``QTimer`` (PreciseTimer) records how late each tick fires. Lag = interval
between ticks minus 10 ms. The sandbox runs in its own process (so its CPU work does not hold
this process's GIL), with its rate limit off and the client's limiter lifted: the worst case
for the loop, since nothing paces the drain.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_STORE_ID,
    Figure,
    emit,
    median,
    ms,
    parse_args,
    percentile,
    qt_app,
    runs_for,
)
from bench.scenario import run_qasync

TICK_MS = 10


def start_sandbox(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "pos.sandbox", "--port", "0", "--no-rate-limit", "--quiet"]
    cmd += ["--data-dir", str(data_dir), "--products", "300"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"listening on (\S+)", line)
        if found:
            return proc, found.group(1)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("the sandbox did not start")


def queue_sales(journal: Any, store: Any, items: list[Any], count: int, run: int) -> None:
    from pos.domain.cart import Cart
    from pos.domain.customer import make_customer
    from pos.domain.sale import build_order_body, draft_from_cart

    for i in range(count):
        cart = Cart()
        cart.add(items[i % len(items)], 1 + i % 3)
        cart.add(items[(i + 1) % len(items)], 1)
        customer = make_customer(f"Pelanggan {run}-{i}", f"0812{run:02d}{i:06d}", None)
        draft = draft_from_cart(store, cart, customer, "payment_link")
        pos_ref = str(uuid.uuid4())
        body = build_order_body(draft, pos_ref=pos_ref, terminal="KASIR-01")
        journal.new_sale(draft, body, pos_ref=pos_ref)
        journal.mark_sending(pos_ref)
        journal.mark_queued(pos_ref, "network down")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=5, quick=1)
    sales = 100 if args.quick else 500
    app = qt_app()
    from PySide6.QtCore import Qt, QTimer

    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY
    from pos.services.catalog import CatalogService
    from pos.services.checkout import CheckoutService
    from pos.storage import Database, SaleJournal, SaleState

    try:
        from pos.services.outbox import OutboxService
    except ImportError:  # pragma: no cover - before the outbox existed
        OutboxService = None  # type: ignore[assignment,misc]

    tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-lag-"))
    proc, base_url = start_sandbox(tmp / "sandbox")
    lags: list[float] = []
    per_run: list[str] = []

    async def scenario() -> None:
        async with ScalevClient(base_url, DEMO_API_KEY, rate_limit=(10**9, 1.0)) as client:
            catalog = CatalogService(client)
            store = next(s for s in await catalog.list_stores() if s.id == BENCH_STORE_ID)
            items = [it for it in await catalog.load(store) if it.item_type == "digital"][:50]
            for run in range(runs):
                db = Database.open(tmp / f"kasir-{run}.sqlite3")
                journal = SaleJournal(db)
                queue_sales(journal, store, items, sales, run)
                checkout = CheckoutService(client, journal)
                ticks: list[float] = []
                timer = QTimer()
                timer.setTimerType(Qt.TimerType.PreciseTimer)
                timer.setInterval(TICK_MS)
                timer.timeout.connect(lambda t=ticks: t.append(time.perf_counter()))
                await asyncio.sleep(0.05)
                timer.start()
                t0 = time.perf_counter()
                if OutboxService is not None:
                    report = await OutboxService(checkout, journal).drain_once()
                    done = len(report.created)
                else:  # pragma: no cover
                    results = await checkout.reconcile_unfinished()
                    done = sum(1 for r in results.values() if not isinstance(r, BaseException))
                elapsed = time.perf_counter() - t0
                timer.stop()
                left = journal.count_in_states([SaleState.QUEUED, SaleState.SENDING])
                db.close()
                run_lags = [max(0.0, ms(b - a) - TICK_MS) for a, b in pairwise(ticks)]
                lags.extend(run_lags)
                per_run.append(
                    f"run {run + 1}: {done}/{sales} created in {elapsed:.1f} s "
                    f"({sales / elapsed:.0f} sales/s), {left} left, lag p99 "
                    f"{percentile(run_lags, 99):.1f} ms, max {max(run_lags):.0f} ms"
                )
                print("  " + per_run[-1], file=sys.stderr)
                if done != sales:
                    raise RuntimeError(f"only {done} of {sales} sales were created")

    try:
        run_qasync(app, scenario)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    emit(
        [
            Figure(
                "loop_lag",
                f"UI event-loop lag while {sales} queued sales sync",
                "ms",
                lags,
                50,
                stat="p99",
                runs=runs,
                note=f"{len(lags)} ticks of {TICK_MS} ms; median lag {median(lags):.1f} ms; "
                + per_run[len(per_run) // 2],
            )
        ]
    )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
