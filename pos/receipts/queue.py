"""The print retry list: a receipt that fails to print is kept and printed later.

Persisted as JSON lines (``print-queue.jsonl`` in the data dir) so it survives a restart. The
sale flow calls :func:`print_or_queue`, which runs the blocking I/O in a worker thread and never
raises: a sale is never blocked or lost because of paper, cables or Wi-Fi.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import enum
import json
import logging
import os
import tempfile
import threading
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from pos.logs import redact
from pos.receipts.printers import Printer

log = logging.getLogger(__name__)

QUEUE_FILE = "print-queue.jsonl"
#: Lines of the queue that cannot be read are moved here (raw), never silently dropped.
QUARANTINE_SUFFIX = ".quarantine"
MAX_ENTRIES = 500


@dataclass(frozen=True)
class QueuedPrint:
    id: str
    label: str  # order number, for the cashier
    created_at: str  # ISO 8601 UTC
    data: bytes
    attempts: int = 1
    last_error: str = ""

    def to_json(self) -> str:
        d = asdict(self)
        d["data"] = base64.b64encode(self.data).decode("ascii")
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> QueuedPrint:
        d = json.loads(line)
        if not isinstance(d, dict) or not isinstance(d.get("data"), str):
            raise ValueError("not a queued receipt")
        d["data"] = base64.b64decode(d["data"], validate=True)
        entry = cls(**d)
        if not all(isinstance(getattr(entry, f), str) for f in ("id", "label", "created_at")):
            raise ValueError("not a queued receipt")
        if not isinstance(entry.attempts, int):
            raise ValueError("not a queued receipt")
        return entry


@dataclass(frozen=True)
class RetryResult:
    printed: int
    remaining: int


class PrintOutcome(enum.Enum):
    PRINTED = "printed"
    QUEUED = "queued"  # failed, kept for retry
    NO_PRINTER = "no_printer"  # printing is off; nothing kept
    LOST = "lost"  # failed AND the queue could not be written (disk) — logged


class PrintQueue:
    """Thread-safe JSON-lines retry list. Every change rewrites the file atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    @classmethod
    def in_dir(cls, directory: Path) -> PrintQueue:
        return cls(Path(directory) / QUEUE_FILE)

    @property
    def quarantine_path(self) -> Path:
        return self.path.with_name(self.path.name + QUARANTINE_SUFFIX)

    def _read(self) -> list[QueuedPrint]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        text = raw.decode("utf-8", errors="surrogateescape")
        entries = []
        bad: list[str] = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                entries.append(QueuedPrint.from_json(line))
            except (ValueError, TypeError, KeyError, RecursionError):
                bad.append(line)
        if bad:
            self._set_aside(bad)
        return entries

    def _set_aside(self, lines: list[str]) -> None:
        """Keep unreadable lines (raw) in the quarantine file; the rest of the queue goes on."""
        kept = set(self.quarantined())
        new = [line for line in lines if line not in kept]
        if not new:
            return
        log.warning(
            "print queue: %d unreadable lines set aside in %s", len(new), self.quarantine_path
        )
        try:
            with self.quarantine_path.open("a", encoding="utf-8", errors="surrogateescape") as fh:
                fh.writelines(line + "\n" for line in new)
        except OSError:
            log.exception("print queue: could not keep the unreadable lines")

    def quarantined(self) -> list[str]:
        """The raw lines set aside because they could not be read."""
        try:
            text = self.quarantine_path.read_text(encoding="utf-8", errors="surrogateescape")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line.strip()]

    def _write(self, entries: list[QueuedPrint]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".print-queue-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.writelines(e.to_json() + "\n" for e in entries)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def pending(self) -> list[QueuedPrint]:
        with self._lock:
            return self._read()

    def __len__(self) -> int:
        return len(self.pending())

    def add(self, data: bytes, label: str = "", error: str = "") -> QueuedPrint:
        entry = QueuedPrint(
            id=uuid.uuid4().hex,
            label=label,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            data=data,
            last_error=redact(error)[:500],
        )
        with self._lock:
            entries = self._read()
            entries.append(entry)
            if len(entries) > MAX_ENTRIES:  # keep the newest; log what is dropped
                dropped = entries[: len(entries) - MAX_ENTRIES]
                log.warning("print queue full: dropping %d oldest receipts", len(dropped))
                entries = entries[-MAX_ENTRIES:]
            self._write(entries)
        return entry

    def remove(self, entry_id: str) -> bool:
        with self._lock:
            entries = self._read()
            kept = [e for e in entries if e.id != entry_id]
            if len(kept) == len(entries):
                return False
            self._write(kept)
            return True

    def retry(self, printer: Printer) -> RetryResult:
        """Print the waiting receipts oldest first. Stops at the first failure (the printer is
        still down), which stays queued with ``attempts`` + 1. Blocking: run it in a thread."""
        printed = 0
        for entry in self.pending():
            try:
                printer.send(entry.data)
            except Exception as exc:
                self._bump(entry.id, f"{type(exc).__name__}: {exc}")
                break
            self.remove(entry.id)
            printed += 1
        return RetryResult(printed=printed, remaining=len(self))

    async def retry_async(self, printer: Printer) -> RetryResult:
        return await asyncio.to_thread(self.retry, printer)

    def _bump(self, entry_id: str, error: str) -> None:
        with self._lock:
            entries = self._read()
            entries = [
                replace(e, attempts=e.attempts + 1, last_error=redact(error)[:500])
                if e.id == entry_id
                else e
                for e in entries
            ]
            self._write(entries)


def _print_or_queue_sync(
    printer: Printer | None, data: bytes, queue: PrintQueue, label: str
) -> PrintOutcome:
    if printer is None:
        return PrintOutcome.NO_PRINTER
    try:
        printer.send(data)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
    else:
        return PrintOutcome.PRINTED
    log.warning("print of %s failed (%s); queued for retry", label or "receipt", error)
    try:
        queue.add(data, label=label, error=error)
    except Exception:
        log.exception("print of %s failed and the retry list could not be written", label)
        return PrintOutcome.LOST
    return PrintOutcome.QUEUED


async def print_or_queue(
    printer: Printer | None, data: bytes, queue: PrintQueue, *, label: str = ""
) -> PrintOutcome:
    """Print ``data`` in a worker thread; on failure keep it in ``queue``. Never raises
    (except cancellation of the awaiting task)."""
    return await asyncio.to_thread(_print_or_queue_sync, printer, data, queue, label)
