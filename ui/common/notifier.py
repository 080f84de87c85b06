"""One message bridge (:class:`Notifier`) and the one widget that renders it
(:class:`MessageBanner`).

Any part of the UI reports cashier-facing text through ``notifier.info/warning/error``; only the
banner in the main window draws it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from pos.logs import redact
from ui.common.i18n import tr


class Notifier(QObject):
    """Message bridge.

    Signals:
        message(str, str): ``(level, text)``; level is ``"info"``, ``"warning"`` or ``"error"``.
        notice(str, str): ``(level, rich_text)`` — a message with links (``<a href>``); it stays
            until dismissed or replaced.
        link_activated(str): a link in a notice was clicked (its ``href``).
        cleared(): the current message is no longer relevant.
    """

    message = Signal(str, str)
    notice = Signal(str, str)
    link_activated = Signal(str)
    cleared = Signal()

    def info(self, text: str) -> None:
        self.message.emit("info", text)

    def warning(self, text: str) -> None:
        self.message.emit("warning", text)

    def error(self, text: str) -> None:
        self.message.emit("error", text)

    def info_with_link(self, rich_text: str) -> None:
        """An info message with a link (escape any outside text with ``html.escape``)."""
        self.notice.emit("info", rich_text)

    def clear(self) -> None:
        self.cleared.emit()


class MessageBanner(QWidget):
    """Renders the notifier's messages in a strip; info messages fade after a few seconds."""

    def __init__(self, notifier: Notifier, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._label = QLabel(self)
        self._label.setObjectName("messageText")
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QPushButton("×", self)
        self._close.setObjectName("messageClose")
        self._close.setAccessibleName(tr("Tutup pesan", "Dismiss message"))
        self._close.setFixedWidth(44)
        self._close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 4, 4)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        notifier.message.connect(self.show_message)
        notifier.notice.connect(self.show_notice)
        self._label.linkActivated.connect(notifier.link_activated)
        notifier.cleared.connect(self.hide)
        self.setProperty("level", "info")
        self.hide()

    def text(self) -> str:
        return self._label.text()

    def show_message(self, level: str, text: str) -> None:
        text = redact(text)  # a configured API key never reaches the screen, whatever its form
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._label.setText(text)
        self.setAccessibleName(text)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        self.show()
        self._timer.stop()
        if level == "info":
            self._timer.start(5000)

    def show_notice(self, level: str, rich_text: str) -> None:
        """A message with links; it stays until dismissed or replaced."""
        self.show_message(level, rich_text)
        self._timer.stop()
        self._label.setTextFormat(Qt.TextFormat.RichText)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._label.setOpenExternalLinks(False)
        self._label.setText(redact(rich_text))
        self.setAccessibleName(self._label.text())
