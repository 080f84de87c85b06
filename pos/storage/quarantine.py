"""Rows set aside because they cannot be read, with their raw content kept.

One damaged journal row (a state Kasir does not know, a body that is not JSON, a total that is
not a number) must not blank the history, block the outbox or stop start-up: the reading path
(:mod:`pos.storage.journal`) skips it and records it here once (``source="sales"``, ``key`` the
pos_ref, ``raw`` the row's columns as JSON). A recovered database records its report here too
(``source="database"``). The history screen and ``kasir doctor`` list these entries.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .db import Database
from .errors import StorageError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QuarantineEntry:
    source: str  # "sales" | "database"
    key: str  # pos_ref, or the old database file's name
    reason: str
    raw: str
    seen_at: str


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"hex": value.hex()}
    return value


class Quarantine:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, source: str, key: str, reason: str, raw: Any) -> None:
        """Record once (the first sighting wins). Never raises: a read-only or failing
        database only logs (the row stays skipped either way)."""
        text = raw if isinstance(raw, str) else json.dumps(raw, default=_jsonable)
        try:
            with self._db.transaction() as c:
                c.execute(
                    "INSERT OR IGNORE INTO quarantine (source, key, reason, raw, seen_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        source,
                        str(key),
                        reason[:500],
                        text,
                        datetime.now(UTC).isoformat(timespec="seconds"),
                    ),
                )
        except (StorageError, sqlite3.Error):
            log.warning("could not record a quarantined %s row", source, exc_info=True)

    def entries(self) -> list[QuarantineEntry]:
        """Every entry, oldest first (empty when the table does not exist: read-only db)."""
        try:
            with self._db.reading() as c:
                rows = c.execute(
                    "SELECT source, key, reason, raw, seen_at FROM quarantine ORDER BY id"
                ).fetchall()
        except StorageError:
            return []
        return [QuarantineEntry(*(str(v) for v in r)) for r in rows]


__all__ = ["Quarantine", "QuarantineEntry"]
