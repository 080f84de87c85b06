"""UI test fixtures: a qasync loop for sync tests, fake services, and a built window.

Sync tests only: the loop is ``qasync.QEventLoop(app, already_running=True)`` and tests wait
with ``qtbot.waitUntil`` (never ``qtbot.waitSignal`` inside an ``async def`` test).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget

from pos.api.models import Order, Store
from pos.domain.catalog import CatalogItem, make_search_key

ROOT = Path(__file__).resolve().parents[2]


def scan(search: QLineEdit, code: str) -> None:
    """A barcode scanner (a keyboard wedge) types ``code`` and Enter into the search box."""
    QTest.keyClicks(search, code)
    QTest.keyClick(search, Qt.Key.Key_Return)


# --- screenshots -------------------------------------------------------------------------------


def screenshot_dir(tmp_path: Path) -> Path:
    """Where the screenshot tests write: ``docs/screenshots/`` with ``KASIR_SCREENSHOTS=1`` (the
    README shows them), otherwise ``tmp_path``."""
    if os.environ.get("KASIR_SCREENSHOTS") == "1":
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return tmp_path


def save_screenshot(widget: QWidget, path: Path, min_size: tuple[int, int] = (640, 400)) -> QImage:
    """Grab ``widget`` and save it as ``path``; a blank or tiny grab fails the test."""
    image = widget.grab().toImage()
    assert image.width() >= min_size[0] and image.height() >= min_size[1]
    assert image.save(str(path))
    return image


def assert_in_view(window: QWidget, *widgets: QWidget) -> None:
    """What the cashier must see on a screenshot: each widget is shown, lies wholly inside
    ``window`` (not pushed past an edge) and, for a button, its text is not cut."""
    for widget in widgets:
        name = widget.objectName() or type(widget).__name__
        assert widget.isVisible(), f"{name} is not shown"
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        assert window.rect().contains(rect), f"{name} at {rect} leaves the window {window.rect()}"
        if isinstance(widget, QAbstractButton) and widget.text():
            text_width = widget.fontMetrics().horizontalAdvance(widget.text())
            assert text_width <= widget.width(), f"{name}: {widget.text()!r} is cut"


def qr_texts(source: QWidget | QImage, tmp_path: Path) -> list[str]:
    """The texts of the QR codes a phone would read on ``source`` (a widget or an image)."""
    import zxingcpp
    from PIL import Image

    image = source.grab().toImage() if isinstance(source, QWidget) else source
    path = tmp_path / "qr.png"
    assert image.save(str(path))
    with Image.open(path) as pil:
        return [r.text for r in zxingcpp.read_barcodes(pil.convert("L"))]


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop driven by Qt's event loop (``qtbot.waitUntil`` spins it). It owns the
    executor of ``asyncio.to_thread`` (printing, settings checks) so its threads end with the
    test."""
    from ui.app import style_sheet

    qapp.setStyleSheet(style_sheet())
    loop = qasync.QEventLoop(qapp, already_running=True)
    executor = qasync.QThreadExecutor(2)
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        deadline = loop.time() + 3
        while any(not t.done() for t in pending) and loop.time() < deadline:
            qapp.processEvents()
    executor.shutdown(wait=True)
    asyncio.set_event_loop(None)
    # already_running=True registers the loop as the running one; unregister it so later
    # tests (e.g. asyncio.run in other modules) don't see a loop that no longer runs.
    asyncio.events._set_running_loop(None)


def variant(
    uid: str, name: str, price: int, sku: str = "", item_type: str | None = "digital", vid: int = 1
) -> CatalogItem:
    return CatalogItem(
        key=f"v:{uid}",
        kind="variant",
        unique_id=uid,
        id=vid,
        parent_id=vid * 10,
        name=name,
        sku=sku,
        price=price,
        item_type=item_type,
        weight=0,
        image_url=None,
        lines=((vid, 1),),
        search_key=make_search_key(name, sku),
    )


def bundle(uid: str, name: str, price: int, sku: str = "", oid: int = 900) -> CatalogItem:
    return CatalogItem(
        key=f"b:{uid}",
        kind="bundle",
        unique_id=uid,
        id=oid,
        parent_id=oid + 1,
        name=name,
        sku=sku,
        price=price,
        item_type="digital",
        weight=0,
        image_url=None,
        lines=((1, 1), (2, 1)),
        search_key=make_search_key(name, sku),
    )


SAMPLE_ITEMS = [
    variant("variant_A1", "Kelas Online Python Dasar", 150000, "PY-101", vid=1),
    variant("variant_A2", "Kelas Online Python Lanjut", 250000, "PY-201", vid=2),
    variant("variant_B1", "E-book Resep Nusantara", 45000, "EB-RN", vid=3),
    variant("variant_C1", "Lisensi Desain Pro 1 Tahun", 899000, "LIC-DP1", "license", vid=4),
    variant("variant_D1", "Kaos Kasir Hitam L", 95000, "KAOS-L", "physical", vid=5),
    bundle("bpo_P1", "Paket Python Lengkap", 350000, "PKT-PY"),
]

STORE = Store(
    id=7,
    unique_id="store_demo7",
    name="Toko Demo Digital",
    payment_methods=["bank_transfer", "qris", "payment_link", "va_bca"],
)


class FakeCatalog:
    def __init__(self, items: list[CatalogItem] | None = None) -> None:
        self.items = list(SAMPLE_ITEMS if items is None else items)
        self.stores = [STORE, Store(id=8, unique_id="store_b", name="Toko Kedua")]
        self.loads = 0
        self.gate: asyncio.Event | None = None

    async def list_stores(self, search: str | None = None) -> list[Store]:
        return list(self.stores)

    async def payment_methods(self, store: Store) -> list[str]:
        return list(store.payment_methods)

    def cached(self, store_id: int) -> list[CatalogItem] | None:
        return None

    def cached_head(self, store_id: int) -> None:
        return None

    async def load(
        self, store: Store, on_progress: Callable[[int, int | None], None] | None = None
    ) -> list[CatalogItem]:
        self.loads += 1
        if on_progress:
            on_progress(0, len(self.items))
        if self.gate is not None:
            await self.gate.wait()
        if on_progress:
            on_progress(len(self.items), len(self.items))
        return list(self.items) if store.id == STORE.id else []


def make_order(payment_status: str = "unpaid", status: str = "pending", **kw: Any) -> Order:
    data: dict[str, Any] = {
        "id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "order_id": "261126KSRDEMO",
        "payment_url": "https://demo.scalev.id/o/abc123/success",
        "status": status,
        "payment_status": payment_status,
        "payment_method": "payment_link",
        "gross_revenue": Decimal(545000),
    }
    data.update(kw)
    return Order(**data)


class SubmitResultStub:
    def __init__(self, order: Order) -> None:
        self.order = order
        self.pos_ref = "ref-1"
        self.adopted = False


class FakeCheckout:
    def __init__(self) -> None:
        self.drafts: list[Any] = []
        self.error: BaseException | None = None
        self.gate: asyncio.Event | None = None
        self.order = make_order()

    async def submit(self, draft: Any) -> SubmitResultStub:
        self.drafts.append(draft)
        if self.gate is not None:
            await self.gate.wait()
        if self.error is not None:
            raise self.error
        return SubmitResultStub(self.order)


class FakeWatcher:
    def __init__(self) -> None:
        self.updates: asyncio.Queue[Order] = asyncio.Queue()
        self.watching: list[str] = []
        self.checks = 0
        self.check_result = make_order("paid", "confirmed")

    async def watch(
        self,
        order_id: str,
        on_update: Callable[[Order], None],
        on_trouble: Callable[[BaseException | None], None] | None = None,
    ) -> Order:
        self.watching.append(order_id)
        while True:
            order = await self.updates.get()
            on_update(order)
            if order.is_paid or order.is_closed:
                return order

    async def check_now(self, order_id: str) -> Order:
        self.checks += 1
        return self.check_result


class FakeApp:
    """A window around fake services."""

    def __init__(self, qtbot: Any) -> None:
        from ui.common.notifier import Notifier
        from ui.common.tasks import TaskRunner
        from ui.controllers import MemorySettings, SaleController
        from ui.main_window import MainWindow

        self.catalog = FakeCatalog()
        self.checkout = FakeCheckout()
        self.watcher = FakeWatcher()
        self.settings = MemorySettings()
        self.notifier = Notifier()
        self.runner = TaskRunner(self.notifier)
        self.controller = SaleController(
            runner=self.runner,
            catalog=self.catalog,
            checkout=self.checkout,
            watcher=self.watcher,
            settings=self.settings,
        )
        self.window = MainWindow(self.controller, self.notifier, demo=True)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.qtbot = qtbot

    def start(self) -> None:
        self.controller.load_stores()
        self.qtbot.waitUntil(lambda: self.window.catalog.model.rowCount() == len(SAMPLE_ITEMS))
        self.qtbot.waitUntil(lambda: not self.runner.is_busy("catalog"))

    def close(self) -> None:
        self.controller.stop_watching()
        self.runner.cancel_all()
        self.window.close()


@pytest.fixture
def fake_app(qtbot: Any, qloop: asyncio.AbstractEventLoop) -> Iterator[FakeApp]:
    app = FakeApp(qtbot)
    yield app
    app.close()


class SandboxApp:
    """The real window, services and client against an embedded sandbox over HTTP."""

    def __init__(self, qtbot: Any, base_url: str, data_dir: Path, poll_interval: float) -> None:
        from pos.api.client import ScalevClient
        from pos.sandbox import DEMO_API_KEY
        from pos.storage import Database
        from ui.app import build_window
        from ui.netclient import Outcomes

        self.base_url = base_url
        outcomes = Outcomes()  # each successful response pokes the outbox, as in the app
        self.client = ScalevClient(base_url, DEMO_API_KEY, on_outcome=outcomes)
        self.db = Database.open(data_dir / "kasir.sqlite3")
        self.window, self.controller, self.runner, self.notifier = build_window(
            self.client,
            db=self.db,
            demo=True,
            sandbox_origin=base_url,
            poll_interval=poll_interval,
            outcomes=outcomes,
        )
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)
        self.window.show()
        self.qtbot = qtbot

    def control(self, method: str, path: str, **kw: Any) -> Any:
        import httpx

        response = httpx.request(method, self.base_url + path, timeout=10, **kw)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests(self, method: str = "POST", path: str = "/v3/orders") -> list[dict[str, Any]]:
        data = self.control("GET", "/__sandbox/requests")["data"]
        return [r for r in data if r["method"] == method and r["path"] == path]

    def start(self, store_name: str) -> None:
        w = self.window
        self.controller.load_stores()
        self.qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=10000)
        idx = w.store_selector.findText(store_name)
        assert idx >= 0, store_name
        w.store_selector.setCurrentIndex(idx)
        w.store_selector.activated.emit(idx)
        self.qtbot.waitUntil(
            lambda: (
                self.controller.store is not None
                and self.controller.store.name == store_name
                and not self.runner.is_busy("catalog")
                and w.catalog.model.total_count() > 0
            ),
            timeout=15000,
        )

    def close(self, qapp: QApplication) -> None:
        self.controller.stop_watching()
        done = asyncio.ensure_future(self._aclose())
        deadline = asyncio.get_event_loop().time() + 5
        while not done.done() and asyncio.get_event_loop().time() < deadline:
            qapp.processEvents()
        self.db.close()
        self.window.close()

    async def _aclose(self) -> None:
        await self.runner.shutdown()
        await self.client.aclose()


@pytest.fixture
def sandbox_server(sandbox: Any) -> Any:
    """The shared ``sandbox`` fixture (tests/conftest.py): a fresh sandbox over real HTTP."""
    return sandbox


@pytest.fixture
def sandbox_app(
    qtbot: Any,
    qapp: QApplication,
    qloop: asyncio.AbstractEventLoop,
    sandbox_server: Any,
    tmp_path: Path,
) -> Iterator[SandboxApp]:
    app = SandboxApp(qtbot, sandbox_server.base_url, tmp_path, poll_interval=0.2)
    yield app
    app.close(qapp)
