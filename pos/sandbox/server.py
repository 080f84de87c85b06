"""``SandboxServer``: runs the sandbox app under uvicorn in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Unpack

import uvicorn

from pos.sandbox.app import build_app
from pos.sandbox.core import CoreOptions, SandboxCore
from pos.sandbox.faults import FaultConfig
from pos.sandbox.net import listening_socket, url_of


class SandboxServer:
    """A Scalev-v3-compatible HTTP server on a real socket.

    ``start()`` blocks until the socket is listening; ``base_url`` is then known (port 0 picks
    a free port). ``stop()`` shuts uvicorn down, joins the thread and closes SQLite. Usable as
    a context manager.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        sock: socket.socket | None = None,
        **options: Unpack[CoreOptions],
    ) -> None:
        """``sock``: a socket already listening (:func:`pos.sandbox.net.listening_socket`),
        so its address is known before the server (and its imports) start.

        ``options``: the :class:`~pos.sandbox.core.SandboxCore` ones (``rate_limit``: 100
        requests / 10 s per key, plus ``hourly_limit`` per hour, 0 or ``None``: no hourly
        window; ``faults``, ``products``, ``seed``, ``log_requests``)."""
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port if sock is None else sock.getsockname()[1]
        self._options = options
        self.core: SandboxCore | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = sock
        self._error: BaseException | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self.core is None:
            raise RuntimeError("SandboxServer is not started")
        return self.core.base_url

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 15.0) -> SandboxServer:
        if self._thread is not None:
            raise RuntimeError("SandboxServer already started")
        self.core = SandboxCore(self.data_dir, **self._options)
        if self._sock is None:
            try:
                self._sock = listening_socket(self.host, self.port)
            except OSError:
                self.core.close()
                self.core = None
                raise
        self.port = self._sock.getsockname()[1]
        self.core.base_url = url_of(self._sock)
        config = uvicorn.Config(
            build_app(self.core),
            log_config=None,
            log_level="critical",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            ws="none",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=5,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="kasir-sandbox", daemon=True)
        self._thread.start()
        # Block until uvicorn has started serving (or died).
        waited = 0.0
        while not self._server.started:
            if not self._thread.is_alive():
                self._cleanup()
                raise RuntimeError(f"sandbox failed to start: {self._error!r}")
            if waited > timeout:
                self.stop()
                raise TimeoutError("sandbox did not start in time")
            self._thread.join(0.01)
            waited += 0.01
        return self

    async def _serve(self) -> None:
        assert self._server is not None and self._sock is not None
        try:
            await self._server.serve(sockets=[self._sock])
        finally:
            # a connection still open after the graceful shutdown's timeout (a client that
            # keeps its socket, a reply held back by a fault) is closed here, before the loop
            # closes: left to the garbage collector it would warn about an unclosed transport
            for connection in list(self._server.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is not None:
                    transport.close()
            await asyncio.sleep(0)

    def _run(self) -> None:
        assert self._server is not None and self._sock is not None
        try:
            # A plain asyncio loop of its own, whatever loop policy the caller runs under
            # (qasync installs one that would make a Qt loop in this thread).
            with asyncio.Runner(loop_factory=asyncio.SelectorEventLoop) as runner:
                runner.run(self._serve())
        except BaseException as exc:  # pragma: no cover - reported by start()
            self._error = exc

    def stop(self) -> None:
        if self.core is not None:
            self.core.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self._cleanup()

    def _cleanup(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self.core is not None:
            self.core.close()
        self._thread = None
        self._server = None

    def set_faults(self, faults: FaultConfig | dict[str, Any] | str | None = None) -> None:
        """Replace the fault config while running (thread-safe), like ``PUT /__sandbox/faults``:
        a :class:`FaultConfig`, its JSON form (a dict), a spec string, or ``None`` (no faults)."""
        if self.core is None:
            raise RuntimeError("SandboxServer is not started")
        if isinstance(faults, dict):
            faults = FaultConfig.from_json(faults)
        elif faults is None or isinstance(faults, str):
            faults = FaultConfig.parse(faults)
        self.core.faults.configure(faults)

    def wait(self) -> None:
        """Block until the server thread ends (used by the CLI)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
