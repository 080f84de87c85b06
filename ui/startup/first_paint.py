"""The window's first paint: its size on this screen, and :class:`FirstPaint`, which starts
the rest of the start-up in the turn after the catalog grid's first paint with items."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from ui.main_window import MainWindow

#: the grid's first paint falls back to this delay before the network starts anyway (ms)
NETWORK_START_FALLBACK_MS = 1000


def fit_to_screen(window: QWidget) -> None:
    """1366×768 by default, never larger than the screen's available area (a window manager's
    title bar and panels would otherwise push the Charge button off a 1366×768 screen)."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(1366, 768)
        return
    avail = screen.availableGeometry()
    window.resize(min(1366, avail.width()), min(768, avail.height()))
    if QApplication.platformName() != "offscreen" and (
        avail.width() <= 1366 or avail.height() <= 800
    ):
        # A small screen: let the window manager fit the frame (a till runs full screen anyway).
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


class FirstPaint(QObject):
    """Calls ``callback`` once, in the event-loop turn after the catalog grid's first paint
    with items (or its first paint at all when the catalog is empty)."""

    def __init__(self, window: MainWindow, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], None] | None = callback
        self._viewport = window.catalog.view.viewport()
        self._viewport.installEventFilter(self)
        QTimer.singleShot(NETWORK_START_FALLBACK_MS, self._fire)  # never painted (minimised)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            items = self._window.catalog.model.total_count()
            if items == 0 or self._window.catalog.model.rowCount() > 0:
                QTimer.singleShot(0, self._fire)  # after this paint reached the screen
        return False

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._viewport.removeEventFilter(self)
        callback()
