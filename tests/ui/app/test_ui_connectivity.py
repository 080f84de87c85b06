"""Never a dead screen: the full app in-process (``start_session``) against the real sandbox
over HTTP — a server that comes up late, a 429 burst at start, an offline start on a warm
data folder whose queued sale goes out by itself once the server is back."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos.sandbox import DEMO_API_KEY, SandboxServer
from tests.platforms import posix_only
from tests.sandbox.helpers import SandboxControl
from tests.ui.session_support import DIGITAL_STORE
from tests.ui.ui_support import scan
from ui.app import Config, Session, start_session
from ui.main_window import PAGE_PROBLEM, PAGE_QUEUED, PAGE_SALE


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(qtbot: Any, config: Config) -> Session:
    task = asyncio.ensure_future(start_session(config))
    qtbot.waitUntil(task.done, timeout=15000)
    session: Session = task.result()
    qtbot.addWidget(session.window)
    return session


def _close(qtbot: Any, qapp: QApplication, session: Session) -> None:
    task = asyncio.ensure_future(session.aclose())
    qtbot.waitUntil(task.done, timeout=15000)
    session.window.close()
    qapp.processEvents()


def _config(port: int, data_dir: Path) -> Config:
    return Config(
        base_url=f"http://127.0.0.1:{port}",
        api_key=DEMO_API_KEY,
        data_dir=data_dir,
        poll_interval=0.2,
    )


def test_a_server_that_comes_up_late_fills_the_screen_with_no_input(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    port = _free_port()  # nothing listens there yet
    session = _start(qtbot, _config(port, tmp_path / "kasir"))
    w = session.window
    try:
        qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=10000)
        assert w.store_selector.count() == 0
        assert w.link_status.link == "offline"
        qtbot.wait(5000 - 1000)  # the server comes up 5 s after the start
        server = SandboxServer(tmp_path / "sandbox", port=port)
        server.start()
        try:
            up = time.monotonic()
            qtbot.waitUntil(
                lambda: (
                    w.store_selector.count() > 0
                    and w.catalog.model.total_count() > 0
                    and w.link_status.link == "online"
                ),
                timeout=15000,
            )
            assert time.monotonic() - up < 15
            assert w.page() == PAGE_SALE
            assert not w.retry_banner.isVisible()
        finally:
            _close(qtbot, qapp, session)
            server.stop()
    finally:
        if session.lock is not None and session.lock.held:
            session.lock.release()


def test_a_429_burst_at_start_still_brings_the_store_list(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    server = SandboxServer(tmp_path / "sandbox")
    server.start()
    try:
        SandboxControl(server).set_faults(next=[{"fault": "429", "path": "*", "times": 6}])
        started = time.monotonic()
        session = _start(qtbot, _config(server.port, tmp_path / "kasir"))
        w = session.window
        qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=15000)
        assert time.monotonic() - started < 15
        qtbot.waitUntil(lambda: w.link_status.link == "online", timeout=5000)
        faulted = [r for r in SandboxControl(server).requests() if r.get("fault") == "429"]
        assert len(faulted) == 6  # the burst really happened, and was ridden out
        _close(qtbot, qapp, session)
    finally:
        server.stop()


def _ring_up_and_charge(session: Session, qtbot: Any) -> None:
    w = session.window
    cat = w.catalog
    scan(cat.search, "EBOOK-SEDUH")  # a digital item: no shipping needed
    assert session.controller.cart.count == 1
    QTest.keyClick(cat.search, Qt.Key.Key_F9)
    co = w.checkout
    qtbot.waitUntil(lambda: co.method.count() > 0, timeout=5000)
    QTest.keyClicks(co.name, "Siti Rahmawati")
    QTest.keyClicks(co.phone, "0812-3456 7890")
    QTest.keyClick(co.phone, Qt.Key.Key_F9)


def test_an_offline_start_on_a_warm_folder_sells_and_the_queue_goes_out_by_itself(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    data_dir = tmp_path / "kasir"
    server = SandboxServer(tmp_path / "sandbox")
    server.start()
    port = server.port
    try:  # a day before: online, the store chosen, everything cached
        session = _start(qtbot, _config(port, data_dir))
        w = session.window
        qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=15000)
        idx = w.store_selector.findText(DIGITAL_STORE)
        w.store_selector.setCurrentIndex(idx)
        w.store_selector.activated.emit(idx)
        qtbot.waitUntil(
            lambda: (
                session.controller.store is not None
                and session.controller.store.name == DIGITAL_STORE
                and not session.runner.is_busy("catalog")
                and not session.runner.is_busy("methods")
                and w.catalog.model.total_count() > 0
            ),
            timeout=15000,
        )
        methods = list(session.controller.methods)
        _close(qtbot, qapp, session)
    finally:
        server.stop()

    session = _start(qtbot, _config(port, data_dir))  # the server is gone
    w = session.window
    try:
        assert w.store_selector.currentText() == DIGITAL_STORE  # at once, from the cache
        assert session.controller.methods == methods
        assert w.catalog.model.total_count() > 0
        qtbot.waitUntil(lambda: w.link_status.link == "offline", timeout=10000)
        assert w.page() == PAGE_SALE  # the cached catalog sells: no problem screen
        assert w.retry_banner.isVisible()
        assert "Retrying in" in w.retry_banner.text.text()
        _ring_up_and_charge(session, qtbot)
        qtbot.waitUntil(lambda: w.page() == PAGE_QUEUED, timeout=15000)
        assert w.outbox is not None and w.outbox.safe_pending_count() == 1

        back = SandboxServer(tmp_path / "sandbox", port=port)  # the same server returns
        back.start()
        try:
            qtbot.waitUntil(lambda: w.outbox.safe_pending_count() == 0, timeout=30000)
            qtbot.waitUntil(lambda: w.link_status.link == "online", timeout=5000)
            with httpx.Client(base_url=back.base_url, timeout=10) as http:
                orders = http.get("/__sandbox/orders").json()["data"]
            assert len(orders) == 1  # sent once, by itself
        finally:
            _close(qtbot, qapp, session)
            back.stop()
    finally:
        if session.lock is not None and session.lock.held:
            session.lock.release()


@posix_only("SIGTERM sent to the own process")
def test_sigterm_and_sigint_reach_the_qt_loop_and_close_without_asking(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    import os
    import signal
    import sys

    import pytest

    if sys.platform == "win32":
        pytest.skip("POSIX signals")
    from ui.app import install_quit_signals

    seen: list[int] = []
    undo = install_quit_signals(seen.append)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: seen == [signal.SIGTERM], timeout=5000)
        os.kill(os.getpid(), signal.SIGINT)
        qtbot.waitUntil(lambda: seen == [signal.SIGTERM, signal.SIGINT], timeout=5000)
    finally:
        undo()
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_fresh_cache_is_not_fetched_again_at_start_f5_refreshes_it(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    """The key's hourly budget: a restart within the catalog's max age paints from the cache
    and fetches no catalog page; F5 on the sale screen fetches it on demand."""
    data_dir = tmp_path / "kasir"
    server = SandboxServer(tmp_path / "sandbox")
    server.start()
    ctl = SandboxControl(server)

    def catalog_requests() -> int:
        return sum(1 for r in ctl.requests() if r["path"].endswith(("/products", "/bundles")))

    try:
        session = _start(qtbot, _config(server.port, data_dir))
        w = session.window
        qtbot.waitUntil(lambda: w.catalog.model.total_count() > 0, timeout=15000)
        qtbot.waitUntil(lambda: not session.runner.is_busy("catalog"), timeout=15000)
        _close(qtbot, qapp, session)
        first = catalog_requests()
        assert first > 0

        session = _start(qtbot, _config(server.port, data_dir))
        w = session.window
        assert "Katalog per" in w.catalog_age.label.text()  # the cache's age, at once
        assert "Catalog as of" in w.catalog_age.label.toolTip()
        qtbot.waitUntil(lambda: w.link_status.link == "online", timeout=15000)
        qtbot.waitUntil(lambda: not session.runner.is_busy("methods"), timeout=15000)
        assert catalog_requests() == first  # fresh: painted from the cache only
        w.catalog.search.setFocus()
        QTest.keyClick(w.catalog.search, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: catalog_requests() > first, timeout=10000)
        qtbot.waitUntil(lambda: not session.runner.is_busy("catalog"), timeout=15000)
        _close(qtbot, qapp, session)
    finally:
        server.stop()
