"""Child process of :mod:`bench.startup`: the bare PySide6 window the start-up ratio divides by.

``python -m bench.startup_probe bare`` shows a plain 1366×768 ``QMainWindow`` with a label,
prints ``READY`` after its first paint and exits at once. Kasir itself needs no probe: it runs
as ``python -m ui`` with ``KASIR_BENCH_READY=1`` (its own marker after the catalog grid's first
paint with items) and ``KASIR_BENCH_EXIT=1`` (then quits).

``KASIR_BENCH_PROFILE=file.prof python -m bench.startup_probe app --data-dir DIR`` profiles a
Kasir start-up (cProfile, saved at its READY).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

START = time.perf_counter()
# KASIR_BENCH_PROFILE=/path/file.prof: profile the start-up (cProfile) and save it at READY.
_PROFILE_PATH = os.environ.get("KASIR_BENCH_PROFILE")
_PROFILER: Any = None
if _PROFILE_PATH:
    import cProfile

    _PROFILER = cProfile.Profile()
    _PROFILER.enable()


def _ready() -> None:
    sys.stdout.write(f"READY {(time.perf_counter() - START) * 1000:.1f}\n")
    sys.stdout.flush()
    if _PROFILER is not None:
        _PROFILER.disable()
        _PROFILER.dump_stats(_PROFILE_PATH)
    os._exit(0)


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class Label(QLabel):
        def paintEvent(self, event: Any) -> None:
            super().paintEvent(event)
            _ready()

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.setCentralWidget(Label("Kasir", window))
    window.resize(1366, 768)
    window.show()
    return app.exec()


def kasir(argv: list[str]) -> int:
    """Kasir with its own READY marker; the profile (if any) is saved when it quits."""
    os.environ.update(KASIR_BENCH_READY="1", KASIR_BENCH_EXIT="1")
    from ui.app import main

    try:
        return main(argv)
    finally:
        if _PROFILER is not None:
            _PROFILER.disable()
            _PROFILER.dump_stats(_PROFILE_PATH)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "bare"
    sys.exit(bare() if mode == "bare" else kasir(sys.argv[2:]))
