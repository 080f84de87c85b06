"""Lazy thumbnails: fetched on first paint, painted in the tile, bounded cache, silent failure."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QBuffer, QIODevice, QPoint
from PySide6.QtGui import QColor, QImage

from tests.ui.ui_support import SAMPLE_ITEMS
from ui.common.notifier import Notifier
from ui.common.tasks import TaskRunner
from ui.sale.catalog_view import CatalogPanel
from ui.sale.thumbnails import ThumbnailCache


def _png(color: str, w: int = 64, h: int = 32) -> bytes:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]
    return bytes(buf.data().data())


def test_thumbnail_is_fetched_once_and_painted(qtbot: Any, qloop: Any) -> None:
    calls: list[str] = []
    messages: list[str] = []

    async def fetch(url: str) -> bytes:
        calls.append(url)
        if "broken" in url:
            raise OSError("cdn down")
        return _png("#ff0000")

    notifier = Notifier()
    notifier.message.connect(lambda _level, text: messages.append(text))
    runner = TaskRunner(notifier)
    thumbs = ThumbnailCache(runner, fetch)
    panel = CatalogPanel(None, thumbs)
    qtbot.addWidget(panel)
    items = [
        dataclasses.replace(SAMPLE_ITEMS[0], image_url="https://img.test/a.png"),
        dataclasses.replace(SAMPLE_ITEMS[1], image_url="https://img.test/broken.png"),
        dataclasses.replace(SAMPLE_ITEMS[2], image_url="http://img.test/plain-http.png"),
    ]
    panel.set_items(items)
    panel.resize(900, 500)
    panel.show()
    qtbot.waitUntil(lambda: thumbs.get("https://img.test/a.png") is not None)
    qtbot.waitUntil(lambda: "https://img.test/broken.png" in calls)
    panel.view.viewport().repaint()
    rect = panel.view.visualRect(panel.model.index(0, 0))
    image = panel.view.viewport().grab().toImage()
    center = QPoint(rect.center().x(), rect.top() + 40)
    assert image.pixelColor(center).red() > 200 and image.pixelColor(center).green() < 50
    assert calls.count("https://img.test/a.png") == 1  # cached
    assert "http://img.test/plain-http.png" not in calls  # https only
    assert messages == []  # failures are silent; the placeholder stays
    panel.close()


def test_cache_is_bounded_by_bytes(qtbot: Any, qloop: Any) -> None:
    async def fetch(url: str) -> bytes:
        return _png("#00ff00")

    runner = TaskRunner(Notifier())
    thumbs = ThumbnailCache(runner, fetch, max_bytes=300 * 1024)
    for i in range(6):
        thumbs.get(f"https://img.test/{i}.png")
    qtbot.waitUntil(
        lambda: not any(runner.is_busy(f"thumbnail:https://img.test/{i}.png") for i in range(6))
    )
    assert 0 < thumbs.size_bytes <= 300 * 1024


def test_offline_thumbnail_logs_one_quiet_line(qtbot: Any, qloop: Any, caplog: Any) -> None:
    """No internet: each failed thumbnail is one debug line, never an error with a traceback."""
    import logging

    async def fetch(url: str) -> bytes:
        raise ConnectionError("no route to the CDN")

    runner = TaskRunner(Notifier())
    thumbs = ThumbnailCache(runner, fetch)
    urls = [f"https://img.test/{n}.png" for n in range(5)]
    with caplog.at_level(logging.DEBUG):
        for url in urls:
            assert thumbs.get(url) is None
        qtbot.waitUntil(lambda: not any(runner.is_busy(f"thumbnail:{u}") for u in urls))
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert all(r.exc_info is None for r in caplog.records)
    quiet = [r for r in caplog.records if r.name == "ui.sale.thumbnails"]
    assert len(quiet) == len(urls)
    assert all(thumbs.get(u) is None for u in urls)  # not retried on every paint
    assert not any(runner.is_busy(f"thumbnail:{u}") for u in urls)
