"""The last store's cached catalog in the grid before any network (start-up step 5)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

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
    then reuses this read instead of decoding the cache a second time (the controller's
    catalog is a :class:`ui.session.PreReadCatalog`)."""
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
