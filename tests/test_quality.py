"""Static checks as tests, so the README's one test command covers them: ruff lint, ruff
format, mypy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(tool, path=str(BIN)) or shutil.which(tool)
    assert exe, f"{tool} is a test dependency"
    return subprocess.run(
        [exe, *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600
    )


def test_ruff_lint_clean() -> None:
    proc = _run("ruff", "check", "--no-cache", ".")
    assert proc.returncode == 0, proc.stdout[-5000:]


def test_ruff_format_clean() -> None:
    proc = _run("ruff", "format", "--no-cache", "--check", ".")
    assert proc.returncode == 0, proc.stdout[-5000:]


def test_mypy_clean() -> None:
    proc = _run("mypy", f"--cache-dir={os.devnull}")
    assert proc.returncode == 0, proc.stdout[-5000:]
