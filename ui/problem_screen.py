"""The full-window problem screen: the backend cannot be used (unreachable, key refused, the
demo server down, a refused server address); Retry and Settings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.common.i18n import tr


class ProblemScreen(QWidget):
    """Full-window message when the backend cannot be used (unreachable, bad key).

    Signals:
        retry_requested(): try to connect again.
    """

    retry_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemPage")
        self.title = QLabel(self)
        self.title.setObjectName("problemTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("problemBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel(self)
        self.detail.setObjectName("problemDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # error details: server text
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.retry = QPushButton(tr("Coba lagi", "Retry"), self)
        self.retry.setObjectName("retryButton")
        self.retry.setAccessibleName(tr("Coba sambung lagi", "Try to connect again"))
        self.retry.setProperty("role", "primary")
        self.retry.setMinimumSize(220, 52)
        self.retry.clicked.connect(self.retry_requested)
        self.settings_button = QPushButton(tr("Pengaturan", "Settings") + "  (F10)", self)
        self.settings_button.setObjectName("problemSettingsButton")
        self.settings_button.setAccessibleName(
            tr("Buka pengaturan server dan kunci API", "Open the server and API key settings")
        )
        self.settings_button.setMinimumSize(220, 52)
        self.settings_button.clicked.connect(self.settings_requested)
        box = QFrame(self)
        box.setObjectName("problemCard")
        box.setFixedWidth(680)
        inner = QVBoxLayout(box)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addWidget(self.detail)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.settings_button)
        buttons.addWidget(self.retry)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_problem(self, kind: str, detail: str) -> None:
        # the demo server does not come back by retrying: Kasir must be opened again
        self.retry.setVisible(kind not in ("demo", "config"))
        if kind == "demo":
            self.title.setText(
                tr("Server demo tidak bisa mulai", "The demo server could not start")
            )
            self.body.setText(
                tr(
                    "Server contoh bawaan Kasir gagal berjalan. Periksa bahwa folder data Kasir "
                    "bisa ditulis (lihat keterangan di bawah), lalu buka ulang Kasir.",
                    "Kasir's built-in sample server failed to start. Check that Kasir's data "
                    "folder is writable (see the detail below), then open Kasir again.",
                    "\n\n",
                )
            )
        elif kind == "config":  # the server address itself is refused (http://, malformed)
            self.title.setText(tr("Alamat server ditolak", "Server address refused"))
            self.body.setText(
                tr(
                    "Kasir hanya mengirim kunci API lewat https://. Perbaiki alamat server di "
                    "Pengaturan (F10) atau KASIR_BASE_URL, lalu buka ulang Kasir.",
                    "Kasir sends the API key over https:// only. Fix the server address in "
                    "Settings (F10) or KASIR_BASE_URL, then open Kasir again.",
                    "\n\n",
                )
            )
        elif kind == "auth":
            self.title.setText(tr("Kunci API ditolak", "API key rejected"))
            self.body.setText(
                tr(
                    "Scalev menolak kunci API ini (401). Buat kunci baru di Scalev → Pengaturan → "
                    "API, lalu simpan di Pengaturan Kasir (F10), atau jalankan Kasir dengan "
                    "KASIR_API_KEY.",
                    "Scalev rejected this API key (401). Create a new key in Scalev → Settings → "
                    "API, then save it in Kasir's Settings (F10), or start Kasir with "
                    "KASIR_API_KEY.",
                    "\n\n",
                )
            )
        else:
            self.title.setText(tr("Server tidak bisa dihubungi", "Cannot reach the server"))
            self.body.setText(
                tr(
                    "Periksa koneksi internet (Wi-Fi / kabel) dan alamat server (Pengaturan, "
                    "F10), lalu tekan Coba lagi.",
                    "Check the internet connection (Wi-Fi / cable) and the server address "
                    "(Settings, F10), then press Retry.",
                    "\n\n",
                )
            )
        self.detail.setText(detail)
