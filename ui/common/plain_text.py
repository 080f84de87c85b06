"""Server text on screen is plain text, never markup (issue 11: server data is hostile).

Qt guesses: a ``QLabel`` in its default ``AutoText`` format, a tooltip and a message box render
any string that *looks* like HTML (``Qt::mightBeRichText``) as rich text, so a product named
``<img src=…>`` would draw an image and ``<a href=…>`` a link. Every widget that can show server
text (names, order numbers, rejection messages) is set to plain text with :func:`plain`, and
tooltips that carry server text go through :func:`tooltip` (escaped on purpose). Names are also
made one visible line by :func:`pos.domain.text.display_text` (bidi and zero-width marks out).
"""

from __future__ import annotations

import html
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from pos.domain.text import display_text

W = TypeVar("W", QLabel, QMessageBox)


def plain(widget: W) -> W:
    """``widget`` set to show its text as plain text (a label or a message box)."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: escaped and wrapped as rich text on purpose (Qt
    has no plain-text tooltips), line breaks kept."""
    if not text:
        return ""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def shown(value: object) -> str:
    """A server name or number as shown on screen (:func:`pos.domain.text.display_text`)."""
    return display_text(value)


__all__ = ["plain", "shown", "tooltip"]
