"""Kasir's command line: dispatches sub-commands, imports lazily.

``kasir``                → the point-of-sale app (demo mode when no API key is configured)
``kasir sandbox …``      → the Scalev-compatible sandbox server in the foreground
``kasir doctor``         → versions, folders, keyring, backend and printer checks
``kasir --self-test``    → a scripted demo sale offscreen, then exit (0 = pass)

Two installed commands run this same :func:`main` (``pyproject.toml``):

* ``kasir`` is a **GUI script**: on Windows it starts without a console window (so closing a
  console cannot kill the till past its pending-sales warning). Elsewhere it is an ordinary
  executable and prints as usual.
* ``kasir-cli`` is a **console script** for the terminal: ``kasir-cli sandbox``, ``kasir-cli
  doctor`` and ``kasir-cli --self-test`` print on Windows too.

Lives in ui/ because the app entry point depends on Qt; pos/ never imports ui.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping

#: the sub-commands, as ``kasir --help`` lists them
SUBCOMMANDS = (
    ("sandbox", "run the Scalev-compatible sandbox server (kasir sandbox --help)"),
    ("doctor", "print versions, folders, keyring, backend and printer checks"),
)

#: exit code when there is no display to open the window on
EXIT_NO_DISPLAY = 2


def subcommands_help() -> str:
    lines = ["", "sub-commands:"]
    lines += [f"  {name:<10} {text}" for name, text in SUBCOMMANDS]
    lines += [
        "",
        "demo mode:",
        "  --demo-lan  serve the demo sandbox on the LAN too (or KASIR_DEMO_LAN=1), so a",
        "              phone on the same Wi-Fi opens the payment QR; the address is shown",
        "",
        "On Windows `kasir` has no console window: run `kasir-cli sandbox`, `kasir-cli doctor`",
        "or `kasir-cli --self-test` in a terminal to see their output.",
    ]
    return "\n".join(lines) + "\n"


def _print_help(args: list[str]) -> int:
    """The app's options (``ui.app.parse_args``) followed by the sub-commands."""
    import contextlib
    import io

    from ui.app import parse_args

    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out):
        try:
            parse_args(args)
        except SystemExit as exc:
            code = int(exc.code or 0)
    print(out.getvalue().rstrip("\n") + "\n" + subcommands_help(), end="")
    return code


def missing_display(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    exists: object = None,
) -> str | None:
    """Why no window can open here, or ``None`` when a display looks usable.

    Only X11/Wayland systems are checked (Windows and macOS always have their window system);
    ``QT_QPA_PLATFORM`` set explicitly (``offscreen``, ``vnc`` …) is trusted. Without this Qt
    aborts with a core dump and a message about "xcb" plugins that misleads a cashier."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    is_file = os.path.exists if exists is None else exists
    assert callable(is_file)
    if platform in ("win32", "cygwin", "darwin") or env.get("QT_QPA_PLATFORM"):
        return None
    wayland = env.get("WAYLAND_DISPLAY")
    if wayland:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        if os.path.isabs(wayland) or not runtime or is_file(os.path.join(runtime, wayland)):
            return None
    display = env.get("DISPLAY")
    if display:
        host, _, rest = display.rpartition(":")
        number = rest.split(".")[0]
        if host in ("", "unix") and number.isdigit():
            if is_file(f"/tmp/.X11-unix/X{number}"):
                return None
            return f"the X display {display} is not running (no /tmp/.X11-unix/X{number})"
        return None  # a remote or unusual display: let Qt try
    if wayland:
        return f"the Wayland display {wayland} is not running"
    return "no display found (DISPLAY and WAYLAND_DISPLAY are not set)"


def _no_display(reason: str) -> int:
    print(
        f"Kasir: cannot open the window: {reason}. Start Kasir from a desktop session; "
        "`kasir --self-test`, `kasir sandbox` and `kasir doctor` work without one.",
        file=sys.stderr,
    )
    return EXIT_NO_DISPLAY


def _ensure_streams() -> None:
    """A Windows GUI script (pythonw) has no ``sys.stdout`` / ``sys.stderr``: give it sinks
    so a print or a console log handler never raises."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def main(argv: list[str] | None = None) -> int:
    _ensure_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "sandbox":
        from pos.sandbox.cli import main as sandbox_main

        return sandbox_main(args[1:])
    if args and args[0] == "doctor":
        from pos.doctor import main as doctor_main

        return doctor_main(args[1:])
    if "--demo-lan" in args:  # read by pos.sandbox.background (demo mode only)
        args = [a for a in args if a != "--demo-lan"]
        os.environ["KASIR_DEMO_LAN"] = "1"
    if "-h" in args or "--help" in args:
        return _print_help(args)
    if "--self-test" not in args:  # the self-test runs offscreen
        reason = missing_display()
        if reason is not None:
            return _no_display(reason)
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
