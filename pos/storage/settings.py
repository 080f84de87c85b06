"""Key/value settings (JSON values) in the database: ``last_store_id`` and friends."""

from __future__ import annotations

import json
from typing import Any

from .db import Database


class Settings:
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
