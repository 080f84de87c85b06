"""One running Kasir per data folder: an OS file lock on ``<data_dir>/kasir.lock``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from .errors import StorageError


class AlreadyRunning(StorageError):
    """Another Kasir process holds the data folder."""

    def __init__(self, path: Path) -> None:
        super().__init__("already_running", str(path))
        self.path = path


class DataDirLock:
    """``acquire()`` takes an exclusive, non-blocking OS lock; ``release()`` frees it.

    The OS drops the lock when the process dies, so a crash never leaves a stale lock.
    """

    FILENAME = "kasir.lock"

    def __init__(self, data_dir: str | Path) -> None:
        self.path = Path(data_dir) / self.FILENAME
        self._fh: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> None:
        if self._fh is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        except PermissionError as e:
            raise StorageError("storage_readonly", str(e)) from e
        except OSError as e:
            raise StorageError("storage_unavailable", str(e)) from e
        try:
            _lock(fh)
        except OSError:
            fh.close()
            raise AlreadyRunning(self.path) from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()).encode())
            fh.flush()
        except OSError:
            pass  # the pid is informative only
        self._fh = fh

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            _unlock(fh)
        finally:
            fh.close()

    def __enter__(self) -> DataDirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[bytes]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[bytes]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
