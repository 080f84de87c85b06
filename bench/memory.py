"""Resident memory of the sale screen with the 50k catalog loaded (``/proc/self/status``).

Each run is a fresh process (``python -m bench.memory --child N``): offscreen QApplication,
the real ``MainWindow`` (``ui.app.build_window``) shown at 1366×768, the catalog read from the
cache and handed to the grid, the grid painted and scrolled to the middle and the end, then
``VmRSS`` is read (``VmHWM``, the peak, is reported alongside).
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.common import (
    BENCH_STORE_ID,
    Figure,
    PaintProbe,
    catalog_db,
    data_dir_with_catalog,
    emit,
    median,
    parse_args,
    products_for,
    qt_app,
    rss_mib,
    runs_for,
)


def child(products: int) -> dict[str, float]:
    app = qt_app()
    from pos.services.catalog import CatalogService
    from pos.storage import CatalogCache, Database
    from ui.app import build_window

    with data_dir_with_catalog(products) as data_dir:
        db = Database.open(data_dir / "kasir.sqlite3")
        window, controller, _runner, _notifier = build_window(object(), db=db)
        window.resize(1366, 768)
        window.show()
        for _ in range(10):
            app.processEvents()
        base = rss_mib()
        items = CatalogService(object(), CatalogCache(db)).cached(BENCH_STORE_ID)
        assert items is not None
        controller.items = list(items)
        controller.catalog_changed.emit(controller.items)
        viewport = window.catalog.view.viewport()
        probe = PaintProbe(viewport)
        probe.wait(0)
        bar = window.catalog.view.verticalScrollBar()
        for value in (bar.maximum() // 2, bar.maximum(), 0):
            bar.setValue(value)
            viewport.repaint()
            app.processEvents()
        for _ in range(50):
            app.processEvents()
        result = {
            "rss": rss_mib(),
            "hwm": rss_mib("VmHWM"),
            "base": base,
            "items": float(len(items)),
        }
        window.close()
        db.close()
    return result


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        print(json.dumps(child(int(argv[1]))), flush=True)
        return 0
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=5, quick=2)
    products = products_for(args)
    catalog_db(products)  # build it once, outside the measured children
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-m", "bench.memory", "--child", str(products)],
            check=True,
            capture_output=True,
            text=True,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    count = int(samples[0]["items"])
    note = (
        f"before the catalog (window shown) {median([s['base'] for s in samples]):.0f} MiB; "
        f"peak (VmHWM) {median([s['hwm'] for s in samples]):.0f} MiB"
    )
    emit(
        [
            Figure(
                "memory",
                f"Resident memory with {count:,} items loaded",
                "MiB",
                [s["rss"] for s in samples],
                300,
                stat="median",
                runs=runs,
                note=note,
            )
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
