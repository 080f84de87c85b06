"""Fixtures of the offline-queue and history UI tests: the real composition root
(``ui.app.start_session``: data-dir lock, start-up reconcile, outbox task) against a fresh
sandbox over real HTTP, driven by the qasync loop of tests/ui."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _extra in (_HERE.parent / "ui", _HERE.parent / "e2e"):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

from history_support import kasir  # noqa: E402
from ui_support import fake_app, qloop, sandbox_server  # noqa: E402

__all__ = ["fake_app", "kasir", "qloop", "sandbox_server"]
