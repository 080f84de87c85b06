"""Hostile server data for UI tests: a transport around the real one that rewrites the real
sandbox's JSON replies (fault injection), and a walker that checks how every visible text of a
screen is rendered.

Every rewritten name carries the marker :data:`MARK` inside HTML (``<b>ZQX…</b><img src=x>``,
``<a href=…>ZQX…</a>``) plus bidi and zero-width characters. A text is rendered safely when
every marker the cashier sees is still preceded by the literal ``>`` of its tag: the markup was
shown as text, never interpreted.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

MARK = "ZQX"
BIDI = "\u202e"
ZW = "\u200b"

#: Keys whose string values are names the cashier sees.
NAME_KEYS = {"name", "display", "fullname", "product_name", "store_name", "customer_name"}


def hostile_name(value: str) -> str:
    return f"<b>{MARK}{value}</b><img src=x>{BIDI}{ZW}"


def hostile_order_number(value: str) -> str:
    return f"<a href=https://evil.example/>{MARK}{value}</a>"


def poison(data: Any) -> Any:
    """``data`` with every name and order number made hostile (ids untouched)."""
    if isinstance(data, list):
        return [poison(x) for x in data]
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and value and key in NAME_KEYS and MARK not in value:
            out[key] = hostile_name(value)
        elif isinstance(value, str) and value and key == "order_id" and MARK not in value:
            out[key] = hostile_order_number(value)
        else:
            out[key] = poison(value)
    return out


class HostileTransport(httpx.AsyncBaseTransport):
    """Forwards to the real transport; JSON bodies of ``/v3`` replies come back poisoned.

    ``reject_next_order``: the next ``POST /v3/orders`` is answered ``400`` with a message made
    of markup (the order is not sent to the sandbox).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.reject_next_order = False
        #: break the first product of every ``/products`` page (an id that is not a number)
        self.break_a_product = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.reject_next_order and request.method == "POST" and request.url.path == "/v3/orders":
            self.reject_next_order = False
            body = {
                "error": "Bad Request",
                "message": f"<b>{MARK}rejected</b><img src=x><a href=https://evil.example/>x</a>",
                "errors": {"customer_name": [f"<i>{MARK}field</i>"]},
            }
            return httpx.Response(400, json=body, request=request)
        response = await self.inner.handle_async_request(request)
        if not request.url.path.startswith("/v3/"):
            return response
        raw = await response.aread()
        try:
            data = json.loads(raw)
        except ValueError:
            return httpx.Response(
                response.status_code, headers=response.headers, content=raw, request=request
            )
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-encoding", "transfer-encoding")
        }
        data = poison(data)
        if (
            self.break_a_product
            and request.url.path.endswith("/products")
            and isinstance(data, dict)
            and isinstance(data.get("data"), list)
            and data["data"]
        ):
            data["data"][0] = {**data["data"][0], "id": "not-a-number"}
        return httpx.Response(response.status_code, headers=headers, json=data, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def seen_text(text: str, rich: bool) -> str:
    """What the cashier sees of ``text`` shown as rich (``True``) or plain text."""
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _auto_rich(text: str) -> bool:
    return bool(GuiQt.mightBeRichText(text))


def texts_of(root: QWidget) -> list[tuple[str, str, bool]]:
    """``(where, text, rendered_as_rich)`` of every text ``root`` and its visible children
    show: labels, buttons, tooltips (also of item views' cells), window titles, combo items."""
    out: list[tuple[str, str, bool]] = []
    widgets = [root, *(w for w in root.findChildren(QWidget) if w.isVisibleTo(root))]
    for w in widgets:
        where = f"{type(w).__name__}#{w.objectName()}"
        if w.isWindow():
            out.append((where + ".windowTitle", w.windowTitle(), False))
        tip = w.toolTip()
        out.append((where + ".toolTip", tip, _auto_rich(tip)))
        if isinstance(w, QLabel):
            fmt = w.textFormat()
            rich = fmt == Qt.TextFormat.RichText or (
                fmt in (Qt.TextFormat.AutoText, Qt.TextFormat.MarkdownText) and _auto_rich(w.text())
            )
            if fmt == Qt.TextFormat.MarkdownText:
                rich = True
            out.append((where + ".text", w.text(), rich))
        if isinstance(w, QAbstractButton):
            out.append((where + ".text", w.text(), False))  # buttons draw plain text
        if isinstance(w, QGroupBox):
            out.append((where + ".title", w.title(), False))
        if isinstance(w, QLineEdit):
            out.append((where + ".text", w.text(), False))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                out.append((f"{where}.item{i}", w.itemText(i), False))
                tip = str(w.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
                out.append((f"{where}.item{i}.toolTip", tip, _auto_rich(tip)))
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            root_index = QModelIndex()
            try:
                columns = model.columnCount(root_index)
            except TypeError:  # QAbstractListModel keeps columnCount private: one column
                columns = 1
            for row in range(min(model.rowCount(root_index), 200)):
                for col in range(columns):
                    index = model.index(row, col)
                    cell = f"{where}.cell{row},{col}"
                    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str):
                        out.append((cell + ".toolTip", tip, _auto_rich(tip)))
                    shown = model.data(index, Qt.ItemDataRole.DisplayRole)
                    if isinstance(shown, str):
                        out.append((cell + ".display", shown, False))  # delegates paint plain
    return [(where, text, rich) for where, text, rich in out if text]


_BEFORE_MARK = re.compile("(.?)" + MARK, re.S)


def unsafe_texts(root: QWidget) -> list[str]:
    """Texts of ``root`` where hostile markup was interpreted, or bidi/zero-width characters
    reach the screen."""
    bad = []
    for where, text, rich in texts_of(root):
        if MARK not in text and BIDI not in text and ZW not in text:
            continue
        seen = seen_text(text, rich)
        if any(before != ">" for before in _BEFORE_MARK.findall(seen)):
            bad.append(f"{where}: markup interpreted: {text!r} -> {seen!r}")
        elif BIDI in seen or ZW in seen:
            bad.append(f"{where}: bidi/zero-width character shown: {text!r}")
    return bad


def marked_texts(root: QWidget) -> list[str]:
    """Texts of ``root`` that show server data (so the walk really saw some)."""
    return [where for where, text, _ in texts_of(root) if MARK in text]
