"""The ``kasir`` console script: dispatches sub-commands, imports lazily.

``kasir``                → the point-of-sale app (demo mode when no API key is configured)
``kasir sandbox …``      → the Scalev-compatible sandbox server in the foreground
``kasir doctor``         → versions, folders, keyring, backend and printer checks

Lives in ui/ because the app entry point depends on Qt; pos/ never imports ui.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "sandbox":
        from pos.sandbox.cli import main as sandbox_main

        return sandbox_main(args[1:])
    if args and args[0] == "doctor":
        from pos.doctor import main as doctor_main

        return doctor_main(args[1:])
    from ui.app import main as app_main

    return app_main(args)


if __name__ == "__main__":
    sys.exit(main())
