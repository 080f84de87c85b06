"""The settings dialog: backend and API key, test connection, store, terminal, language,
printer and receipt options.

Show it with ``open()`` (never ``exec()`` inside a coroutine). The API key is never shown: the
field has password echo and starts empty; when the keyring holds a key for the base URL the
dialog says "tersimpan / saved". Saving writes :func:`pos.config.save_settings` and hands a
typed key to :class:`pos.config.SecretStore`; without a secure keyring backend the dialog says
so (and how to fix it, or to use ``KASIR_API_KEY``) and stores the key nowhere.

The dialog is the shell around its parts: :mod:`ui.settings.connection` (backend, key, test
connection, store), :mod:`ui.settings.printer` (printer and receipt) and the counter group
here; :mod:`ui.settings.form` holds the shared field helpers and style. Slow checks run
through the one :class:`~ui.common.tasks.TaskRunner`; their result is shown inline.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pos.config import (
    DEFAULT_BASE_URL,
    AppSettings,
    SecretStore,
    SecretStoreUnavailable,
    save_settings,
)
from pos.domain.urls import base_url_allowed
from ui.common.i18n import tr
from ui.common.tasks import TaskRunner
from ui.settings.connection import (
    TASK_TEST_BACKEND,
    ConnectionPart,
    backend_result_text,
    bad_url_text,
)
from ui.settings.form import DIALOG_QSS
from ui.settings.printer import TASK_TEST_PRINTER, PrinterPart


class SettingsDialog(ConnectionPart, PrinterPart):
    """Kasir's settings.

    Signals:
        settings_saved(object): the :class:`pos.config.AppSettings` just written to disk.
    """

    settings_saved = Signal(object)

    def __init__(
        self,
        settings: AppSettings,
        *,
        runner: TaskRunner,
        secret_store: SecretStore | None = None,
        config_directory: Path | None = None,
        stores: Sequence[Any] = (),
        demo_base_url: str | None = None,
        env: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``stores``: objects with ``id`` and ``name`` (``pos.api.models.Store``) for the
        default-store list; ``demo_base_url``: the running embedded sandbox, so "Test
        connection" can check it in demo mode; ``env``: defaults to ``os.environ``."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr("Pengaturan", "Settings"))
        self.setAccessibleName(tr("Pengaturan", "Settings"))
        self.setModal(True)
        self.setStyleSheet(DIALOG_QSS)
        self._settings = settings
        self._runner = runner
        self._store = secret_store or SecretStore()
        self._config_directory = config_directory
        self._demo_base_url = demo_base_url
        self._env = os.environ if env is None else env
        self._secure = self._store.is_secure_backend()
        runner.busy_changed.connect(self._on_busy)

        conn = self._build_connection()
        counter = self._build_counter()
        printer = self._build_printer()

        # --- buttons ---
        self.save_error = QLabel(self)
        self.save_error.setObjectName("settingsSaveError")
        self.save_error.setWordWrap(True)
        self.save_error.setAccessibleName(tr("Kesalahan simpan", "Save error"))
        self.save_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_error.hide()
        self.cancel_button = self._button(
            "settingsCancel", tr("Batal", "Cancel"), tr("Batal", "Cancel")
        )
        self.cancel_button.setMinimumWidth(160)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = self._button(
            "settingsSave", tr("Simpan", "Save"), tr("Simpan pengaturan", "Save settings")
        )
        self.save_button.setProperty("role", "primary")
        self.save_button.setMinimumWidth(220)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(conn)
        left.addWidget(self.keyring_warning)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(8)
        right.addWidget(printer)
        right.addWidget(counter)
        right.addStretch(1)
        # The form scrolls when a small screen cannot show it whole; buttons stay visible.
        content = self._content = QWidget(self)
        content.setObjectName("settingsContent")
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_error, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 14)
        layout.setSpacing(8)
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setObjectName("settingsScroll")
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_scroll.setWidget(content)
        layout.addWidget(self.form_scroll, 1)
        layout.addLayout(buttons)

        self.backend.currentIndexChanged.connect(self._on_backend_changed)
        self.printer_kind.currentIndexChanged.connect(self._on_printer_kind_changed)
        self.set_stores(stores)
        self._load(settings)
        self._fit_to_screen()

    def _build_counter(self) -> QGroupBox:
        self.terminal = self._line("settingsTerminal", tr("Nama terminal", "Terminal name"))
        self.terminal.setMaxLength(40)
        self.terminal.setPlaceholderText("KASIR-01")
        self.language = self._combo(
            "settingsLanguage",
            tr("Bahasa", "Language"),
            [
                (tr("Sistem", "System"), "system"),
                ("Indonesia", "id"),
                ("English", "en"),
                (tr("Dwibahasa", "Bilingual"), "both"),
            ],
        )
        counter = QGroupBox(tr("Kasir ini", "This counter"), self)
        counter_form = self._form(counter)
        self._row(counter_form, tr("Terminal", "Terminal"), self.terminal)
        self._row(counter_form, tr("Bahasa", "Language"), self.language)
        return counter

    def _fit_to_screen(self) -> None:
        """Whole form when it fits; otherwise as tall as the screen allows (the form scrolls)."""
        content = self._content
        want_w = min(1300, content.sizeHint().width() + 48)
        want_h = content.sizeHint().height() + self._chrome_height()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            want_w = min(want_w, area.width() - 24)
            want_h = min(want_h, area.height() - 48)
        self.resize(want_w, want_h)

    def _chrome_height(self) -> int:
        """Everything around the scrolling form: margins and buttons."""
        layout = self._layout
        margins = layout.contentsMargins()
        extra = margins.top() + margins.bottom() + 2 * layout.spacing()
        return extra + self.save_button.sizeHint().height() + 8

    # --- state ------------------------------------------------------------------------
    def _load(self, s: AppSettings) -> None:
        self._select(self.backend, s.backend)
        self.base_url.setText(s.base_url)
        self.api_key.clear()  # never pre-filled
        self.terminal.setText(s.terminal_name)
        self._select(self.language, s.language)
        self._select(self.printer_kind, s.printer.kind)
        self.printer_target.setText(s.printer.target)
        self._select(self.paper_width, s.printer.width)
        self.show_qr.setChecked(s.receipt.show_qr)
        self.footer.setText(s.receipt.footer)
        self.demo_lan.setChecked(s.demo_lan)
        self._on_backend_changed()
        self._on_printer_kind_changed()

    def _on_busy(self, key: str, busy: bool) -> None:
        if key == TASK_TEST_BACKEND:
            self.test_busy.setVisible(busy)
            self.test_button.setEnabled(not busy)
        elif key == TASK_TEST_PRINTER:
            self.printer_busy.setVisible(busy)
            self.printer_test.setEnabled(not busy)

    # --- save -------------------------------------------------------------------------
    def current_settings(self) -> AppSettings:
        """The settings as entered. Raises ValueError (cashier text) for an invalid entry."""
        backend = self.backend_value()
        base_url = self.base_url.text().strip().rstrip("/") or DEFAULT_BASE_URL
        if backend == "scalev" and not base_url_allowed(base_url):
            self.base_url.setFocus()
            raise ValueError(bad_url_text())
        if not self.terminal.text().strip():
            self.terminal.setFocus()
            raise ValueError(tr("Nama terminal wajib diisi.", "The terminal name is required."))
        printer = self.printer_values()
        data = self._settings.to_dict()
        data.update(
            backend=backend,
            base_url=base_url,
            default_store_id=self.selected_store_id(),
            terminal_name=self.terminal.text(),
            language=str(self.language.currentData()),
            printer=printer,
            receipt={"show_qr": self.show_qr.isChecked(), "footer": self.footer.text().strip()},
            demo_lan=self.demo_lan.isChecked(),
        )
        return AppSettings.from_dict(data)

    def save(self) -> bool:
        """Write the settings (and a typed key to the keyring). Closes the dialog on success;
        stays open with the reason when something could not be saved."""
        self.save_error.hide()
        try:
            settings = self.current_settings()
        except ValueError as exc:
            self._save_failed(str(exc))
            return False
        try:
            save_settings(settings, self._config_directory)
        except OSError as exc:
            self._save_failed(
                tr("Pengaturan tidak bisa disimpan", "Could not save the settings")
                + f": {exc.strerror or type(exc).__name__}"
            )
            return False
        self._settings = settings
        key = self.api_key.text().strip()
        self.api_key.clear()  # the typed key leaves the widget in every case
        if key and settings.backend == "scalev":
            try:
                self._store.set(settings.base_url, key)
            except SecretStoreUnavailable:
                self.settings_saved.emit(settings)
                self.keyring_warning.setText(self._keyring_help())
                self.keyring_warning.show()
                self._save_failed(
                    tr(
                        "Pengaturan disimpan, tetapi kunci API TIDAK disimpan: tidak ada keyring "
                        "aman. Lihat petunjuk di atas, atau pakai KASIR_API_KEY.",
                        "Settings saved, but the API key was NOT stored: there is no secure "
                        "keyring. See the steps above, or use KASIR_API_KEY.",
                        "\n",
                    )
                )
                self._refresh_key_state()
                return False
        self._refresh_key_state()
        self.settings_saved.emit(settings)
        self.accept()
        return True

    def _save_failed(self, text: str) -> None:
        self.save_error.setText(text)
        self.save_error.show()

    def done(self, result: int) -> None:
        self._runner.cancel(TASK_TEST_BACKEND)
        self._runner.cancel(TASK_TEST_PRINTER)
        self.api_key.clear()
        super().done(result)


__all__ = ["SettingsDialog", "backend_result_text", "base_url_allowed"]
