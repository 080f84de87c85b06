"""The last store's cached catalog in the grid before any network (start-up step 5)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.controllers import SaleController
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def show_cached_catalog(controller: SaleController, window: MainWindow) -> Callable[[], None]:
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
