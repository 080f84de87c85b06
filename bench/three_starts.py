"""Three tills of one store start together, then sell: the key's budget is left for orders.

Three real Kasir processes (``python -m ui``) start at the same moment, each on its own data
folder holding the store's catalog cached an hour ago (the 50k-product bench catalog; 5k
with ``--quick``), against one sandbox with its rate limit on (and its hourly limit, when the
sandbox offers one: ``--hourly-limit N``, also given to Kasir as ``KASIR_HOURLY_LIMIT``).
Once all three have painted and their start-up requests have died down, 30 sales go out on
the same key (three clients of 10 sales each, ``CheckoutService`` as the sale screen uses
it) while the three tills stay up. Then SIGTERM closes the tills.

Figures: order failures (must be 0), 429 answers to ``POST /v3/orders`` (must be 0), and the
requests each start used (sandbox request log over the start-up / 3; the catalog, younger
than the 4 h refresh age, is painted from the cache and not fetched again).
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_STORE_ID,
    FULL_PRODUCTS,
    QUICK_PRODUCTS,
    ROOT,
    Figure,
    catalog_db,
    emit,
)

TILLS = 3
SALES = 30


def _data_dir(src: Path, parent: Path, n: int, age_h: float) -> Path:
    """A till's folder: the prepared catalog cached ``age_h`` ago, the bench store last used."""
    from pos.storage import Database, SettingsTable

    folder = parent / f"till-{n}"
    folder.mkdir()
    shutil.copyfile(src, folder / "kasir.sqlite3")
    db = Database.open(folder / "kasir.sqlite3")
    try:
        SettingsTable(db).set("last_store_id", str(BENCH_STORE_ID))
        saved = (datetime.now(UTC) - timedelta(hours=age_h)).isoformat()
        with db.transaction() as c:
            c.execute("UPDATE catalog_cache SET saved_at = ?", (saved,))
    finally:
        db.close()
    return folder


def _sandbox(folder: Path, products: int, hourly_limit: int) -> Any:
    from pos.sandbox import SandboxServer

    kw: dict[str, Any] = {"port": 0, "rate_limit": True, "products": products}
    if "hourly_limit" in inspect.signature(SandboxServer).parameters:
        kw["hourly_limit"] = hourly_limit
    return SandboxServer(folder, **kw).start()


def _requests(base_url: str) -> list[dict[str, Any]]:
    import httpx

    with httpx.Client(base_url=base_url, timeout=10) as http:
        data: list[dict[str, Any]] = http.get("/__sandbox/requests").json()["data"]
        return data


def _request_count(base_url: str) -> int:
    return len(_requests(base_url))


def _wait_online(base_url: str, limit_s: float = 120.0) -> None:
    """Until every till has asked for the store list (its first request once online)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        asked = [r for r in _requests(base_url) if r["path"] == "/v3/stores/simplified"]
        if len(asked) >= TILLS:
            return
        time.sleep(0.25)
    raise RuntimeError("the tills never went online")


def _wait_quiet(base_url: str, quiet_s: float = 3.0, limit_s: float = 60.0) -> int:
    """The sandbox's request count once it has not moved for ``quiet_s``."""
    _wait_online(base_url)
    deadline = time.monotonic() + limit_s
    last, since = _request_count(base_url), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _request_count(base_url)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return last


async def _sell(base_url: str, work: Path) -> tuple[int, int, list[float]]:
    """30 sales, 10 per till-like client, interleaved; (failures, 429s on orders, seconds)."""
    from pos.api.client import ScalevClient
    from pos.api.ratelimit import RequestOutcome
    from pos.domain.customer import Customer
    from pos.domain.sale import SaleDraft, SaleLine
    from pos.sandbox import DEMO_API_KEY
    from pos.services.checkout import CheckoutService
    from pos.storage import Database, SaleJournal

    limited = 0

    def on_outcome(outcome: RequestOutcome) -> None:
        nonlocal limited
        if outcome.status == 429 and outcome.method == "POST" and outcome.path == "/v3/orders":
            limited += 1

    async with ScalevClient(base_url, DEMO_API_KEY) as probe:
        stores = [s async for s in probe.list_stores()]
        store = next(s for s in stores if s.id == BENCH_STORE_ID)
        variant = None
        async for sp in probe.list_store_products(BENCH_STORE_ID, page_size=5):
            variant = next((v for v in sp.variants if v.unique_id and v.price), None)
            if variant is not None:
                break  # the first page only: this look-up is not part of the scenario
        assert variant is not None, "the bench store has no priced variant"
    line = SaleLine(
        f"v:{variant.unique_id}",
        "variant",
        str(variant.unique_id),
        variant.fullname or "item",
        int(variant.price or 0),
        1,
    )
    failures = 0
    times: list[float] = []

    async def till(n: int) -> None:
        nonlocal failures
        db = Database.open(work / f"seller-{n}.sqlite3")
        async with ScalevClient(base_url, DEMO_API_KEY, on_outcome=on_outcome) as client:
            checkout = CheckoutService(client, SaleJournal(db), terminal=f"BENCH-{n}")
            for i in range(SALES // TILLS):
                draft = SaleDraft(
                    store_id=store.id,
                    store_unique_id=store.unique_id,
                    store_name=store.name,
                    lines=(line,),
                    customer=Customer(f"Pelanggan {n}-{i}", f"62813{n:02d}{i:06d}", None),
                    payment_method="payment_link",
                )
                t0 = time.perf_counter()
                try:
                    await checkout.submit(draft)
                except Exception as exc:
                    failures += 1
                    print(f"  sale failed: {type(exc).__name__}: {exc}", file=sys.stderr)
                times.append(time.perf_counter() - t0)
        db.close()

    await asyncio.gather(*(till(n) for n in range(TILLS)))
    return failures, limited, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="the 5k catalog (CI)")
    parser.add_argument("--hourly-limit", type=int, default=10_000)
    parser.add_argument(
        "--stale",
        action="store_true",
        help="caches 5 h old: every till refreshes its catalog while the sales go out",
    )
    args = parser.parse_args(argv)
    age_h = 5.0 if args.stale else 1.0
    products = QUICK_PRODUCTS if args.quick else FULL_PRODUCTS
    src = catalog_db(products)
    work = Path(tempfile.mkdtemp(prefix="kasir-bench-three-"))
    server = _sandbox(work / "sandbox", products, args.hourly_limit)
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KASIR_BASE_URL=server.base_url,
        KASIR_API_KEY="sk_demo_kasir_2026",
        KASIR_HOURLY_LIMIT=str(args.hourly_limit),
        KASIR_BENCH_READY="1",
        KASIR_LOG_DIR=str(work / "log"),
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    env.pop("KASIR_BENCH_EXIT", None)
    procs: list[subprocess.Popen[str]] = []
    try:
        folders = [_data_dir(src, work, n, age_h) for n in range(TILLS)]
        before = _request_count(server.base_url)
        started = time.perf_counter()
        for folder in folders:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "ui", "--data-dir", str(folder)],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    text=True,
                )
            )
        ready: list[float] = []
        for proc in procs:
            assert proc.stdout is not None
            for out in proc.stdout:
                if out.startswith("READY"):
                    ready.append(time.perf_counter() - started)
                    break
        if len(ready) != TILLS:
            raise RuntimeError("a till never painted")
        if args.stale:  # the sales go out while the three refreshes page the catalog
            _wait_online(server.base_url)
            time.sleep(2.0)  # the refreshes under way
            failures, limited, times = asyncio.run(_sell(server.base_url, work))
            # paging pauses up to a whole 10 s window: quiet means quiet for longer than that
            used = _wait_quiet(server.base_url, quiet_s=12, limit_s=1800) - before - SALES
        else:
            used = _wait_quiet(server.base_url) - before
            failures, limited, times = asyncio.run(_sell(server.base_url, work))
        per_start = used / TILLS
        codes = []
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                codes.append(proc.wait(timeout=30))
            except subprocess.TimeoutExpired:
                proc.kill()
                codes.append(proc.wait())
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    from pos.services.catalog import refresh_cost

    note = (
        f"{TILLS} tills on the {products:,}-product catalog (cached {age_h:g} h ago) started "
        "together: "
        f"painted within {max(ready) * 1000:.0f} ms, {used} requests in all "
        f"({per_start:.1f} per start; a refresh would cost ≥ {refresh_cost(products):,}); "
        f"{SALES} sales in {sum(times):.1f} s (median {sorted(times)[len(times) // 2]:.2f} s); "
        f"SIGTERM exit codes {codes}"
    )
    emit(
        [
            Figure(
                "three_starts_order_failures",
                "Three tills start together, then 30 sales: order failures",
                "count",
                [float(failures)],
                0,
                op="==",
                stat="max",
                note=note,
            ),
            Figure(
                "three_starts_order_429",
                "Three tills start together, then 30 sales: 429s on orders",
                "count",
                [float(limited)],
                0,
                op="==",
                stat="max",
            ),
            Figure(
                "three_starts_requests_per_start",
                "Three tills start together: requests used per start",
                "count",
                [per_start],
                refresh_cost(products) * 2 if args.stale else 10,
                op="<=",
                stat="max",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
