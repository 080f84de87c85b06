"""The one task runner: keyed cancellation, busy flag, error routing, no shown cancellation."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from pos.api.errors import APIConnectionError
from ui.common.notifier import MessageBanner, Notifier
from ui.common.tasks import TaskRunner


@pytest.fixture
def runner(qloop: Any) -> tuple[TaskRunner, list[tuple[str, str]], list[tuple[str, bool]]]:
    notifier = Notifier()
    messages: list[tuple[str, str]] = []
    busy: list[tuple[str, bool]] = []
    notifier.message.connect(lambda level, text: messages.append((level, text)))
    r = TaskRunner(notifier)
    r.busy_changed.connect(lambda key, flag: busy.append((key, flag)))
    return r, messages, busy


def test_same_key_cancels_previous_and_busy_clears(runner: Any, qtbot: Any) -> None:
    r, messages, busy = runner
    first_started = asyncio.Event()
    results: list[str] = []

    async def slow() -> str:
        first_started.set()
        await asyncio.sleep(10)
        return "slow"

    async def fast() -> str:
        return "fast"

    t1 = r.start("k", slow(), on_success=results.append)
    qtbot.waitUntil(first_started.is_set)
    t2 = r.start("k", fast(), on_success=results.append)
    qtbot.waitUntil(lambda: t1.done() and t2.done())
    assert t1.cancelled()
    assert results == ["fast"]
    assert messages == []  # cancellation is never shown
    assert busy[0] == ("k", True) and busy[-1] == ("k", False)
    assert busy.count(("k", False)) == 1  # never "idle" while the replacement runs
    assert not r.is_busy("k")


def test_cancel_before_start_leaves_no_unawaited_coroutine(runner: Any, qtbot: Any) -> None:
    r, _messages, _busy = runner

    async def never() -> None:
        await asyncio.sleep(10)

    task = r.start("k", never())
    r.cancel("k")  # cancelled before it ever ran
    qtbot.waitUntil(task.done)
    assert task.cancelled()


def test_expected_error_goes_to_notifier(runner: Any, qtbot: Any) -> None:
    r, messages, _busy = runner

    async def offline() -> None:
        raise APIConnectionError("refused")

    task = r.start("k", offline())
    qtbot.waitUntil(task.done)
    assert len(messages) == 1
    level, text = messages[0]
    assert level == "error" and "server" in text.lower()
    assert "Traceback" not in text


def test_unexpected_error_is_logged_and_reported(
    runner: Any, qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    r, messages, _busy = runner

    async def bug() -> None:
        raise KeyError("oops")

    with caplog.at_level(logging.ERROR, logger="ui.common.tasks"):
        task = r.start("k", bug())
        qtbot.waitUntil(task.done)
    assert any("failed unexpectedly" in rec.message for rec in caplog.records)
    assert len(messages) == 1 and "oops" not in messages[0][1]


def test_handler_can_take_over(runner: Any, qtbot: Any) -> None:
    r, messages, _busy = runner
    seen: list[BaseException] = []

    async def offline() -> None:
        raise APIConnectionError("refused")

    def handle(exc: BaseException) -> bool:
        seen.append(exc)
        return True

    task = r.start("k", offline(), on_error=handle)
    qtbot.waitUntil(task.done)
    assert len(seen) == 1 and messages == []


def test_banner_renders_messages(qtbot: Any) -> None:
    notifier = Notifier()
    banner = MessageBanner(notifier)
    qtbot.addWidget(banner)
    banner.show()
    notifier.error("Tidak bisa terhubung")
    assert banner.isVisible() and banner.text() == "Tidak bisa terhubung"
    assert banner.property("level") == "error"
    notifier.clear()
    assert not banner.isVisible()
