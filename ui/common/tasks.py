"""The UI's one task runner.

Every coroutine the UI runs goes through :meth:`TaskRunner.start`: it keeps a reference to the
task (so it is never garbage collected mid-flight), cancels the previous task with the same key,
keeps a per-key busy flag that is always cleared in ``finally``, sends expected errors to the
notifier as cashier text (``pos.services.errors.user_message``), logs unexpected ones with their
traceback (and still tells the cashier something went wrong). Cancellation is never shown.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from ui.common.errors import describe_error, is_expected_error
from ui.common.notifier import Notifier

log = logging.getLogger(__name__)

ErrorHandler = Callable[[BaseException], bool | None]


class TaskRunner(QObject):
    """Starts coroutines by key.

    Signals:
        busy_changed(str, bool): a key's task started (True) or finished (False).
        failed(str, object): a key's task ended with an exception (after handlers ran).
    """

    busy_changed = Signal(str, bool)
    failed = Signal(str, object)

    def __init__(self, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notifier = notifier
        self._tasks: dict[str, asyncio.Task[Any]] = {}

    def start(
        self,
        key: str,
        coro: Coroutine[Any, Any, Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> asyncio.Task[Any]:
        """Run ``coro`` as the task for ``key``, cancelling any previous one.

        ``on_error(exc)`` may return True to say it fully handled the error (then the notifier
        is not used).
        """
        self.cancel(key)
        task = asyncio.ensure_future(self._run(key, coro, on_success, on_error))
        self._tasks[key] = task
        task.add_done_callback(functools.partial(self._forget, key))
        # A task cancelled before it ever ran leaves ``coro`` un-awaited: close it (a no-op for a
        # coroutine that already finished).
        task.add_done_callback(lambda _t: coro.close())
        return task

    def is_busy(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    def task(self, key: str) -> asyncio.Task[Any] | None:
        return self._tasks.get(key)

    def cancel(self, key: str) -> None:
        task = self._tasks.pop(key, None)
        if task is not None and not task.done():
            task.cancel()

    def cancel_all(self) -> list[asyncio.Task[Any]]:
        """Cancel every running task; returns them so the caller can await their end."""
        tasks = [t for t in self._tasks.values() if not t.done()]
        for t in tasks:
            t.cancel()
        self._tasks.clear()
        return tasks

    async def shutdown(self) -> None:
        tasks = self.cancel_all()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _forget(self, key: str, task: asyncio.Task[Any]) -> None:
        if self._tasks.get(key) is task:
            del self._tasks[key]

    async def _run(
        self,
        key: str,
        coro: Coroutine[Any, Any, Any],
        on_success: Callable[[Any], None] | None,
        on_error: ErrorHandler | None,
    ) -> Any:
        self.busy_changed.emit(key, True)
        try:
            result = await coro
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # every failure ends here, and only here
            self._handle_error(key, exc, on_error)
            return None
        else:
            if on_success is not None:
                try:
                    on_success(result)
                except Exception as exc:
                    self._handle_error(key, exc, None)
            return result
        finally:
            # a replacement task for the same key keeps the key busy
            # (a task cancelled after its window, and this runner with it, was deleted has
            # no one left to tell)
            current = self._tasks.get(key)
            if (current is None or current is asyncio.current_task()) and shiboken6.isValid(self):
                self.busy_changed.emit(key, False)

    def _handle_error(self, key: str, exc: Exception, on_error: ErrorHandler | None) -> None:
        expected = is_expected_error(exc)
        if not expected:
            log.error("task %r failed unexpectedly", key, exc_info=exc)
        handled = False
        if on_error is not None:
            try:
                handled = bool(on_error(exc))
            except Exception:
                log.exception("error handler of task %r failed", key)
        if not handled:
            self._notifier.error(describe_error(exc))
        self.failed.emit(key, exc)
