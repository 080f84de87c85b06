"""The core (pos/) stays free of Qt: enforced by ruff and checked at import time."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pos

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> str:
    exe = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert exe, "ruff is a test dependency"
    return exe


def test_lint_rule_rejects_qt_imports_in_pos() -> None:
    for line in ("from PySide6.QtCore import QObject", "import qasync", "from ui import app"):
        proc = subprocess.run(
            [_ruff(), "check", "--no-cache", "--stdin-filename", "pos/probe.py", "-"],
            input=line + "\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        assert proc.returncode == 1, f"ruff accepted {line!r} in pos/"
        assert "TID251" in proc.stdout


def test_lint_rule_allows_qt_in_ui() -> None:
    proc = subprocess.run(
        [_ruff(), "check", "--no-cache", "--stdin-filename", "ui/probe.py", "-"],
        input="from PySide6.QtCore import QObject\n\nprint(QObject)\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_importing_every_pos_module_loads_no_qt() -> None:
    names = [m.name for m in pkgutil.walk_packages(pos.__path__, "pos.")]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}:\n"
        "    importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'ui'))\n"
        "print(bad)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"
