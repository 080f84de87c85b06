"""Child process of :mod:`bench.startup`: start Kasir (or a bare window), print READY once the
catalog grid (or the bare window) has painted, exit at once.

``python -m bench.startup_probe app --data-dir DIR`` runs ``ui.app.main`` unchanged; the only
addition is a ``paintEvent`` override on the catalog grid class that prints ``READY`` after the
first paint with items. (Until ui.app exposes a ready marker of its own, see
docs/BENCHMARKS.md.) ``python -m bench.startup_probe bare`` shows a plain 1366×768
``QMainWindow`` with a label and prints ``READY`` after its first paint.
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
    from ui import catalog_view

    class Grid(catalog_view.CatalogListView):
        def paintEvent(self, event: Any) -> None:
            super().paintEvent(event)
            model = self.model()
            if model is not None and model.rowCount() > 0:
                _ready()

    catalog_view.CatalogListView = Grid  # type: ignore[misc]
    from ui.app import main

    return main(argv)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "bare"
    sys.exit(bare() if mode == "bare" else kasir(sys.argv[2:]))
