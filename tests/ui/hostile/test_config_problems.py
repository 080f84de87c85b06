"""A data folder that is a file, and an ``http://`` base URL that is refused, each get their own
clear message (CLI and problem screen), not "unexpected error" or "API key rejected"."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos.config import AppSettings, save_settings
from pos.services.errors import user_message
from pos.storage.db import prepare_data_dir
from pos.storage.errors import StorageError
from ui.main_window import PAGE_PROBLEM

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("inside", [False, True])
def test_a_data_folder_that_is_a_file_is_named_as_such(tmp_path: Path, inside: bool) -> None:
    blocker = tmp_path / "kasir-data"
    blocker.write_text("not a folder")
    target = blocker / "sub" if inside else blocker
    with pytest.raises(StorageError) as e:
        prepare_data_dir(target)
    assert e.value.message_id == "data_dir_not_folder" and str(blocker) in e.value.detail
    assert "is a file" in user_message(e.value, "en")
    assert blocker.read_text() == "not a folder"  # never replaced


def test_kasir_cli_says_the_data_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "kasir-data"
    blocker.write_text("x")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KASIR_LANGUAGE": "en",
        "KASIR_CONFIG_DIR": str(tmp_path / "config"),
        "KASIR_LOG_DIR": str(tmp_path / "logs"),
        "KASIR_DATA_DIR": str(blocker),
    }
    env.pop("KASIR_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Kasir: Kasir's data folder is a file, not a folder."), done.stderr
    assert "unexpected" not in last.lower()


def test_http_base_url_gets_its_own_problem_screen(qtbot: Any, qloop: Any, tmp_path: Path) -> None:
    from ui.app import Config, start_session

    settings = AppSettings(backend="scalev", base_url="http://api.example.com")
    save_settings(settings, tmp_path / "config")
    config = Config(
        data_dir=tmp_path / "data",
        app_settings=settings,
        config_dir=tmp_path / "config",
        api_key="Zx9PLAINkey-7f3a2b",
        base_url="http://api.example.com",
    )
    task = asyncio.ensure_future(start_session(config))
    qtbot.waitUntil(task.done, timeout=20000)
    session = task.result()
    w = session.window
    try:
        qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=20000)
        page = w.problem
        assert "Server address refused" in page.title.text()
        assert "API key rejected" not in page.title.text()
        assert "https://" in page.detail.text() and "unexpected" not in page.detail.text()
        assert not page.retry.isVisible()  # retrying cannot fix an address
    finally:
        done = asyncio.ensure_future(session.aclose())
        qtbot.waitUntil(done.done, timeout=10000)
        w._quit_confirmed = True
        w.close()
