"""Key/value settings (JSON values) in the database: ``last_store_id`` and friends, and the
cache of the store list and each store's payment methods (:class:`StoreCache`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .db import Database


class SettingsTable:
    """The database's ``settings`` table: JSON values by key (``last_store_id``, caches, …)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        with self._db.reading() as c:
            row = c.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self._db.transaction() as c:
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, text),
            )

    def delete(self, key: str) -> None:
        with self._db.transaction() as c:
            c.execute("DELETE FROM settings WHERE key = ?", (key,))

    def all(self) -> dict[str, Any]:
        with self._db.reading() as c:
            rows = c.execute("SELECT key, value FROM settings").fetchall()
        out: dict[str, Any] = {}
        for k, v in rows:
            try:
                out[k] = json.loads(v)
            except ValueError:
                continue
        return out


@dataclass(frozen=True, slots=True)
class CachedStore:
    """A store as the till needs it offline (the fields of ``pos.api.models.Store`` that a
    sale uses), read from the cache before any network."""

    id: int
    unique_id: str
    name: str
    payment_methods: tuple[str, ...] = ()


class StoreCache:
    """The last store list and each store's payment methods, kept in :class:`SettingsTable` like
    the catalog is kept in the catalog cache: an offline start shows the last store."""

    STORES = "cache.stores"
    METHODS = "cache.payment_methods."

    def __init__(self, settings: SettingsTable) -> None:
        self._settings = settings

    def save_stores(self, stores: Iterable[Any]) -> None:
        rows = [
            {
                "id": int(s.id),
                "unique_id": str(s.unique_id),
                "name": str(s.name or ""),
                "payment_methods": [str(m) for m in s.payment_methods],
            }
            for s in stores
        ]
        self._settings.set(self.STORES, rows)

    def stores(self) -> list[CachedStore]:
        rows = self._settings.get(self.STORES)
        if not isinstance(rows, list):
            return []
        out: list[CachedStore] = []
        for row in rows:
            try:
                out.append(
                    CachedStore(
                        int(row["id"]),
                        str(row["unique_id"]),
                        str(row.get("name") or ""),
                        tuple(str(m) for m in row.get("payment_methods") or ()),
                    )
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                continue  # a damaged row is a cache miss, never a failure
        return out

    def save_methods(self, store_id: int, methods: Iterable[str]) -> None:
        self._settings.set(f"{self.METHODS}{int(store_id)}", [str(m) for m in methods])

    def methods(self, store_id: int) -> list[str] | None:
        value = self._settings.get(f"{self.METHODS}{int(store_id)}")
        if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
            return None
        return list(value)
