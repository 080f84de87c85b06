"""A running Kasir for the wiring tests: ``start_session`` with saved settings in
``tmp_path`` (config / data / logs), a digital sale helper and sandbox controls."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pos.config import AppSettings, PrinterSettings, save_settings
from ui.common import i18n
from ui.main_window import PAGE_PAYMENT

DIGITAL_STORE = "Toko Kopi Nusantara"


class Counter:
    """One Kasir session on ``tmp_path`` folders."""

    def __init__(self, qtbot: Any, qapp: QApplication, server: Any, root: Path) -> None:
        self.qtbot = qtbot
        self.qapp = qapp
        self.server = server
        self.root = root
        self.config_dir = root / "config"
        self.data_dir = root / "data"
        self.log_dir = root / "logs"
        for d in (self.config_dir, self.data_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.session: Any = None

    def start(self, settings: AppSettings | None = None, *, api_key: str | None = None) -> Any:
        """``api_key``: talk to the sandbox as a Scalev backend with that key (non-demo)."""
        from ui.app import Config, start_session

        settings = settings or AppSettings()
        save_settings(settings, self.config_dir)
        config = Config(
            data_dir=self.data_dir,
            poll_interval=0.2,
            app_settings=settings,
            config_dir=self.config_dir,
            api_key=api_key,
            base_url=self.server.base_url if api_key else None,
        )
        task = asyncio.ensure_future(start_session(config, sandbox=self.server))
        self.qtbot.waitUntil(task.done, timeout=20000)
        self.session = task.result()
        self.session.sandbox = None  # the fixture owns the sandbox
        return self.session

    @property
    def window(self) -> Any:
        return self.session.window

    @property
    def controller(self) -> Any:
        return self.session.controller

    def choose_store(self, name: str = DIGITAL_STORE) -> None:
        w = self.window
        self.qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=10000)
        idx = w.store_selector.findText(name)
        assert idx >= 0
        w.store_selector.setCurrentIndex(idx)
        w.store_selector.activated.emit(idx)
        c = self.controller
        self.qtbot.waitUntil(
            lambda: (
                c.store is not None
                and c.store.name == name
                and not self.session.runner.is_busy("catalog")
                and w.catalog.model.total_count() > 0
            ),
            timeout=15000,
        )

    def add(self, sku: str = "EBOOK-SEDUH") -> None:
        item = next(i for i in self.controller.items if i.sku == sku)
        self.controller.add_item(item)

    def sell(self, name: str = "Siti Rahmawati", phone: str = "0812-3456-7890") -> Any:
        """Checkout the cart as it is; returns the created order (payment screen shown)."""
        w = self.window
        w.go_checkout()
        w.checkout.name.setText(name)
        w.checkout.phone.setText(phone)
        w.checkout.submit()
        self.qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=15000)
        return w.payment.order

    def control(self, method: str, path: str, **kw: Any) -> Any:
        response = httpx.request(method, self.server.base_url + path, timeout=10, **kw)
        response.raise_for_status()
        return response.json() if response.content else None

    def order_posts(self) -> list[dict[str, Any]]:
        data = self.control("GET", "/__sandbox/requests")["data"]
        return [r for r in data if r["method"] == "POST" and r["path"] == "/v3/orders"]

    def stop(self) -> None:
        if self.session is None:
            return
        session, self.session = self.session, None
        session.window.set_customer_display(False)
        done = asyncio.ensure_future(session.aclose())
        loop = asyncio.get_event_loop()
        deadline = loop.time() + 10
        while not done.done() and loop.time() < deadline:
            self.qapp.processEvents()
        assert done.done(), "the session did not shut down"
        done.result()
        session.window._quit_confirmed = True
        session.window.close()
        session.window.deleteLater()
        QTest.qWait(0)


def file_printer(path: Path, width: int = 58) -> PrinterSettings:
    return PrinterSettings(kind="file", target=str(path), width=width)  # type: ignore[arg-type]


@pytest.fixture
def counter(
    qtbot: Any, qapp: QApplication, qloop: Any, sandbox_server: Any, tmp_path: Path
) -> Iterator[Counter]:
    mode = i18n.mode()
    app = Counter(qtbot, qapp, sandbox_server, tmp_path / "kasir")
    yield app
    app.stop()
    i18n.set_mode(mode)
