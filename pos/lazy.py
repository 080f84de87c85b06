"""Package attributes that load their module on first use (PEP 562).

``__getattr__ = lazy_exports(__name__, {"Name": "submodule", ...})`` in a package's
``__init__``: importing the package stays cheap (``pos.receipts.model`` without the printers,
the sandbox's keys and ``BackgroundSandbox`` without uvicorn — the settings dialog and the
self-test use ``pos.sandbox``'s names), and ``package.Name`` still works. Pair it with
the same names under ``TYPE_CHECKING``. ``pos.api`` has no such front: its names are imported
from their modules (``pos.api.errors`` without httpx).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``where`` maps each name to the submodule
    defining it; the first use imports it and keeps the value in the package."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
