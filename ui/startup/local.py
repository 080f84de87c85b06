"""What runs on this machine before the window: the data folder's lock and demo mode's
embedded sandbox (its socket at once, its server after the first paint)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.controllers import SaleController
    from ui.session import Config


def acquire_data_dir(config: Config) -> Any:
    """Take the one-Kasir-per-data-folder lock (raises ``AlreadyRunning``)."""
    from pos.storage import DataDirLock
    from pos.storage.db import prepare_data_dir

    prepare_data_dir(config.data_dir)  # a file in the way: its own message, not "unexpected"
    lock = DataDirLock(config.data_dir)
    lock.acquire()
    return lock


def start_sandbox(config: Config) -> Any:
    """Demo mode's embedded sandbox: its socket listens (so its URL is known) at once; the
    server itself (uvicorn, starlette, the demo data) starts in a thread after the window's
    first paint (``start_session``). A ``pos.sandbox.BackgroundSandbox``."""
    from pos.sandbox.background import BackgroundSandbox, lan_requested

    lan = lan_requested() or bool(getattr(config.app_settings, "demo_lan", False))
    return BackgroundSandbox(config.data_dir / "sandbox", lan=lan)


def is_background_sandbox(sandbox: Any) -> bool:
    if sandbox is None:
        return False
    from pos.sandbox.background import BackgroundSandbox

    return isinstance(sandbox, BackgroundSandbox)


def start_background_sandbox(sandbox: Any, controller: SaleController) -> None:
    """Demo mode: start the sandbox's server now (after the first paint). If it cannot start,
    say why where the cashier looks (its socket closes, so waiting requests fail at once)."""
    if not is_background_sandbox(sandbox):
        return
    loop = asyncio.get_event_loop()

    def failed(exc: BaseException) -> None:  # the starter thread: hand over to the UI's loop
        from ui.common.errors import describe_error

        if isinstance(exc, OSError) and exc.filename:
            detail = f"{exc.filename}: {exc.strerror or type(exc).__name__}"
        else:
            detail = describe_error(exc)
        loop.call_soon_threadsafe(controller.backend_failed.emit, "demo", detail)

    sandbox.start(on_error=failed)
