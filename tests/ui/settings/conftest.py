"""Fixtures of the settings dialog tests: isolated Kasir folders, test keyrings, a qasync loop
for sync tests (wait with ``qtbot.waitUntil``) and the one task runner."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pos.config import AppSettings
from pos.logs import forget_secrets
from tests.config.config_keyring import MemoryKeyring, fail_keyring, memory_keyring
from tests.ui.settings.settings_support import OpenDialog, make_dialog
from tests.ui.ui_support import qloop
from ui.common import i18n
from ui.common.notifier import Notifier
from ui.common.tasks import TaskRunner
from ui.settings.dialog import SettingsDialog


@pytest.fixture
def runner(qloop: asyncio.AbstractEventLoop) -> Iterator[TaskRunner]:
    task_runner = TaskRunner(Notifier())
    yield task_runner
    task_runner.cancel_all()


@pytest.fixture
def kasir_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Every Kasir folder inside ``tmp_path`` (through the environment, like a real start)."""
    dirs = {name: tmp_path / name for name in ("config", "data", "logs")}
    monkeypatch.setenv("KASIR_CONFIG_DIR", str(dirs["config"]))
    monkeypatch.setenv("KASIR_DATA_DIR", str(dirs["data"]))
    monkeypatch.setenv("KASIR_LOG_DIR", str(dirs["logs"]))
    monkeypatch.delenv("KASIR_API_KEY", raising=False)
    return dirs


@pytest.fixture
def open_dialog(
    qtbot: Any, runner: TaskRunner, kasir_dirs: dict[str, Path], memory_keyring: MemoryKeyring
) -> OpenDialog:
    """The dialog opened like the window opens it, over isolated folders and a test keyring."""

    def open_(settings: AppSettings | None = None, **kw: Any) -> SettingsDialog:
        return make_dialog(qtbot, runner, settings, **kw)

    return open_


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    yield
    i18n.set_mode("both")
    forget_secrets()


__all__ = ["fail_keyring", "memory_keyring", "qloop"]
