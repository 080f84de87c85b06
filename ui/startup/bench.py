"""The start-up's one hook for bench/: :class:`BenchObserver` (made by the composition root,
``ui.app``, from ``KASIR_BENCH_*``; the app itself never reads them) and the clock it reads."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class BenchObserver:
    """The start-up's milestones for bench/ (the composition root makes one from
    ``KASIR_BENCH_*``; the app itself never reads them):

    - ``ready``: print ``READY <ms since process start> items=<in the grid>`` in the turn after
      the catalog grid's first paint, then ``COMPLETE <ms>`` once every cached item is in;
    - ``exit_after_ready``: then close the window (the network is never started);
    - ``lag_ms``: instead go on starting (and online) for that long while a 5 ms timer
      measures the event loop, print ``LAG <longest gap ms>``, then close.
    """

    def __init__(
        self,
        *,
        ready: bool = False,
        exit_after_ready: bool = False,
        lag_ms: int = 0,
        out: TextIO | None = None,
    ) -> None:
        self.ready = ready
        self.exit_after_ready = exit_after_ready
        self.lag_ms = lag_ms
        self._out = out

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BenchObserver | None:
        """The one reader of ``KASIR_BENCH_READY`` / ``_EXIT`` / ``_LAG_MS``."""
        observer = cls(
            ready=env.get("KASIR_BENCH_READY") == "1",
            exit_after_ready=env.get("KASIR_BENCH_EXIT") == "1",
            lag_ms=int(env.get("KASIR_BENCH_LAG_MS") or 0),
        )
        return observer if observer.ready or observer.exit_after_ready else None

    @property
    def stops_before_network(self) -> bool:
        return self.exit_after_ready and self.lag_ms <= 0

    def _write(self, line: str) -> None:
        out = self._out or sys.stdout
        out.write(line + "\n")
        out.flush()

    def painted(self, window: MainWindow) -> None:
        if self.ready:
            items = window.catalog.model.total_count()
            self._write(f"READY {process_ms():.1f} items={items}")
        if self.lag_ms > 0:
            _measure_lag(window, self.lag_ms, self._write)
        elif self.exit_after_ready:
            window.close()

    def complete(self) -> None:
        if self.ready:
            self._write(f"COMPLETE {process_ms():.1f}")


def process_ms() -> float:
    """Milliseconds since this process started (Linux: /proc; else since this module's import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED) * 1000


_IMPORTED = time.perf_counter()


def _measure_lag(window: MainWindow, duration_ms: int, write: Callable[[str], None]) -> None:
    """The longest gap between ticks of a 5 ms timer over ``duration_ms`` (bench/startup.py)."""
    start = last = time.perf_counter()
    longest = 0.0

    def tick() -> None:
        nonlocal last, longest
        now = time.perf_counter()
        longest = max(longest, (now - last) * 1000)
        last = now
        if (now - start) * 1000 < duration_ms:
            QTimer.singleShot(5, tick)
        else:
            write(f"LAG {longest:.1f}")
            window.close()

    QTimer.singleShot(5, tick)
