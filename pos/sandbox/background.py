"""Demo mode's sandbox, started off the window's path.

:class:`BackgroundSandbox` binds the listening socket at once (so the app knows the sandbox's
URL before its window is built) and starts the server — opening the demo data, serving — in
a thread when asked, after the window's first paint. Requests sent meanwhile wait in the
socket's backlog; they are answered as soon as the server runs.

Import :mod:`pos.sandbox.server` before :meth:`BackgroundSandbox.start` when other threads
may be importing too (the app does, one module per event-loop turn): CPython 3.11 can fail
with ``SystemError: AST constructor recursion depth mismatch`` when two threads compile
modules at once. Otherwise the starter thread imports it.

**A port that stays the same for a data folder.** The first start picks a free port outside
the OSes' ephemeral ranges and stores it in ``<sandbox folder>/port``; every later start binds
that port again, so the payment links of earlier demo sales (in the history) keep working.
When another program holds it, the sandbox takes any free port for this run (``fallback``),
keeps the stored one for the next start, and says so in the log.

**LAN demo mode** (opt-in: ``lan=True``, ``KASIR_DEMO_LAN=1`` or ``kasir --demo-lan``): the
socket listens on every IPv4 interface; Kasir still talks to it over loopback
(:attr:`BackgroundSandbox.base_url`) while the links it hands out — payment pages, the QR —
use this machine's LAN address (:attr:`BackgroundSandbox.lan_url`), so a trainee's phone on
the same Wi-Fi can open them. Only the demo data is served; the demo key is public.
"""

from __future__ import annotations

import logging
import os
import random
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pos.sandbox.net import (
    ALL_INTERFACES,
    http_url,
    is_port_taken,
    lan_address,
    listening_socket,
    url_of,
)

log = logging.getLogger(__name__)

#: the file in the sandbox folder that keeps its port
PORT_FILE = "port"
#: first-start ports come from here: below Linux's (32768-60999) and Windows' / macOS'
#: (49152-65535) ephemeral ranges, so an outgoing connection rarely holds one later
PORT_RANGE = (20000, 29999)
#: environment switch of the LAN demo mode
LAN_ENV = "KASIR_DEMO_LAN"


def lan_requested(env: Mapping[str, str] | None = None) -> bool:
    """``KASIR_DEMO_LAN`` is on (``1``, ``true``, ``yes``, ``on``)."""
    value = (os.environ if env is None else env).get(LAN_ENV, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def stored_port(data_dir: Path) -> int | None:
    """The port kept for this sandbox folder, if any (a damaged file counts as none)."""
    try:
        port = int((Path(data_dir) / PORT_FILE).read_text("ascii").strip())
    except (OSError, ValueError):
        return None
    return port if 1024 <= port <= 65535 else None


def store_port(data_dir: Path, port: int) -> None:
    path = Path(data_dir) / PORT_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f"{port}\n", "ascii")
        os.replace(tmp, path)
    except OSError as exc:  # a read-only folder: the port just is not kept
        log.warning("cannot keep the demo sandbox's port in %s: %s", path, exc)


def bind_stable(data_dir: Path, host: str, attempts: int = 20) -> tuple[Any, bool]:
    """A listening socket on this folder's port: ``(socket, fallback)``. ``fallback`` is
    true when the kept port was taken and another free one is used for this run."""
    kept = stored_port(data_dir)
    if kept is not None:
        try:
            return listening_socket(host, kept), False
        except OSError as exc:
            if not is_port_taken(exc):
                raise
            log.warning("demo sandbox port %d is taken: a free one this time", kept)
            return listening_socket(host, 0), True
    rng = random.Random()
    for _ in range(attempts):
        port = rng.randint(*PORT_RANGE)
        try:
            sock = listening_socket(host, port)
        except OSError as exc:
            if not is_port_taken(exc):
                raise
            continue
        store_port(data_dir, port)
        return sock, False
    sock = listening_socket(host, 0)
    store_port(data_dir, sock.getsockname()[1])
    return sock, False


class BackgroundSandbox:
    """The embedded sandbox of demo mode: address now, server on :meth:`start`.

    ``on_error(exc)`` (given to :meth:`start`) is called from the starter thread when the
    server cannot start; the socket is then closed, so waiting requests fail at once."""

    def __init__(
        self,
        data_dir: Path,
        host: str = "127.0.0.1",
        *,
        lan: bool | None = None,
        stable_port: bool = True,
    ) -> None:
        """``lan``: listen on every interface for phones on the LAN (``None``: from
        ``KASIR_DEMO_LAN``). ``stable_port``: this folder's kept port (else any free one)."""
        self.data_dir = Path(data_dir)
        self.lan = lan_requested() if lan is None else lan
        bind_host = ALL_INTERFACES if self.lan else host
        self.port_fallback = False
        if stable_port:
            self._sock, self.port_fallback = bind_stable(self.data_dir, bind_host)
        else:
            self._sock = listening_socket(bind_host, 0)
        self.port: int = self._sock.getsockname()[1]
        #: what Kasir's API client uses: loopback works with or without a network
        self.base_url = http_url(host, self.port) if self.lan else url_of(self._sock)
        #: LAN mode: the address a phone on the same network opens (``None``: no network
        #: found, or LAN mode off)
        self.lan_url: str | None = None
        if self.lan and lan_address() is not None:
            self.lan_url = url_of(self._sock)
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
