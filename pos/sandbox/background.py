"""Demo mode's sandbox, started off the window's path.

:class:`BackgroundSandbox` binds the listening socket at once (so the app knows the sandbox's
URL before its window is built) and starts the server — opening the demo data, serving — in
a thread when asked, after the window's first paint. Requests sent meanwhile wait in the
socket's backlog; they are answered as soon as the server runs.

Import :mod:`pos.sandbox.server` before :meth:`BackgroundSandbox.start` when other threads
may be importing too (the app does, one module per event-loop turn): CPython 3.11 can fail
with ``SystemError: AST constructor recursion depth mismatch`` when two threads compile
modules at once. Otherwise the starter thread imports it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pos.sandbox.net import listening_socket, url_of

log = logging.getLogger(__name__)


class BackgroundSandbox:
    """The embedded sandbox of demo mode: address now, server on :meth:`start`.

    ``on_error(exc)`` (given to :meth:`start`) is called from the starter thread when the
    server cannot start; the socket is then closed, so waiting requests fail at once."""

    def __init__(self, data_dir: Path, host: str = "127.0.0.1") -> None:
        self.data_dir = Path(data_dir)
        self._sock: Any = listening_socket(host, 0)
        self.base_url = url_of(self._sock)
        self._server: Any = None
        self._starter: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopping = False
        self.error: BaseException | None = None

    @property
    def running(self) -> bool:
        server = self._server
        return server is not None and bool(server.running)

    @property
    def started(self) -> bool:
        """:meth:`start` was called (the server may still be coming up)."""
        return self._starter is not None

    def start(self, on_error: Callable[[BaseException], None] | None = None) -> None:
        """Start the server in a thread; returns at once. Only the first call counts."""
        if self._starter is not None:
            return
        self._starter = threading.Thread(
            target=self._start, args=(on_error,), name="kasir-sandbox-start", daemon=True
        )
        self._starter.start()

    def _start(self, on_error: Callable[[BaseException], None] | None) -> None:
        try:
            from pos.sandbox.server import SandboxServer

            with self._lock:
                if self._stopping:
                    return
                server = SandboxServer(self.data_dir, sock=self._sock)
                self._server = server
            server.start()
        except BaseException as exc:
            self.error = exc
            log.error("the demo sandbox did not start: %r", exc)
            with self._lock:
                self._server = None
                self._close_socket()
            if on_error is not None:
                on_error(exc)

    def wait_running(self, timeout: float = 15.0) -> bool:
        """Block until the server runs (``True``) or failed / timed out (``False``)."""
        if self._starter is not None:
            self._starter.join(timeout)
        return self.running

    def stop(self) -> None:
        """Stop the server (waiting for a start in progress); close the socket."""
        with self._lock:
            self._stopping = True
        if self._starter is not None:
            self._starter.join(20)
        server = self._server
        if server is not None:
            server.stop()  # closes the socket too
            self._server = None
        with self._lock:
            self._close_socket()

    def _close_socket(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
