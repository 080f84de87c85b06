"""The composition root: configuration, demo mode start-up and shutdown, problem screens."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from ui.app import Config, Session, parse_args, start_session
from ui.main_window import PAGE_PROBLEM, PAGE_SALE


def test_parse_args_reads_flags_and_environment(tmp_path: Path) -> None:
    env = {
        "KASIR_BASE_URL": "https://api.example",
        "KASIR_API_KEY": "sk_env",
        "KASIR_DATA_DIR": str(tmp_path),
    }
    cfg = parse_args([], env)
    assert (cfg.base_url, cfg.api_key, cfg.data_dir, cfg.demo) == (
        "https://api.example",
        "sk_env",
        tmp_path,
        False,
    )
    cfg = parse_args(["--api-key", "sk_flag", "--base-url", "https://b.example"], env)
    assert (cfg.api_key, cfg.base_url) == ("sk_flag", "https://b.example")
    assert "sk_flag" not in repr(cfg)
    assert parse_args([], {}).demo
    assert parse_args(["--self-test"], {}).self_test


def _run(qtbot: Any, coro: Any, timeout: int = 15000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def _close(qtbot: Any, qapp: QApplication, session: Session) -> None:
    _run(qtbot, session.aclose())
    session.window.close()
    qapp.processEvents()


def test_demo_mode_starts_sandbox_and_shuts_down(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    session = _run(qtbot, start_session(Config(data_dir=tmp_path, poll_interval=0.2)))
    w = session.window
    qtbot.addWidget(w)
    # the sandbox's address is known at once; its server starts after the first paint
    assert session.sandbox is not None and session.sandbox.base_url.startswith("http://127.")
    qtbot.waitUntil(lambda: session.sandbox.running, timeout=15000)
    assert w.demo_badge.isVisible()
    qtbot.waitUntil(lambda: w.catalog.model.total_count() > 0, timeout=15000)
    assert w.page() == PAGE_SALE
    assert (tmp_path / "kasir.sqlite3").exists()
    assert (tmp_path / "sandbox").is_dir()
    _close(qtbot, qapp, session)
    assert not session.sandbox.running
    assert not session.runner.is_busy("catalog")


def test_unreachable_host_shows_problem_screen(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    cfg = Config(base_url="http://127.0.0.1:9", api_key="sk_test_unreachable", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg))
    w = session.window
    qtbot.addWidget(w)
    assert not w.demo_badge.isVisible()
    qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=30000)
    assert w.problem.retry.isVisible()
    assert "sk_test_unreachable" not in w.problem.detail.text()
    _close(qtbot, qapp, session)


def test_a_demo_sandbox_that_cannot_start_says_why_on_the_problem_screen(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    (tmp_path / "sandbox").write_text("a file where the sandbox's folder goes", encoding="utf-8")
    session = _run(qtbot, start_session(Config(data_dir=tmp_path)))
    w = session.window
    qtbot.addWidget(w)
    assert w.demo_badge.isVisible()
    qtbot.waitUntil(
        lambda: w.page() == PAGE_PROBLEM and "demo" in w.problem.title.text().lower(),
        timeout=30000,
    )
    assert "The demo server could not start" in w.problem.title.text()
    assert str(tmp_path / "sandbox") in w.problem.detail.text()  # which folder, and why
    assert not w.problem.retry.isVisible()  # retrying cannot bring it back
    assert not session.sandbox.running
    _close(qtbot, qapp, session)


def test_rejected_key_shows_problem_screen(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path, sandbox_server: Any
) -> None:
    cfg = Config(base_url=sandbox_server.base_url, api_key="sk_wrong_key", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg))
    w = session.window
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=15000)
    assert "401" in w.problem.body.text()
    _close(qtbot, qapp, session)


def test_cached_catalog_paints_before_the_network(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    """Restart with a cached catalog: the grid paints it before the API client exists (no
    httpx/pydantic/SSL work before the paint), prints the bench marker, then goes online."""
    import ui.startup as startup
    from pos.storage import CatalogCache, Database, SettingsTable
    from tests.ui.ui_support import SAMPLE_ITEMS
    from ui.netclient import LazyClient
    from ui.startup.bench import BenchObserver

    db = Database.open(tmp_path / "kasir.sqlite3")
    CatalogCache(db).save(7, list(SAMPLE_ITEMS))
    SettingsTable(db).set("last_store_id", "7")
    db.close()
    order: list[str] = []
    make = startup.make_api_client

    class Observer(BenchObserver):
        def painted(self, window: Any) -> None:
            order.append(f"painted {window.catalog.model.rowCount()}")
            super().painted(window)

    def on_client(base_url: str, api_key: str, **kw: Any) -> Any:
        order.append("client")
        return make(base_url, api_key, **kw)

    monkeypatch.setattr(startup, "make_api_client", on_client)
    cfg = Config(base_url="http://127.0.0.1:9", api_key="sk_test_offline", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg, observer=Observer(ready=True)))
    w = session.window
    qtbot.addWidget(w)
    assert isinstance(session.client, LazyClient)
    assert w.catalog.model.total_count() == len(SAMPLE_ITEMS)  # from the cache, at once
    qtbot.waitUntil(lambda: session.client.created, timeout=5000)  # online after the paint
    # the grid painted the cached items before anything network-shaped was created
    assert order == [f"painted {len(SAMPLE_ITEMS)}", "client"]
    assert "READY" in capsys.readouterr().out
    assert w.catalog.model.total_count() == len(SAMPLE_ITEMS)
    _close(qtbot, qapp, session)


def test_lazy_client_creates_once_on_first_use() -> None:
    from ui.netclient import LazyClient

    made: list[Any] = []
    seen: list[Any] = []

    class Real:
        limiter = "the limiter"

        async def aclose(self) -> None:
            seen.append("closed")

    def factory() -> Real:
        made.append(Real())
        return made[-1]

    lazy = LazyClient(factory, read_timeout=9.0)
    assert not lazy.created and made == [] and lazy.read_timeout == 9.0
    asyncio.run(lazy.aclose())  # never created: nothing to close
    assert lazy.limiter == "the limiter"
    assert lazy.created and len(made) == 1 and seen == []
    assert lazy.real() is made[0] and len(made) == 1
    asyncio.run(lazy.aclose())
    assert seen[-1] == "closed"


#: modules the window's first paint does without (each loads on first use, after the paint)
NOT_BEFORE_FIRST_PAINT = (
    "httpx",
    "pydantic",
    "qrcode",
    "starlette",
    "uvicorn",
    "uuid",
    "pos.sandbox",
    "pos.receipts.escpos",
    "pos.receipts.printers",
    "pos.receipts.queue",
    "ui.checkout.view",
    "ui.history.view",
    "ui.payment.view",
    "ui.settings.dialog",
    "ui.payment.share_buttons",
)


def test_start_up_imports_leave_the_later_screens_for_later() -> None:
    """``import ui.app`` (all the sale screen needs) loads none of the modules of the network,
    the sandbox, printing or the pages built after the first paint."""
    code = (
        "import sys, ui.app\n"
        f"print(sorted(m for m in {NOT_BEFORE_FIRST_PAINT!r} if m in sys.modules))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


def test_resume_gc_turns_the_collector_back_on_with_start_up_objects_frozen() -> None:
    from ui.startup.after_paint import resume_gc

    gc.disable()
    try:
        resume_gc()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
        resume_gc()  # already on: nothing more to do
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def _big_cache(tmp_path: Path, count: int) -> list[Any]:
    from pos.storage import CatalogCache, Database, SettingsTable
    from tests.ui.ui_support import variant

    items = [
        variant(f"u{i}", f"Barang {i}", 1000 + i, sku=f"BRG-{i:05d}", vid=i + 1)
        for i in range(count)
    ]
    db = Database.open(tmp_path / "kasir.sqlite3")
    CatalogCache(db).save(7, items)
    SettingsTable(db).set("last_store_id", "7")
    db.close()
    return items


def test_restart_paints_the_first_cached_items_then_puts_every_item_in_place(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """A big cached catalog: the first paint decodes only the head of the cache; every item
    is in the grid right after it, before the network starts."""
    from pos.storage.catalog_cache import HEAD_ITEMS
    from ui.startup.bench import BenchObserver

    items = _big_cache(tmp_path, HEAD_ITEMS + 600)
    at_paint: list[int] = []

    class Observer(BenchObserver):
        def painted(self, window: Any) -> None:
            at_paint.append(window.catalog.model.total_count())
            super().painted(window)

    cfg = Config(base_url="http://127.0.0.1:9", api_key="sk_test_offline", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg, observer=Observer(ready=True)))
    w = session.window
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: session.client.created, timeout=5000)  # after the paint
    assert at_paint == [HEAD_ITEMS]
    assert w.catalog.model.total_count() == len(items)
    assert w.catalog.model.items() == items
    assert w.catalog.before_lookup is None
    _close(qtbot, qapp, session)


def test_a_scan_before_the_whole_cache_is_in_finds_an_item_past_the_head(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from pos.storage import Database
    from pos.storage.catalog_cache import HEAD_ITEMS
    from ui.session import build_window
    from ui.startup.cached_catalog import show_cached_catalog

    items = _big_cache(tmp_path, HEAD_ITEMS + 100)
    db = Database.open(tmp_path / "kasir.sqlite3")
    window, controller, _runner, _notifier = build_window(None, db=db)
    qtbot.addWidget(window)
    show_cached_catalog(controller, window)
    assert window.catalog.model.total_count() == HEAD_ITEMS
    last = items[-1]
    QTest.keyClicks(window.catalog.search, last.sku)
    QTest.keyClick(window.catalog.search, Qt.Key.Key_Return)
    assert [(line.item.key, line.quantity) for line in controller.cart.lines] == [(last.key, 1)]
    assert window.catalog.model.total_count() == len(items)
    assert controller.items == items
    window.close()
    db.close()


def test_the_first_cached_read_after_a_cached_start_reuses_the_first_paint_read(
    qtbot: Any, qapp: QApplication, tmp_path: Path, monkeypatch: Any
) -> None:
    """The controller's catalog keeps the first paint's cache read: the store's next cached
    read (``select_store``) decodes nothing again; a later one reads the cache."""
    from pos.storage import Database
    from pos.storage.catalog_cache import HEAD_ITEMS
    from ui.session import PreReadCatalog, build_window
    from ui.startup.cached_catalog import show_cached_catalog

    items = _big_cache(tmp_path, HEAD_ITEMS + 10)
    db = Database.open(tmp_path / "kasir.sqlite3")
    window, controller, _runner, _notifier = build_window(None, db=db)
    qtbot.addWidget(window)
    show_cached_catalog(controller, window)
    catalog = controller.catalog
    assert isinstance(catalog, PreReadCatalog)
    reads: list[int] = []
    service_cached = catalog._service.cached
    monkeypatch.setattr(
        catalog._service,
        "cached",
        lambda store_id: reads.append(store_id) or service_cached(store_id),
    )
    assert catalog.cached(7) == items and reads == []
    assert catalog.cached(7) == items and reads == [7]
    window.close()
    db.close()


def test_the_post_paint_steps_name_real_models_and_modules() -> None:
    """A renamed API model or module must not silently drop out of the start-up steps."""
    import importlib.util

    from pydantic import BaseModel

    from pos.api import models
    from ui.startup.after_paint import PREBUILT_MODELS, SANDBOX_MODULES, WARM_MODULES

    assert all(issubclass(getattr(models, name), BaseModel) for name in PREBUILT_MODELS)
    optional = {"click", "PIL.Image"}  # loaded by httpx / qrcode only when installed
    for name in (*WARM_MODULES, *SANDBOX_MODULES):
        assert name in optional or importlib.util.find_spec(name) is not None, name
