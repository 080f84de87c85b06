"""One running Kasir: its configuration, the window built around a client (services →
controller → window; the controller's catalog a :class:`PreReadCatalog`), and
:class:`Session`, which shuts it all down in order.

``ui.startup`` builds a session step by step; the self-test and the tests build windows with
:func:`build_window` directly.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ui.checkout.outbox_ui import OutboxBridge
from ui.common.notifier import Notifier
from ui.common.tasks import TaskRunner
from ui.controllers import SaleController, SettingsLike
from ui.main_window import MainWindow
from ui.netclient import Outcomes
from ui.sale.thumbnails import Fetch, ThumbnailCache

log = logging.getLogger(__name__)


@dataclass
class Config:
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a repr / log line
    data_dir: Path = Path(".")
    poll_interval: float = 3.0
    self_test: bool = False
    #: saved ``pos.config.AppSettings`` (``None``: defaults) and their folder (``None``: the
    #: platform config dir or ``KASIR_CONFIG_DIR``) — see ``ui.app.apply_saved_settings``
    app_settings: Any = None
    config_dir: Path | None = None
    #: the key's requests per hour (Scalev: 10,000) and the share catalog refreshes leave
    hourly_limit: int = 10_000
    hourly_reserve: float = 0.2
    #: a cached catalog younger than this (seconds) is not refreshed at start
    catalog_max_age: float = 4 * 3600.0

    @property
    def demo(self) -> bool:
        return not self.api_key


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Kasir", appauthor=False))


class StoredSettings:
    """``pos.storage.Settings`` seen through the UI's small :class:`SettingsLike`."""

    def __init__(self, settings: Any) -> None:
        self._settings = settings

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self._settings.get(key, default)
        return None if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        self._settings.set(key, value)


class PreReadCatalog:
    """The sale controller's catalog service, keeping the first paint's cache read.

    ``cached_head(store)`` hands out the cache's first items and a function decoding them all
    (``ui.startup`` paints the head, then every item); the next ``cached(store)`` of that store
    is served by that function once instead of decoding the cache a second time. Everything
    else is the service's own."""

    def __init__(self, service: Any) -> None:
        self._service = service
        self._pre_read: tuple[int, Callable[[], list[Any] | None]] | None = None

    def cached_head(self, store_id: int) -> Any:
        head = self._service.cached_head(store_id)
        if head is not None and head[0]:
            self._pre_read = (store_id, head[1])
        return head

    def cached(self, store_id: int) -> Any:
        if self._pre_read is not None and self._pre_read[0] == store_id:
            everything, self._pre_read = self._pre_read[1], None
            return everything()
        return self._service.cached(store_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._service, name)


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
    connectivity: Any = None

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
    counter: Any = None,
    lazy_pages: bool = False,
    connectivity: Any = None,
    catalog_max_age: float | None = None,
    outcomes: Outcomes | None = None,
) -> tuple[MainWindow, SaleController, TaskRunner, Notifier]:
    """Services → controller → window around an existing client (used by main and tests).

    ``lazy_pages``: the checkout, payment and history pages wait for
    ``window.build_pages()`` (or their first use); :func:`start_session` builds them right
    after the first paint. ``connectivity``: the one link state (None: loads try once).
    ``outcomes``: the client's request outcomes (its ``on_outcome``); each success pokes the
    outbox (None: the outbox retries by itself).

    ``db`` is a ``pos.storage.Database``; without one the catalog cache and settings are off and
    the sale journal lives in memory (tests only).
    """
    from pos.services.catalog import DEFAULT_MAX_AGE_S, CatalogService
    from pos.services.checkout import CheckoutService, ConfirmPolicy
    from pos.services.history import HistoryService
    from pos.services.outbox import OutboxService
    from pos.services.payment import PaymentWatcher
    from pos.services.shift import ShiftService
    from pos.services.shipping import ShippingService
    from pos.services.tender import Aftercare, TenderingCheckout
    from pos.storage import CatalogCache, Database, SaleJournal, SettingsTable, StoreCache
    from pos.storage.tenders import TenderStore

    if db is None:
        db = Database.open(":memory:")
    cache = CatalogCache(db)
    journal = SaleJournal(db)
    if settings is None:
        settings = StoredSettings(SettingsTable(db))
    notifier = Notifier()
    runner = TaskRunner(notifier)
    # ONE CheckoutService for the sale screen and the outbox (it never drives a sale twice).
    checkout = CheckoutService(client, journal, terminal=terminal, policy=ConfirmPolicy.from_env())
    # cash, mark-paid and terminal tags around the same checkout (issue 13)
    tenders = TenderStore(db)
    shifts = ShiftService(tenders, journal, client, terminal=terminal)
    tendering = TenderingCheckout(
        checkout,
        tenders,
        Aftercare(client, journal, tenders, terminal=terminal),
        settings=settings,
        shift_id=lambda: s.id if (s := shifts.current()) else None,
    )
    tendering.shifts = shifts
    controller = SaleController(
        runner=runner,
        catalog=PreReadCatalog(
            CatalogService(
                client,
                cache,
                stores=StoreCache(SettingsTable(db)),
                max_age=DEFAULT_MAX_AGE_S if catalog_max_age is None else catalog_max_age,
            )
        ),
        checkout=tendering,
        watcher=PaymentWatcher(client, interval=poll_interval),
        settings=settings,
        shipping=ShippingService(client),
        connectivity=connectivity,
    )
    thumbnails = ThumbnailCache(runner, fetch_image)
    outbox = OutboxBridge(
        OutboxService(checkout, journal), HistoryService(journal, client), runner, notifier
    )
    if outcomes is not None:
        outcomes.listen(partial(_poke_on_success, outbox.poke))
    # a queued sale's order now exists: mark it paid / tag it without waiting for the next round
    outbox.sale_created.connect(lambda _record: tendering.aftercare.poke())
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


def _poke_on_success(poke: Callable[[], None], outcome: Any) -> None:
    """Every successful API response pokes the outbox: the queue drains as soon as the
    network is back (the outbox also retries by itself every ≤ 4 s while offline)."""
    if outcome.status is not None and outcome.status < 400:
        poke()
