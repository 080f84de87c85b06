"""A damaged or empty database is never silently replaced.

:func:`open_or_recover` opens ``kasir.sqlite3``; when the file is empty (0 bytes) or SQLite calls
it damaged, the file (with its ``-wal``/``-shm``) is **renamed aside** with a timestamp
(``kasir.sqlite3.damaged-20261204-151500``), a fresh database is created, and every sale (and
setting) that can still be read from the old file is copied over, row by row where a whole-table
read fails. What happened — how many sales were recovered, how many of them were not sent yet,
how many rows could not be read, and where the old file is — is kept in the new database's
``quarantine`` table (source ``database``) so the history screen and ``kasir doctor`` can say it,
and returned as :class:`RecoveryReport` for the start-up message.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StorageError

if TYPE_CHECKING:
    from .db import Database

log = logging.getLogger(__name__)

#: Sales in these states are finished: anything else recovered still needs the outbox.
_FINISHED_STATES = ("created", "reconciled", "rejected", "abandoned")
#: Tables worth copying out of a damaged file (the catalog cache is simply synced again).
_COPIED_TABLES = ("sales", "settings")
#: Rows probed one by one when a whole-table read fails.
_MAX_PROBED_ROWS = 200_000


@dataclass(frozen=True)
class RecoveryReport:
    """What happened to a damaged (``reason="damaged"``) or empty (``"empty"``) database."""

    old_path: str
    reason: str
    recovered_sales: int = 0
    recovered_pending: int = 0
    #: rows that could not be read; ``None``: unknown (the sales table itself was unreadable)
    unreadable_rows: int | None = None
    at: str = ""

    def describe(self, lang: str = "id") -> str:
        """One paragraph for the cashier (Indonesian or English)."""
        if self.reason == "empty":
            if lang == "en":
                return (
                    "Kasir's database file was empty (0 bytes): earlier sales history is not "
                    f"available. The empty file was kept at {self.old_path}."
                )
            return (
                "File database Kasir kosong (0 byte): riwayat penjualan sebelumnya tidak "
                f"tersedia. File kosong itu disimpan di {self.old_path}."
            )
        if self.unreadable_rows is None:
            lost_en = "the sales in it could not be read"
            lost_id = "penjualan di dalamnya tidak bisa dibaca"
        elif self.unreadable_rows:
            lost_en = f"{self.unreadable_rows} damaged rows could not be read"
            lost_id = f"{self.unreadable_rows} baris rusak tidak bisa dibaca"
        else:
            lost_en = "nothing was lost"
            lost_id = "tidak ada yang hilang"
        if lang == "en":
            return (
                f"Kasir's database was damaged. {self.recovered_sales} sales were recovered "
                f"({self.recovered_pending} not yet sent, they will be sent); {lost_en}. The "
                f"damaged file was kept at {self.old_path}."
            )
        return (
            f"Database Kasir rusak. {self.recovered_sales} penjualan berhasil dipulihkan "
            f"({self.recovered_pending} belum terkirim, akan dikirim); {lost_id}. File yang "
            f"rusak disimpan di {self.old_path}."
        )


def _aside_name(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return candidate


def _move_aside(path: Path) -> Path:
    """Rename the database and its WAL/SHM files aside (SQLite finds ``<name>-wal`` again)."""
    aside = _aside_name(path)
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    log.warning("database %s set aside as %s", path, aside)
    return aside


def _is_empty(path: Path) -> bool:
    try:
        if not path.is_file() or path.stat().st_size != 0:
            return False
        wal = path.with_name(path.name + "-wal")
        return not wal.exists() or wal.stat().st_size == 0
    except OSError:
        return False


_MAGIC = b"SQLite format 3\x00"


def _connect_ro(path: Path) -> sqlite3.Connection | None:
    for query in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
        except sqlite3.Error:
            continue
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error:
            conn.close()
    return None


def _open_old(aside: Path, work: Path) -> sqlite3.Connection | None:
    """The set-aside file, read-only. A file whose 16-byte header was overwritten (a torn
    write of page 1) is read through a copy in ``work`` with the header restored; the file
    kept aside is never modified."""
    conn = _connect_ro(aside)
    if conn is not None:
        return conn
    try:
        with aside.open("rb") as fh:
            head = fh.read(len(_MAGIC))
        if head == _MAGIC or aside.stat().st_size < 512:
            return None
        repaired = work / (aside.name + ".repaired")
        with aside.open("rb") as src, repaired.open("wb") as dst:
            src.read(len(_MAGIC))
            dst.write(_MAGIC)
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    except OSError:
        return None
    return _connect_ro(repaired)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})").fetchall()]


def _read_rows(
    old: sqlite3.Connection, table: str, cols: list[str]
) -> tuple[list[Any], int | None]:
    """Every readable row of ``table``; and the count of rows that could not be read (None:
    not even the row ids could be read)."""
    select = f"SELECT {', '.join(cols)} FROM {table}"
    try:
        return old.execute(select).fetchall(), 0
    except sqlite3.Error:
        pass
    try:
        top = old.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.Error:
        return [], None
    rows: list[Any] = []
    bad = 0
    for rowid in range(1, min(int(top), _MAX_PROBED_ROWS) + 1):
        try:
            row = old.execute(select + " WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.Error:
            bad += 1
            continue
        if row is not None:
            rows.append(row)
    return rows, bad


def _copy(old: sqlite3.Connection, new: Database) -> tuple[int, int, int | None]:
    """Copy what can be read; returns (sales copied, of them pending, unreadable sales rows)."""
    sales = pending = 0
    unreadable: int | None = None
    for table in _COPIED_TABLES:
        try:
            old_cols = set(_columns(old, table))
        except sqlite3.Error:
            old_cols = set()
        new_cols = [c for c in _columns(new.conn, table) if c in old_cols]
        if not new_cols:
            continue
        rows, bad = _read_rows(old, table, new_cols)
        marks = ", ".join("?" * len(new_cols))
        copied = 0
        with new.transaction() as c:
            for row in rows:
                try:
                    c.execute(
                        f"INSERT OR IGNORE INTO {table} ({', '.join(new_cols)}) VALUES ({marks})",
                        tuple(row),
                    )
                    copied += 1
                except sqlite3.Error:
                    bad = None if bad is None else bad + 1
        if table == "sales":
            sales, unreadable = copied, bad
            if "state" in new_cols:
                state_at = new_cols.index("state")
                pending = sum(1 for r in rows if r[state_at] not in _FINISHED_STATES)
    return sales, pending, unreadable


def _record(new: Database, report: RecoveryReport) -> None:
    """Keep the report in the new database (history screen, ``kasir doctor``)."""
    try:
        with new.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO quarantine (source, key, reason, raw, seen_at) "
                "VALUES ('database', ?, ?, ?, ?)",
                (Path(report.old_path).name, report.reason, json.dumps(asdict(report)), report.at),
            )
    except (StorageError, sqlite3.Error):
        log.exception("could not record the database recovery")


def open_or_recover(cls: type[Database], path: str | Path) -> Database:
    """:meth:`Database.open`, but an empty or damaged file is set aside and what can be read
    of it copied into a fresh database (see the module docstring). The returned database's
    ``recovery`` holds the :class:`RecoveryReport` (``None`` when nothing happened)."""
    p = Path(path)
    reason: str | None = None
    if _is_empty(p):
        reason = "empty"
    else:
        try:
            return cls.open(p)
        except StorageError as exc:
            if exc.message_id != "storage_corrupt":
                raise
            log.error("database %s is damaged: %s", p, exc.detail)
            reason = "damaged"
    try:
        aside = _move_aside(p)
    except OSError as exc:  # cannot even rename: keep the original error, touch nothing
        raise StorageError("storage_corrupt", f"{p}: could not set the file aside ({exc})") from exc
    new = cls.open(p)
    recovered = pending = 0
    unreadable: int | None = None
    if reason == "damaged":
        with tempfile.TemporaryDirectory(prefix="kasir-recover-") as work:
            old = _open_old(aside, Path(work))
            if old is not None:
                try:
                    recovered, pending, unreadable = _copy(old, new)
                finally:
                    old.close()
    report = RecoveryReport(
        old_path=str(aside),
        reason=reason,
        recovered_sales=recovered,
        recovered_pending=pending,
        unreadable_rows=unreadable,
        at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _record(new, report)
    new.recovery = report
    log.warning("database recovered: %s", report.describe("en"))
    return new


__all__ = ["RecoveryReport", "open_or_recover"]
