"""A store's catalog, cached as one compressed row per store.

Loading 50k items must feel instant, so the row is a zlib-compressed :mod:`marshal` dump of
plain tuples (several times faster to read than JSON) and the cyclic GC is paused while the
items are built. zlib's checksum rejects a damaged row before marshal sees it, and the format
tag (marshal version + Python version) makes a row written by another Python a cache miss.
"""

from __future__ import annotations

import gc
import logging
import marshal
import sys
import zlib
from datetime import UTC, datetime

from pos.domain.catalog import CatalogItem

from .db import Database

log = logging.getLogger(__name__)

FORMAT = f"marshal{marshal.version}-py{sys.version_info[0]}.{sys.version_info[1]}-item1"


def _encode(items: list[CatalogItem]) -> bytes:
    rows = [
        (
            it.key,
            it.kind,
            it.unique_id,
            it.id,
            it.parent_id,
            it.name,
            it.sku,
            it.price,
            it.item_type,
            it.weight,
            it.image_url,
            tuple((int(a), int(b)) for a, b in it.lines),
            it.search_key,
        )
        for it in items
    ]
    return zlib.compress(marshal.dumps(rows), 1)


def _decode(blob: bytes) -> list[CatalogItem]:
    raw = zlib.decompress(blob)
    was_enabled = gc.isenabled()
    gc.disable()  # 50k small objects: the GC's young-generation passes would double the time
    try:
        rows = marshal.loads(raw)
        if not isinstance(rows, list):
            raise TypeError("catalog cache row is not a list")
        return [CatalogItem(*row) for row in rows]
    finally:
        if was_enabled:
            gc.enable()


class CatalogCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, store_id: int, items: list[CatalogItem]) -> None:
        blob = _encode(items)
        now = datetime.now(UTC).isoformat()
        with self._db.transaction() as c:
            c.execute(
                "INSERT INTO catalog_cache(store_id, saved_at, format, item_count, blob) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(store_id) DO UPDATE SET "
                "saved_at = excluded.saved_at, format = excluded.format, "
                "item_count = excluded.item_count, blob = excluded.blob",
                (store_id, now, FORMAT, len(items), blob),
            )

    def load(self, store_id: int) -> list[CatalogItem] | None:
        """The cached items, or ``None`` when nothing (usable) is cached for the store."""
        with self._db.reading() as c:
            row = c.execute(
                "SELECT format, blob FROM catalog_cache WHERE store_id = ?", (store_id,)
            ).fetchone()
        if row is None or row[0] != FORMAT:
            return None
        try:
            return _decode(row[1])
        except (ValueError, TypeError, EOFError, zlib.error):
            log.warning("catalog cache of store %s is unreadable; ignoring it", store_id)
            return None

    def saved_at(self, store_id: int) -> str | None:
        with self._db.reading() as c:
            row = c.execute(
                "SELECT saved_at FROM catalog_cache WHERE store_id = ?", (store_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def clear(self, store_id: int | None = None) -> None:
        with self._db.transaction() as c:
            if store_id is None:
                c.execute("DELETE FROM catalog_cache")
            else:
                c.execute("DELETE FROM catalog_cache WHERE store_id = ?", (store_id,))
