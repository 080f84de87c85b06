"""The settings dialog (ui/settings/dialog.py): round trip through the settings file and a test
keyring, the refusal path without a secure keyring, and "Test connection" against the sandbox
over real HTTP."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from pos.config import (
    KEYRING_SERVICE,
    AppSettings,
    PrinterSettings,
    ReceiptSettings,
    SecretStore,
    load_settings,
    settings_path,
)
from pos.doctor import BackendCheck
from pos.sandbox import DEMO_API_KEY
from tests.config.config_keyring import MemoryKeyring
from tests.ui.settings.settings_support import OpenDialog, choose, make_dialog
from ui.common.tasks import TaskRunner
from ui.settings.dialog import SettingsDialog, backend_result_text, base_url_allowed

SECRET = "sk_live_rahasia_9f8e7d6c5b4a"
BASE_URL = "https://api.scalev.example"
CONTRACT_NAMES = (
    "settingsDialog",
    "settingsBackend",
    "settingsBaseUrl",
    "settingsApiKey",
    "settingsTestConnection",
    "settingsTestResult",
    "settingsTerminal",
    "settingsLanguage",
    "settingsPrinterKind",
    "settingsPrinterTarget",
    "settingsPaperWidth",
    "settingsSave",
)


def type_into(edit: QLineEdit, text: str) -> None:
    edit.clear()
    QTest.keyClicks(edit, text)


def files_containing(root: Path, needle: str) -> list[Path]:
    hits = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath, name)
            if needle.encode() in path.read_bytes():
                hits.append(path)
    return hits


# --- contract -------------------------------------------------------------------------------


def test_object_names_accessible_names_and_touch_targets(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    assert dialog.objectName() == "settingsDialog"
    for name in CONTRACT_NAMES[1:]:
        widget = dialog.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    assert dialog.isModal() and dialog.isVisible()
    interactive = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QLineEdit | QComboBox | QAbstractButton) and not w.isHidden()
    ]
    assert len(interactive) >= 12
    for w in interactive:
        assert w.accessibleName(), w.objectName()
        assert w.height() >= 44, (w.objectName(), w.height())


def test_fits_a_1366x768_screen(
    qtbot: Any, runner: TaskRunner, kasir_dirs: dict[str, Path], fail_keyring: Any
) -> None:
    """Even with the keyring warning the form fits without scrolling at 1366×768."""
    dialog = make_dialog(qtbot, runner)
    content = dialog.form_scroll.widget()
    assert content is not None
    width = content.sizeHint().width() + 48
    height = content.sizeHint().height() + dialog._chrome_height()
    assert width <= 1366 - 24
    assert height <= 768 - 48


# --- round trip -----------------------------------------------------------------------------


def test_round_trip_with_a_test_keyring(
    open_dialog: OpenDialog, qtbot: Any, kasir_dirs: dict[str, Path], memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(config_directory=None)
    assert dialog.api_key.text() == ""
    choose(dialog.backend, "scalev")
    type_into(dialog.base_url, BASE_URL + "/")
    type_into(dialog.api_key, SECRET)
    assert dialog.api_key.echoMode() == QLineEdit.EchoMode.Password
    choose(dialog.store, 8)
    type_into(dialog.terminal, "  KASIR   DEPAN ")
    choose(dialog.language, "en")
    choose(dialog.printer_kind, "network")
    type_into(dialog.printer_target, "192.168.1.50:9100")
    choose(dialog.paper_width, 80)
    dialog.show_qr.setChecked(False)
    type_into(dialog.footer, "Sampai jumpa lagi")

    with qtbot.waitSignal(dialog.settings_saved, timeout=1000) as saved:
        QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    expected = AppSettings(
        backend="scalev",
        base_url=BASE_URL,
        default_store_id=8,
        terminal_name="KASIR DEPAN",
        language="en",
        printer=PrinterSettings(kind="network", target="192.168.1.50:9100", width=80),
        receipt=ReceiptSettings(show_qr=False, footer="Sampai jumpa lagi"),
    )
    assert saved.args == [expected]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert not dialog.isVisible()
    assert dialog.api_key.text() == ""
    # the settings file holds everything but the key; the keyring holds the key
    assert load_settings(kasir_dirs["config"]) == expected
    assert memory_keyring.store == {(KEYRING_SERVICE, BASE_URL): SECRET}
    assert files_containing(kasir_dirs["config"].parent, SECRET) == []

    # a second dialog shows the stored values, the key only as "tersimpan / saved"
    again = open_dialog(load_settings(), config_directory=None)
    assert again.backend.currentData() == "scalev"
    assert again.base_url.text() == BASE_URL
    assert again.api_key.text() == ""
    assert again.api_key.echoMode() == QLineEdit.EchoMode.Password
    assert "tersimpan" in again.key_state.text() and "saved" in again.key_state.text()
    assert "tersimpan" in again.api_key.placeholderText()
    assert again.forget_key.isVisible()
    assert again.selected_store_id() == 8
    assert again.terminal.text() == "KASIR DEPAN"
    assert again.language.currentData() == "en"
    assert again.printer_kind.currentData() == "network"
    assert again.printer_target.text() == "192.168.1.50:9100"
    assert again.paper_width.currentData() == 80
    assert not again.show_qr.isChecked()
    assert again.footer.text() == "Sampai jumpa lagi"
    assert SECRET not in {w.text() for w in again.findChildren(QLineEdit)}
    assert all(SECRET not in w.text() for w in again.findChildren(QLabel))

    # saving without typing a key keeps the stored key
    with qtbot.waitSignal(again.settings_saved, timeout=1000):
        again.save_button.click()
    assert memory_keyring.store == {(KEYRING_SERVICE, BASE_URL): SECRET}


def test_forget_key_removes_it_from_the_keyring(
    open_dialog: OpenDialog, memory_keyring: MemoryKeyring
) -> None:
    SecretStore().set(BASE_URL, SECRET)
    dialog = open_dialog(AppSettings(backend="scalev", base_url=BASE_URL))
    assert dialog.forget_key.isVisible()
    dialog.forget_key.click()
    assert memory_keyring.store == {}
    assert dialog.key_state.property("state") == "none"
    assert not dialog.forget_key.isVisible()


def test_demo_backend_stores_no_key(open_dialog: OpenDialog, memory_keyring: MemoryKeyring) -> None:
    dialog = open_dialog(AppSettings(backend="scalev", base_url=BASE_URL))
    type_into(dialog.api_key, SECRET)
    choose(dialog.backend, "demo")
    assert not dialog.api_key.isEnabled() and not dialog.base_url.isEnabled()
    assert dialog.save()
    assert memory_keyring.store == {}
    assert load_settings().backend == "demo"


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("base_url", "http://api.scalev.example", "https://"),
        ("terminal", "", "terminal"),
        ("printer_target", "printer.lan:99999", "192.168.1.50:9100"),
    ],
)
def test_invalid_entries_are_refused_with_a_reason(
    qtbot: Any,
    runner: TaskRunner,
    kasir_dirs: dict[str, Path],
    memory_keyring: MemoryKeyring,
    field: str,
    value: str,
    fragment: str,
) -> None:
    dialog = make_dialog(
        qtbot,
        runner,
        AppSettings(
            backend="scalev",
            base_url=BASE_URL,
            printer=PrinterSettings(kind="network", target="10.0.0.9"),
        ),
    )
    type_into(getattr(dialog, field), value)
    type_into(dialog.api_key, SECRET)
    assert not dialog.save()
    assert dialog.save_error.isVisible()
    assert fragment in dialog.save_error.text()
    assert dialog.isVisible()
    assert not settings_path(kasir_dirs["config"]).exists()
    assert memory_keyring.store == {}


def test_printer_none_disables_the_address(open_dialog: OpenDialog) -> None:
    dialog = open_dialog()
    assert dialog.printer_kind.currentData() == "none"
    assert not dialog.printer_target.isEnabled()
    choose(dialog.printer_kind, "file")
    assert dialog.printer_target.isEnabled()
    assert dialog.printer_target.placeholderText()


def test_printer_test_writes_to_a_file_printer(
    open_dialog: OpenDialog, qtbot: Any, runner: TaskRunner, tmp_path: Path
) -> None:
    dialog = open_dialog()
    choose(dialog.printer_kind, "file")
    type_into(dialog.printer_target, str(tmp_path / "struk.bin"))
    dialog.printer_test.click()
    qtbot.waitUntil(lambda: dialog.printer_result.property("state") in ("ok", "error"))
    assert dialog.printer_result.property("state") == "ok", dialog.printer_result.text()
    assert not runner.is_busy("settings-test-printer")
    assert dialog.printer_test.isEnabled()


# --- no secure keyring ----------------------------------------------------------------------


def test_refusal_without_a_secure_keyring(
    qtbot: Any, runner: TaskRunner, kasir_dirs: dict[str, Path], fail_keyring: Any
) -> None:
    dialog = make_dialog(qtbot, runner, AppSettings(backend="scalev", base_url=BASE_URL))
    # said up front, with how to fix it
    warning = dialog.keyring_warning
    assert warning.isVisible()
    assert SecretStore().unavailable_message() in warning.text()
    assert "KASIR_API_KEY" in warning.text()
    assert "Not saved" in dialog.key_state.text()
    choose(dialog.language, "id")
    type_into(dialog.api_key, SECRET)
    saved: list[AppSettings] = []
    dialog.settings_saved.connect(saved.append)

    assert not dialog.save()
    # the other settings are saved; the key is not, and the dialog stays open to say why
    assert saved and saved[0].language == "id"
    assert dialog.isVisible()
    assert dialog.save_error.isVisible()
    assert "TIDAK" in dialog.save_error.text() and "NOT" in dialog.save_error.text()
    assert "KASIR_API_KEY" in dialog.save_error.text()
    assert dialog.api_key.text() == ""
    assert load_settings().language == "id"
    assert settings_path(kasir_dirs["config"]).is_file()
    for root in kasir_dirs.values():
        assert files_containing(root, SECRET) == []
    assert files_containing(kasir_dirs["config"].parent, SECRET) == []
    assert SecretStore().get(BASE_URL) is None


# --- test connection ------------------------------------------------------------------------


def wait_result(qtbot: Any, dialog: SettingsDialog) -> None:
    qtbot.waitUntil(lambda: dialog.test_result.property("state") in ("ok", "error"), timeout=10000)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled())


def test_connection_to_the_sandbox_succeeds(
    open_dialog: OpenDialog, qtbot: Any, runner: TaskRunner, sandbox: Any
) -> None:
    dialog = open_dialog(AppSettings(backend="scalev", base_url=sandbox.base_url))
    type_into(dialog.api_key, DEMO_API_KEY)
    busy: list[bool] = []
    runner.busy_changed.connect(lambda key, b: busy.append(b))
    QTest.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.test_result.property("state") == "busy"
    wait_result(qtbot, dialog)
    assert dialog.test_result.property("state") == "ok"
    assert "Connected" in dialog.test_result.text() and "Terhubung" in dialog.test_result.text()
    assert busy == [True, False]
    assert not dialog.test_busy.isVisible()
    assert DEMO_API_KEY not in dialog.test_result.text()


def test_connection_with_a_bad_key_shows_401(
    open_dialog: OpenDialog, qtbot: Any, sandbox: Any
) -> None:
    dialog = open_dialog(AppSettings(backend="scalev", base_url=sandbox.base_url))
    type_into(dialog.api_key, "sk_wrong_key")
    dialog.test_button.click()
    wait_result(qtbot, dialog)
    assert dialog.test_result.property("state") == "error"
    text = dialog.test_result.text()
    assert "401" in text and "ditolak" in text and "rejected" in text
    assert "sk_wrong_key" not in text


def test_connection_uses_the_stored_key(open_dialog: OpenDialog, qtbot: Any, sandbox: Any) -> None:
    SecretStore().set(sandbox.base_url, DEMO_API_KEY)
    dialog = open_dialog(AppSettings(backend="scalev", base_url=sandbox.base_url))
    assert dialog.api_key.text() == ""
    dialog.test_button.click()
    wait_result(qtbot, dialog)
    assert dialog.test_result.property("state") == "ok"


def test_demo_mode_checks_the_embedded_sandbox(
    open_dialog: OpenDialog, qtbot: Any, sandbox: Any
) -> None:
    dialog = open_dialog(demo_base_url=sandbox.base_url)
    dialog.test_button.click()
    wait_result(qtbot, dialog)
    assert dialog.test_result.property("state") == "ok"


def test_connection_needs_a_key_and_a_safe_url(open_dialog: OpenDialog, runner: TaskRunner) -> None:
    dialog = open_dialog(AppSettings(backend="scalev", base_url=BASE_URL))
    dialog.test_button.click()
    assert dialog.test_result.property("state") == "error"
    assert "API" in dialog.test_result.text()
    type_into(dialog.base_url, "http://api.scalev.example")
    type_into(dialog.api_key, SECRET)
    dialog.test_button.click()
    assert dialog.test_result.property("state") == "error"
    assert "https://" in dialog.test_result.text()
    assert not runner.is_busy("settings-test-connection")


def test_closing_cancels_a_running_test(open_dialog: OpenDialog, runner: TaskRunner) -> None:
    dialog = open_dialog(demo_base_url="http://127.0.0.1:9")
    dialog.test_button.click()
    dialog.reject()
    assert not runner.is_busy("settings-test-connection")


def test_result_texts() -> None:
    assert "Terhubung" in backend_result_text(BackendCheck(None, status=200))
    assert "403" in backend_result_text(BackendCheck("forbidden", status=403))
    assert "unreachable" not in backend_result_text(
        BackendCheck("offline", detail="ConnectError: x")
    )
    assert base_url_allowed("https://api.scalev.com")
    assert base_url_allowed("http://127.0.0.1:8080")
    assert not base_url_allowed("http://api.scalev.com")
    assert not base_url_allowed("ftp://x")
    assert not base_url_allowed("")
