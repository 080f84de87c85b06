"""Fixtures of the hostile-data UI tests (the wiring tests' Kasir session and tests/ui's fakes)."""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
for _extra in (
    _HERE.parent / "ui",
    _HERE.parent / "e2e",
    _HERE.parent / "ui_history",
    _HERE.parent / "ui_wiring",
):
    if str(_extra) not in sys.path:
        sys.path.insert(0, str(_extra))

from ui_support import fake_app, qloop, sandbox_server  # noqa: E402
from wiring_support import counter  # noqa: E402

__all__ = ["counter", "fake_app", "qloop", "sandbox_server"]
