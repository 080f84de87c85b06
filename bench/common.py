"""Shared helpers of the benchmark modules: statistics, results, prepared catalogs, Qt set-up."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / ".cache"
BENCH_STORE_ID = 9001  # the sandbox's "Toko Benchmark" (``--products N``)
FULL_PRODUCTS = 50_000
QUICK_PRODUCTS = 5_000
JSON_MARK = "BENCH-JSON "


# --- statistics ---------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default); ``q`` in 0..100."""
    if not values:
        return math.nan
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


@dataclass
class Figure:
    """One row of the table. ``stat`` names the statistic compared with ``budget``."""

    key: str
    name: str
    unit: str
    samples: list[float]
    budget: float
    op: str = "<="  # "<=" | ">=" | "=="
    stat: str = "median"  # "median" | "p95" | "p99" | "max"
    note: str = ""
    runs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, stat: str | None = None) -> float:
        stat = stat or self.stat
        if stat == "median":
            return median(self.samples)
        if stat == "max":
            return max(self.samples) if self.samples else math.nan
        return percentile(self.samples, float(stat[1:]))

    @property
    def ok(self) -> bool:
        v = self.value()
        if math.isnan(v):
            return False
        if self.op == "<=":
            return v <= self.budget
        if self.op == ">=":
            return v >= self.budget
        return v == self.budget

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        return cls(**data)


class LogCounter(logging.Handler):
    """Collects the app's log records at WARNING and above (instead of printing tracebacks)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def summary(self) -> str:
        if not self.records:
            return ""
        counts: dict[str, int] = {}
        for r in self.records:
            text = r.getMessage()
            if r.exc_info and r.exc_info[1] is not None:
                text += f" ({type(r.exc_info[1]).__name__})"
            counts[text] = counts.get(text, 0) + 1
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
        return f"{len(self.records)} log warnings/errors, e.g. " + "; ".join(
            f"{n}× {t}" for t, n in top
        )


LOGS = LogCounter()
logging.getLogger().addHandler(LOGS)


def emit(figures: list[Figure]) -> None:
    """Print the figures for :mod:`bench.run` (one line) and a readable summary."""
    if LOGS.records:
        print(f"  app log: {LOGS.summary()}", file=sys.stderr)
        for f in figures:
            f.extra["app_log"] = LOGS.summary()
    for f in figures:
        if f.note:
            print(f"  ({f.note})", file=sys.stderr)
        print(
            f"  {f.name}: median {fmt(f.value('median'), f.unit)}, "
            f"p95 {fmt(f.value('p95'), f.unit)} ({len(f.samples)} samples) "
            f"{'OK' if f.ok else 'OVER'}",
            file=sys.stderr,
        )
    if os.environ.get("KASIR_BENCH_JSON") == "1":
        print(JSON_MARK + json.dumps([f.to_json() for f in figures]), flush=True)


def fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "x":
        return f"{value:.2f}×"
    if unit == "share":
        return f"{value:.3f}"
    if unit == "count":
        return f"{value:g}"
    return f"{value:g} {unit}"


def parse_args(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer items and runs (CI)")
    parser.add_argument("--runs", type=int, default=None, help="runs per figure")
    return parser.parse_args(argv)


def runs_for(args: argparse.Namespace, full: int, quick: int) -> int:
    if args.runs:
        return max(1, int(args.runs))
    return quick if args.quick else full


def products_for(args: argparse.Namespace) -> int:
    return QUICK_PRODUCTS if args.quick else FULL_PRODUCTS


# --- memory -------------------------------------------------------------------------------
def rss_mib(field_name: str = "VmRSS") -> float:
    """This process's resident memory (``/proc/self/status``), MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field_name} not in /proc/self/status")


# --- prepared catalogs --------------------------------------------------------------------
def catalog_db(products: int) -> Path:
    """A Kasir database whose catalog cache holds the bench store synced from the sandbox.

    Built once per product count (a real sync over HTTP with the rate limit off, ~30 s for
    50k) and kept in ``bench/.cache``. Rebuilt when the cache row was written by another
    Python (the cache format is tied to the marshal version).
    """
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"catalog-{products}.sqlite3"
    if path.exists() and _cache_usable(path):
        return path
    tmp_dir = Path(tempfile.mkdtemp(prefix="kasir-bench-build-"))
    try:
        tmp = tmp_dir / "kasir.sqlite3"
        started = time.perf_counter()
        asyncio.run(_sync_into(tmp, tmp_dir / "sandbox", products))
        print(
            f"  (prepared a {products}-product catalog in {time.perf_counter() - started:.0f} s)",
            file=sys.stderr,
        )
        _checkpoint(tmp)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.move(str(tmp), path)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return path


def _cache_usable(path: Path) -> bool:
    from pos.storage import CatalogCache, Database

    try:
        db = Database.open(path, read_only=True)
    except Exception:
        return False
    try:
        return CatalogCache(db).load(BENCH_STORE_ID) is not None
    except Exception:
        return False
    finally:
        db.close()


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


async def _sync_into(db_path: Path, sandbox_dir: Path, products: int) -> None:
    from pos.api.client import ScalevClient
    from pos.sandbox import DEMO_API_KEY, SandboxServer
    from pos.services.catalog import CatalogService
    from pos.storage import CatalogCache, Database

    server = SandboxServer(sandbox_dir, port=0, rate_limit=False, products=products).start()
    db = Database.open(db_path)
    try:
        # The sandbox's limit is off, so the client's own 100/10 s limiter is lifted too.
        async with ScalevClient(server.base_url, DEMO_API_KEY, rate_limit=(10**9, 1.0)) as c:
            service = CatalogService(c, CatalogCache(db))
            store = next(s for s in await service.list_stores() if s.id == BENCH_STORE_ID)
            await service.load(store)
    finally:
        db.close()
        server.stop()


@contextmanager
def data_dir_with_catalog(products: int, *, last_store: bool = True) -> Iterator[Path]:
    """A temporary Kasir data folder holding a copy of the prepared catalog database."""
    src = catalog_db(products)
    tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-"))
    try:
        shutil.copyfile(src, tmp / "kasir.sqlite3")
        if last_store:
            from pos.storage import Database, SettingsTable

            db = Database.open(tmp / "kasir.sqlite3")
            try:
                SettingsTable(db).set("last_store_id", str(BENCH_STORE_ID))
            finally:
                db.close()
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- Qt -----------------------------------------------------------------------------------
def qt_app() -> Any:
    """The QApplication (offscreen unless QT_QPA_PLATFORM says otherwise), with Kasir's style."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["kasir-bench"])
    assert isinstance(app, QApplication)
    from ui.app import style_sheet

    app.setStyleSheet(style_sheet())
    return app


class PaintProbe:
    """Counts paint events of one widget (an event filter); ``wait()`` spins Qt until one."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        paint = QEvent.Type.Paint

        class _Filter(QObject):
            def __init__(self, probe: PaintProbe) -> None:
                super().__init__()
                self.probe = probe

            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == paint:
                    self.probe.count += 1
                return False

        self.count = 0
        self.widget = widget
        self._filter = _Filter(self)
        widget.installEventFilter(self._filter)

    def wait(
        self, after: int, timeout: float = 10.0, spin: Callable[[], None] | None = None
    ) -> bool:
        """Process events until ``count`` exceeds ``after`` (True) or ``timeout`` (False)."""
        from PySide6.QtWidgets import QApplication

        deadline = time.perf_counter() + timeout
        while self.count <= after:
            if spin is not None:
                spin()
            else:
                QApplication.processEvents()
            if time.perf_counter() > deadline:
                return False
        return True

    def close(self) -> None:
        self.widget.removeEventFilter(self._filter)


def ms(seconds: float) -> float:
    return seconds * 1000.0
