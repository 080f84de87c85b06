"""A real Kasir session for the UI tests: ``start_session`` on the sandbox, the store chosen
the way the cashier does, and a clean shutdown. The ``kasir`` (history) and ``counter``
(wiring) fixtures build on it."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

DIGITAL_STORE = "Toko Kopi Nusantara"


class RunningKasir:
    """Start (``open``) and stop one Kasir session whose journal is in ``data_dir``."""

    def __init__(self, qtbot: Any, qapp: QApplication, server: Any, data_dir: Path) -> None:
        self.qtbot = qtbot
        self.qapp = qapp
        self.server = server
        self.data_dir = data_dir
        self.session: Any = None

    def open(self, config: Any) -> Any:
        """Run ``start_session(config)`` against the sandbox and wait for the session."""
        from ui.app import start_session

        task = asyncio.ensure_future(start_session(config, sandbox=self.server))
        self.qtbot.waitUntil(task.done, timeout=20000)
        self.session = task.result()
        self.session.sandbox = None  # the fixture owns the sandbox
        return self.session

    @property
    def window(self) -> Any:
        return self.session.window

    @property
    def controller(self) -> Any:
        return self.session.controller

    def choose_store(self, name: str = DIGITAL_STORE) -> None:
        w = self.window
        self.qtbot.waitUntil(lambda: w.store_selector.count() > 0, timeout=10000)
        idx = w.store_selector.findText(name)
        assert idx >= 0
        w.store_selector.setCurrentIndex(idx)
        w.store_selector.activated.emit(idx)
        c = self.controller
        self.qtbot.waitUntil(
            lambda: (
                c.store is not None
                and c.store.name == name
                and not self.session.runner.is_busy("catalog")
                and w.catalog.model.total_count() > 0
            ),
            timeout=15000,
        )

    def stop(self) -> None:
        """Close the session as the app does on quit; a hung shutdown fails with the stacks."""
        if self.session is None:
            return
        session, self.session = self.session, None
        session.window.set_customer_display(False)
        done = asyncio.ensure_future(session.aclose())
        loop = asyncio.get_event_loop()
        deadline = loop.time() + 10
        while not done.done() and loop.time() < deadline:
            self.qapp.processEvents()
        if not done.done():
            out = io.StringIO()
            done.print_stack(file=out)
            for t in asyncio.all_tasks(loop):
                t.print_stack(file=out)
            raise AssertionError("the session did not shut down\n" + out.getvalue())
        done.result()  # re-raises a failed shutdown
        assert not session.lock.held
        session.window._quit_confirmed = True
        session.window.close()
        session.window.deleteLater()
        QTest.qWait(0)
