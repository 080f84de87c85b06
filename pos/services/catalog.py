"""Catalog sync: every page of a store's products and bundles -> CatalogItems (+ SQLite cache);
the store list and each store's payment methods, cached too (an offline start shows them).

The key's hourly budget: a cached catalog younger than ``max_age`` (default 4 h) is not
refreshed at start (:meth:`CatalogService.refresh_due`); a refresh first checks that its
estimated cost (:func:`refresh_cost`) leaves the budget's reserve, and its paging stops with
:class:`~pos.api.ratelimit.HourlyBudgetReserved` if the reserve is reached meanwhile (the
cache then stays as it was). See docs/CONNECTIVITY.md.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pos.api.errors import (
    APIConnectionError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitedError,
    ScalevError,
)
from pos.domain.catalog import CatalogItem
from pos.storage.catalog_cache import CatalogCache
from pos.storage.errors import StorageError
from pos.storage.settings import CachedStore, StoreCache

from .catalog_items import items_from_bundles, items_from_store_products, variant_facts
from .ports import CatalogClient

if TYPE_CHECKING:
    from pos.api.models import Bundle, Product, SimplifiedBundle, Store, StoreBundle, StoreProduct

log = logging.getLogger(__name__)

BUNDLE_CONCURRENCY = 4
#: a cached catalog younger than this is not refreshed at start (seconds)
DEFAULT_MAX_AGE_S = 4 * 3600.0
Progress = Callable[[int, int | None], None]


def refresh_cost(item_count: int, page_size: int = 25) -> int:
    """Requests a catalog refresh of ``item_count`` items costs, about: the store's products
    and ``/v3/products`` page by page (25 a page), and the bundles' pages (a lower bound —
    bundle details add one each)."""
    pages = max(1, math.ceil(item_count / page_size))
    return 2 * pages + 1


@dataclass
class SyncSummary:
    """What the last catalog sync left out: malformed products / bundles (skipped, never the
    whole catalog), items with an implausible price, listings cut at the page cap."""

    items: int = 0
    skipped: int = 0
    truncated: bool = False
    problems: list[str] = field(default_factory=list)  # the first few reasons, no values

    def skip(self, what: str, reason: str) -> None:
        if reason.startswith("stopped after"):
            self.truncated = True
        else:
            self.skipped += 1
        if len(self.problems) < 10:
            self.problems.append(f"{what}: {reason}")


class CatalogService:
    def __init__(
        self,
        client: CatalogClient,
        cache: CatalogCache | None = None,
        *,
        stores: StoreCache | None = None,
        max_age: float = DEFAULT_MAX_AGE_S,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self._cache = cache
        self._stores = stores
        self.max_age = max_age
        self._now = now
        #: the last :meth:`load`'s summary (skipped items, page cap)
        self.last_summary = SyncSummary()

    async def list_stores(self, search: str | None = None) -> list[Store]:
        stores = [s async for s in self._client.list_stores(search=search or None)]
        if self._stores is not None and not search:
            try:
                self._stores.save_stores(stores)
            except StorageError:
                log.warning("could not cache the store list", exc_info=True)
        return stores

    def cached_stores(self) -> list[CachedStore]:
        """The last store list (empty when none was cached or the cache is unreadable)."""
        if self._stores is None:
            return []
        try:
            return self._stores.stores()
        except StorageError:
            log.warning("store cache unreadable", exc_info=True)
            return []

    def cached_methods(self, store_id: int) -> list[str] | None:
        if self._stores is None:
            return None
        try:
            return self._stores.methods(store_id)
        except StorageError:
            log.warning("payment-method cache unreadable", exc_info=True)
            return None

    def catalog_age(self, store_id: int) -> datetime | None:
        """When the store's cached catalog was fetched (UTC), if one is cached."""
        info = self._cache_info(store_id)
        return None if info is None else info[0]

    def _cache_info(self, store_id: int) -> tuple[datetime, int] | None:
        if self._cache is None:
            return None
        try:
            return self._cache.info(store_id)
        except StorageError:
            log.warning("catalog cache unreadable", exc_info=True)
            return None

    def refresh_due(self, store_id: int) -> bool:
        """A start refreshes the catalog only without a cache or with one older than
        ``max_age`` (a refresh on demand is always allowed, within the budget)."""
        info = self._cache_info(store_id)
        if info is None:
            return True
        return (self._now() - info[0]).total_seconds() >= self.max_age

    def check_budget(self, store_id: int) -> None:
        """Raise :class:`~pos.api.ratelimit.HourlyBudgetReserved` when a refresh would take
        the key's hourly budget below its reserve (estimated from the cached item count)."""
        budget = getattr(getattr(self._client, "limiter", None), "budget", None)
        if budget is None:
            return
        info = self._cache_info(store_id)
        budget.check_bulk(refresh_cost(info[1] if info else 0))

    async def payment_methods(self, store: Store) -> list[str]:
        """Methods enabled for the store (store route); else ``store.payment_methods``."""
        try:
            methods: list[str] = await self._client.get_payment_methods(store.id)
        except (AuthenticationError, PermissionDeniedError):
            raise
        except ScalevError as e:
            if is_retryable_failure(e):
                raise  # the network or the server: the caller retries (the cache shows)
            log.info("payment-methods route failed (%s); using the store's list", type(e).__name__)
            return list(store.payment_methods)
        if methods and self._stores is not None:
            try:
                self._stores.save_methods(store.id, methods)
            except StorageError:
                log.warning("could not cache the payment methods", exc_info=True)
        return list(methods) or list(store.payment_methods)

    def cached(self, store_id: int) -> list[CatalogItem] | None:
        if self._cache is None:
            return None
        try:
            return self._cache.load(store_id)
        except StorageError:
            log.warning("catalog cache unreadable", exc_info=True)
            return None

    def cached_head(
        self, store_id: int
    ) -> tuple[list[CatalogItem], Callable[[], list[CatalogItem] | None]] | None:
        """The first cached items and a function returning them all (see
        :meth:`pos.storage.CatalogCache.load_head`): a restart paints before decoding the
        whole catalog."""
        if self._cache is None:
            return None
        try:
            return self._cache.load_head(store_id)
        except StorageError:
            log.warning("catalog cache unreadable", exc_info=True)
            return None

    async def load(self, store: Store, on_progress: Progress | None = None) -> list[CatalogItem]:
        """Every page of the store's products and bundles; hidden things left out; cached.
        Raises :class:`~pos.api.ratelimit.HourlyBudgetReserved` (the cache untouched) when
        the key's hourly budget cannot pay for it above its reserve."""
        self.check_budget(store.id)
        loaded = 0
        summary = SyncSummary()

        def bump(n: int) -> None:
            nonlocal loaded
            loaded += n
            if on_progress is not None and n:
                on_progress(loaded, None)

        async def store_products() -> list[StoreProduct]:
            out: list[StoreProduct] = []
            async for sp in self._client.list_store_products(store.id, on_invalid=summary.skip):
                out.append(sp)
                bump(len(sp.variants))
            return out

        async def full_products() -> dict[int, Product]:
            try:
                return {
                    p.id: p
                    async for p in self._client.list_products(
                        store_id=store.id, on_invalid=summary.skip
                    )
                }
            except ScalevError as e:
                # Item type and weight are extras: without them items are "unknown", 0 g.
                log.info("GET /v3/products failed (%s); no item types/weights", type(e).__name__)
                return {}

        async def bundles() -> tuple[
            list[StoreBundle], dict[int, Bundle], dict[int, SimplifiedBundle]
        ]:
            sbs: list[StoreBundle] = []
            async for sb in self._client.list_store_bundles(store.id, on_invalid=summary.skip):
                sbs.append(sb)
                bump(len(sb.bundle_price_options))
            if not sbs:
                return sbs, {}, {}
            simplified: dict[int, SimplifiedBundle] = {}
            missing_ids = any(
                not po.unique_id for sb in sbs for po in sb.bundle_price_options if po.is_visible
            )
            sem = asyncio.Semaphore(BUNDLE_CONCURRENCY)

            async def detail(bundle_id: int) -> Bundle | None:
                async with sem:
                    try:
                        bundle: Bundle = await self._client.get_bundle(bundle_id)
                        return bundle
                    except (AuthenticationError, PermissionDeniedError):
                        raise
                    except ScalevError as e:
                        log.info("bundle %s detail failed: %s", bundle_id, type(e).__name__)
                        return None

            async def simplified_list() -> dict[int, SimplifiedBundle]:
                if not missing_ids:
                    return {}
                try:
                    return {
                        b.id: b
                        async for b in self._client.list_bundles_simplified(
                            store.id, on_invalid=summary.skip
                        )
                    }
                except ScalevError as e:
                    log.info("bundles/simplified failed: %s", type(e).__name__)
                    return {}

            details_list, simplified = await asyncio.gather(
                asyncio.gather(*(detail(sb.id) for sb in sbs)), simplified_list()
            )
            details = {b.id: b for b in details_list if b is not None}
            return sbs, details, simplified

        (sps, fulls), (sbs, details, simplified) = await asyncio.gather(
            asyncio.gather(store_products(), full_products()), bundles()
        )
        items = items_from_store_products(sps, fulls, on_skip=summary.skip)
        items += items_from_bundles(
            sbs,
            details,
            simplified,
            variant_facts(fulls.values()) if fulls else None,
            on_skip=summary.skip,
        )
        summary.items = len(items)
        self.last_summary = summary
        if summary.skipped or summary.truncated:
            log.warning(
                "catalog of store %s: %d items, %d skipped%s",
                store.id,
                len(items),
                summary.skipped,
                " (listing cut at the page cap)" if summary.truncated else "",
            )
        if on_progress is not None:
            on_progress(len(items), len(items))
        if self._cache is not None:
            try:
                self._cache.save(store.id, items)
            except StorageError:
                log.warning("could not cache the catalog of store %s", store.id, exc_info=True)
        return items


def is_retryable_failure(exc: BaseException) -> bool:
    """The network or a rate limit: worth a retry later, never a reason to fall back to a
    poorer answer (a server error on one route falls back; the route may be missing)."""
    return isinstance(exc, APIConnectionError | RateLimitedError)
