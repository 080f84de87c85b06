"""Lazy product thumbnails: fetched on first paint, cached with a byte bound, one row updated.

The fetcher is injected (``fetch(url) -> bytes``); the app passes one that uses a plain
``httpx.AsyncClient`` without the Scalev key (images live on a CDN). Failures are silent: the
tile keeps its drawn placeholder, and the log gets one debug line per URL (no traceback: with
no internet every visible tile fails).
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap

from pos.domain.urls import image_url_allowed
from ui.common.tasks import TaskRunner

log = logging.getLogger(__name__)

Fetch = Callable[[str], Awaitable[bytes]]

MAX_IMAGE_BYTES = 5 * 1024 * 1024
THUMB_SIZE = QSize(320, 160)


class ThumbnailCache(QObject):
    """Pixmaps by URL, least recently used first out once ``max_bytes`` is exceeded.

    Signals:
        ready(str): the thumbnail of this URL is now available.
    """

    ready = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        fetch: Fetch | None,
        *,
        max_bytes: int = 48 * 1024 * 1024,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch = fetch
        self._max_bytes = max_bytes
        self._bytes = 0
        self._pixmaps: OrderedDict[str, QPixmap] = OrderedDict()
        self._pending: set[str] = set()
        self._failed: set[str] = set()

    @property
    def enabled(self) -> bool:
        return self._fetch is not None

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, url: str | None) -> QPixmap | None:
        """The cached thumbnail, or None (and a fetch is started once)."""
        if not url or self._fetch is None:
            return None
        pixmap = self._pixmaps.get(url)
        if pixmap is not None:
            self._pixmaps.move_to_end(url)
            return pixmap
        if url not in self._pending and url not in self._failed and _fetchable(url):
            self._pending.add(url)
            self._runner.start(
                f"thumbnail:{url}",
                self._load(url),
                on_error=functools.partial(self._fail, url),
            )
        return None

    async def _load(self, url: str) -> None:
        assert self._fetch is not None
        try:
            data = await self._fetch(url)
            if len(data) > MAX_IMAGE_BYTES:
                raise ValueError("image too large")
            image = QImage.fromData(data)
            if image.isNull():
                raise ValueError("not an image")
        except Exception as exc:  # offline, CDN down, not an image: one quiet line, no traceback
            self._fail(url, exc)
            return
        finally:
            self._pending.discard(url)
        image = image.scaled(
            THUMB_SIZE,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        self._store(url, QPixmap.fromImage(image))
        self.ready.emit(url)

    def _store(self, url: str, pixmap: QPixmap) -> None:
        cost = pixmap.width() * pixmap.height() * 4
        self._pixmaps[url] = pixmap
        self._bytes += cost
        while self._bytes > self._max_bytes and len(self._pixmaps) > 1:
            _old, dropped = self._pixmaps.popitem(last=False)
            self._bytes -= dropped.width() * dropped.height() * 4

    def _fail(self, url: str, exc: BaseException) -> bool:
        self._pending.discard(url)
        self._failed.add(url)
        log.debug("thumbnail %s not loaded: %s", url, type(exc).__name__)
        return True  # silent: the placeholder stays


def _fetchable(url: str) -> bool:
    return image_url_allowed(url)
