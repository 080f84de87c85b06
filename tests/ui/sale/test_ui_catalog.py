"""Catalog grid details: cache-first painting, load progress, large catalogs, QR URL rules."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.ui.ui_support import SAMPLE_ITEMS, FakeApp, variant
from ui.payment.view import qr_allowed
from ui.sale.catalog_model import CatalogModel


def test_paints_from_cache_then_refreshes_with_progress(fake_app: FakeApp, qtbot: Any) -> None:
    cached = SAMPLE_ITEMS[:2]
    fake_app.catalog.cached = lambda store_id: list(cached)  # type: ignore[method-assign]
    fake_app.catalog.gate = asyncio.Event()
    w = fake_app.window
    fake_app.controller.load_stores()
    qtbot.waitUntil(lambda: w.catalog.model.total_count() == 2)  # the cache, at once
    qtbot.waitUntil(lambda: w.catalog.progress.isVisible())
    assert fake_app.runner.is_busy("catalog")
    fake_app.catalog.gate.set()
    qtbot.waitUntil(lambda: w.catalog.model.total_count() == len(SAMPLE_ITEMS))
    qtbot.waitUntil(lambda: not w.catalog.progress.isVisible())


def test_switching_store_clears_cart_and_remembers(fake_app: FakeApp, qtbot: Any) -> None:
    fake_app.start()
    w = fake_app.window
    w.catalog.view.activated.emit(w.catalog.model.index(0, 0))
    idx = w.store_selector.findText("Toko Kedua")
    w.store_selector.setCurrentIndex(idx)
    w.store_selector.activated.emit(idx)
    qtbot.waitUntil(lambda: not fake_app.runner.is_busy("catalog"))
    assert fake_app.controller.cart.is_empty
    assert fake_app.settings.get("last_store_id") == "8"
    assert w.catalog.model.total_count() == 0


def test_filtering_a_large_catalog(qapp: Any) -> None:
    items = [
        variant(f"variant_{i}", f"Produk Nomor {i} Warna {i % 17}", 1000 + i, f"SKU-{i:06d}", vid=i)
        for i in range(50_000)
    ]
    model = CatalogModel()
    model.set_items(items)
    model.set_filter("warna 3")  # speed is a bench/ figure, not asserted here
    assert 0 < model.rowCount() < 50_000
    assert model.item_by_sku("sku-012345") is items[12345]
    # prefix matches first
    model.set_filter("produk nomor 4")
    first = model.index(0, 0).data()
    assert first.startswith("Produk Nomor 4")


def test_qr_only_for_https_or_the_demo_sandbox() -> None:
    sandbox = "http://127.0.0.1:41234"
    assert qr_allowed("https://pay.scalev.id/o/abc/success")
    assert qr_allowed("http://127.0.0.1:41234/o/abc/success", sandbox)
    assert not qr_allowed("http://127.0.0.1:41235/o/abc/success", sandbox)
    assert not qr_allowed("http://127.0.0.1:41234/o/abc/success")
    assert not qr_allowed("http://evil.example/o/abc", sandbox)
    assert not qr_allowed("javascript:alert(1)", sandbox)
    assert not qr_allowed("", sandbox)
    assert not qr_allowed(None)
    assert not qr_allowed("http://example.com:80/x", "http://example.com")  # not loopback


def test_narrowing_search_gives_the_same_rows_as_a_fresh_search(qapp: Any) -> None:
    items = [
        variant(
            f"variant_{i}",
            f"Kopi {['Gayo', 'Toraja', 'Kintamani'][i % 3]} {i}",
            1000,
            f"K-{i}",
            vid=i,
        )
        for i in range(300)
    ]
    typed = CatalogModel()
    typed.set_items(items)
    for query in ("k", "ko", "kop", "kopi", "kopi t", "kopi to", "kopi tor 1", "kopi tor 12"):
        typed.set_filter(query)
        fresh = CatalogModel()
        fresh.set_items(items)
        fresh.set_filter(query)
        rows = [typed.index(r, 0).data() for r in range(typed.rowCount())]
        assert rows == [fresh.index(r, 0).data() for r in range(fresh.rowCount())], query


def test_filter_matches_the_plain_definition(qapp: Any) -> None:
    """The C-level filter (compress/map, sorted prefix index) returns exactly: every item whose
    key holds every word, names starting with the first word first, catalog order within."""
    names = ["Kopi Gayo", "Teh Kopi", "kopi susu", "Gula Aren", "Kaos Kopi", "Sambal", "K", "ka"]
    items = [
        variant(f"variant_{i}", f"{names[i % len(names)]} {i}", 1000, f"SKU-{i:04}", vid=i)
        for i in range(400)
    ]
    model = CatalogModel()
    model.set_items(items)
    for query in ("k", "ko", "kopi", "kopi g", "a", "su 1", "sku-01", "0", "zz", "kopi  teh", "ka"):
        words = query.split()
        keys = [it.search_key for it in items]
        hits = [i for i, k in enumerate(keys) if all(w in k for w in words)]
        expected = [i for i in hits if keys[i].startswith(words[0])]
        expected += [i for i in hits if not keys[i].startswith(words[0])]
        model.set_filter("")
        model.set_filter(query)
        got = [model.item_at(r) for r in range(model.rowCount())]
        assert got == [items[i] for i in expected], query
    assert model.item_by_sku(" sku-0042 ") is items[42]  # the SKU index, built on first use
