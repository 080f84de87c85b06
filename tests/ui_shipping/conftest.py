"""Fixtures of the shipping UI tests: the window, services and client of tests/ui against a
fresh sandbox over real HTTP (``sandbox_app``), reused from ``tests/ui/ui_support.py``."""

from __future__ import annotations

import sys
from pathlib import Path

_UI_TESTS = str(Path(__file__).resolve().parent.parent / "ui")
if _UI_TESTS not in sys.path:
    sys.path.insert(0, _UI_TESTS)

from ui_support import fake_app, qloop, sandbox_app, sandbox_server  # noqa: E402

__all__ = ["fake_app", "qloop", "sandbox_app", "sandbox_server"]
