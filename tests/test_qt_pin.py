"""Guard against the PySide6-Essentials 6.12.0 + CPython 3.11 refcount bug.

6.12.0 on 3.11 decrements None's refcount on every void Qt call; the interpreter aborts after
~200k calls ("deallocating None"). The pins in pyproject.toml must never pair the two, and the
installed Qt must survive a long run of void calls.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BAD = ("3.11", "6.12.0")


def _pins_for(python_version: str) -> dict[str, str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    env = {"python_version": python_version, "python_full_version": python_version + ".0"}
    pins: dict[str, str] = {}
    for dep in deps:
        req = Requirement(dep)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(env):
            continue
        spec = next(iter(req.specifier), None)
        assert spec is not None and spec.operator == "==", f"{dep} must be an exact pin"
        pins[req.name.lower()] = spec.version
    return pins


def test_pins_never_pair_pyside_6_12_0_with_python_3_11() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11" in requires
    for py in ("3.11", "3.12", "3.13"):
        pins = _pins_for(py)
        assert "pyside6-essentials" in pins, f"no PySide6 pin for Python {py}"
        assert pins["pyside6-essentials"] == pins["shiboken6"], "PySide6 and shiboken6 must match"
        assert (py, pins["pyside6-essentials"]) != BAD


def test_installed_pair_is_not_the_bad_one() -> None:
    py = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert (py, version("PySide6-Essentials")) != BAD
    assert version("PySide6-Essentials") == _pins_for(py)["pyside6-essentials"]


def test_250k_void_qt_calls_survive() -> None:
    # Run in a child process: the bug aborts the interpreter, which must not take pytest down.
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QObject, QTimer
        obj = QObject()
        timer = QTimer()
        before = sys.getrefcount(None)
        for i in range(125_000):
            obj.setObjectName("kasir")   # void
            timer.stop()                 # void
        after = sys.getrefcount(None)
        # On 3.12+ None is immortal (huge constant refcount); on 3.11 it must not drain.
        print(before - after)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, f"child died ({proc.returncode}): {proc.stderr[-2000:]}"
    drained = int(proc.stdout.strip().splitlines()[-1])
    assert drained < 1000, f"None lost {drained} references over 250k void calls"
