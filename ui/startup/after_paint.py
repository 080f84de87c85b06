"""The work after the first paint, one step per event-loop turn: the GC's comeback, the
modules imported ahead of their use, the sale's API models built ahead of the first charge."""

from __future__ import annotations

import gc
import importlib
import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer

log = logging.getLogger(__name__)


def run_steps(steps: list[Callable[[], object]]) -> None:
    """Run ``steps`` one per event-loop turn (input and paints get in between)."""
    if not steps:
        return
    step, rest = steps[0], steps[1:]
    step()
    if rest:
        QTimer.singleShot(0, lambda: run_steps(rest))


def resume_gc() -> None:
    """After the first paint: collect start-up garbage once, freeze what survives (modules,
    classes, the catalog: later collections skip them, so they stay short) and turn the
    collector back on — ``kasir`` (``ui.cli``) pauses it for the start-up."""
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


#: imported one per event-loop turn after the first paint (each ≤ ~60 ms here): the API
#: client's stack and the QR encoder, their heavy parts first (httpx imports its command line
#: with ``click`` when that is installed)
WARM_MODULES = (
    "uuid",
    "click",
    "urllib.request",
    "httpx",
    "pydantic_core",
    "pydantic.main",
    "pydantic.types",
    "pos.api.models",
    "PIL.Image",
    "qrcode",
    "pos.api.client",
)


def warm_import(name: str) -> None:
    """Import ``name`` ahead of its use; a module that is missing or fails is left to the
    import that needs it (which reports it where it is handled)."""
    try:
        importlib.import_module(name)
    except Exception:
        log.debug("warm-up import of %s skipped", name, exc_info=True)


#: API models whose validators are built in idle turns once online (pydantic builds each on
#: first use, ``defer_build``): those of a sale, so the first charge does not build them
PREBUILT_MODELS = ("OrderCreate", "Order", "OrderListItem", "Location", "CourierServiceResult")


#: demo mode: the embedded sandbox's modules, imported one per turn before its server starts
SANDBOX_MODULES = ("uvicorn", "starlette.applications", "pos.sandbox.app", "pos.sandbox.server")


def prebuild_model(name: str) -> None:
    """Build the validator of ``pos.api.models.<name>`` now (instead of on its first use)."""
    from pos.api import models

    getattr(models, name).model_rebuild(force=True)
