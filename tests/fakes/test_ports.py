"""mypy checks that the test fake (``tests.fakes.scalev.FakeScalev``) fits the Protocols of
``pos.services.ports`` (the real client is checked by the main mypy run, in
``pos/services/ports.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fakes_fit_the_service_ports() -> None:
    exe = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
    assert exe, "mypy is a test dependency"
    proc = subprocess.run(
        [exe, f"--cache-dir={os.devnull}", "--follow-imports=silent", "tests/fakes/ports_fit.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
