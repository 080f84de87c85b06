"""Fixtures of the settings dialog tests: isolated Kasir folders, test keyrings, a qasync loop
for sync tests (wait with ``qtbot.waitUntil``) and the one task runner."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import qasync
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication

from pos.logs import forget_secrets
from tests.config.config_keyring import MemoryKeyring
from ui import i18n
from ui.notifier import Notifier
from ui.tasks import TaskRunner


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    from ui.app import style_sheet

    qapp.setStyleSheet(style_sheet())
    loop = qasync.QEventLoop(qapp, already_running=True)
    # asyncio.to_thread runs on the loop's default executor: own it, so it is shut down
    executor = qasync.QThreadExecutor(2)
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in pending:
        t.cancel()
    if pending:
        deadline = loop.time() + 3
        while any(not t.done() for t in pending) and loop.time() < deadline:
            qapp.processEvents()
    executor.shutdown(wait=True)
    # already_running=True registered the loop as *running* for this thread: unregister it, or
    # later pytest-asyncio tests find "another loop is running"
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


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
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def fail_keyring() -> Iterator[KeyringBackend]:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    yield
    i18n.set_mode("both")
    forget_secrets()
