"""The settings dialog: backend and API key, test connection, store, terminal, language,
printer and receipt options.

Show it with ``open()`` (never ``exec()`` inside a coroutine). The API key is never shown: the
field has password echo and starts empty; when the keyring holds a key for the base URL the
dialog says "tersimpan / saved". Saving writes :func:`pos.config.save_settings` and hands a
typed key to :class:`pos.config.SecretStore`; without a secure keyring backend the dialog says
so (and how to fix it, or to use ``KASIR_API_KEY``) and stores the key nowhere.

Slow checks (backend, printer) run off the UI thread with ``asyncio.to_thread`` through the
one :class:`~ui.common.tasks.TaskRunner`; their result is shown inline.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pos.config import (
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    AppSettings,
    SecretStore,
    SecretStoreUnavailable,
    save_settings,
)
from pos.doctor import check_backend, check_printer
from pos.domain.urls import base_url_allowed
from pos.receipts.printers import printer_kinds, target_example
from ui.common.i18n import tr, tr_short
from ui.common.tasks import TaskRunner

TASK_TEST_BACKEND = "settings-test-connection"
TASK_TEST_PRINTER = "settings-test-printer"
TOUCH = 44


def printer_kind_items(platform: str | None = None) -> list[tuple[str, str]]:
    """The printer kinds offered on ``platform`` (default: this one), labelled."""
    labels = {
        "none": tr("Tidak ada", "None"),
        "system": tr("Sistem (driver)", "System (driver)"),
        "network": tr("Jaringan (IP:port)", "Network (IP:port)"),
        "usb": tr("USB / perangkat", "USB / device"),
        "windows": tr("Windows (RAW)", "Windows (RAW)"),
        "file": tr("File", "File"),
    }
    return [(labels[kind], kind) for kind in printer_kinds(platform)]


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


DIALOG_QSS = """
#settingsDialog QGroupBox {
    font-weight: 700; font-size: 15px; border: 1px solid #e5e7eb; border-radius: 10px;
    margin-top: 14px; padding: 14px 10px 8px 10px; background: #ffffff;
}
#settingsDialog QGroupBox::title {
    subcontrol-origin: margin; left: 12px; padding: 0 4px; color: #374151;
}
#settingsDialog QCheckBox { min-height: 44px; }
#settingsDialog QCheckBox::indicator { width: 24px; height: 24px; }
#settingsKeyringWarning {
    background: #fef3c7; border: 1px solid #f59e0b; border-radius: 8px; color: #78350f;
    padding: 8px 12px; font-weight: 600;
}
#settingsKeyState { color: #166534; font-weight: 600; }
#settingsKeyState[state="none"] { color: #6b7280; font-weight: 400; }
#settingsKeyState[state="env"] { color: #1e40af; }
#settingsTestResult, #settingsPrinterResult, #settingsSaveError {
    border-radius: 8px; padding: 6px 10px; font-weight: 600;
}
#settingsTestResult[state="idle"], #settingsPrinterResult[state="idle"] {
    color: #6b7280; font-weight: 400; border: 1px dashed #d1d5db;
}
#settingsTestResult[state="ok"], #settingsPrinterResult[state="ok"] {
    background: #dcfce7; color: #166534;
}
#settingsTestResult[state="error"], #settingsPrinterResult[state="error"],
#settingsSaveError {
    background: #fee2e2; color: #991b1b;
}
#settingsTestResult[state="busy"], #settingsPrinterResult[state="busy"] {
    background: #e0f2fe; color: #075985;
}
#settingsDialog #fieldLabel { color: #374151; }
#settingsScroll, #settingsContent { background: transparent; }
"""


def backend_result_text(ok: bool, text: str) -> str:
    """Cashier text for :func:`pos.doctor.check_backend`'s ``(ok, text)``."""
    if ok:
        return "✓ " + tr("Terhubung", "Connected")
    if text.startswith("HTTP 401"):
        return tr(
            "Kunci API ditolak (HTTP 401). Periksa kuncinya atau buat yang baru di Scalev.",
            "API key rejected (HTTP 401). Check the key or create a new one in Scalev.",
            "\n",
        )
    if text.startswith("HTTP 403"):
        return tr(
            "Kunci API tidak punya izin store:list (HTTP 403).",
            "The API key lacks the store:list scope (HTTP 403).",
            "\n",
        )
    if text.startswith("unreachable"):
        return (
            tr("Server tidak bisa dihubungi.", "Cannot reach the server.")
            + "\n"
            + text.removeprefix("unreachable").strip(" ()")
        )
    if text.startswith("refused"):
        return tr(
            "Alamat server harus https:// (http hanya untuk localhost).",
            "The server address must be https:// (http only for localhost).",
            "\n",
        )
    return tr("Gagal", "Failed") + f": {text}"


class SettingsDialog(QDialog):
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

        # --- keyring warning (only without a secure backend) ---
        self.keyring_warning = QLabel(self)
        self.keyring_warning.setObjectName("settingsKeyringWarning")
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_warning.setAccessibleName(tr("Peringatan keyring", "Keyring warning"))
        self.keyring_warning.setText(self._keyring_help())
        self.keyring_warning.setVisible(not self._secure)

        # --- connection ---
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
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_busy)
        test_row.addStretch(1)
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

        # --- this counter ---
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

        # --- printer ---
        self.printer_kind = self._combo(
            "settingsPrinterKind",
            tr("Jenis printer", "Printer type"),
            printer_kind_items(),
        )
        self.printer_target = self._line("settingsPrinterTarget", tr("Alamat", "Address"))
        self.paper_width = self._combo(
            "settingsPaperWidth",
            tr("Lebar kertas", "Paper width"),
            [
                ("58 mm  (32 " + tr("kolom", "columns") + ")", 58),
                ("80 mm  (48 " + tr("kolom", "columns") + ")", 80),
            ],
        )
        self.printer_test = self._button(
            "settingsTestPrinter",
            tr("Tes printer", "Test printer"),
            tr("Periksa printer", "Check the printer"),
        )
        self.printer_test.clicked.connect(self.test_printer)
        self.printer_busy = self._busy_bar("settingsPrinterBusy")
        self.printer_result = self._result(
            "settingsPrinterResult", tr("Hasil tes printer", "Printer test result")
        )
        printer_row = QHBoxLayout()
        printer_row.addWidget(self.printer_test)
        printer_row.addWidget(self.printer_busy)
        printer_row.addStretch(1)
        printer = QGroupBox(tr("Printer dan struk", "Printer and receipt"), self)
        printer_form = self._form(printer)
        self._row(printer_form, tr("Jenis", "Type"), self.printer_kind)
        self._row(printer_form, tr("Alamat", "Address"), self.printer_target)
        self._row(printer_form, tr("Kertas", "Paper"), self.paper_width)
        printer_form.addRow("", printer_row)
        printer_form.addRow("", self.printer_result)

        # --- receipt ---
        self.show_qr = QCheckBox(tr("QR pesanan di struk", "Order QR on the receipt"), self)
        self.show_qr.setObjectName("settingsShowQr")
        self.show_qr.setAccessibleName(tr("QR pesanan di struk", "Order QR on the receipt"))
        self.footer = self._line("settingsReceiptFooter", tr("Catatan kaki struk", "Footer"))
        self.footer.setMaxLength(120)
        printer_form.addRow("", self.show_qr)
        self._row(printer_form, tr("Catatan kaki", "Footer"), self.footer)

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

    # --- construction helpers -----------------------------------------------------------
    def _line(self, name: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setMinimumHeight(TOUCH)
        return edit

    def _combo(self, name: str, accessible: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setMinimumHeight(TOUCH)
        for text, data in items:
            combo.addItem(text, data)
        return combo

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(TOUCH)
        button.setAutoDefault(False)
        return button

    def _busy_bar(self, name: str) -> QProgressBar:
        bar = QProgressBar(self)
        bar.setObjectName(name)
        bar.setAccessibleName(tr("Sedang memeriksa", "Checking"))
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        bar.setFixedSize(64, 16)
        bar.hide()
        return bar

    def _result(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setMinimumHeight(36)  # reserved, so a result never shifts the layout
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self._clear_result(label)
        return label

    def _row(self, form: QFormLayout, caption: str, field: QWidget) -> None:
        label = QLabel(caption, self)
        label.setObjectName("fieldLabel")
        label.setMinimumHeight(TOUCH)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(field)
        form.addRow(label, field)

    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        form.setContentsMargins(8, 6, 8, 6)
        return form

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

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(0, index))

    def backend_value(self) -> str:
        return str(self.backend.currentData())

    def _on_backend_changed(self, *_: Any) -> None:
        scalev = self.backend_value() == "scalev"
        for widget in (self.base_url, self.api_key):
            widget.setEnabled(scalev)
        self.demo_lan.setEnabled(not scalev)
        self._clear_result(self.test_result)
        self._refresh_key_state()

    def _on_printer_kind_changed(self, *_: Any) -> None:
        kind = str(self.printer_kind.currentData())
        self.printer_target.setEnabled(kind != "none")
        self.paper_width.setEnabled(kind != "none")
        self.printer_test.setEnabled(kind != "none")
        if kind == "system":
            from ui.receipts.printing import available_printers

            names = available_printers()
            self.printer_target.setCompleter(QCompleter(names, self.printer_target))
            self.printer_target.setPlaceholderText(
                tr("(printer bawaan sistem)", "(the system's default printer)")
            )
            self.printer_target.setToolTip(
                tr("Printer terpasang: ", "Installed printers: ")
                + (", ".join(names) or tr("tidak ada", "none"))
            )
        else:
            self.printer_target.setCompleter(None)  # type: ignore[arg-type]  # Qt: none
            self.printer_target.setPlaceholderText(target_example(kind))
            self.printer_target.setToolTip("")
        self._clear_result(self.printer_result)

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
            from pos.sandbox import DEMO_API_KEY  # type: ignore[attr-defined,unused-ignore]

            url, key = self._demo_base_url, str(DEMO_API_KEY)
        else:
            url = self.base_url.text().strip().rstrip("/")
            if not base_url_allowed(url):
                self._show_result(self.test_result, False, self._bad_url_text())
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
            asyncio.to_thread(check_backend, url, key),
            on_success=self._backend_checked,
            on_error=self._backend_check_failed,
        )

    def _backend_checked(self, result: tuple[bool, str]) -> None:
        ok, text = result
        self._show_result(self.test_result, ok, backend_result_text(ok, text))

    def _backend_check_failed(self, exc: BaseException) -> bool:
        self._show_result(
            self.test_result,
            False,
            tr("Tes gagal", "Test failed") + f": {type(exc).__name__}",
        )
        return True

    def test_printer(self) -> None:
        try:
            settings = self.current_settings()
        except ValueError as exc:
            self._show_result(self.printer_result, False, str(exc))
            return
        if settings.printer.kind == "none":
            return
        self._show_result(
            self.printer_result, None, tr("Memeriksa printer…", "Checking the printer…")
        )
        self._runner.start(
            TASK_TEST_PRINTER,
            asyncio.to_thread(check_printer, settings),
            on_success=self._printer_checked,
            on_error=self._printer_check_failed,
        )

    def _printer_checked(self, result: tuple[bool, str]) -> None:
        ok, text = result
        prefix = (
            tr("Printer siap", "Printer ready") if ok else tr("Printer gagal", "Printer failed")
        )
        self._show_result(self.printer_result, ok, f"{prefix}: {text}")

    def _printer_check_failed(self, exc: BaseException) -> bool:
        self._show_result(
            self.printer_result,
            False,
            tr("Printer gagal", "Printer failed") + f": {type(exc).__name__}",
        )
        return True

    def _show_result(self, label: QLabel, ok: bool | None, text: str) -> None:
        label.setText(text)
        label.setProperty("state", "busy" if ok is None else ("ok" if ok else "error"))
        self._repolish(label)

    def _clear_result(self, label: QLabel) -> None:
        label.setText(tr("Belum dites", "Not tested yet"))
        label.setProperty("state", "idle")
        self._repolish(label)

    def _on_busy(self, key: str, busy: bool) -> None:
        if key == TASK_TEST_BACKEND:
            self.test_busy.setVisible(busy)
            self.test_button.setEnabled(not busy)
        elif key == TASK_TEST_PRINTER:
            self.printer_busy.setVisible(busy)
            self.printer_test.setEnabled(not busy)

    # --- save -------------------------------------------------------------------------
    def _bad_url_text(self) -> str:
        return tr(
            "Alamat server harus diawali https:// (http hanya untuk localhost).",
            "The base URL must start with https:// (http only for localhost).",
        )

    def current_settings(self) -> AppSettings:
        """The settings as entered. Raises ValueError (cashier text) for an invalid entry."""
        backend = self.backend_value()
        base_url = self.base_url.text().strip().rstrip("/") or DEFAULT_BASE_URL
        if backend == "scalev" and not base_url_allowed(base_url):
            self.base_url.setFocus()
            raise ValueError(self._bad_url_text())
        if not self.terminal.text().strip():
            self.terminal.setFocus()
            raise ValueError(tr("Nama terminal wajib diisi.", "The terminal name is required."))
        kind = str(self.printer_kind.currentData())
        target = self.printer_target.text().strip()
        if kind not in ("none", "system") and not target:  # system: "" = the OS default
            self.printer_target.setFocus()
            raise ValueError(
                tr("Isi alamat printer (atau pilih Tidak ada).", "Enter the printer address.")
            )
        if kind == "network":
            from pos.receipts.printers import parse_host_port

            try:
                parse_host_port(target)
            except ValueError:
                self.printer_target.setFocus()
                raise ValueError(
                    tr(
                        "Alamat printer jaringan tidak valid. Contoh: 192.168.1.50:9100",
                        "Invalid network printer address. Example: 192.168.1.50:9100",
                    )
                ) from None
        data = self._settings.to_dict()
        data.update(
            backend=backend,
            base_url=base_url,
            default_store_id=self.selected_store_id(),
            terminal_name=self.terminal.text(),
            language=str(self.language.currentData()),
            printer={"kind": kind, "target": target, "width": int(self.paper_width.currentData())},
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

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)
        widget.update()


__all__ = ["SettingsDialog", "backend_result_text", "base_url_allowed"]
