"""One lookup task per shipping stage; the running tasks are the one record of what is busy."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

#: The task key of each stage (a task runner cancels an older task with the same key).
TASK_KEYS = {
    "search": "shipping-locations",
    "postal": "shipping-postal",
    "warehouses": "shipping-warehouses",
    "couriers": "shipping-couriers",
}

#: ``spawn(task_key, coroutine)`` runs a lookup and returns its task. The coroutine records a
#: failure (``on_done``) and then raises it again, for the spawner to log.
Spawn = Callable[[str, Coroutine[Any, Any, None]], "asyncio.Future[Any]"]
Work = Callable[..., Coroutine[Any, Any, None]]


def spawn_task(key: str, coro: Coroutine[Any, Any, None]) -> asyncio.Future[Any]:
    """The default :data:`Spawn`: a plain asyncio task whose failure is logged."""
    task = asyncio.ensure_future(coro)
    task.add_done_callback(_log_failure)
    return task


def _log_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("shipping lookup failed: %r", task.exception())


class StageTasks:
    """At most one running lookup per stage: a newer one cancels the older.

    ``on_busy(stage)`` is called when a stage starts or stops being busy; ``on_done(stage, exc)``
    after a lookup ended (``exc`` None on success), once the stage is no longer busy.
    """

    def __init__(
        self,
        spawn: Spawn,
        on_busy: Callable[[str], None],
        on_done: Callable[[str, BaseException | None], None],
    ) -> None:
        self._spawn = spawn
        self._on_busy = on_busy
        self._on_done = on_done
        self._tasks: dict[str, asyncio.Future[Any]] = {}

    def is_busy(self, stage: str | None = None) -> bool:
        return bool(self._tasks) if stage is None else stage in self._tasks

    def task(self, stage: str) -> asyncio.Future[Any] | None:
        """The running lookup of ``stage`` (None when idle)."""
        return self._tasks.get(stage)

    def start(self, stage: str, work: Work, *args: Any) -> None:
        """Run ``work(*args)`` as the lookup of ``stage``, cancelling the older one."""
        older = self._tasks.pop(stage, None)
        if older is not None:
            older.cancel()
        task = self._spawn(TASK_KEYS[stage], self._run(stage, work, *args))
        self._tasks[stage] = task
        # cancelled from outside (e.g. on shutdown): the stage is not busy any more
        task.add_done_callback(lambda t: self._finished(stage, t))
        if older is None:
            self._on_busy(stage)

    def cancel(self, stage: str) -> None:
        task = self._tasks.pop(stage, None)
        if task is not None:
            task.cancel()
            self._on_busy(stage)

    def cancel_all(self) -> list[str]:
        """Cancel every lookup without telling ``on_busy``; returns the stages that were busy."""
        stages = list(self._tasks)
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        return stages

    async def _run(self, stage: str, work: Work, *args: Any) -> None:
        try:
            await work(*args)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._finished(stage, asyncio.current_task())
            self._on_done(stage, exc)
            raise  # recorded by on_done; the spawner logs it
        self._finished(stage, asyncio.current_task())
        self._on_done(stage, None)

    def _finished(self, stage: str, task: asyncio.Future[Any] | None) -> None:
        if task is not None and self._tasks.get(stage) is task:
            del self._tasks[stage]
            self._on_busy(stage)
