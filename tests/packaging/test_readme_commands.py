"""README commands A and B: root or sudo, ``apt-get update``, every library Qt needs, the
Python-version check before pip, and ``.ci/run`` running command B exactly as written."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.platforms import linux_only, posix_only

ROOT = Path(__file__).resolve().parents[2]


def readme_command(letter: str) -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    match = re.search(rf"^\*\*{letter} —.*?^```sh\n(.+?)\n```", text, re.M | re.S)
    assert match, f"README command {letter} not found"
    return match.group(1)


def apt_packages(command: str) -> list[str]:
    match = re.search(r"apt-get install -y ([^&]+?) &&", command)
    assert match, command
    return match.group(1).split()


@pytest.mark.parametrize("letter", ["A", "B"])
def test_command_works_as_root_or_with_sudo_and_updates_first(letter: str) -> None:
    command = readme_command(letter)
    assert command.startswith('S=$([ "$(id -u)" = 0 ] || echo sudo); $S apt-get update && ')
    assert "sudo apt" not in command  # root on a minimal system has no sudo
    assert "$S apt-get install -y python3 python3-venv " in command
    steps = command.split(" && ")
    check = next(i for i, step in enumerate(steps) if step.startswith("python3 -c "))
    venv = steps.index("python3 -m venv .venv")
    pip = next(i for i, step in enumerate(steps) if ".venv/bin/pip install" in step)
    assert check < venv < pip  # the version is checked before pip can fail obscurely


def test_b_installs_what_a_does_plus_the_test_tools() -> None:
    a, b = apt_packages(readme_command("A")), apt_packages(readme_command("B"))
    assert b[: len(a)] == a
    assert b[len(a) :] == ["poppler-utils", "desktop-file-utils"]


def _python_check() -> str:
    step = next(s for s in readme_command("A").split(" && ") if s.startswith("python3 -c "))
    assert step == next(s for s in readme_command("B").split(" && ") if s.startswith("python3 "))
    return shlex.split(step)[2]


def test_python_check_passes_here_and_names_the_version_when_too_old() -> None:
    code = _python_check()
    ok = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and ok.stderr == ""
    old = f"import sys; sys.version_info = (3, 10, 12, 'final', 0)\n{code}"
    proc = subprocess.run([sys.executable, "-c", old], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "Kasir needs Python 3.11 or newer; this python3 is 3.10 (Ubuntu 22.04: see Python below)"
    )


@posix_only("bash (.ci/run is a bash script)")
def test_ci_runs_readme_command_b_verbatim() -> None:
    proc = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print"], capture_output=True, text=True, check=True
    )
    assert proc.stdout.rstrip("\n") == readme_command("B")


#: Qt's libraries whose system dependencies command A must install: the X11 and Wayland
#: platform plugins and the Qt modules Kasir loads
QT_FILES = (
    "plugins/platforms/libqxcb.so",
    "plugins/platforms/libqwayland.so",
    "plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "plugins/xcbglintegrations/libqxcb-egl-integration.so",
    "lib/libQt6XcbQpa.so.6",
    "lib/libQt6WaylandClient.so.6",
    "lib/libQt6Core.so.6",
    "lib/libQt6Gui.so.6",
    "lib/libQt6Widgets.so.6",
    "lib/libQt6DBus.so.6",
    "lib/libQt6PrintSupport.so.6",
    "lib/libQt6Svg.so.6",
)
#: provided by every Debian system (libc, the C++ runtime, compression)
BASE = re.compile(
    r"^(libc|libm|libstdc\+\+|libgcc_s|ld-linux.*|libdl|libpthread|librt|libresolv|libz|libzstd)\.so"
)


@linux_only("Debian packages (dpkg)")
@pytest.mark.skipif(
    shutil.which("dpkg") is None or shutil.which("readelf") is None,
    reason="needs dpkg and readelf (Debian/Ubuntu, binutils) to map libraries to packages",
)
def test_command_a_installs_every_library_qt_links() -> None:
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    needed: set[str] = set()
    for name in QT_FILES:
        path = qt / name
        if not path.exists():
            continue  # not in this PySide6 build
        out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
        needed |= set(re.findall(r"\(NEEDED\).*\[(.+)\]", out))
    wanted = sorted(n for n in needed if "Qt6" not in n and "icu" not in n and not BASE.match(n))
    assert "libxcb-cursor.so.0" in wanted and "libEGL.so.1" in wanted
    packages = set(apt_packages(readme_command("A")))
    missing = []
    for soname in wanted:
        proc = subprocess.run(
            ["dpkg", "-S", f"*/{soname}"], capture_output=True, text=True, check=False
        )
        owners = {line.split(":")[0] for line in proc.stdout.splitlines()}
        if not owners & packages:
            missing.append((soname, sorted(owners) or "not installed here"))
    assert not missing, "\n".join(map(str, missing))
