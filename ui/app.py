"""Composition root: settings → client → services → controllers → main window, under qasync.

``kasir`` with no configuration runs in demo mode: the embedded Scalev-compatible sandbox is
started on 127.0.0.1 (random port) with its demo key, and a DEMO badge stays visible. With an
API key (``--api-key`` / ``KASIR_API_KEY``) Kasir talks to ``--base-url`` / ``KASIR_BASE_URL``
(default the real Scalev API). The key is never printed or logged.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import inspect
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from .controllers import SaleController, SettingsLike
from .i18n import tr
from .main_window import MainWindow
from .notifier import Notifier
from .outbox_ui import OutboxBridge, reconcile_with_progress
from .tasks import TaskRunner
from .thumbnails import Fetch, ThumbnailCache

if TYPE_CHECKING:
    import ssl

log = logging.getLogger(__name__)

#: ``pos.api.client.DEFAULT_BASE_URL`` (not imported here: that pulls httpx before the paint)
DEFAULT_BASE_URL = "https://api.scalev.com"
#: the grid's first paint falls back to this delay before the network starts anyway (ms)
NETWORK_START_FALLBACK_MS = 1000

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@dataclass
class Config:
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a repr / log line
    data_dir: Path = Path(".")
    poll_interval: float = 3.0
    self_test: bool = False
    #: saved ``pos.config.Settings`` (``None``: defaults) and their folder (``None``: the
    #: platform config dir or ``KASIR_CONFIG_DIR``) — see :func:`apply_saved_settings`
    app_settings: Any = None
    config_dir: Path | None = None

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


def apply_saved_settings(config: Config, env: dict[str, str] | None = None) -> Config:
    """Read the saved settings into ``config``: the backend and, for Scalev, the API key —
    ``KASIR_API_KEY`` / ``--api-key`` first, else the OS keyring (never a plain file)."""
    from pos.config import load_settings, resolve_api_key
    from pos.logs import register_secret

    settings = load_settings(config.config_dir)
    config.app_settings = settings
    if config.api_key is None and settings.backend == "scalev":
        config.api_key = resolve_api_key(settings, env)
        if config.api_key is None:
            log.warning("backend is Scalev but no API key (keyring/KASIR_API_KEY): demo mode")
    if config.api_key is not None and settings.backend == "scalev":
        config.base_url = config.base_url or settings.base_url
    register_secret(config.api_key)
    return config


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


def _fit_to_screen(window: QWidget) -> None:
    """1366×768 by default, never larger than the screen's available area (a window manager's
    title bar and panels would otherwise push the Charge button off a 1366×768 screen)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(1366, 768)
        return
    avail = screen.availableGeometry()
    window.resize(min(1366, avail.width()), min(768, avail.height()))
    if QApplication.platformName() != "offscreen" and (
        avail.width() <= 1366 or avail.height() <= 800
    ):
        # A small screen: let the window manager fit the frame (a till runs full screen anyway).
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


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
    counter: Any = None,
    lazy_pages: bool = False,
) -> tuple[MainWindow, SaleController, TaskRunner, Notifier]:
    """Services → controller → window around an existing client (used by main and tests).

    ``lazy_pages``: the checkout, payment and history pages wait for
    ``window.build_pages()`` (or their first use); :func:`start_session` builds them right
    after the first paint.

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
        counter=counter,
        lazy_pages=lazy_pages,
    )
    outbox.setParent(window)
    thumbnails.setParent(window)
    runner.setParent(window)
    notifier.setParent(window)
    controller.setParent(window)
    return window, controller, runner, notifier


def _read_timeout(client: Any) -> float:
    """The HTTP client's read timeout (the settle delay of a timed-out order send)."""
    if isinstance(client, LazyClient):
        return client.read_timeout
    http = getattr(client, "_http", None)
    timeout = getattr(http, "timeout", None)
    read = getattr(timeout, "read", None)
    return float(read) if isinstance(read, int | float) and read > 0 else 15.0


def _poke_on_success(client: Any, poke: Any) -> None:
    """Every successful API response pokes the outbox: the queue drains as soon as the
    network is back (the outbox also retries by itself every ≤ 4 s while offline)."""
    if isinstance(client, LazyClient):
        client.on_create(lambda real: _poke_on_success(real, poke))
        return
    import httpx

    http = getattr(client, "_http", None)
    if not isinstance(http, httpx.AsyncClient):
        return

    async def on_response(response: Any) -> None:
        if response.status_code < 400:
            poke()

    hooks = http.event_hooks
    hooks.setdefault("response", []).append(on_response)
    http.event_hooks = hooks


_SSL_CONTEXT: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One certifi SSL context for every HTTPS client (loading the CA bundle costs 30–50 ms
    each time), created on first use — after the first paint."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        import httpx

        _SSL_CONTEXT = httpx.create_ssl_context()
    return _SSL_CONTEXT


class LazyClient:
    """Stands in for the ``ScalevClient`` until the first attribute is used.

    The window, the services and the cached catalog come up without importing httpx/pydantic
    or building an SSL context; the real client is made by ``factory`` on first use (after
    the grid's first paint, when the store list is fetched). ``on_create`` callbacks run once
    with the real client."""

    def __init__(self, factory: Callable[[], Any], *, read_timeout: float = 15.0) -> None:
        self.__dict__["_factory"] = factory
        self.__dict__["_client"] = None
        self.__dict__["_callbacks"] = []
        self.__dict__["read_timeout"] = read_timeout

    @property
    def created(self) -> bool:
        return self.__dict__["_client"] is not None

    def real(self) -> Any:
        client = self.__dict__["_client"]
        if client is None:
            client = self.__dict__["_client"] = self.__dict__["_factory"]()
            for callback in self.__dict__["_callbacks"]:
                callback(client)
            self.__dict__["_callbacks"] = []
        return client

    def on_create(self, callback: Callable[[Any], None]) -> None:
        if self.created:
            callback(self.__dict__["_client"])
        else:
            self.__dict__["_callbacks"].append(callback)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.real(), name, value)

    def __repr__(self) -> str:
        client = self.__dict__["_client"]
        return f"LazyClient({client!r})" if client is not None else "LazyClient(<not created>)"

    async def aclose(self) -> None:
        client = self.__dict__["_client"]
        if client is not None:
            await client.aclose()


def make_api_client(base_url: str, api_key: str) -> Any:
    """The ``ScalevClient`` (imports httpx and pydantic) on a transport with the shared SSL
    context (httpx would otherwise load the CA bundle for each client, even a plain-HTTP one)."""
    import httpx

    from pos.api.client import ScalevClient

    transport = httpx.AsyncHTTPTransport(verify=shared_ssl_context())
    return ScalevClient(base_url, api_key, transport=transport)


class ImageFetcher:
    """Thumbnails from the CDN: its own HTTP client (never the Scalev key), made on the first
    image, with the shared SSL context. Fetches wait for :meth:`start` (called after the
    grid's first paint), so the tiles of the first paint import no httpx."""

    def __init__(self) -> None:
        self._http: Any = None
        self._started = asyncio.Event()

    def start(self) -> None:
        self._started.set()

    async def __call__(self, url: str) -> bytes:
        await self._started.wait()
        if self._http is None:
            import httpx

            self._http = httpx.AsyncClient(
                timeout=10.0, follow_redirects=True, verify=shared_ssl_context()
            )
        response = await self._http.get(url)
        response.raise_for_status()
        return bytes(response.content)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()


def process_ms() -> float:
    """Milliseconds since this process started (Linux: /proc; else since ui.app's import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return (time.clock_gettime(time.CLOCK_BOOTTIME) - started) * 1000
    except (OSError, ValueError, IndexError, AttributeError):
        return (time.perf_counter() - _IMPORTED) * 1000


_IMPORTED = time.perf_counter()


class FirstPaint(QObject):
    """Calls ``callback`` once, in the event-loop turn after the catalog grid's first paint
    with items (or its first paint at all when the catalog is empty)."""

    def __init__(self, window: MainWindow, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], None] | None = callback
        self._viewport = window.catalog.view.viewport()
        self._viewport.installEventFilter(self)
        QTimer.singleShot(NETWORK_START_FALLBACK_MS, self._fire)  # never painted (minimised)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            items = self._window.catalog.model.total_count()
            if items == 0 or self._window.catalog.model.rowCount() > 0:
                QTimer.singleShot(0, self._fire)  # after this paint reached the screen
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._viewport.removeEventFilter(self)
        callback()


def resume_gc() -> None:
    """After the first paint: collect start-up garbage once, freeze what survives (modules,
    classes, the catalog: later collections skip them, so they stay short) and turn the
    collector back on — ``kasir`` (``ui.cli``) pauses it for the start-up."""
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


def _bench_ready(window: MainWindow) -> None:
    """``KASIR_BENCH_READY=1``: print ``READY <ms since process start> items=<in the grid>``
    (bench/startup.py);
    ``KASIR_BENCH_EXIT=1``: then close the window (the app quits as after the last window);
    ``KASIR_BENCH_LAG_MS=N``: instead, let the start-up go on (online, too) for N ms while a
    5 ms timer measures the event loop, print ``LAG <longest gap in ms>``, then close."""
    items = window.catalog.model.total_count()
    sys.stdout.write(f"READY {process_ms():.1f} items={items}\n")
    sys.stdout.flush()
    lag_ms = int(os.environ.get("KASIR_BENCH_LAG_MS") or 0)
    if lag_ms > 0:
        _measure_lag(window, lag_ms)
    elif os.environ.get("KASIR_BENCH_EXIT") == "1":
        window.close()


def _measure_lag(window: MainWindow, duration_ms: int) -> None:
    """The longest gap between ticks of a 5 ms timer over ``duration_ms`` (bench/startup.py)."""
    start = last = time.perf_counter()
    longest = 0.0

    def tick() -> None:
        nonlocal last, longest
        now = time.perf_counter()
        longest = max(longest, (now - last) * 1000)
        last = now
        if (now - start) * 1000 < duration_ms:
            QTimer.singleShot(5, tick)
        else:
            sys.stdout.write(f"LAG {longest:.1f}\n")
            sys.stdout.flush()
            window.close()

    QTimer.singleShot(5, tick)


def _show_cached_catalog(controller: SaleController, window: MainWindow) -> Callable[[], None]:
    """Paint the last store's cached catalog before any network: the store list (and the
    catalog refresh) come after the first paint.

    Only the cache's first items are decoded for the first paint; the returned function puts
    every item in place (call it right after the paint). The grid also calls it before its
    first search or barcode scan, so a lookup never sees part of the catalog. ``select_store``
    then reuses these items instead of decoding the cache a second time."""
    last = controller.settings.get("last_store_id")
    if not last or not last.isdigit():
        return _nothing
    store_id = int(last)
    try:
        head = controller.catalog.cached_head(store_id)
    except Exception:
        log.exception("catalog cache unreadable")
        return _nothing
    if head is None or not head[0]:
        return _nothing
    first, everything = head
    controller.items = shown = list(first)
    controller.catalog = _PreRead(controller.catalog, store_id, everything)
    controller.catalog_changed.emit(shown)

    def complete() -> None:
        window.catalog.before_lookup = None
        if controller.items is not shown:  # a store was chosen meanwhile: its items stand
            return
        items = everything()
        if items is not None and len(items) > len(shown):
            controller.items = list(items)
            controller.catalog_changed.emit(controller.items)

    window.catalog.before_lookup = complete
    return complete


def _nothing() -> None:
    return None


class _PreRead:
    """The catalog service with one cache read already done (served once, then forwards)."""

    def __init__(
        self, service: Any, store_id: int, everything: Callable[[], list[Any] | None]
    ) -> None:
        self._service = service
        self._store_id: int | None = store_id
        self._everything = everything

    def cached(self, store_id: int) -> Any:
        if store_id == self._store_id:
            self._store_id = None
            return self._everything()
        return self._service.cached(store_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


def acquire_data_dir(config: Config) -> Any:
    """Take the one-Kasir-per-data-folder lock (raises ``AlreadyRunning``)."""
    from pos.storage import DataDirLock

    config.data_dir.mkdir(parents=True, exist_ok=True)
    lock = DataDirLock(config.data_dir)
    lock.acquire()
    return lock


def start_sandbox(config: Config) -> Any:
    """Demo mode's embedded sandbox: its socket listens (so its URL is known) at once; the
    server itself (uvicorn, starlette, the demo data) starts in a thread after the window's
    first paint (``start_session``). A ``pos.sandbox.BackgroundSandbox``."""
    from pos.sandbox.background import BackgroundSandbox, lan_requested

    lan = lan_requested() or bool(getattr(config.app_settings, "demo_lan", False))
    return BackgroundSandbox(config.data_dir / "sandbox", lan=lan)


#: imported one per event-loop turn after the first paint (each ≤ ~60 ms here): the API
#: client's stack and the QR encoder, their heavy parts first (httpx imports its command line
#: with ``click`` when that is installed)
WARM_MODULES = (
    "uuid",
    "click",
    "urllib.request",
    "httpx",
    "pydantic_core",
    "pydantic.main",
    "pydantic.types",
    "pos.api.models",
    "PIL.Image",
    "qrcode",
    "pos.api.client",
)


def warm_import(name: str) -> None:
    """Import ``name`` ahead of its use; a module that is missing or fails is left to the
    import that needs it (which reports it where it is handled)."""
    try:
        importlib.import_module(name)
    except Exception:
        log.debug("warm-up import of %s skipped", name, exc_info=True)


#: API models whose validators are built in idle turns once online (pydantic builds each on
#: first use, ``defer_build``): those of a sale, so the first charge does not build them
PREBUILT_MODELS = ("OrderCreate", "Order", "OrderListItem", "Location", "CourierServiceResult")


#: demo mode: the embedded sandbox's modules, imported one per turn before its server starts
SANDBOX_MODULES = ("uvicorn", "starlette.applications", "pos.sandbox.app", "pos.sandbox.server")


def prebuild_model(name: str) -> None:
    """Build the validator of ``pos.api.models.<name>`` now (instead of on its first use)."""
    from pos.api import models

    getattr(models, name).model_rebuild(force=True)


def run_steps(steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` one per event-loop turn (input and paints get in between)."""
    if not steps:
        return
    step, rest = steps[0], steps[1:]
    step()
    if rest:
        QTimer.singleShot(0, lambda: run_steps(rest))


def _is_background_sandbox(sandbox: Any) -> bool:
    if sandbox is None:
        return False
    from pos.sandbox.background import BackgroundSandbox

    return isinstance(sandbox, BackgroundSandbox)


def _start_background_sandbox(sandbox: Any, controller: SaleController) -> None:
    """Demo mode: start the sandbox's server now (after the first paint). If it cannot start,
    say why where the cashier looks (its socket closes, so waiting requests fail at once)."""
    if not _is_background_sandbox(sandbox):
        return
    loop = asyncio.get_event_loop()

    def failed(exc: BaseException) -> None:  # the starter thread: hand over to the UI's loop
        from .errors import describe_error

        if isinstance(exc, OSError) and exc.filename:
            detail = f"{exc.filename}: {exc.strerror or type(exc).__name__}"
        else:
            detail = describe_error(exc)
        loop.call_soon_threadsafe(controller.backend_failed.emit, "demo", detail)

    sandbox.start(on_error=failed)


async def start_session(config: Config, *, lock: Any = None, sandbox: Any = None) -> Session:
    """Open storage (and the sandbox in demo mode, unless given); build the window; paint the
    cached catalog; then, after the grid's first paint, the network: API client, store list,
    catalog refresh, outbox (httpx, pydantic and the SSL context load only then)."""
    from pos.storage import Database

    own_lock = lock is None
    if lock is None:
        lock = acquire_data_dir(config)
    try:
        if config.demo and sandbox is None:
            sandbox = start_sandbox(config)
        db = Database.open(config.data_dir / "kasir.sqlite3")
        if config.demo:
            from pos.sandbox.keys import DEMO_API_KEY

            base_url = str(sandbox.base_url)
            api_key = DEMO_API_KEY
        else:
            base_url = config.base_url or DEFAULT_BASE_URL
            api_key = str(config.api_key)
        from pos.logs import register_secret

        register_secret(api_key)  # masked in every log line from here on
        client = LazyClient(lambda: make_api_client(base_url, api_key))
    except BaseException:
        if sandbox is not None:
            await _maybe_await(sandbox.stop())
        if own_lock:
            lock.release()
        raise
    # Product images come from Scalev's CDN: a separate client that never carries the key.
    # The demo catalog's image URLs are placeholders, so demo mode draws initials instead.
    image_client = None if config.demo else ImageFetcher()

    from pos.config import Settings

    from .counter import Counter

    app_settings = config.app_settings or Settings()
    counter = Counter(
        app_settings,
        config_directory=config.config_dir,
        data_dir=config.data_dir,
        demo=config.demo,
        base_url=base_url,
    )
    window, controller, runner, notifier = build_window(
        client,
        db=db,
        demo=config.demo,
        sandbox_origin=base_url if config.demo else None,
        poll_interval=config.poll_interval,
        fetch_image=image_client,
        terminal=app_settings.terminal_name,
        counter=counter,
        lazy_pages=True,
    )
    _fit_to_screen(window)
    if config.demo:  # LAN demo mode: the address phones open, beside the DEMO badge
        from .lan_demo import install_lan_demo

        install_lan_demo(window, sandbox)
    # Unfinished sales first (crash recovery), before anything else talks to the server.
    assert window.outbox is not None
    await reconcile_with_progress(window.outbox)
    # from the cache, no request before the first paint; the first items only, all right after
    complete_catalog = _show_cached_catalog(controller, window)
    outbox = window.outbox
    bench_exit = os.environ.get("KASIR_BENCH_EXIT") == "1"

    def after_first_paint() -> None:
        if os.environ.get("KASIR_BENCH_READY") == "1":
            _bench_ready(window)
        complete_catalog()  # every cached item: a search or scan then sees them all
        if os.environ.get("KASIR_BENCH_READY") == "1":
            sys.stdout.write(f"COMPLETE {process_ms():.1f}\n")  # bench: catalog all in place
            sys.stdout.flush()
        if bench_exit:
            return
        # One step per event-loop turn, so a key pressed now is handled between steps: the
        # checkout, payment and history pages (before any network: no state missed), the
        # GC's comeback, then the network stack (httpx, pydantic, the API models) and the QR
        # encoder module by module (~400 ms of imports in one go would freeze the fresh
        # window), then the network.
        # Demo mode: the sandbox's modules load here too (on this thread: CPython 3.11 must
        # not compile modules in two threads at once), then its server starts in its thread.
        demo_steps: list[Callable[[], object]] = []
        if _is_background_sandbox(sandbox):
            demo_steps = [
                *(partial(warm_import, name) for name in SANDBOX_MODULES),
                partial(_start_background_sandbox, sandbox, controller),
            ]
        run_steps(
            [
                lambda: window.checkout,
                lambda: window.payment,
                window.build_pages,  # the history, and the reprint count
                resume_gc,
                *demo_steps,
                *(partial(warm_import, name) for name in WARM_MODULES),
                shared_ssl_context,  # the CA bundle (~40 ms)
                go_online,
                *(partial(prebuild_model, name) for name in PREBUILT_MODELS),
            ]
        )

    def go_online() -> None:
        try:
            client.real()  # its modules are imported by now (the steps above): quick
        except ValueError as exc:  # a base URL or key the client refuses: the problem screen
            from .errors import describe_error

            log.error("API client not created: %s", exc)
            controller.backend_failed.emit("auth", describe_error(exc))
            return
        if image_client is not None:
            image_client.start()
        outbox.start()  # the offline queue, for the life of the app
        controller.load_stores()

    FirstPaint(window, after_first_paint)
    window.show()
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
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, tr("Kasir tidak bisa mulai", "Kasir cannot start"), text)
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kasir`` window (the console script calls this)."""
    config = parse_args(sys.argv[1:] if argv is None else argv)
    if config.self_test:
        from .selftest import run_self_test

        return run_self_test()
    from pos.logs import setup_logging

    setup_logging(console=True)  # platform log dir or KASIR_LOG_DIR, secrets redacted
    apply_saved_settings(config)
    if QApplication.instance() is None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kasir"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kasir")
    app.setQuitOnLastWindowClosed(False)
    from .i18n import resolve_mode, set_mode

    # KASIR_LANGUAGE (system | id | en | both) overrides the saved choice (training, tests)
    set_mode(resolve_mode(os.environ.get("KASIR_LANGUAGE") or config.app_settings.language))
    load_style(app)
    import qasync

    lock = sandbox = None
    try:
        lock = acquire_data_dir(config)
        if config.demo:
            sandbox = start_sandbox(config)
        return int(qasync.run(_run(config, lock, sandbox)))
    except Exception as exc:  # storage, lock, sandbox socket — never a traceback
        if sandbox is not None:
            sandbox.stop()
        if lock is not None and lock.held:
            lock.release()
        return _startup_failure(exc)
    except KeyboardInterrupt:
        return 130
