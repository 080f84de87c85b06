"""Fixtures of the UI tests (defined in ui_support.py, next to the fakes they use)."""

from ui_support import fake_app, qloop, sandbox_app, sandbox_server

__all__ = ["fake_app", "qloop", "sandbox_app", "sandbox_server"]
