"""Start-up in one place: the named steps from a configuration to a running till, in order.

1. :func:`open_storage` — the data-folder lock, the SQLite file and, in demo mode, the embedded
   sandbox's socket (its server starts after the first paint).
2. :func:`make_client` — the API client as a :class:`~ui.netclient.LazyClient` (httpx,
   pydantic and the SSL context load after the first paint), its every request's outcome
   feeding the one :class:`~pos.services.connectivity.Connectivity`, its limiter the key's
   :class:`~pos.api.ratelimit.HourlyBudget`.
3. :func:`ui.session.build_window` — services → controller → window.
4. :func:`reconcile_unfinished` — crash recovery before anything else talks to the server.
5. :func:`paint_from_cache` — the last store list, store, payment methods and catalog, before
   any network (the cache's first items only; every item right after the paint).
6. :func:`after_first_paint` — one step per event-loop turn: the later pages, the GC's
   comeback, (demo) the sandbox's server, the network stack module by module, then
   :func:`go_online` (outbox, connectivity probe, the store list — each load retrying by
   itself, see docs/CONNECTIVITY.md), then the sale's API models.

:class:`BenchObserver` is the one hook bench/ uses (passed in by the composition root,
``ui.app``, which alone reads ``KASIR_BENCH_*`` and installs the SIGTERM / SIGINT handlers).
The window itself is built by :func:`ui.session.build_window`.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TextIO

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.checkout.outbox_ui import reconcile_with_progress
from ui.common.i18n import tr
from ui.common.tasks import TaskRunner
from ui.controllers import SaleController
from ui.main_window import MainWindow
from ui.netclient import ImageFetcher, LazyClient, make_api_client, shared_ssl_context
from ui.session import Config, Session, build_window

log = logging.getLogger(__name__)

#: the grid's first paint falls back to this delay before the network starts anyway (ms)
NETWORK_START_FALLBACK_MS = 1000
#: the start-up reconcile holds the window back at most this long (seconds)
RECONCILE_BEFORE_PAINT_S = 3.0


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


class BenchObserver:
    """The start-up's milestones for bench/ (the composition root makes one from
    ``KASIR_BENCH_*``; the app itself never reads them):

    - ``ready``: print ``READY <ms since process start> items=<in the grid>`` in the turn after
      the catalog grid's first paint, then ``COMPLETE <ms>`` once every cached item is in;
    - ``exit_after_ready``: then close the window (the network is never started);
    - ``lag_ms``: instead go on starting (and online) for that long while a 5 ms timer
      measures the event loop, print ``LAG <longest gap ms>``, then close.
    """

    def __init__(
        self,
        *,
        ready: bool = False,
        exit_after_ready: bool = False,
        lag_ms: int = 0,
        out: TextIO | None = None,
    ) -> None:
        self.ready = ready
        self.exit_after_ready = exit_after_ready
        self.lag_ms = lag_ms
        self._out = out

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> BenchObserver | None:
        """The one reader of ``KASIR_BENCH_READY`` / ``_EXIT`` / ``_LAG_MS``."""
        observer = cls(
            ready=env.get("KASIR_BENCH_READY") == "1",
            exit_after_ready=env.get("KASIR_BENCH_EXIT") == "1",
            lag_ms=int(env.get("KASIR_BENCH_LAG_MS") or 0),
        )
        return observer if observer.ready or observer.exit_after_ready else None

    @property
    def stops_before_network(self) -> bool:
        return self.exit_after_ready and self.lag_ms <= 0

    def _write(self, line: str) -> None:
        out = self._out or sys.stdout
        out.write(line + "\n")
        out.flush()

    def painted(self, window: MainWindow) -> None:
        if self.ready:
            items = window.catalog.model.total_count()
            self._write(f"READY {process_ms():.1f} items={items}")
        if self.lag_ms > 0:
            _measure_lag(window, self.lag_ms, self._write)
        elif self.exit_after_ready:
            window.close()

    def complete(self) -> None:
        if self.ready:
            self._write(f"COMPLETE {process_ms():.1f}")


@dataclass
class Opened:
    """What :func:`open_storage` and :func:`make_client` opened (closed on a failed start)."""

    lock: Any
    sandbox: Any
    db: Any
    base_url: str = ""
    api_key: str = field(default="", repr=False)


def open_storage(config: Config, lock: Any, sandbox: Any) -> Opened:
    """Step 1: the data-folder lock, the database, (demo) the sandbox's socket; the base URL
    and key the client will use (the key masked in every log line from here on). On a
    failure, what this step opened is closed again (a lock or sandbox passed in stays)."""
    from pos.logs import register_secret
    from pos.storage import Database

    own_lock, own_sandbox = lock is None, sandbox is None
    try:
        if lock is None:
            lock = acquire_data_dir(config)
        if config.demo and sandbox is None:
            sandbox = start_sandbox(config)
        # an empty or damaged file is set aside and recovered, never silently replaced
        opened = Opened(lock, sandbox, Database.open_or_recover(config.data_dir / "kasir.sqlite3"))
    except BaseException:
        if own_sandbox and sandbox is not None:
            sandbox.stop()
        if own_lock and lock is not None:
            lock.release()
        raise
    if config.demo:
        from pos.sandbox.keys import DEMO_API_KEY

        opened.base_url, opened.api_key = str(sandbox.base_url), DEMO_API_KEY
    else:
        from pos.config import DEFAULT_BASE_URL

        opened.base_url = config.base_url or DEFAULT_BASE_URL
        opened.api_key = str(config.api_key)
    register_secret(opened.api_key)
    return opened


def make_connectivity() -> Any:
    """The one link state (``pos.services.connectivity``; its probe is set by go_online)."""
    from pos.services.connectivity import Connectivity

    return Connectivity()


def make_client(opened: Opened, connectivity: Any, config: Config) -> LazyClient:
    """Step 2: the API client, made on first use; every attempt's outcome feeds
    ``connectivity``; the key's hourly budget rides on its limiter."""
    base_url, api_key = opened.base_url, opened.api_key
    hourly_limit = config.hourly_limit
    reserve = config.hourly_reserve

    def factory() -> Any:
        from pos.api.ratelimit import HourlyBudget

        client = make_api_client(base_url, api_key, on_outcome=connectivity.report)
        client.limiter.budget = HourlyBudget(
            hourly_limit, reserve_fraction=reserve, burst_limit=client.limiter.max_requests
        )
        return client

    return LazyClient(factory)


def make_probe(client: LazyClient) -> Callable[[], Any]:
    """The back-online probe: the store list's first page of one store (one request)."""

    async def probe() -> None:
        async for _store in client.real().list_stores(page_size=1):
            break

    return probe


async def reconcile_unfinished(window: MainWindow, runner: TaskRunner) -> None:
    """Step 4: unfinished sales first (crash recovery), before anything else talks to the
    server; what cannot be settled now the outbox retries by itself. A network that swallows
    packets must not hold the window back: after :data:`RECONCILE_BEFORE_PAINT_S` the pass
    goes on in the background (never cancelled for that; the outbox's passes take turns)."""
    assert window.outbox is not None
    task = runner.start("reconcile", reconcile_with_progress(window.outbox))
    await asyncio.wait({task}, timeout=RECONCILE_BEFORE_PAINT_S)
    if not task.done():
        log.info("the start-up reconcile goes on in the background")


def paint_from_cache(controller: SaleController, window: MainWindow) -> Callable[[], None]:
    """Step 5: the last store list, store and payment methods, and the first cached catalog
    items (no request before the first paint); returns the function putting every cached
    item in place (see :func:`_show_cached_catalog`)."""
    try:
        controller.show_cached()
    except Exception:
        log.exception("store cache unreadable")
    return _show_cached_catalog(controller, window)


async def start_session(
    config: Config,
    *,
    lock: Any = None,
    sandbox: Any = None,
    observer: BenchObserver | None = None,
) -> Session:
    """The steps of the module docstring; returns the running :class:`Session` (its window
    shown, the rest of the start-up going on one step per event-loop turn)."""
    opened = open_storage(config, lock, sandbox)
    connectivity = make_connectivity()
    client = make_client(opened, connectivity, config)
    # Product images come from Scalev's CDN: a separate client that never carries the key.
    # The demo catalog's image URLs are placeholders, so demo mode draws initials instead.
    image_client = None if config.demo else ImageFetcher()
    from pos.config import AppSettings
    from ui.settings.counter import Counter

    app_settings = config.app_settings or AppSettings()
    counter = Counter(
        app_settings,
        config_directory=config.config_dir,
        data_dir=config.data_dir,
        demo=config.demo,
        base_url=opened.base_url,
    )
    window, controller, runner, notifier = build_window(
        client,
        db=opened.db,
        demo=config.demo,
        sandbox_origin=opened.base_url if config.demo else None,
        poll_interval=config.poll_interval,
        fetch_image=image_client,
        terminal=app_settings.terminal_name,
        counter=counter,
        lazy_pages=True,
        connectivity=connectivity,
        catalog_max_age=config.catalog_max_age,
    )
    _fit_to_screen(window)
    if config.demo:  # LAN demo mode: the address phones open, beside the DEMO badge
        from ui.display.lan_demo import install_lan_demo

        install_lan_demo(window, opened.sandbox)
    recovery = getattr(opened.db, "recovery", None)
    if recovery is not None:  # say exactly what was lost and where the old file is
        notifier.error(tr(recovery.describe("id"), recovery.describe("en"), "\n"))
    try:
        await reconcile_unfinished(window, runner)
    except asyncio.CancelledError:  # a signal during the start-up: stop what it started
        await runner.shutdown()
        raise
    complete_catalog = paint_from_cache(controller, window)
    session = Session(
        window,
        controller,
        runner,
        notifier,
        client,
        opened.db,
        opened.sandbox,
        opened.lock,
        image_client,
        connectivity,
    )
    FirstPaint(window, partial(after_first_paint, session, complete_catalog, observer))
    window.show()
    return session


def after_first_paint(
    session: Session, complete_catalog: Callable[[], None], observer: BenchObserver | None
) -> None:
    """Step 6: every cached item in place, then one step per event-loop turn (a key pressed
    now is handled between steps): the checkout, payment and history pages (before any
    network: no state missed), the GC's comeback, (demo) the sandbox's modules on this
    thread (CPython 3.11 must not compile modules in two threads at once) and its server,
    the network stack and the QR encoder module by module (~400 ms of imports in one go
    would freeze the fresh window), the CA bundle, :func:`go_online`, the sale's models."""
    window, sandbox = session.window, session.sandbox
    if observer is not None:
        observer.painted(window)
    complete_catalog()  # every cached item: a search or scan then sees them all
    if observer is not None:
        observer.complete()
        if observer.stops_before_network:
            return
    demo_steps: list[Callable[[], object]] = []
    if _is_background_sandbox(sandbox):
        demo_steps = [
            *(partial(warm_import, name) for name in SANDBOX_MODULES),
            partial(_start_background_sandbox, sandbox, session.controller),
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
            partial(go_online, session),
            *(partial(prebuild_model, name) for name in PREBUILT_MODELS),
        ]
    )


def go_online(session: Session) -> None:
    """The client (its modules are imported by now: quick), the image fetcher, the outbox
    for the life of the app (poked when the link comes back), the connectivity probe, and
    the store list (it retries by itself; the catalog and payment methods follow it)."""
    client, controller, window = session.client, session.controller, session.window
    try:
        client.real()
    except ValueError as exc:  # a base URL or key the client refuses: the problem screen
        from ui.common.errors import describe_error

        log.error("API client not created: %s", exc)
        from pos.domain.urls import BaseUrlRefused

        kind = "config" if isinstance(exc, BaseUrlRefused) else "auth"
        controller.backend_failed.emit(kind, describe_error(exc))
        return
    if session.image_client is not None:
        session.image_client.start()
    outbox = window.outbox
    assert outbox is not None
    connectivity = session.connectivity
    if connectivity is not None:
        connectivity.probe = make_probe(client)
        connectivity.on_online(outbox.poke)
        session.runner.start("connectivity", connectivity.run())
    outbox.start()
    # mark-paid and tags a crash or the network left open, then every later one
    aftercare = getattr(controller.checkout, "aftercare", None)
    if aftercare is not None:
        session.runner.start("aftercare", aftercare.run())
    controller.load_stores()


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


def _measure_lag(window: MainWindow, duration_ms: int, write: Callable[[str], None]) -> None:
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
            write(f"LAG {longest:.1f}")
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
    from pos.storage.db import prepare_data_dir

    prepare_data_dir(config.data_dir)  # a file in the way: its own message, not "unexpected"
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
        from ui.common.errors import describe_error

        if isinstance(exc, OSError) and exc.filename:
            detail = f"{exc.filename}: {exc.strerror or type(exc).__name__}"
        else:
            detail = describe_error(exc)
        loop.call_soon_threadsafe(controller.backend_failed.emit, "demo", detail)

    sandbox.start(on_error=failed)
