"""Controllers: the UI's state and the only code that calls ``pos.services``.

Views emit intents (``item_activated``, ``charge_requested`` …) and render the state the
controllers publish through signals. Every service call runs through the one
:class:`~ui.common.tasks.TaskRunner`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from pos.domain.cart import Cart
from pos.domain.customer import InvalidInput
from pos.domain.order_status import is_finished
from ui.common.errors import describe_error, is_auth_error, is_connection_error
from ui.common.i18n import message, tr
from ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from pos.api.models import Order, Store  # annotations only: no pydantic before the paint
    from pos.domain.catalog import CatalogItem
    from pos.domain.sale import SaleDraft
    from pos.services.connectivity import Connectivity, RetryWait

log = logging.getLogger(__name__)


class CatalogServiceLike(Protocol):
    async def list_stores(self, search: str | None = None) -> list[Store]: ...
    async def payment_methods(self, store: Store) -> list[str]: ...
    def cached(self, store_id: int) -> list[CatalogItem] | None: ...
    def cached_head(
        self, store_id: int
    ) -> tuple[list[CatalogItem], Callable[[], list[CatalogItem] | None]] | None: ...
    async def load(
        self, store: Store, on_progress: Callable[[int, int | None], None] | None = None
    ) -> list[CatalogItem]: ...


class CheckoutServiceLike(Protocol):
    async def submit(self, draft: SaleDraft) -> Any: ...


class PaymentWatcherLike(Protocol):
    async def watch(
        self,
        order_id: str,
        on_update: Callable[[Order], None],
        on_trouble: Callable[[BaseException | None], None] | None = None,
    ) -> Order: ...
    async def check_now(self, order_id: str) -> Order: ...


class SettingsLike(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


@dataclass(frozen=True)
class SaleContact:
    """Who the sale on screen is for, as the cashier sees it: the name and phone typed at
    checkout, or the journal's record of an earlier sale. Screens and receipts take it from
    the controller, never from a label (an empty name is "no name", whatever the label shows).
    """

    name: str = ""
    phone: str = ""


class MemorySettings:
    """A dict-backed :class:`SettingsLike` (tests, and when storage is unavailable)."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, key: str, default: str | None = None) -> str | None:
        return self._values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self._values[key] = value


class SaleController(QObject):
    """Store, catalog, cart, checkout and payment state of the one sale on screen.

    Signals:
        stores_changed(list): the store list (``list[Store]``) was (re)loaded.
        store_changed(object): the current ``Store`` changed.
        catalog_changed(object): the current store's ``list[CatalogItem]`` (not copied).
        catalog_progress(int, int): items loaded, total (-1 while unknown).
        catalog_loading(bool): a catalog refresh started / ended.
        cart_changed(): the cart's lines or quantities changed.
        methods_changed(list, str): the store's payment method codes and the default code.
        submit_busy(bool): an order submit is in flight.
        submit_failed(str): a submit was refused; the cashier text.
        order_created(object): the ``SubmitResult`` of a created order.
        order_updated(object): a fresh ``Order`` from the payment watcher.
        backend_failed(str, str): ``("auth" | "network", text)`` — the backend cannot be used.
        backend_ok(): the backend answered.
        sale_queued(str, bool, str): the sale is kept for the outbox (pos_ref, queued, why:
            ``offline``, ``rate_limited``, ``confirming`` or ``needs_decision``).
        payment_trouble(bool): payment status checks are failing (True) or work again.
        link_changed(object): the connectivity state changed, or a load's retry was
            scheduled or ended (a ``LinkState``; the top bar and the banner).
        catalog_age(object): when the shown catalog was fetched (``datetime``, UTC) or None.
        notice(str): something the cashier should read (a postponed catalog refresh).
        catalog_summary(object): after a sync, the catalog service's ``SyncSummary`` (items
            skipped as malformed, a listing cut at the page cap), or None.
        cart_refused(str): a cart change was refused (quantity, price or total out of
            bounds); the cashier text. The cart is unchanged.
    """

    stores_changed = Signal(list)
    store_changed = Signal(object)
    catalog_changed = Signal(object)  # list[CatalogItem]; "list" would copy 50k items per emit
    catalog_progress = Signal(int, int)
    catalog_loading = Signal(bool)
    cart_changed = Signal()
    methods_changed = Signal(list, str)
    submit_busy = Signal(bool)
    submit_failed = Signal(str)
    order_created = Signal(object)
    order_updated = Signal(object)
    backend_failed = Signal(str, str)
    backend_ok = Signal()
    #: (pos_ref, queued): the backend could not create the order now; the sale is kept in the
    #: journal and the outbox finishes it (queued=True: never sent; False: being confirmed)
    sale_queued = Signal(str, bool, str)
    payment_trouble = Signal(bool)
    link_changed = Signal(object)
    catalog_age = Signal(object)
    notice = Signal(str)
    cart_refused = Signal(str)
    catalog_summary = Signal(object)

    def __init__(
        self,
        *,
        runner: TaskRunner,
        catalog: CatalogServiceLike,
        checkout: CheckoutServiceLike,
        watcher: PaymentWatcherLike,
        settings: SettingsLike | None = None,
        shipping: Any = None,
        connectivity: Connectivity | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        #: the one link state (``pos.services.connectivity``); None: loads try once (tests)
        self.connectivity = connectivity
        if connectivity is not None:
            connectivity.on_change(self.link_changed.emit)
        self.runner = runner
        self.catalog = catalog
        self.checkout = checkout
        self.watcher = watcher
        #: ``pos.services.shipping.ShippingService`` (None: physical goods cannot be sent)
        self.shipping = shipping
        self.settings: SettingsLike = settings or MemorySettings()
        self.cart = Cart()
        self.stores: list[Store] = []
        self.store: Store | None = None
        self.items: list[CatalogItem] = []
        self.methods: list[str] = []
        self.order: Order | None = None
        #: the customer of the sale being sent or on the payment screen (None: none typed)
        self.contact: SaleContact | None = None
        #: the last draft handed to :meth:`submit` (None after a new sale)
        self.draft: SaleDraft | None = None
        self._submitting = False
        self._stores_cached = False  # the store list shown is the cache's (not loaded yet)

    # --- stores ---------------------------------------------------------------------
    def load_stores(self) -> None:
        self.runner.start("stores", self._load_stores(), on_error=self._backend_error)

    async def _retrying(self, what: str, load: Callable[[], Any]) -> Any:
        """``load()`` until it succeeds (``pos.services.connectivity.retrying``): each wait
        announced (the banner counts down; the problem screen when nothing can be sold)."""
        if self.connectivity is None:
            return await load()
        from pos.services.connectivity import retrying

        return await retrying(
            load, what=what, connectivity=self.connectivity, on_wait=self._on_retry_wait
        )

    def _on_retry_wait(self, wait: RetryWait) -> None:
        self._backend_error(wait.error)

    def retry_now(self) -> None:
        """*Retry now* (the banner, the problem screen): every waiting load tries at once;
        the store list loads again if it is not loading."""
        if self.connectivity is not None:
            self.connectivity.retry_now()
        if not self.runner.is_busy("stores") and (not self.stores or self._stores_cached):
            self.load_stores()

    def show_cached(self) -> bool:
        """Before any network: the last store list, the last store and its payment methods
        from the cache (the catalog is painted by ``ui.startup``). True if a store is shown."""
        cached = getattr(self.catalog, "cached_stores", None)
        stores = list(cached()) if cached is not None else []
        if not stores:
            return False
        last = self.settings.get("last_store_id")
        store = next((s for s in stores if str(s.id) == last), stores[0])
        self.stores = stores  # CachedStore: the fields of a Store a sale uses
        self._stores_cached = True
        self.stores_changed.emit(self.stores)
        self.store = store
        self.store_changed.emit(store)
        self.methods = self._cached_methods(store.id) or list(store.payment_methods)
        self.publish_methods()
        self._emit_age(store.id)
        return True

    async def _load_stores(self) -> None:
        stores = await self._retrying("stores", self.catalog.list_stores)
        self.backend_ok.emit()
        self.stores = list(stores)
        self._stores_cached = False
        self.stores_changed.emit(self.stores)
        if not self.stores:
            return
        last = self.settings.get("last_store_id")
        chosen = next((s for s in self.stores if str(s.id) == last), self.stores[0])
        self.select_store(chosen)

    def select_store(self, store: Store) -> None:
        same = self.store is not None and self.store.id == store.id
        if same and self.items and store is self.store:
            return
        if self.store is not None and not same:
            self.cart.clear()
            self.cart_changed.emit()
        self.store = store
        try:
            self.settings.set("last_store_id", str(store.id))
        except Exception:  # remembering is a convenience, never a failure
            log.exception("could not remember the store")
        self.store_changed.emit(store)
        if not (same and self.items):  # a cached start already shows this store's items
            cached = None
            try:
                cached = self.catalog.cached(store.id)
            except Exception:
                log.exception("catalog cache unreadable")
            self.items = list(cached or [])
            self.catalog_changed.emit(self.items)
        self._emit_age(store.id)
        self.methods = self._cached_methods(store.id) or list(store.payment_methods)
        self.publish_methods()
        if self._refresh_due(store.id):
            self.runner.start("catalog", self._load_catalog(store), on_error=self._catalog_error)
        self.runner.start("methods", self._load_methods(store), on_error=lambda exc: True)

    def _cached_methods(self, store_id: int) -> list[str] | None:
        cached = getattr(self.catalog, "cached_methods", None)
        return cached(store_id) if cached is not None else None

    def _refresh_due(self, store_id: int) -> bool:
        """A cached catalog younger than the service's ``max_age`` is not refreshed (the
        key's hourly budget); a store without a cache, or with an old one, is."""
        due = getattr(self.catalog, "refresh_due", None)
        return bool(due(store_id)) if due is not None else True

    def _emit_age(self, store_id: int) -> None:
        age = getattr(self.catalog, "catalog_age", None)
        self.catalog_age.emit(age(store_id) if age is not None else None)

    async def _load_catalog(self, store: Store) -> None:
        self.catalog_loading.emit(True)
        try:
            self.catalog_progress.emit(0, -1)

            def progress(loaded: int, total: int | None) -> None:
                self.catalog_progress.emit(int(loaded), -1 if total is None else int(total))

            items = await self._retrying(
                "catalog", lambda: self.catalog.load(store, on_progress=progress)
            )
            self.items = list(items)
            self.catalog_changed.emit(self.items)
            self._emit_age(store.id)
            self.catalog_summary.emit(getattr(self.catalog, "last_summary", None))
            self._prune_cart()
        finally:
            self.catalog_loading.emit(False)

    def _catalog_error(self, exc: BaseException) -> bool:
        from pos.api.errors import HourlyBudgetReserved

        if isinstance(exc, HourlyBudgetReserved):
            self.notice.emit(
                tr(
                    "Katalog tidak diperbarui sekarang: sisa kuota API per jam disimpan untuk "
                    "pesanan. Katalog tersimpan tetap dipakai.",
                    "Catalog not refreshed now: the API key's remaining hourly quota is kept "
                    "for orders. The saved catalog stays in use.",
                )
            )
            return True
        return self._backend_error(exc)

    async def _load_methods(self, store: Store) -> None:
        methods = await self._retrying("methods", lambda: self.catalog.payment_methods(store))
        if methods and (self.store is None or self.store.id == store.id):
            self.methods = list(methods)
            self.publish_methods()

    def publish_methods(self) -> None:
        from pos.domain.payment_methods import default_method

        self.methods_changed.emit(self.methods, default_method(self.methods) or "")

    def refresh_catalog(self) -> None:
        """F5 on the catalog / the refresh button: fetch the catalog now (within the hourly
        budget's reserve), whatever its age."""
        if self.store is not None:
            self.runner.start(
                "catalog", self._load_catalog(self.store), on_error=self._catalog_error
            )

    def _prune_cart(self) -> None:
        """Drop cart lines whose item vanished from the refreshed catalog."""
        keys = {i.key for i in self.items}
        gone = [line.item.key for line in self.cart.lines if line.item.key not in keys]
        for key in gone:
            self.cart.remove(key)
        if gone:
            self.cart_changed.emit()

    def _backend_error(self, exc: BaseException) -> bool:
        if is_auth_error(exc):
            self.backend_failed.emit("auth", describe_error(exc))
            return True
        if is_connection_error(exc) and not self.items:
            self.backend_failed.emit("network", describe_error(exc))
            return True
        return False

    # --- cart -------------------------------------------------------------------------
    def add_item(self, item: CatalogItem, quantity: int = 1) -> None:
        try:
            self.cart.add(item, quantity)
        except InvalidInput as exc:
            self.cart_refused.emit(message(exc.message_id))
            return
        self.cart_changed.emit()

    def set_quantity(self, key: str, quantity: int) -> None:
        try:
            self.cart.set_quantity(key, quantity)
        except InvalidInput as exc:
            self.cart_refused.emit(message(exc.message_id))
            return
        self.cart_changed.emit()

    def change_quantity(self, key: str, delta: int) -> None:
        line = next((ln for ln in self.cart.lines if ln.item.key == key), None)
        if line is not None:
            self.set_quantity(key, line.quantity + delta)

    def remove_line(self, key: str) -> None:
        self.cart.remove(key)
        self.cart_changed.emit()

    def clear_cart(self) -> None:
        self.cart.clear()
        self.cart_changed.emit()

    # --- checkout ---------------------------------------------------------------------
    @property
    def submitting(self) -> bool:
        return self._submitting

    def submit(self, draft: SaleDraft, contact: SaleContact | None = None) -> bool:
        """Send the order once. Returns False (and does nothing) while one is in flight.
        ``contact``: the customer as typed (shown on the payment and queued screens; default
        the draft's normalised customer)."""
        if self._submitting:
            return False
        self.draft = draft
        self.contact = contact or SaleContact(draft.customer.name, draft.customer.phone)
        self._submitting = True
        self.submit_busy.emit(True)
        self.runner.start("submit", self._submit(draft), on_error=self._submit_error)
        return True

    async def _submit(self, draft: SaleDraft) -> None:
        try:
            result = await self.checkout.submit(draft)
        finally:
            self._submitting = False
            self.submit_busy.emit(False)
        self.order = result.order
        self.order_created.emit(result)

    def _submit_error(self, exc: BaseException) -> bool:
        from pos.api.errors import RateLimitedError
        from pos.services.errors import BackendUnavailable, SaleNeedsDecision

        if isinstance(exc, BackendUnavailable) and exc.pos_ref:
            if isinstance(exc, SaleNeedsDecision):
                why = "needs_decision"
            elif exc.queued:
                why = "rate_limited" if isinstance(exc.cause, RateLimitedError) else "offline"
            else:
                why = "confirming"
            self.sale_queued.emit(exc.pos_ref, bool(exc.queued), why)  # kept: never lost
            return True
        if is_auth_error(exc):
            self.backend_failed.emit("auth", describe_error(exc))
        self.submit_failed.emit(describe_error(exc))
        return True

    # --- payment ----------------------------------------------------------------------
    def watch_payment(self) -> None:
        order = self.order
        if order is None or is_finished(order.status, order.payment_status):
            return
        self.payment_trouble.emit(False)
        self.runner.start(
            "payment-watch",
            self.watcher.watch(order.id, self._on_order, self._on_payment_trouble),
        )

    def _on_payment_trouble(self, error: BaseException | None) -> None:
        self.payment_trouble.emit(error is not None)

    def open_order(self, order: Order, contact: SaleContact | None = None) -> None:
        """Show an earlier sale's order (from the history) and watch its payment live."""
        self.stop_watching()
        self.order = order
        self.contact = contact
        self.watch_payment()

    def stop_watching(self) -> None:
        self.runner.cancel("payment-watch")
        self.runner.cancel("payment-check")

    def check_now(self) -> None:
        if self.order is None:
            return
        self.runner.start("payment-check", self._check_now(self.order.id))

    async def _check_now(self, order_id: str) -> None:
        order = await self.watcher.check_now(order_id)
        self._on_order(order)

    def _on_order(self, order: Order) -> None:
        if self.order is not None and order.id != self.order.id:
            return
        self.order = order
        self.order_updated.emit(order)
        finished = is_finished(order.status, order.payment_status)
        watch = self.runner.task("payment-watch")
        if finished and watch is not None and watch is not asyncio.current_task():
            self.runner.cancel("payment-watch")  # the watcher itself returns on its own

    def new_sale(self) -> None:
        self.stop_watching()
        self.order = None
        self.contact = None
        self.draft = None
        self.clear_cart()
