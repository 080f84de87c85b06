"""Helpers of the settings dialog tests: the dialog opened the way the window opens it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox

from pos.api.models import Store
from pos.config import AppSettings
from ui.common.tasks import TaskRunner
from ui.settings.dialog import SettingsDialog

#: ``open_dialog(settings=None, **kw)``: :func:`make_dialog` with isolated folders and a test
#: keyring (the ``open_dialog`` fixture)
OpenDialog = Callable[..., SettingsDialog]

STORES = [
    Store(id=7, unique_id="store_a", name="Toko Kopi Nusantara"),
    Store(id=8, unique_id="store_b", name="Toko Kedua"),
]


def make_dialog(
    qtbot: Any,
    runner: TaskRunner,
    settings: AppSettings | None = None,
    **kw: Any,
) -> SettingsDialog:
    kw.setdefault("stores", STORES)
    kw.setdefault("env", {})
    dialog = SettingsDialog(settings or AppSettings(), runner=runner, **kw)
    qtbot.addWidget(dialog)
    dialog.open()  # never exec()
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
