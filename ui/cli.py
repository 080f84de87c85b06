"""The ``kasir`` console script: dispatches sub-commands, imports lazily.

``kasir``                → the point-of-sale app (demo mode when no API key is configured)
``kasir sandbox …``      → the Scalev-compatible sandbox server in the foreground
``kasir doctor``         → versions, folders, keyring, backend and printer checks

Lives in ui/ because the app entry point depends on Qt; pos/ never imports ui.
"""

from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "sandbox":
        from pos.sandbox.cli import main as sandbox_main

        return sandbox_main(args[1:])
    if args and args[0] == "doctor":
        from pos.doctor import main as doctor_main

        return doctor_main(args[1:])
    # Start-up allocates ~80k long-lived objects (modules, classes, the cached catalog); the
    # cyclic GC's passes over them would cost 15-30 ms before the first paint. ui.app turns
    # it back on right after the first paint (``resume_gc``), with those objects frozen.
    gc.disable()
    # The core first (asyncio, storage, services, settings): PySide6 reads the source of
    # every module imported after it (its ``__feature__`` check), ~0.15 ms a module.
    import asyncio  # noqa: F401

    import pos.config
    import pos.services
    import pos.storage  # noqa: F401
    from ui.app import main as app_main

    try:
        return app_main(args)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
