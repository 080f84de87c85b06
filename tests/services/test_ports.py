"""mypy checks that the service tests' fakes fit the Protocols of ``pos.services.ports`` (the
real client is checked by the main mypy run, in ``pos/services/ports.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def test_fakes_fit_the_service_ports() -> None:
    exe = shutil.which("mypy", path=str(Path(sys.executable).parent)) or shutil.which("mypy")
    assert exe, "mypy is a test dependency"
    fakes = [HERE / "ports_fit.py", HERE / "fake_scalev.py", ROOT / "tests/outbox/outbox_fake.py"]
    env = {**os.environ, "MYPYPATH": os.pathsep.join([str(HERE), str(ROOT / "tests/outbox")])}
    proc = subprocess.run(
        [exe, f"--cache-dir={os.devnull}", "--follow-imports=silent", *map(str, fakes)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-5000:]
