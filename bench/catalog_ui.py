"""The 50k catalog on the real sale screen (``ui.main_window.MainWindow``, offscreen Qt).

Figures:

- first paint: cache read (``CatalogService.cached``) → ``catalog_changed`` → the grid's
  viewport painted with tiles;
- search keystroke: one keystroke of a typed query → ``CatalogPanel.apply_filter`` (what the
  debounce timer calls, so the 150 ms debounce is excluded) → viewport painted; p95;
- clear search: a filtered grid → empty query applied → full grid painted;
- scroll step: one mouse-wheel step of the vertical scroll bar → viewport repainted; p95;
- barcode scan: Enter in the search box holding an EAN (as a wedge scanner sends it) → cart
  line and total painted; p95. Scans are spaced as at a till: the previous scan's message
  banner has hidden itself, so each scan shows it again.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from typing import Any

from bench.common import (
    BENCH_STORE_ID,
    Figure,
    PaintProbe,
    data_dir_with_catalog,
    emit,
    ms,
    parse_args,
    products_for,
    qt_app,
    runs_for,
)

QUERIES = ["kopi", "kopi premium", "sambal 0", "899", "teh mini 12", "bench-0", "kaos organik 3"]


def _window(db: Any) -> Any:
    from ui.app import build_window

    window, controller, _runner, _notifier = build_window(object(), db=db)
    window.resize(1366, 768)
    window.show()
    return window, controller


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    runs = runs_for(args, full=7, quick=3)
    products = products_for(args)
    app = qt_app()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pos.services.catalog import CatalogService
    from pos.storage import CatalogCache, Database

    with data_dir_with_catalog(products) as data_dir:
        db = Database.open(data_dir / "kasir.sqlite3")
        service = CatalogService(object(), CatalogCache(db))
        window, controller = _window(db)
        panel = window.catalog
        view = panel.view
        viewport = view.viewport()
        grid = PaintProbe(viewport)
        for _ in range(20):
            app.processEvents()

        # --- first paint from cache ---------------------------------------------------------
        first: list[float] = []
        parts: dict[str, list[float]] = {"cache": [], "model": [], "paint": []}
        count = 0
        for _ in range(runs):
            controller.items = []
            controller.catalog_changed.emit([])
            for _ in range(5):
                app.processEvents()
            gc.collect()
            seen = grid.count
            t0 = time.perf_counter()
            items = service.cached(BENCH_STORE_ID)
            t1 = time.perf_counter()
            assert items is not None, "the prepared catalog is not in the cache"
            controller.items = list(items)
            controller.catalog_changed.emit(controller.items)
            t2 = time.perf_counter()
            grid.wait(seen)
            t3 = time.perf_counter()
            count = len(items)
            first.append(ms(t3 - t0))
            parts["cache"].append(ms(t1 - t0))
            parts["model"].append(ms(t2 - t1))
            parts["paint"].append(ms(t3 - t2))
            assert panel.model.rowCount() == count

        # --- search keystrokes ----------------------------------------------------------------
        def filter_ms(text: str) -> float:
            """Milliseconds from applying the search ``text`` to the grid's next paint."""
            panel.search.setText(text)
            panel._debounce.stop()  # the filter is applied (and timed) here, not by the timer
            app.processEvents()
            seen = grid.count
            t0 = time.perf_counter()
            panel.apply_filter()
            grid.wait(seen)
            return ms(time.perf_counter() - t0)

        keystrokes: list[float] = []
        clears: list[float] = []
        slowest = ("", 0.0)
        for _ in range(runs):
            for query in QUERIES:
                for n in range(1, len(query) + 1):
                    text = query[:n]
                    if " ".join(text.casefold().split()) == panel.model.query:
                        continue  # a trailing space: the filter does not change, nothing to paint
                    dt = filter_ms(text)
                    keystrokes.append(dt)
                    if dt > slowest[1]:
                        slowest = (text, dt)
                # clear search → full view
                clears.append(filter_ms(""))
                assert panel.model.rowCount() == count

        # --- scroll steps ---------------------------------------------------------------------
        bar = view.verticalScrollBar()
        step = max(1, app.wheelScrollLines() * bar.singleStep())
        rng = random.Random(7)
        scrolls: list[float] = []
        for _ in range(runs):
            starts = [0, bar.maximum() // 2, max(0, bar.maximum() - 40 * step)]
            starts += [rng.randrange(0, max(1, bar.maximum())) for _ in range(2)]
            for start in starts:
                bar.setValue(start)
                app.processEvents()
                for _ in range(20):
                    t0 = time.perf_counter()
                    bar.setValue(min(bar.value() + step, bar.maximum()))
                    viewport.repaint()
                    scrolls.append(ms(time.perf_counter() - t0))
        bar.setValue(0)

        # --- barcode scans --------------------------------------------------------------------
        codes = [it.sku for it in controller.items if it.sku and it.item_type == "physical"]
        codes = [rng.choice(codes) for _ in range(20 * runs)]
        cart = PaintProbe(window.cart.table.viewport())
        total = PaintProbe(window.cart.total_label)
        scans: list[float] = []
        panel.search.setFocus()
        for code in codes:
            # Scans at a till are seconds apart: the "+1 item" banner of the previous scan has
            # hidden itself by then (its timer), so each scan shows it again.
            window.banner.hide()
            panel.search.setText(code)  # the wedge's keystrokes (each only restarts the debounce)
            for _ in range(3):
                app.processEvents()
            seen_cart, seen_total = cart.count, total.count
            lines_before = window.controller.cart.total
            t0 = time.perf_counter()
            QTest.keyClick(panel.search, Qt.Key.Key_Return)
            cart.wait(seen_cart)
            total.wait(seen_total)
            scans.append(ms(time.perf_counter() - t0))
            assert window.controller.cart.total > lines_before
            if len(window.controller.cart.lines) > 30:
                window.controller.clear_cart()
                app.processEvents()
        window.close()
        db.close()

    def extra(key: str) -> dict[str, float]:
        v = parts[key]
        return {"median": sorted(v)[len(v) // 2]}

    n_items = f"{count:,} items"
    figures = [
        Figure(
            "first_paint",
            f"Catalog first paint from cache ({n_items})",
            "ms",
            first,
            300,
            stat="median",
            runs=runs,
            note="cache read {:.0f} ms + model {:.0f} ms + layout/paint {:.0f} ms (medians)".format(
                extra("cache")["median"], extra("model")["median"], extra("paint")["median"]
            ),
        ),
        Figure(
            "search_keystroke",
            f"Search keystroke → filtered view painted ({n_items})",
            "ms",
            keystrokes,
            16,
            stat="p95",
            runs=runs,
            note=f"slowest keystroke: {slowest[0]!r} {slowest[1]:.0f} ms",
        ),
        Figure(
            "clear_search", f"Clear search → full view ({n_items})", "ms", clears, 100, runs=runs
        ),
        Figure(
            "scroll_step",
            f"Scroll step in the grid ({n_items})",
            "ms",
            scrolls,
            16,
            stat="p95",
            runs=runs,
        ),
        Figure(
            "barcode_scan",
            "Barcode scan → cart line and total painted",
            "ms",
            scans,
            16,
            stat="p95",
            runs=runs,
        ),
    ]
    emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
