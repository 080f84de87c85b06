"""The reduced benchmark run keeps working (CI). No timing is asserted here: the figures and
their budgets are in bench/results.md; this only checks that every figure is produced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_quick_runs_every_figure(tmp_path: Path) -> None:
    from bench.run import FIGURES  # the repository root is on sys.path (tests/conftest.py)

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = tmp_path / "results.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--output", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    written = out.read_text(encoding="utf-8")
    for _key, _module, title, _budget in FIGURES:
        assert title in proc.stdout, f"figure missing from the output: {title}"
        assert title in written, f"figure missing from {out.name}: {title}"
    assert "ERROR" not in proc.stdout
