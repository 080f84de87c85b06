"""The connectivity state on screen: a top-bar indicator, the retry banner with its countdown
and *Retry now*, and the catalog's age with a refresh button.

They render :class:`pos.services.connectivity.LinkState` (the controller's ``link_changed``)
and the catalog's fetch time (``catalog_age``); their buttons emit intents only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.common.i18n import tr, tr_short

#: link value -> (Indonesian, English) as the top bar shows it
LINK_TEXT = {
    "connecting": ("Menyambung…", "Connecting…"),
    "online": ("Online", "Online"),
    "offline": ("Offline", "Offline"),
    "rate_limited": ("Dibatasi", "Rate-limited"),
    "key_rejected": ("Kunci ditolak", "Key rejected"),
    "server_failing": ("Server bermasalah", "Server failing"),
}

#: link value -> what the banner says before its countdown
BANNER_TEXT = {
    "connecting": ("Menghubungkan ke server.", "Connecting to the server."),
    "offline": (
        "Tidak ada koneksi ke server — penjualan disimpan dan dikirim nanti.",
        "No connection to the server — sales are kept and sent later.",
    ),
    "rate_limited": (
        "Scalev membatasi permintaan (terlalu banyak).",
        "Scalev is limiting requests (too many).",
    ),
    "key_rejected": ("Kunci API ditolak (Pengaturan, F10).", "API key rejected (Settings, F10)."),
    "server_failing": ("Server Scalev sedang bermasalah.", "Scalev's server is failing."),
    "online": ("Memuat data.", "Loading data."),
}


def link_text(link: str) -> str:
    id_text, en_text = LINK_TEXT.get(link, (link, link))
    return tr_short(id_text, en_text)


def countdown_text(seconds: float) -> str:
    s = max(math.ceil(seconds), 0)
    if s <= 0:
        return tr("Mencoba lagi…", "Retrying…")
    return tr(f"Mencoba lagi dalam {s} d…", f"Retrying in {s} s…")


class LinkIndicator(QLabel):
    """``connectionStatus`` in the top bar; dynamic property ``link`` for the style sheet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connectionStatus")
        self.setAccessibleName(tr("Status koneksi", "Connection status"))
        self.set_link("connecting")

    def set_link(self, link: str) -> None:
        self.link = link
        self.setText("● " + link_text(link))
        color = {"online": "#16a34a", "connecting": "#64748b"}.get(link, "#dc2626")
        if link == "rate_limited":
            color = "#d97706"
        self.setStyleSheet(f"#connectionStatus {{ color: {color}; font-weight: 600; }}")
        self.setProperty("link", link)


class RetryBanner(QFrame):
    """``retryBanner``: what is wrong and when the next try goes ("Retrying in 8 s…"), with
    *Retry now*. Shown while the link is not online or a load waits for its retry.

    Signals:
        retry_now(): the cashier wants every waiting load to try at once.
    """

    retry_now = Signal()

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("retryBanner")
        self.setStyleSheet(
            "#retryBanner { background: #fef3c7; border-bottom: 1px solid #f59e0b; }"
        )
        self._clock = clock
        self._link = "connecting"
        self._retry_at: float | None = None
        self.text = QLabel(self)
        self.text.setObjectName("retryBannerText")
        self.text.setWordWrap(True)
        self.button = QPushButton(tr_short("Coba sekarang", "Retry now"), self)
        self.button.setObjectName("retryNowButton")
        self.button.setAccessibleName(tr("Coba sekarang", "Retry now"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setMinimumHeight(36)
        self.button.clicked.connect(self.retry_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 4, 16, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._render)
        self.hide()

    def show_state(self, link: str, retry_at: float | None, waiting: bool) -> None:
        """``retry_at``: the next try (clock time) or None; ``waiting``: a load waits."""
        self._link = link
        self._retry_at = retry_at
        visible = link not in ("online", "connecting") or (waiting and retry_at is not None)
        if visible:
            self._render()
            self.show()
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()
            self.hide()

    def _render(self) -> None:
        id_text, en_text = BANNER_TEXT.get(self._link, ("", ""))
        text = tr(id_text, en_text, " / ") if id_text else ""
        if self._retry_at is not None:
            text = f"{text}  {countdown_text(self._retry_at - self._clock())}".strip()
        self.text.setText(text)


class CatalogAge(QWidget):
    """``catalogAge`` ("Katalog per 09.12 / Catalog as of 09:12") and its refresh button.

    Signals:
        refresh_requested(): fetch the catalog now (F5 on the sale screen does the same).
    """

    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("catalogAge")
        self.label.setAccessibleName(tr("Umur katalog", "Catalog age"))
        self.button = QPushButton("⟳ F5", self)
        self.button.setObjectName("refreshCatalogButton")
        self.button.setToolTip(tr("Perbarui katalog", "Refresh the catalog") + "  (F5)")
        self.button.setAccessibleName(tr("Perbarui katalog", "Refresh the catalog"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setMinimumHeight(44)
        self.button.clicked.connect(self.refresh_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.set_age(None)

    def set_age(self, saved: Any) -> None:
        if not isinstance(saved, datetime):
            self.label.setText("")
            self.label.hide()
            return
        local = saved.astimezone()
        self.label.setText(tr_short(f"Katalog per {local:%H.%M}", f"Catalog as of {local:%H:%M}"))
        self.label.setToolTip(
            tr(f"Katalog per {local:%d-%m-%Y %H.%M}", f"Catalog as of {local:%Y-%m-%d %H:%M}")
        )
        self.label.show()
