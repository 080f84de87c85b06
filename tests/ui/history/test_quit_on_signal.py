"""SIGTERM / SIGINT close the window like its close button, but without the question: the
pending sales stay in the journal (and are logged)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from tests.platforms import posix_only
from tests.ui.history.history_support import Kasir, named_draft
from ui.app import Config, EarlyQuit, _run


def test_a_signal_closes_without_asking_and_keeps_the_pending_sale(
    kasir: Kasir, qtbot: Any, caplog: Any
) -> None:
    spec = kasir.spec()
    pos_ref = kasir.seed(named_draft(spec, "Hana Tunda", "6281377778888"), "failed")
    kasir.start()
    w = kasir.window
    assert w.outbox is not None and w.outbox.safe_pending_count() == 1
    with caplog.at_level(logging.WARNING, logger="ui.main_window"):
        w.quit_now()  # what the SIGTERM handler calls
    qtbot.waitUntil(lambda: not w.isVisible())
    assert w.quit_warning() is None  # no question
    assert "1 sales not sent yet" in caplog.text
    assert w.outbox.history.get(pos_ref) is not None  # kept for the next start


@posix_only("SIGTERM")
def test_a_signal_before_the_event_loop_runs_is_kept_not_fatal() -> None:
    """Between the process start and the loop (imports, the data folder's lock) a SIGTERM
    used to kill Kasir with the default action (exit -15); now it is remembered."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        early = EarlyQuit().install()
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGINT)  # a second one: the first is what counts
        assert early.signum == signal.SIGTERM
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def test_a_signal_that_came_before_the_loop_stops_the_start_up_cleanly(
    qloop: asyncio.AbstractEventLoop, qtbot: Any, tmp_path: Path
) -> None:
    early = EarlyQuit()
    early.signum = int(signal.SIGINT)  # any quit signal; SIGINT exists on every platform
    data_dir = tmp_path / "kasir"
    task = qloop.create_task(_run(Config(data_dir=data_dir), None, None, None, early))
    qtbot.waitUntil(task.done, timeout=10_000)
    assert task.result() == 0  # a clean exit, like the window's close
    assert not data_dir.exists()  # the start-up never ran: no journal opened or written
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
