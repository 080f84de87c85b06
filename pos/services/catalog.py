"""Catalog sync: every page of a store's products and bundles -> CatalogItems (+ SQLite cache)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pos.api.errors import AuthenticationError, PermissionDeniedError, ScalevError
from pos.domain.catalog import (
    CatalogItem,
    items_from_bundles,
    items_from_store_products,
    variant_facts,
)
from pos.storage.catalog_cache import CatalogCache
from pos.storage.db import StorageError

if TYPE_CHECKING:
    from pos.api.models import Bundle, Product, SimplifiedBundle, Store, StoreBundle, StoreProduct

log = logging.getLogger(__name__)

BUNDLE_CONCURRENCY = 4
Progress = Callable[[int, int | None], None]


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
    def __init__(self, client: Any, cache: CatalogCache | None = None) -> None:
        self._client = client
        self._cache = cache
        #: the last :meth:`load`'s summary (skipped items, page cap)
        self.last_summary = SyncSummary()

    async def list_stores(self, search: str | None = None) -> list[Store]:
        return [s async for s in self._client.list_stores(search=search or None)]

    async def payment_methods(self, store: Store) -> list[str]:
        """Methods enabled for the store (store route); else ``store.payment_methods``."""
        try:
            methods: list[str] = await self._client.get_payment_methods(store.id)
        except (AuthenticationError, PermissionDeniedError):
            raise
        except ScalevError as e:
            log.info("payment-methods route failed (%s); using the store's list", type(e).__name__)
            return list(store.payment_methods)
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
        """Every page of the store's products and bundles; hidden things left out; cached."""
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
