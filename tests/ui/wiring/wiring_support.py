"""A running Kasir for the wiring tests: ``start_session`` with saved settings in
``tmp_path`` (config / data / logs), a digital sale helper and sandbox controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QApplication

from pos.config import AppSettings, PrinterSettings, save_settings
from tests.ui.session_support import RunningKasir
from ui.common import i18n
from ui.main_window import PAGE_PAYMENT


class Counter(RunningKasir):
    """One Kasir session on ``tmp_path`` folders."""

    def __init__(self, qtbot: Any, qapp: QApplication, server: Any, root: Path) -> None:
        super().__init__(qtbot, qapp, server, root / "data")
        self.root = root
        self.config_dir = root / "config"
        self.log_dir = root / "logs"
        for d in (self.config_dir, self.data_dir, self.log_dir):
            d.mkdir(parents=True, exist_ok=True)

    def start(self, settings: AppSettings | None = None, *, api_key: str | None = None) -> Any:
        """``api_key``: talk to the sandbox as a Scalev backend with that key (non-demo)."""
        from ui.app import Config

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
        return self.open(config)

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

    def first_sale(self, **customer: str) -> Any:
        """Start with the default settings, choose the digital store and sell one e-book;
        returns the created order (payment screen shown)."""
        self.start()
        self.choose_store()
        self.add()
        return self.sell(**customer)

    def customer_pays(self, order: Any) -> None:
        """The customer pays ``order`` on the sandbox; the payment screen turns paid."""
        self.control("POST", f"/__sandbox/orders/{order.id}/pay")
        self.qtbot.waitUntil(lambda: self.window.payment.state() == "paid", timeout=10000)

    def open_history(self, rows: int | None = None) -> Any:
        """A new sale, then the history with its newest sale selected (after ``rows`` rows,
        when given, else at least one); returns the history view."""
        w = self.window
        w.new_sale()
        w.show_history()
        history = w.history
        if rows is None:
            self.qtbot.waitUntil(lambda: history.model.rowCount() >= 1)
        else:
            self.qtbot.waitUntil(lambda: history.model.rowCount() == rows)
        history.select(history.model.row_at(0).pos_ref)
        return history

    def control(self, method: str, path: str, **kw: Any) -> Any:
        response = httpx.request(method, self.server.base_url + path, timeout=10, **kw)
        response.raise_for_status()
        return response.json() if response.content else None

    def order_posts(self) -> list[dict[str, Any]]:
        data = self.control("GET", "/__sandbox/requests")["data"]
        return [r for r in data if r["method"] == "POST" and r["path"] == "/v3/orders"]


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
