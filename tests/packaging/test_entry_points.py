"""The installed commands: ``kasir`` is a GUI script (no console window on Windows) and
``kasir-cli`` the same entry point as a console script; ``--help`` lists the sub-commands; a
machine without a display gets one clear line and exit 2, never Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from tests.platforms import linux_only
from ui.cli import EXIT_NO_DISPLAY, missing_display

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(sys.executable).parent  # the venv's bin/ (Scripts\ on Windows)


def _entry_points() -> dict[tuple[str, str], str]:
    return {(ep.group, ep.name): ep.value for ep in distribution("kasir").entry_points}


def test_kasir_is_a_gui_script_and_kasir_cli_a_console_script() -> None:
    eps = _entry_points()
    assert eps[("gui_scripts", "kasir")] == "ui.cli:main"
    assert eps[("console_scripts", "kasir-cli")] == "ui.cli:main"
    # a console `kasir` would open a console window beside the till on Windows
    assert ("console_scripts", "kasir") not in eps


def _script(name: str) -> str:
    found = shutil.which(name, path=str(SCRIPTS))
    assert found, f"{name} is not installed in {SCRIPTS} (pip install -e .)"
    return found


def _env_without_display() -> dict[str, str]:
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    env.pop("KASIR_API_KEY", None)
    return env


@pytest.mark.parametrize("name", ["kasir", "kasir-cli"])
def test_help_lists_the_subcommands(name: str) -> None:
    proc = subprocess.run(
        [_script(name), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("usage: kasir")
    for word in ("--self-test", "--data-dir", "--demo-lan", "sandbox", "doctor", "kasir-cli"):
        assert word in out, (word, out)
    assert "sub-commands:" in out


@linux_only("X11/Wayland displays (Windows and macOS always have one)")
@pytest.mark.parametrize("display", [None, ":97"])
def test_no_display_one_line_and_exit_2(tmp_path: Path, display: str | None) -> None:
    env = _env_without_display()
    if display is not None:
        assert not Path("/tmp/.X11-unix/X97").exists()
        env["DISPLAY"] = display
    proc = subprocess.run(
        [_script("kasir"), "--data-dir", str(tmp_path / "data")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == EXIT_NO_DISPLAY
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("Kasir: cannot open the window:")
    assert "Traceback" not in proc.stderr and "xcb" not in proc.stderr
    assert not (tmp_path / "data").exists()  # nothing started


def test_missing_display_rules() -> None:
    present = {"/tmp/.X11-unix/X0", "/run/user/1000/wayland-0"}
    check = present.__contains__
    assert missing_display({}, "linux", check) == (
        "no display found (DISPLAY and WAYLAND_DISPLAY are not set)"
    )
    assert missing_display({"DISPLAY": ":0"}, "linux", check) is None
    assert missing_display({"DISPLAY": ":0.0"}, "linux", check) is None
    assert "not running" in (missing_display({"DISPLAY": ":5"}, "linux", check) or "")
    assert missing_display({"DISPLAY": "remote:10.0"}, "linux", check) is None  # ssh -X
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert missing_display(wayland, "linux", check) is None
    gone = {"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000"}
    assert missing_display(gone, "linux", check) == "the Wayland display wayland-1 is not running"
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, "linux", check) is None
    assert missing_display({}, "win32", check) is None
    assert missing_display({}, "darwin", check) is None
