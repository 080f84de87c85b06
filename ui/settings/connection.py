"""The settings dialog's connection part: backend, base URL, API key (never shown), the
keyring warning, "Test connection" and the default store.

"Test connection" runs :func:`pos.doctor.probe_backend` (a short-lived
:class:`~pos.api.client.ScalevClient` listing one store) as a task of the one
:class:`~ui.common.tasks.TaskRunner`; :func:`backend_result_text` renders its structured
:class:`~pos.doctor.BackendCheck` for the cashier.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit

from pos.config import DEFAULT_BASE_URL, ENV_API_KEY, AppSettings, SecretStore
from pos.doctor import BackendCheck, probe_backend
from pos.domain.urls import base_url_allowed
from ui.common.i18n import tr, tr_short
from ui.common.tasks import TaskRunner
from ui.settings.form import SettingsForm

TASK_TEST_BACKEND = "settings-test-connection"


def keyring_help(backend_name: str, linux_text: str, platform: str | None = None) -> str:
    """What to do without a secure keyring, for the running OS (``linux_text``: the English
    Linux help of ``pos.config``)."""
    platform = sys.platform if platform is None else platform
    if platform == "win32":
        return tr(
            f"⚠ Windows Credential Manager tidak bisa dipakai ({backend_name}): Kasir tidak akan "
            "menyimpan kunci API. Perbaiki: masuk dengan akun pengguna Windows biasa (bukan "
            "akun layanan) dan pastikan layanan Credential Manager berjalan (services.msc) — "
            "atau jalankan Kasir dengan variabel lingkungan KASIR_API_KEY. Kunci tidak pernah "
            "disimpan di file biasa.",
            f"No secure keyring is available ({backend_name}), so Kasir will not store the API "
            "key. Fix: sign in with a normal Windows user account (not a service account) and "
            "make sure the Credential Manager service is running (services.msc) — or start "
            "Kasir with the API key in the KASIR_API_KEY environment variable. Kasir never "
            "stores the key in a plain file.",
            "\n\n",
        )
    if platform == "darwin":
        return tr(
            f"⚠ Keychain macOS tidak bisa dipakai ({backend_name}): Kasir tidak akan menyimpan "
            "kunci API. Perbaiki: buka Akses Keychain, buka kunci keychain 'login', lalu pilih "
            "Izinkan saat macOS bertanya — atau jalankan Kasir dengan variabel lingkungan "
            "KASIR_API_KEY. Kunci tidak pernah disimpan di file biasa.",
            f"No secure keyring is available ({backend_name}), so Kasir will not store the API "
            "key. Fix: open Keychain Access, unlock the 'login' keychain, then choose Allow "
            "when macOS asks — or start Kasir with the API key in the KASIR_API_KEY "
            "environment variable. Kasir never stores the key in a plain file.",
            "\n\n",
        )
    return tr(
        f"⚠ Tidak ada keyring aman ({backend_name}): Kasir tidak akan menyimpan "
        "kunci API. Perbaiki: pasang dan buka GNOME Keyring (sudo apt install "
        "gnome-keyring, lalu masuk ke sesi desktop) atau KWallet — atau jalankan Kasir "
        "dengan variabel lingkungan KASIR_API_KEY. Kunci tidak pernah disimpan di file biasa.",
        linux_text,
        "\n\n",
    )


#: the cashier text of a connection test's problem, by message id (pos.services.errors)
_PROBLEM_TEXTS: dict[str, tuple[str, str]] = {
    "auth": (
        "Kunci API ditolak (HTTP 401). Periksa kuncinya atau buat yang baru di Scalev.",
        "API key rejected (HTTP 401). Check the key or create a new one in Scalev.",
    ),
    "forbidden": (
        "Kunci API tidak punya izin store:list (HTTP 403).",
        "The API key lacks the store:list scope (HTTP 403).",
    ),
}


def backend_result_text(check: BackendCheck) -> str:
    """Cashier text for a :class:`pos.doctor.BackendCheck`."""
    if check.ok:
        return "✓ " + tr("Terhubung", "Connected")
    if check.problem in _PROBLEM_TEXTS:
        return tr(*_PROBLEM_TEXTS[check.problem], "\n")
    if check.unreachable:
        return (
            tr("Server tidak bisa dihubungi.", "Cannot reach the server.")
            + "\n"
            + check.detail.strip(" ()")
        )
    if check.refused:
        return tr(
            "Alamat server harus https:// (http hanya untuk localhost).",
            "The server address must be https:// (http only for localhost).",
            "\n",
        )
    return tr("Gagal", "Failed") + f": {check.describe()}"


def bad_url_text() -> str:
    return tr(
        "Alamat server harus diawali https:// (http hanya untuk localhost).",
        "The base URL must start with https:// (http only for localhost).",
    )


class ConnectionPart(SettingsForm):
    """The connection group of :class:`ui.settings.dialog.SettingsDialog`."""

    _settings: AppSettings
    _runner: TaskRunner
    _store: SecretStore
    _secure: bool
    _env: Mapping[str, str]
    _demo_base_url: str | None

    def _build_connection(self) -> QGroupBox:
        # --- keyring warning (only without a secure backend) ---
        self.keyring_warning = QLabel(self)
        self.keyring_warning.setObjectName("settingsKeyringWarning")
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_warning.setAccessibleName(tr("Peringatan keyring", "Keyring warning"))
        self.keyring_warning.setText(self._keyring_help())
        self.keyring_warning.setVisible(not self._secure)

        self.backend = self._combo(
            "settingsBackend",
            tr("Server", "Backend"),
            [
                (tr("Demo (server contoh bawaan)", "Demo (built-in sandbox)"), "demo"),
                ("Scalev", "scalev"),
            ],
        )
        self.base_url = self._line("settingsBaseUrl", tr("Alamat server", "Base URL"))
        self.base_url.setPlaceholderText(DEFAULT_BASE_URL)
        self.base_url.editingFinished.connect(self._refresh_key_state)
        self.api_key = self._line("settingsApiKey", tr("Kunci API", "API key"))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self.api_key.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.key_state = QLabel(self)
        self.key_state.setObjectName("settingsKeyState")
        self.key_state.setWordWrap(True)
        self.key_state.setAccessibleName(tr("Status kunci API", "API key status"))
        self.forget_key = self._button(
            "settingsForgetKey", tr("Hapus kunci", "Forget key"), tr("Hapus kunci", "Forget key")
        )
        self.forget_key.clicked.connect(self._forget_key)
        self.test_button = self._button(
            "settingsTestConnection",
            tr("Tes koneksi", "Test connection"),
            tr("Tes koneksi ke server", "Test the connection to the server"),
        )
        self.test_button.clicked.connect(self.test_connection)
        self.test_busy = self._busy_bar("settingsTestBusy")
        self.test_result = self._result("settingsTestResult", tr("Hasil tes", "Test result"))

        self.store = self._combo("settingsStore", tr("Toko utama", "Default store"), [])
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_state, 1)
        key_row.addWidget(self.forget_key)
        test_row = self._check_row(self.test_button, self.test_busy)
        conn = QGroupBox(tr("Koneksi", "Connection"), self)
        conn_form = self._form(conn)
        self._row(conn_form, tr("Server", "Backend"), self.backend)
        self._row(conn_form, tr("Alamat server", "Base URL"), self.base_url)
        self._row(conn_form, tr("Kunci API", "API key"), self.api_key)
        conn_form.addRow("", key_row)
        conn_form.addRow("", test_row)
        conn_form.addRow("", self.test_result)
        self._row(conn_form, tr("Toko utama", "Default store"), self.store)
        self.demo_lan = QCheckBox(
            tr_short("Demo LAN", "LAN demo"),
            self,
        )
        self.demo_lan.setObjectName("settingsDemoLan")
        self.demo_lan.setAccessibleName(tr("Mode demo LAN", "LAN demo mode"))
        self.demo_lan.setToolTip(
            tr(
                "Server demo juga bisa dibuka dari ponsel di Wi-Fi yang sama (alamatnya tampil "
                "di atas). Berlaku setelah Kasir dibuka ulang.",
                "The demo server can also be opened from a phone on the same Wi-Fi (its address "
                "shows at the top). Applies after Kasir restarts.",
            )
        )
        test_row.addWidget(self.demo_lan)  # beside Test connection: the form keeps its height
        return conn

    def _keyring_help(self) -> str:
        return keyring_help(self._store.backend_name, self._store.unavailable_message())

    # --- state ------------------------------------------------------------------------
    def set_stores(self, stores: Sequence[Any]) -> None:
        """The stores to choose the default from (objects with ``id`` and ``name``)."""
        current = self.selected_store_id()
        if current is None:
            current = self._settings.default_store_id
        self.store.blockSignals(True)
        self.store.clear()
        self.store.addItem(tr("Terakhir dipakai", "Last used"), 0)
        for s in stores:
            self.store.addItem(str(getattr(s, "name", "") or f"#{s.id}"), int(s.id))
        if current is not None and self.store.findData(current) < 0:
            self.store.addItem(tr("Toko", "Store") + f" #{current}", current)
        self.store.setCurrentIndex(max(0, self.store.findData(current or 0)))
        self.store.blockSignals(False)

    def selected_store_id(self) -> int | None:
        if self.store.count() == 0:
            return None
        value = self.store.currentData()
        return int(value) if isinstance(value, int) and value > 0 else None

    def backend_value(self) -> str:
        return str(self.backend.currentData())

    def _on_backend_changed(self, *_: Any) -> None:
        scalev = self.backend_value() == "scalev"
        for widget in (self.base_url, self.api_key):
            widget.setEnabled(scalev)
        self.demo_lan.setEnabled(not scalev)
        self._clear_result(self.test_result)
        self._refresh_key_state()

    def _stored_key_exists(self, base_url: str) -> bool:
        return bool(self._secure and self._store.get(base_url))

    def _refresh_key_state(self) -> None:
        url = self.base_url.text().strip().rstrip("/")
        env_key = bool(self._env.get(ENV_API_KEY, "").strip())
        saved = self.backend_value() == "scalev" and self._stored_key_exists(url)
        if env_key:
            state = "env"
            text = tr(
                "KASIR_API_KEY diatur dan dipakai lebih dulu.",
                "KASIR_API_KEY is set and takes precedence.",
            )
        elif self.backend_value() != "scalev":
            state, text = "none", tr("Mode demo: tanpa kunci API.", "Demo mode: no API key.")
        elif saved:
            state = "saved"
            text = "✓ " + tr("tersimpan", "saved") + " (keyring)"
        elif not self._secure:
            state = "none"
            text = tr("Tidak disimpan — lihat peringatan", "Not saved — see the warning")
        else:
            state, text = "none", tr("Belum ada kunci tersimpan.", "No key saved yet.")
        self.key_state.setText(text)
        self.key_state.setProperty("state", state)
        self._repolish(self.key_state)
        self.forget_key.setVisible(saved)
        self.api_key.setPlaceholderText(
            tr("tersimpan — ketik untuk ganti", "saved — type to replace")
            if saved
            else tr("Tempel kunci dari Scalev", "Paste the key from Scalev")
        )

    def _forget_key(self) -> None:
        self._store.delete(self.base_url.text().strip().rstrip("/"))
        self._refresh_key_state()

    # --- test connection ----------------------------------------------------------------
    def test_connection(self) -> None:
        """Check the backend (demo sandbox or Scalev) with the typed or stored key."""
        if self.backend_value() == "demo":
            if not self._demo_base_url:
                self._show_result(
                    self.test_result,
                    True,
                    tr(
                        "Mode demo memakai server contoh bawaan — tidak perlu koneksi.",
                        "Demo mode uses the built-in sandbox — no connection needed.",
                    ),
                )
                return
            from pos.sandbox.keys import DEMO_API_KEY

            url, key = self._demo_base_url, str(DEMO_API_KEY)
        else:
            url = self.base_url.text().strip().rstrip("/")
            if not base_url_allowed(url):
                self._show_result(self.test_result, False, bad_url_text())
                return
            key = (
                self.api_key.text().strip()
                or (self._store.get(url) if self._secure else None)
                or self._env.get(ENV_API_KEY, "").strip()
            )
            if not key:
                self._show_result(
                    self.test_result,
                    False,
                    tr("Masukkan kunci API dulu.", "Enter the API key first."),
                )
                return
        self._show_result(self.test_result, None, tr("Menghubungi server…", "Contacting server…"))
        self._runner.start(
            TASK_TEST_BACKEND,
            probe_backend(url, key),
            on_success=self._backend_checked,
            on_error=self._backend_check_failed,
        )

    def _backend_checked(self, check: BackendCheck) -> None:
        self._show_result(self.test_result, check.ok, backend_result_text(check))

    def _backend_check_failed(self, exc: BaseException) -> bool:
        self._show_result(
            self.test_result,
            False,
            tr("Tes gagal", "Test failed") + f": {type(exc).__name__}",
        )
        return True
