"""The settings dialog as it appears on a 1366×768 screen (centred over a dimmed backdrop).

Always renders; with ``KASIR_SCREENSHOTS=1`` the PNGs go to ``docs/screenshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter

from pos.api.models import Store
from pos.config import AppSettings, PrinterSettings, SecretStore
from pos.doctor import BackendCheck
from ui.common import i18n
from ui.common.tasks import TaskRunner
from ui.settings.dialog import SettingsDialog

ROOT = Path(__file__).resolve().parents[3]
SCREEN = (1366, 768)


def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("KASIR_SCREENSHOTS") == "1":
        out = ROOT / "docs" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        return out
    return tmp_path


def on_screen(dialog: SettingsDialog, path: Path) -> None:
    """Size the dialog as a 1366×768 screen would and paint it centred on that screen."""
    content = dialog.form_scroll.widget()
    assert content is not None
    width = min(1300, content.sizeHint().width() + 48, SCREEN[0] - 24)
    height = min(content.sizeHint().height() + dialog._chrome_height(), SCREEN[1] - 48)
    dialog.resize(width, height)
    dialog.repaint()
    shot = dialog.grab().toImage()
    canvas = QImage(*SCREEN, QImage.Format.Format_RGB32)
    canvas.fill(QColor("#475569"))
    painter = QPainter(canvas)
    painter.drawImage(
        QPoint((SCREEN[0] - shot.width()) // 2, (SCREEN[1] - shot.height()) // 2), shot
    )
    painter.end()
    assert shot.width() <= SCREEN[0] and shot.height() <= SCREEN[1] - 40
    assert canvas.save(str(path))


@pytest.mark.parametrize(
    ("mode", "keyring_fixture", "name"),
    [
        ("both", "memory_keyring", "settings-1366x768.png"),
        ("en", "memory_keyring", "settings-en-1366x768.png"),
        ("both", "fail_keyring", "settings-no-keyring-1366x768.png"),
    ],
)
def test_render_settings(
    request: pytest.FixtureRequest,
    qtbot: Any,
    runner: TaskRunner,
    kasir_dirs: dict[str, Path],
    tmp_path: Path,
    mode: str,
    keyring_fixture: str,
    name: str,
) -> None:
    request.getfixturevalue(keyring_fixture)
    i18n.set_mode(mode)
    settings = AppSettings(
        backend="scalev",
        default_store_id=7,
        terminal_name="KASIR-DEPAN",
        printer=PrinterSettings(kind="network", target="192.168.1.50:9100", width=80),
    )
    store = SecretStore()
    if store.is_secure_backend():
        store.set(settings.base_url, "sk_live_screenshot_only")
    dialog = SettingsDialog(
        settings,
        runner=runner,
        stores=[
            Store(id=7, unique_id="a", name="Toko Kopi Nusantara"),
            Store(id=8, unique_id="b", name="Toko Buku Pelangi"),
        ],
        env={},
    )
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog._backend_checked(BackendCheck(None, status=200))
    qtbot.wait(20)
    on_screen(dialog, out_dir(tmp_path) / name)
