"""The composition root: configuration, demo mode start-up and shutdown, problem screens."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from ui.app import Config, Session, parse_args, start_session
from ui.main_window import PAGE_PROBLEM, PAGE_SALE


def test_parse_args_reads_flags_and_environment(tmp_path: Path) -> None:
    env = {
        "KASIR_BASE_URL": "https://api.example",
        "KASIR_API_KEY": "sk_env",
        "KASIR_DATA_DIR": str(tmp_path),
    }
    cfg = parse_args([], env)
    assert (cfg.base_url, cfg.api_key, cfg.data_dir, cfg.demo) == (
        "https://api.example",
        "sk_env",
        tmp_path,
        False,
    )
    cfg = parse_args(["--api-key", "sk_flag", "--base-url", "https://b.example"], env)
    assert (cfg.api_key, cfg.base_url) == ("sk_flag", "https://b.example")
    assert "sk_flag" not in repr(cfg)
    assert parse_args([], {}).demo
    assert parse_args(["--self-test"], {}).self_test


def _run(qtbot: Any, coro: Any, timeout: int = 15000) -> Any:
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


def _close(qtbot: Any, qapp: QApplication, session: Session) -> None:
    _run(qtbot, session.aclose())
    session.window.close()
    qapp.processEvents()


def test_demo_mode_starts_sandbox_and_shuts_down(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    session = _run(qtbot, start_session(Config(data_dir=tmp_path, poll_interval=0.2)))
    w = session.window
    qtbot.addWidget(w)
    assert session.sandbox is not None and session.sandbox.running
    assert w.demo_badge.isVisible()
    qtbot.waitUntil(lambda: w.catalog.model.total_count() > 0, timeout=15000)
    assert w.page() == PAGE_SALE
    assert (tmp_path / "kasir.sqlite3").exists()
    assert (tmp_path / "sandbox").is_dir()
    _close(qtbot, qapp, session)
    assert not session.sandbox.running
    assert not session.runner.is_busy("catalog")


def test_unreachable_host_shows_problem_screen(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path
) -> None:
    cfg = Config(base_url="http://127.0.0.1:9", api_key="sk_test_unreachable", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg))
    w = session.window
    qtbot.addWidget(w)
    assert not w.demo_badge.isVisible()
    qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=30000)
    assert w.problem.retry.isVisible()
    assert "sk_test_unreachable" not in w.problem.detail.text()
    _close(qtbot, qapp, session)


def test_rejected_key_shows_problem_screen(
    qtbot: Any, qapp: QApplication, qloop: Any, tmp_path: Path, sandbox_server: Any
) -> None:
    cfg = Config(base_url=sandbox_server.base_url, api_key="sk_wrong_key", data_dir=tmp_path)
    session = _run(qtbot, start_session(cfg))
    w = session.window
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w.page() == PAGE_PROBLEM, timeout=15000)
    assert "401" in w.problem.body.text()
    _close(qtbot, qapp, session)
