"""Start-up in one place: the named steps from a configuration to a running till, in order.

1. :func:`open_storage` — the data-folder lock, the SQLite file and, in demo mode, the embedded
   sandbox's socket (its server starts after the first paint).
2. :func:`make_client` — the API client as a :class:`~ui.netclient.LazyClient` (httpx,
   pydantic and the SSL context load after the first paint), its every request's outcome
   (:class:`~ui.netclient.Outcomes`) feeding the one
   :class:`~pos.services.connectivity.Connectivity` and, once the window is built, poking the
   outbox on success; its limiter the key's :class:`~pos.api.ratelimit.HourlyBudget`.
3. :func:`ui.session.build_window` — services → controller → window.
4. :func:`reconcile_unfinished` — crash recovery before anything else talks to the server.
5. :func:`paint_from_cache` — the last store list, store, payment methods and catalog, before
   any network (the cache's first items only; every item right after the paint).
6. :func:`after_first_paint` — one step per event-loop turn: the later pages, the GC's
   comeback, (demo) the sandbox's server, the network stack module by module, then
   :func:`go_online` (outbox, connectivity probe, the store list — each load retrying by
   itself, see docs/CONNECTIVITY.md), then the sale's API models.

The steps are here, in order; what they call lives beside them: :mod:`ui.startup.local`
(the data folder's lock, demo mode's sandbox), :mod:`ui.startup.cached_catalog` (step 5),
:mod:`ui.startup.first_paint` (the window's size, the first-paint hook),
:mod:`ui.startup.after_paint` (one step per turn, the modules and models built ahead) and
:mod:`ui.startup.bench` — :class:`~ui.startup.bench.BenchObserver`, the one hook bench/ uses
(passed in by the composition root, ``ui.app``, which alone reads ``KASIR_BENCH_*`` and
installs the SIGTERM / SIGINT handlers). The window itself is built by
:func:`ui.session.build_window`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ui.checkout.outbox_ui import reconcile_with_progress
from ui.common.i18n import tr
from ui.common.tasks import TaskRunner
from ui.controllers import SaleController
from ui.main_window import MainWindow
from ui.netclient import (
    ImageFetcher,
    LazyClient,
    Outcomes,
    make_api_client,
    shared_ssl_context,
)
from ui.session import Config, Session, build_window
from ui.startup.after_paint import (
    PREBUILT_MODELS,
    SANDBOX_MODULES,
    WARM_MODULES,
    prebuild_model,
    resume_gc,
    run_steps,
    warm_import,
)
from ui.startup.bench import BenchObserver
from ui.startup.cached_catalog import show_cached_catalog
from ui.startup.first_paint import FirstPaint, fit_to_screen
from ui.startup.local import (
    acquire_data_dir,
    is_background_sandbox,
    start_background_sandbox,
    start_sandbox,
)

log = logging.getLogger(__name__)

#: the start-up reconcile holds the window back at most this long (seconds)
RECONCILE_BEFORE_PAINT_S = 3.0


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


def make_connectivity(probe: Callable[[], Any]) -> Any:
    """The one link state (``pos.services.connectivity``), ``probe`` its back-online check
    (it runs from :func:`go_online` on)."""
    from pos.services.connectivity import Connectivity

    return Connectivity(probe=probe)


def make_client(opened: Opened, on_outcome: Outcomes, config: Config) -> LazyClient:
    """Step 2: the API client, made on first use; every attempt's outcome goes to
    ``on_outcome`` (the connectivity, the outbox's poke); the key's hourly budget is one of its
    constructor arguments."""
    base_url, api_key = opened.base_url, opened.api_key
    hourly_limit = config.hourly_limit
    reserve = config.hourly_reserve

    def factory() -> Any:
        return make_api_client(
            base_url,
            api_key,
            on_outcome=on_outcome,
            hourly_limit=hourly_limit,
            hourly_reserve=reserve,
        )

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
    item in place (see :func:`~ui.startup.cached_catalog.show_cached_catalog`)."""
    try:
        controller.show_cached()
    except Exception:
        log.exception("store cache unreadable")
    return show_cached_catalog(controller, window)


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
    outcomes = Outcomes()
    client = make_client(opened, outcomes, config)
    connectivity = make_connectivity(make_probe(client))
    outcomes.listen(connectivity.report)
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
        outcomes=outcomes,
    )
    fit_to_screen(window)
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
    if is_background_sandbox(sandbox):
        demo_steps = [
            *(partial(warm_import, name) for name in SANDBOX_MODULES),
            partial(start_background_sandbox, sandbox, session.controller),
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
    for the life of the app (poked when the link comes back), the connectivity's probing, and
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
        connectivity.on_online(outbox.poke)
        session.runner.start("connectivity", connectivity.run())
    outbox.start()
    # mark-paid and tags a crash or the network left open, then every later one
    aftercare = getattr(controller.checkout, "aftercare", None)
    if aftercare is not None:
        session.runner.start("aftercare", aftercare.run())
    controller.load_stores()
