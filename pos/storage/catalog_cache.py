"""A store's catalog, cached as one compressed row per store.

Loading 50k items must feel instant. The row is a zlib-compressed :mod:`marshal` dump of the
items' fields stored column by column (one list per field), and the items are rebuilt without
running ``CatalogItem.__init__`` per item: the instances are allocated and each slot column is
filled through its slot descriptor by ``map`` — all in C, about twice as fast as calling the
frozen dataclass's ``__init__`` (13 ``object.__setattr__`` calls per item) 50k times. The cyclic
GC is paused while the objects are built. zlib's checksum rejects a damaged row before marshal
sees it, and the format tag (marshal version + Python version + layout) makes a row written by
another Python or an older Kasir a cache miss.

The row holds two such parts: the first :data:`HEAD_ITEMS` items (a screenful and more) and
the rest. :meth:`CatalogCache.load_head` decodes only the head, so a restart paints the grid
before decoding a 50k catalog; the rest is decoded when first asked for.
"""

from __future__ import annotations

import gc
import logging
import marshal
import sys
import zlib
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import repeat

from pos.domain.catalog import CatalogItem

from .db import Database

log = logging.getLogger(__name__)

FORMAT = f"marshal{marshal.version}-py{sys.version_info[0]}.{sys.version_info[1]}-cols2-head"
#: items in the row's first part (the grid's first screens: ~40 tiles each)
HEAD_ITEMS = 400

# The stored columns, in this order (CatalogItem's fields; a new field changes FORMAT's tag).
_FIELDS: tuple[str, ...] = (
    "key",
    "kind",
    "unique_id",
    "id",
    "parent_id",
    "name",
    "sku",
    "price",
    "item_type",
    "weight",
    "image_url",
    "lines",
    "search_key",
)
if set(_FIELDS) != set(CatalogItem.__dataclass_fields__):  # pragma: no cover - guards edits
    raise ImportError("catalog_cache._FIELDS is out of step with CatalogItem")
# The slot descriptors' setters: they write a slot without going through the frozen
# dataclass's __setattr__ (which refuses every assignment).
_SETTERS = tuple(getattr(CatalogItem, name).__set__ for name in _FIELDS)


def _encode(items: list[CatalogItem]) -> bytes:
    columns: list[list[object]] = [
        [tuple((int(a), int(b)) for a, b in it.lines) for it in items]
        if name == "lines"
        else [getattr(it, name) for it in items]
        for name in _FIELDS
    ]
    return zlib.compress(marshal.dumps(columns), 1)


def _encode_row(items: list[CatalogItem]) -> bytes:
    return marshal.dumps((_encode(items[:HEAD_ITEMS]), _encode(items[HEAD_ITEMS:])))


def _split_row(blob: bytes) -> tuple[bytes, bytes]:
    parts = marshal.loads(blob)
    if (
        not isinstance(parts, tuple)
        or len(parts) != 2
        or not all(isinstance(p, bytes) for p in parts)
    ):
        raise TypeError("catalog cache row is not (head, rest)")
    return parts[0], parts[1]


def _decode(blob: bytes) -> list[CatalogItem]:
    raw = zlib.decompress(blob)
    was_enabled = gc.isenabled()
    gc.disable()  # 50k small objects: the GC's young-generation passes would double the time
    try:
        columns = marshal.loads(raw)
        if (
            not isinstance(columns, list)
            or len(columns) != len(_FIELDS)
            or not all(isinstance(col, list) for col in columns)
        ):
            raise TypeError("catalog cache row is not a list of columns")
        count = len(columns[0])
        if any(len(col) != count for col in columns):
            raise TypeError("catalog cache columns differ in length")
        new = object.__new__
        items: list[CatalogItem] = list(map(new, repeat(CatalogItem, count)))
        for setter, column in zip(_SETTERS, columns, strict=True):
            deque(map(setter, items, column), maxlen=0)  # run the C-level loop, keep nothing
        return items
    finally:
        if was_enabled:
            gc.enable()


class CatalogCache:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, store_id: int, items: list[CatalogItem]) -> None:
        blob = _encode_row(items)
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
        head = self.load_head(store_id)
        return None if head is None else head[1]()

    def load_head(
        self, store_id: int
    ) -> tuple[list[CatalogItem], Callable[[], list[CatalogItem] | None]] | None:
        """The first :data:`HEAD_ITEMS` cached items and a function returning all of them
        (it decodes the rest on its first call; ``None`` if that part is damaged), or
        ``None`` when nothing (usable) is cached for the store."""
        with self._db.reading() as c:
            row = c.execute(
                "SELECT format, blob FROM catalog_cache WHERE store_id = ?", (store_id,)
            ).fetchone()
        if row is None or row[0] != FORMAT:
            return None
        try:
            head_blob, rest_blob = _split_row(row[1])
            head = _decode(head_blob)
        except (ValueError, TypeError, EOFError, zlib.error):
            log.warning("catalog cache of store %s is unreadable; ignoring it", store_id)
            return None
        done: list[list[CatalogItem] | None] = []

        def everything() -> list[CatalogItem] | None:
            if not done:
                try:
                    done.append(head + _decode(rest_blob))
                except (ValueError, TypeError, EOFError, zlib.error):
                    log.warning("catalog cache of store %s is unreadable; ignoring it", store_id)
                    done.append(None)
            return done[0]

        return head, everything

    def saved_at(self, store_id: int) -> str | None:
        with self._db.reading() as c:
            row = c.execute(
                "SELECT saved_at FROM catalog_cache WHERE store_id = ?", (store_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def info(self, store_id: int) -> tuple[datetime, int] | None:
        """When the store's usable catalog was saved (UTC) and how many items it holds."""
        with self._db.reading() as c:
            row = c.execute(
                "SELECT saved_at, item_count, format FROM catalog_cache WHERE store_id = ?",
                (store_id,),
            ).fetchone()
        if row is None or row[2] != FORMAT:
            return None
        try:
            saved = datetime.fromisoformat(str(row[0]))
        except ValueError:
            return None
        if saved.tzinfo is None:
            saved = saved.replace(tzinfo=UTC)
        return saved, int(row[1])

    def clear(self, store_id: int | None = None) -> None:
        with self._db.transaction() as c:
            if store_id is None:
                c.execute("DELETE FROM catalog_cache")
            else:
                c.execute("DELETE FROM catalog_cache WHERE store_id = ?", (store_id,))
