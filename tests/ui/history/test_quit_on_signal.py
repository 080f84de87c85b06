"""SIGTERM / SIGINT close the window like its close button, but without the question: the
pending sales stay in the journal (and are logged)."""

from __future__ import annotations

import logging
from typing import Any

from tests.ui.history.history_support import Kasir, named_draft


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
