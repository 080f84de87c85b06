"""Composition root: settings → client → services → controllers → main window, under qasync.

``kasir`` with no configuration runs in demo mode: the embedded Scalev-compatible sandbox is
started on 127.0.0.1 (random port) with its demo key, and a DEMO badge stays visible. With an
API key (``--api-key`` / ``KASIR_API_KEY``) Kasir talks to ``--base-url`` / ``KASIR_BASE_URL``
(default the real Scalev API). The key is never printed or logged.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from PySide6.QtWidgets import QApplication, QMessageBox

from .controllers import SaleController, SettingsLike
from .history_view import OutboxBridge, reconcile_with_progress
from .i18n import tr
from .main_window import MainWindow
from .notifier import Notifier
from .tasks import TaskRunner
from .thumbnails import Fetch, ThumbnailCache

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass
class Config:
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a repr / log line
    data_dir: Path = Path(".")
    poll_interval: float = 3.0
    self_test: bool = False

    @property
    def demo(self) -> bool:
        return not self.api_key


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Kasir", appauthor=False))


def parse_args(argv: list[str] | None, env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ if env is None else env)
    parser = argparse.ArgumentParser(prog="kasir", description="Kasir — point of sale for Scalev")
    parser.add_argument("--base-url", default=env.get("KASIR_BASE_URL") or None)
    parser.add_argument(
        "--api-key",
        default=env.get("KASIR_API_KEY") or None,
        help="Scalev API key (or KASIR_API_KEY). Without one Kasir runs in demo mode.",
    )
    parser.add_argument("--data-dir", default=env.get("KASIR_DATA_DIR") or None)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="run a scripted demo sale offscreen against the embedded sandbox, then exit",
    )
    ns = parser.parse_args(argv)
    data_dir = Path(ns.data_dir).expanduser() if ns.data_dir else default_data_dir()
    return Config(
        base_url=ns.base_url, api_key=ns.api_key, data_dir=data_dir, self_test=ns.self_test
    )


def style_sheet() -> str:
    """``resources/style.qss`` with ``@RESOURCES@`` pointing at the resources folder."""
    qss = RESOURCES / "style.qss"
    if not qss.is_file():
        return ""
    return qss.read_text(encoding="utf-8").replace("@RESOURCES@", RESOURCES.as_posix())


def load_style(app: QApplication) -> None:
    app.setStyleSheet(style_sheet())


class StoredSettings:
    """``pos.storage.Settings`` seen through the UI's small :class:`SettingsLike`."""

    def __init__(self, settings: Any) -> None:
        self._settings = settings

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self._settings.get(key, default)
        return None if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        self._settings.set(key, value)


@dataclass
class Session:
    """Everything one running Kasir owns; :meth:`aclose` shuts it down in order."""

    window: MainWindow
    controller: SaleController
    runner: TaskRunner
    notifier: Notifier
    client: Any
    db: Any = None
    sandbox: Any = None
    lock: Any = None
    image_client: Any = None

    async def aclose(self) -> None:
        self.controller.stop_watching()
        await self.runner.shutdown()
        for client in (self.client, self.image_client):
            if client is None:
                continue
            try:
                await client.aclose()
            except Exception:
                log.exception("closing an HTTP client failed")
        if self.db is not None:
            try:
                self.db.close()
            except Exception:
                log.exception("closing the database failed")
        if self.sandbox is not None:
            await _maybe_await(self.sandbox.stop())
        if self.lock is not None:
            self.lock.release()


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


def build_window(
    client: Any,
    *,
    db: Any = None,
    demo: bool = False,
    sandbox_origin: str | None = None,
    poll_interval: float = 3.0,
    settings: SettingsLike | None = None,
    terminal: str = "KASIR-01",
    fetch_image: Fetch | None = None,
) -> tuple[MainWindow, SaleController, TaskRunner, Notifier]:
    """Services → controller → window around an existing client (used by main and tests).

    ``db`` is a ``pos.storage.Database``; without one the catalog cache and settings are off and
    the sale journal lives in memory (tests only).
    """
    from pos.services.catalog import CatalogService
    from pos.services.checkout import CheckoutService
    from pos.services.history import HistoryService
    from pos.services.outbox import OutboxService
    from pos.services.payment import PaymentWatcher
    from pos.services.shipping import ShippingService
    from pos.storage import CatalogCache, Database, SaleJournal, Settings

    if db is None:
        db = Database.open(":memory:")
    cache = CatalogCache(db)
    journal = SaleJournal(db)
    if settings is None:
        settings = StoredSettings(Settings(db))
    notifier = Notifier()
    runner = TaskRunner(notifier)
    # ONE CheckoutService for the sale screen and the outbox (it never drives a sale twice).
    # A timed-out send is looked up only after the client's read timeout (settle delay).
    checkout = CheckoutService(
        client, journal, terminal=terminal, settle_delay=_read_timeout(client)
    )
    controller = SaleController(
        runner=runner,
        catalog=CatalogService(client, cache),
        checkout=checkout,
        watcher=PaymentWatcher(client, interval=poll_interval),
        settings=settings,
        shipping=ShippingService(client),
    )
    thumbnails = ThumbnailCache(runner, fetch_image)
    outbox = OutboxBridge(
        OutboxService(checkout, journal), HistoryService(journal, client), runner, notifier
    )
    _poke_on_success(client, outbox.poke)
    window = MainWindow(
        controller,
        notifier,
        demo=demo,
        sandbox_origin=sandbox_origin,
        thumbnails=thumbnails,
        outbox=outbox,
    )
    outbox.setParent(window)
    thumbnails.setParent(window)
    runner.setParent(window)
    notifier.setParent(window)
    controller.setParent(window)
    return window, controller, runner, notifier


def _read_timeout(client: Any) -> float:
    """The HTTP client's read timeout (the settle delay of a timed-out order send)."""
    http = getattr(client, "_http", None)
    timeout = getattr(http, "timeout", None)
    read = getattr(timeout, "read", None)
    return float(read) if isinstance(read, int | float) and read > 0 else 15.0


def _poke_on_success(client: Any, poke: Any) -> None:
    """Every successful API response pokes the outbox: the queue drains as soon as the
    network is back (the outbox also retries by itself every ≤ 4 s while offline)."""
    http = getattr(client, "_http", None)
    if not isinstance(http, httpx.AsyncClient):
        return

    async def on_response(response: httpx.Response) -> None:
        if response.status_code < 400:
            poke()

    hooks = http.event_hooks
    hooks.setdefault("response", []).append(on_response)
    http.event_hooks = hooks


def acquire_data_dir(config: Config) -> Any:
    """Take the one-Kasir-per-data-folder lock (raises ``AlreadyRunning``)."""
    from pos.storage import DataDirLock

    config.data_dir.mkdir(parents=True, exist_ok=True)
    lock = DataDirLock(config.data_dir)
    lock.acquire()
    return lock


def start_sandbox(config: Config) -> Any:
    """Start the embedded sandbox (demo mode). Call it outside ``qasync.run``: the sandbox runs
    its own asyncio loop in a thread and must not pick up qasync's event loop policy."""
    from pos.sandbox import SandboxServer  # type: ignore[attr-defined,unused-ignore]

    return SandboxServer(config.data_dir / "sandbox", port=0).start()


async def start_session(config: Config, *, lock: Any = None, sandbox: Any = None) -> Session:
    """Open storage (and the sandbox in demo mode, unless given); build the window; load."""
    from pos.api.client import DEFAULT_BASE_URL, ScalevClient
    from pos.storage import Database

    own_lock = lock is None
    if lock is None:
        lock = acquire_data_dir(config)
    try:
        if config.demo and sandbox is None:
            sandbox = start_sandbox(config)
        db = Database.open(config.data_dir / "kasir.sqlite3")
        if config.demo:
            from pos.sandbox import DEMO_API_KEY  # type: ignore[attr-defined,unused-ignore]

            base_url = str(sandbox.base_url)
            api_key = DEMO_API_KEY
        else:
            base_url = config.base_url or DEFAULT_BASE_URL
            api_key = str(config.api_key)
        client = ScalevClient(base_url, api_key)
    except BaseException:
        if sandbox is not None:
            await _maybe_await(sandbox.stop())
        if own_lock:
            lock.release()
        raise
    # Product images come from Scalev's CDN: a separate client that never carries the key.
    # The demo catalog's image URLs are placeholders, so demo mode draws initials instead.
    image_client = None if config.demo else httpx.AsyncClient(timeout=10.0, follow_redirects=True)

    async def fetch_image(url: str) -> bytes:
        assert image_client is not None
        response = await image_client.get(url)
        response.raise_for_status()
        return response.content

    window, controller, runner, notifier = build_window(
        client,
        db=db,
        demo=config.demo,
        sandbox_origin=base_url if config.demo else None,
        poll_interval=config.poll_interval,
        fetch_image=None if image_client is None else fetch_image,
    )
    window.resize(1366, 768)
    # Unfinished sales first (crash recovery), before anything else talks to the server.
    assert window.outbox is not None
    await reconcile_with_progress(window.outbox)
    window.show()
    window.outbox.start()  # the offline queue, for the life of the app
    controller.load_stores()
    return Session(window, controller, runner, notifier, client, db, sandbox, lock, image_client)


async def _run(config: Config, lock: Any, sandbox: Any) -> int:
    session = await start_session(config, lock=lock, sandbox=sandbox)
    app = QApplication.instance()
    closed = asyncio.Event()
    assert isinstance(app, QApplication)
    app.lastWindowClosed.connect(closed.set)
    try:
        await closed.wait()
    finally:
        await session.aclose()
    return 0


#: exit code of a second Kasir on the same data folder
EXIT_ALREADY_RUNNING = 2


def _startup_failure(exc: BaseException) -> int:
    """Storage/lock failures before the window exists: a plain message box (not in a coroutine).
    A second Kasir on the same data folder exits with :data:`EXIT_ALREADY_RUNNING`."""
    from pos.storage import AlreadyRunning

    from .errors import describe_error

    text = describe_error(exc)
    code = 1
    if isinstance(exc, AlreadyRunning):
        code = EXIT_ALREADY_RUNNING
        text += "\n" + tr(
            f"Tutup Kasir yang sedang berjalan, atau pakai folder data lain. ({exc.path.parent})",
            f"Close the running Kasir, or use another data folder. ({exc.path.parent})",
        )
        log.error("start-up refused: another Kasir holds %s", exc.path)
    else:
        log.error("start-up failed", exc_info=exc)
    print(f"Kasir: {text}", file=sys.stderr)
    if QApplication.instance() is not None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        QMessageBox.critical(None, tr("Kasir tidak bisa mulai", "Kasir cannot start"), text)
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kasir`` window (the console script calls this)."""
    config = parse_args(sys.argv[1:] if argv is None else argv)
    if config.self_test:
        from .selftest import run_self_test

        return run_self_test()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kasir"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kasir")
    app.setQuitOnLastWindowClosed(False)
    load_style(app)
    import qasync

    lock = sandbox = None
    try:
        lock = acquire_data_dir(config)
        if config.demo:
            sandbox = start_sandbox(config)
        return int(qasync.run(_run(config, lock, sandbox)))
    except Exception as exc:  # storage, lock, sandbox start — never a traceback
        if sandbox is not None and sandbox.running:
            sandbox.stop()
        if lock is not None and lock.held:
            lock.release()
        return _startup_failure(exc)
    except KeyboardInterrupt:
        return 130
