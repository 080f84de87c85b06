"""Local persistence: SQLite (WAL) sale journal, catalog cache, settings; the data-dir lock."""

from .catalog_cache import CatalogCache
from .db import Database
from .errors import StorageError
from .journal import JournalStateError, SaleJournal, SaleRecord, SaleState
from .lock import AlreadyRunning, DataDirLock
from .settings import CachedStore, SettingsTable, StoreCache

__all__ = [
    "AlreadyRunning",
    "CachedStore",
    "CatalogCache",
    "DataDirLock",
    "Database",
    "JournalStateError",
    "SaleJournal",
    "SaleRecord",
    "SaleState",
    "SettingsTable",
    "StorageError",
    "StoreCache",
]
