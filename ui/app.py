"""Composition root: configuration → ``ui.startup`` → the window, under qasync.

``kasir`` with no configuration runs in demo mode: the embedded Scalev-compatible sandbox is
started on 127.0.0.1 (random port) with its demo key, and a DEMO badge stays visible. With an
API key (``--api-key`` / ``KASIR_API_KEY``) Kasir talks to ``--base-url`` / ``KASIR_BASE_URL``
(default the real Scalev API). The key is never printed or logged.

The start-up's steps, in order, live in :mod:`ui.startup`; this module reads the command line,
the saved settings and (alone) the bench hooks' environment, makes the ``QApplication`` and
runs :func:`ui.startup.start_session` until the window closes — or SIGTERM / SIGINT close it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from ui.common.i18n import tr
from ui.session import Config, Session, build_window, default_data_dir
from ui.startup import start_session
from ui.startup.bench import BenchObserver
from ui.startup.local import acquire_data_dir, start_sandbox

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"

__all__ = [
    "Config",
    "Session",
    "apply_saved_settings",
    "build_window",
    "main",
    "parse_args",
    "start_session",
    "style_sheet",
]


def parse_args(argv: list[str] | None, env: dict[str, str] | None = None) -> Config:
    env = dict(os.environ if env is None else env)
    parser = argparse.ArgumentParser(prog="kasir", description="Kasir — point of sale for Scalev")
    parser.add_argument("--base-url", default=env.get("KASIR_BASE_URL") or None)
    from pos.config import API_KEY_FLAG_HELP, API_KEY_FLAG_WARNING, api_key_flag_used

    parser.add_argument(
        "--api-key", default=env.get("KASIR_API_KEY") or None, help=API_KEY_FLAG_HELP
    )
    parser.add_argument("--data-dir", default=env.get("KASIR_DATA_DIR") or None)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="run a scripted demo sale offscreen against the embedded sandbox, then exit",
    )
    parser.add_argument(
        "--hourly-limit",
        type=int,
        default=int(env.get("KASIR_HOURLY_LIMIT") or 10_000),
        help="the API key's requests per hour (Scalev: 10000); catalog refreshes leave 20%%",
    )
    parser.add_argument(
        "--catalog-max-age",
        type=float,
        default=float(env.get("KASIR_CATALOG_MAX_AGE_H") or 4.0),
        help="hours a cached catalog is used without a refresh at start (default 4)",
    )
    ns = parser.parse_args(argv)
    if api_key_flag_used(sys.argv[1:] if argv is None else argv):
        print(API_KEY_FLAG_WARNING, file=sys.stderr)
    data_dir = Path(ns.data_dir).expanduser() if ns.data_dir else default_data_dir()
    return Config(
        base_url=ns.base_url,
        api_key=ns.api_key,
        data_dir=data_dir,
        self_test=ns.self_test,
        hourly_limit=max(1, ns.hourly_limit),
        catalog_max_age=max(0.0, ns.catalog_max_age) * 3600,
    )


def apply_saved_settings(config: Config, env: dict[str, str] | None = None) -> Config:
    """Read the saved settings into ``config``: the backend and, for Scalev, the API key —
    ``KASIR_API_KEY`` / ``--api-key`` first, else the OS keyring (never a plain file)."""
    from pos.config import load_settings, resolve_api_key
    from pos.logs import register_secret

    settings = load_settings(config.config_dir)
    config.app_settings = settings
    if config.api_key is None and settings.backend == "scalev":
        config.api_key = resolve_api_key(settings, env)
        if config.api_key is None:
            log.warning("backend is Scalev but no API key (keyring/KASIR_API_KEY): demo mode")
    if config.api_key is not None and settings.backend == "scalev":
        config.base_url = config.base_url or settings.base_url
    register_secret(config.api_key)
    return config


def style_sheet() -> str:
    """``resources/style.qss`` with ``@RESOURCES@`` pointing at the resources folder."""
    qss = RESOURCES / "style.qss"
    if not qss.is_file():
        return ""
    return qss.read_text(encoding="utf-8").replace("@RESOURCES@", RESOURCES.as_posix())


def load_style(app: QApplication) -> None:
    app.setStyleSheet(style_sheet())


def _quit_signals() -> list[signal.Signals]:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return [signal.SIGINT, getattr(signal, "SIGBREAK", signal.SIGINT)]
    return [signal.SIGTERM, signal.SIGINT]


class EarlyQuit:
    """A quit signal while no event loop runs — before it (imports, the data folder's lock,
    the sandbox's socket) or after it (closing down) — is remembered instead of killing the
    process: the start-up stops as soon as the loop runs (:func:`_run`), and one arriving
    while Kasir closes changes nothing. The exit stays clean (0) either way."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def install(self) -> EarlyQuit:
        for sig in _quit_signals():
            signal.signal(sig, self._record)
        return self

    def _record(self, signum: int, _frame: object) -> None:
        if self.signum is None:
            self.signum = signum


def install_quit_signals(on_signal: Callable[[int], None]) -> Callable[[], None]:
    """SIGTERM and SIGINT (Windows: SIGINT and SIGBREAK) call ``on_signal(signum)`` on the Qt
    event loop. POSIX: the signal's number goes through ``signal.set_wakeup_fd`` to a socket
    a ``QSocketNotifier`` watches (qasync's loop has no ``add_signal_handler``); Windows: a
    Python handler and a 200 ms timer so the interpreter gets to run it. Returns the undo."""
    wanted = _quit_signals()
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        old = {sig: signal.getsignal(sig) for sig in wanted}
        for sig in wanted:
            signal.signal(
                sig, lambda signum, _frame: QTimer.singleShot(0, partial(on_signal, signum))
            )
        ticker = QTimer()
        ticker.timeout.connect(lambda: None)
        ticker.start(200)

        def undo_windows() -> None:
            ticker.stop()
            for sig, handler in old.items():
                signal.signal(sig, handler)

        return undo_windows

    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    old_fd = signal.set_wakeup_fd(writer.fileno())
    old = {sig: signal.getsignal(sig) for sig in wanted}
    for sig in wanted:
        signal.signal(sig, lambda _signum, _frame: None)  # the wakeup fd carries it to Qt
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)

    def readable() -> None:
        try:
            data = reader.recv(64)
        except OSError:
            return
        for signum in data:
            if signum in wanted:
                log.info("signal %d: closing like the window's close", signum)
                on_signal(signum)

    notifier.activated.connect(readable)

    def undo() -> None:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(old_fd)
        for sig, handler in old.items():
            signal.signal(sig, handler)
        reader.close()
        writer.close()

    return undo


async def _run(
    config: Config,
    lock: Any,
    sandbox: Any,
    observer: BenchObserver | None,
    early: EarlyQuit | None = None,
) -> int:
    """Start, then wait for the window to close. SIGTERM / SIGINT close it like its close
    button (no question: pending sales stay in the journal and are logged); one arriving
    during the start-up (e.g. its reconcile, mid-send) stops the start-up the same way, and so
    does one that came before the loop ran (``early``)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    starting = asyncio.ensure_future(
        start_session(config, lock=lock, sandbox=sandbox, observer=observer)
    )
    running: list[Session] = []

    def on_signal(_signum: int) -> None:
        if running:
            running[0].window.quit_now()
        elif starting.done() and not starting.cancelled() and starting.exception() is None:
            # the start-up has just finished, main has not picked the session up yet: a
            # cancel would be lost here, so close its window (the same quit) instead
            starting.result().window.quit_now()
        else:
            log.warning("signal during the start-up: stopping it (unsent sales are kept)")
            starting.cancel()

    undo_signals = install_quit_signals(on_signal)
    if early is not None and early.signum is not None:
        on_signal(early.signum)
    try:
        try:
            session = await starting
        except asyncio.CancelledError:
            _release_after_cancelled_start(lock, sandbox)
            return 0
        running.append(session)
        try:
            await closed.wait()
        finally:
            await session.aclose()
    finally:
        undo_signals()
    return 0


def _release_after_cancelled_start(lock: Any, sandbox: Any) -> None:
    """The data folder's lock and the demo sandbox, after a start-up stopped by a signal (the
    journal needs nothing: every state change is already committed)."""
    if sandbox is not None:
        sandbox.stop()
    if lock is not None and lock.held:
        lock.release()


#: exit code of a second Kasir on the same data folder
EXIT_ALREADY_RUNNING = 2


def _startup_failure(exc: BaseException) -> int:
    """Storage/lock failures before the window exists: a plain message box (not in a coroutine).
    A second Kasir on the same data folder exits with :data:`EXIT_ALREADY_RUNNING`."""
    from pos.storage import AlreadyRunning
    from ui.common.errors import describe_error

    text = describe_error(exc)
    code = 1
    if isinstance(exc, AlreadyRunning):
        code = EXIT_ALREADY_RUNNING
        text += "\n" + tr(
            f"Tutup Kasir yang sedang berjalan, atau pakai folder data lain. ({exc.path.parent})",
            f"Close the running Kasir, or use another data folder. ({exc.path.parent})",
        )
        log.error("start-up refused: another Kasir holds %s", exc.path)
    else:
        log.error("start-up failed", exc_info=exc)
    print(f"Kasir: {text}", file=sys.stderr)
    if QApplication.instance() is not None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, tr("Kasir tidak bisa mulai", "Kasir cannot start"), text)
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kasir`` window (the console script calls this)."""
    config = parse_args(sys.argv[1:] if argv is None else argv)
    if config.self_test:
        from ui.selftest import run_self_test

        return run_self_test()
    early = EarlyQuit().install()
    from pos.logs import setup_logging

    setup_logging(console=True)  # platform log dir or KASIR_LOG_DIR, secrets redacted
    apply_saved_settings(config)
    if QApplication.instance() is None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "kasir"])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kasir")
    app.setQuitOnLastWindowClosed(False)
    from ui.common.i18n import resolve_mode, set_mode

    # KASIR_LANGUAGE (system | id | en | both) overrides the saved choice (training, tests)
    set_mode(resolve_mode(os.environ.get("KASIR_LANGUAGE") or config.app_settings.language))
    load_style(app)
    import qasync

    lock = sandbox = None
    try:
        lock = acquire_data_dir(config)
        if config.demo:
            sandbox = start_sandbox(config)
        observer = BenchObserver.from_env(os.environ)  # bench/ only: KASIR_BENCH_*
        return int(qasync.run(_run(config, lock, sandbox, observer, early)))
    except Exception as exc:  # storage, lock, sandbox socket — never a traceback
        if sandbox is not None:
            sandbox.stop()
        if lock is not None and lock.held:
            lock.release()
        return _startup_failure(exc)
    except KeyboardInterrupt:
        return 130
