"""SQLite connection: WAL, synchronous=FULL, busy timeout, schema migrations, error mapping.

Every write goes through :meth:`Database.transaction` (``BEGIN IMMEDIATE`` … ``COMMIT``), so a
state change is all-or-nothing. SQLite failures that a cashier can act on (read-only data
folder, full disk, locked or damaged database) surface as :class:`StorageError` carrying a
message id of :mod:`pos.domain.messages`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StorageError

if TYPE_CHECKING:
    from .recovery import RecoveryReport

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def classify(exc: sqlite3.Error) -> str:
    """Map a sqlite3 error to a message id."""
    text = str(exc).lower()
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name in ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"):
        # A write that could not complete: no space (ENOSPC) or a file-size limit.
        return "storage_full"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "storage_readonly"
    if "disk is full" in text or "database or disk is full" in text:
        return "storage_full"
    if "locked" in text or "busy" in text:
        return "storage_locked"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "storage_corrupt"
    if "unable to open" in text or "disk i/o" in text or "cannot open" in text:
        return "storage_unavailable"
    return "storage_error"


@contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as e:
        raise StorageError(classify(e), str(e)) from e
    except OSError as e:  # the folder itself cannot be created / written
        mid = "storage_full" if getattr(e, "errno", None) == 28 else "storage_unavailable"
        if isinstance(e, PermissionError):
            mid = "storage_readonly"
        raise StorageError(mid, str(e)) from e


def prepare_data_dir(path: str | Path) -> Path:
    """Create Kasir's data folder (and its parents). A path that is a file, or runs through
    one, raises :class:`StorageError` ``data_dir_not_folder`` (its own clear message, not
    "unexpected error"); a folder that cannot be created raises ``storage_readonly`` /
    ``storage_unavailable``."""
    p = Path(path).expanduser()
    for candidate in (p, *p.parents):
        if candidate.exists():
            if not candidate.is_dir():
                raise StorageError("data_dir_not_folder", str(candidate))
            break
    try:
        p.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as e:
        raise StorageError("data_dir_not_folder", str(p)) from e
    except PermissionError as e:
        raise StorageError("storage_readonly", str(p)) from e
    except OSError as e:
        raise StorageError("storage_unavailable", f"{p}: {e}") from e
    return p


# Each migration moves the schema from version i to i+1 (PRAGMA user_version).
MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE catalog_cache (
        store_id   INTEGER PRIMARY KEY,
        saved_at   TEXT NOT NULL,
        format     TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        blob       BLOB NOT NULL
    );
    CREATE TABLE sales (
        pos_ref         TEXT PRIMARY KEY,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        state           TEXT NOT NULL,
        store_id        INTEGER NOT NULL,
        store_unique_id TEXT NOT NULL,
        store_name      TEXT NOT NULL DEFAULT '',
        customer_name   TEXT NOT NULL,
        customer_phone  TEXT,
        total           INTEGER NOT NULL,
        body            TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        order_id        TEXT,
        order_number    TEXT,
        payment_url     TEXT,
        payment_status  TEXT,
        order_json      TEXT
    );
    CREATE INDEX sales_state ON sales(state);
    CREATE INDEX sales_created ON sales(created_at);
    """,
    # 2: when a sale may have reached the server (the confirmation window survives a restart).
    # sending_at: start of the attempt in flight; first_sent_at / last_sent_at: the first and
    # latest attempts that may have reached Scalev. Rows from before this migration that had
    # attempts are given a window from their last update (conservative: looked up, not resent).
    """
    ALTER TABLE sales ADD COLUMN sending_at TEXT;
    ALTER TABLE sales ADD COLUMN first_sent_at TEXT;
    ALTER TABLE sales ADD COLUMN last_sent_at TEXT;
    UPDATE sales SET first_sent_at = created_at, last_sent_at = updated_at
        WHERE attempts > 0 AND state IN ('sending', 'unknown', 'queued', 'failed',
                                         'needs_decision');
    """,
    # counter tenders and shifts (issue 13; pos/storage/tenders.py)
    """
    CREATE TABLE tenders (
        pos_ref        TEXT PRIMARY KEY,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        kind           TEXT NOT NULL,
        payment_method TEXT NOT NULL,
        total          INTEGER NOT NULL,
        discount       INTEGER NOT NULL DEFAULT 0,
        received       INTEGER NOT NULL DEFAULT 0,
        change_due     INTEGER NOT NULL DEFAULT 0,
        terminal       TEXT NOT NULL,
        shift_id       INTEGER,
        mark_paid      TEXT NOT NULL,
        tagged         INTEGER NOT NULL DEFAULT 0,
        attempts       INTEGER NOT NULL DEFAULT 0,
        next_try_at    TEXT,
        last_error     TEXT
    );
    CREATE INDEX tenders_open ON tenders(mark_paid, tagged);
    CREATE INDEX tenders_shift ON tenders(shift_id);
    CREATE TABLE shifts (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        terminal      TEXT NOT NULL,
        opened_at     TEXT NOT NULL,
        closed_at     TEXT,
        opening_cash  INTEGER NOT NULL,
        counted_cash  INTEGER,
        report_json   TEXT
    )
    """,
    # quarantine: rows set aside because they cannot be read (a damaged journal row, a
    # recovered database's report), raw content kept; see pos.storage.quarantine
    """
    CREATE TABLE quarantine (
        id      INTEGER PRIMARY KEY,
        source  TEXT NOT NULL,
        key     TEXT NOT NULL,
        reason  TEXT NOT NULL,
        raw     TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        UNIQUE (source, key)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class Database:
    """One SQLite connection. Open with :meth:`open`; use :meth:`transaction` for writes."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._lock = threading.RLock()
        #: set by :meth:`open_or_recover` when the file was empty or damaged
        self.recovery: RecoveryReport | None = None

    @classmethod
    def open_or_recover(cls, path: str | Path) -> Database:
        """Like :meth:`open`, but an empty (0-byte) or damaged file is never silently
        replaced: it is renamed aside with a timestamp, what can be read of it is copied into
        a fresh database, and ``recovery`` says what happened (:mod:`pos.storage.recovery`)."""
        from .recovery import open_or_recover

        return open_or_recover(cls, path)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> Database:
        """Open (creating if needed) and migrate the database at ``path``.

        ``read_only`` opens it with ``mode=ro`` (inspection; every write raises StorageError).
        """
        p = Path(path)
        in_memory = str(path) == ":memory:"  # tests: never a file literally named ":memory:"
        with translate_errors():
            if in_memory:
                uri = "file::memory:"
            else:
                if not read_only:
                    p.parent.mkdir(parents=True, exist_ok=True)
                uri = f"{p.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
            conn = sqlite3.connect(
                uri,
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # explicit BEGIN/COMMIT only
                check_same_thread=False,
            )
            try:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                if not read_only:
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if str(mode).lower() != "wal" and not in_memory:
                        log.warning("SQLite journal_mode is %s, not WAL", mode)
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                db = cls(conn, p)
                if not read_only:
                    db._migrate()
            except BaseException:
                conn.close()
                raise
        return db

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StorageError(
                "storage_unavailable", f"schema {version} is newer than Kasir's {SCHEMA_VERSION}"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            script = MIGRATIONS[target - 1]
            with self.transaction() as c:
                for statement in (s.strip() for s in script.split(";")):
                    if statement:
                        c.execute(statement)
                c.execute(f"PRAGMA user_version = {target}")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error. sqlite -> StorageError."""
        with self._lock, translate_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:  # pragma: no cover - rollback after a fatal I/O error
                    log.exception("rollback failed")
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock, translate_errors():
            yield self.conn

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
