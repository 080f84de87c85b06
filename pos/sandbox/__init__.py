"""A Scalev-API-v3-compatible sandbox server for demo mode and tests (see README.md here).

Written independently of ``pos.api``: both sides are checked against the published contract.
The names below load their module on first use (PEP 562): the demo keys and
:class:`~pos.sandbox.background.BackgroundSandbox` come without uvicorn or starlette.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pos.sandbox.background import BackgroundSandbox
    from pos.sandbox.faults import FaultConfig, OneShot
    from pos.sandbox.keys import DEMO_API_KEY, RESTRICTED_DEMO_KEY
    from pos.sandbox.server import SandboxServer

_MODULES: dict[str, str] = {
    "BackgroundSandbox": "background",
    "DEMO_API_KEY": "keys",
    "FaultConfig": "faults",
    "OneShot": "faults",
    "RESTRICTED_DEMO_KEY": "keys",
    "SandboxServer": "server",
}


def __getattr__(name: str) -> Any:
    """``pos.sandbox.Name``: import its module on first use and keep the value here."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEMO_API_KEY",
    "RESTRICTED_DEMO_KEY",
    "BackgroundSandbox",
    "FaultConfig",
    "OneShot",
    "SandboxServer",
]
