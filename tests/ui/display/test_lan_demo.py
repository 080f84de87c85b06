"""LAN demo mode through the real window: the address is shown beside the DEMO badge, and the
payment QR carries the machine's LAN address, which serves the payment page over the
network (what a trainee's phone on the same Wi-Fi opens)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

import pos.domain.urls
from pos.sandbox.background import BackgroundSandbox
from pos.sandbox.net import lan_address
from tests.ui.ui_support import FakeApp, SandboxApp, qr_texts, scan
from ui.display.lan_demo import LanAddressBadge, install_lan_demo
from ui.main_window import PAGE_CHECKOUT, PAGE_PAYMENT
from ui.payment.view import qr_allowed

LAN = "http://192.168.1.20:23456"


@pytest.fixture(autouse=True)
def _fresh_trust(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pos.domain.urls, "DEMO_LAN_ORIGINS", set())


def _badge(app: FakeApp) -> LanAddressBadge | None:
    return app.window.findChild(LanAddressBadge, "lanAddressBadge")


def test_lan_address_badge_sits_beside_the_demo_badge(fake_app: FakeApp) -> None:
    fake_app.start()
    assert install_lan_demo(fake_app.window, SimpleNamespace(lan=False, lan_url=None)) is None
    assert _badge(fake_app) is None
    assert not qr_allowed(f"{LAN}/o/abc/success", "http://127.0.0.1:23456")

    badge = install_lan_demo(fake_app.window, SimpleNamespace(lan=True, lan_url=LAN))
    assert badge is not None and badge.isVisible()
    assert LAN in badge.text() and "Ponsel" in badge.text() and "Phones" in badge.text()
    layout = fake_app.window.demo_badge.parentWidget().layout()
    assert layout.indexOf(badge) == layout.indexOf(fake_app.window.demo_badge) + 1
    # the QR may carry the LAN address, in demo mode only, and no other plain-http host
    assert qr_allowed(f"{LAN}/o/abc/success", "http://127.0.0.1:23456")
    assert not qr_allowed(f"{LAN}/o/abc/success")
    assert not qr_allowed("http://192.168.1.21:23456/o/abc/success", "http://127.0.0.1:23456")


def test_lan_mode_without_a_network_says_so(fake_app: FakeApp) -> None:
    fake_app.start()
    badge = install_lan_demo(fake_app.window, SimpleNamespace(lan=True, lan_url=None))
    assert badge is not None and "no network" in badge.text()


@pytest.fixture
def lan_sandbox(tmp_path: Path) -> Iterator[BackgroundSandbox]:
    sandbox = BackgroundSandbox(tmp_path / "kasir" / "sandbox", lan=True)
    sandbox.start()
    assert sandbox.wait_running(), sandbox.error
    yield sandbox
    sandbox.stop()


def test_demo_sale_qr_opens_on_the_lan_address(
    qtbot: Any,
    qapp: QApplication,
    qloop: asyncio.AbstractEventLoop,
    lan_sandbox: BackgroundSandbox,
    tmp_path: Path,
) -> None:
    app = SandboxApp(qtbot, lan_sandbox.base_url, tmp_path, poll_interval=0.2)
    try:
        badge = install_lan_demo(app.window, lan_sandbox)
        assert badge is not None
        app.start("Toko Kopi Nusantara")
        w = app.window
        scan(w.catalog.search, "EBOOK-SEDUH")
        QTest.keyClick(w.catalog.search, Qt.Key.Key_F9)
        assert w.page() == PAGE_CHECKOUT
        QTest.keyClicks(w.checkout.name, "Siti Rahmawati")
        scan(w.checkout.phone, "081234567890")
        qtbot.waitUntil(lambda: w.page() == PAGE_PAYMENT, timeout=10000)
        order = app.controller.order
        assert order is not None and order.payment_url
        assert qr_texts(w.payment.qr, tmp_path) == [order.payment_url]

        lan = lan_address()
        if lan is None:  # no network here: loopback links, and the badge says why
            assert "no network" in badge.text()
            assert order.payment_url.startswith(lan_sandbox.base_url + "/")
            return
        assert lan_sandbox.lan_url == f"http://{lan}:{lan_sandbox.port}"
        assert lan_sandbox.lan_url in badge.text()
        assert order.payment_url.startswith(f"http://{lan}:{lan_sandbox.port}/o/")
        page = httpx.get(order.payment_url, timeout=10)  # the phone's request, over the LAN
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        app.control("POST", f"/__sandbox/orders/{order.id}/pay")
        qtbot.waitUntil(lambda: w.payment.status.property("status") == "paid", timeout=5000)
    finally:
        app.close(qapp)
