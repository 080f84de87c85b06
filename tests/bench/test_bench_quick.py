"""The reduced benchmark run keeps working (CI): every figure is produced, and the figures that
count things rather than time them (keystrokes per sale, 429s the app causes, requests before
the first paint or per start, failed orders) are within their budgets, as they do not depend on
the machine's speed. No timing is asserted here: those budgets are in bench/results.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: the figures that count (the same on a slow or busy machine)
COUNTS = (
    "counter_keys",
    "sync_429",
    "restart_requests",
    "three_starts_order_failures",
    "three_starts_order_429",
    "three_starts_requests_per_start",
)


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
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in written.splitlines()}
    for key, _module, title, budget in FIGURES:
        if key in COUNTS:
            result = rows[title].rstrip(" |").rsplit(" | ", 1)[-1]
            assert result.startswith("OK"), f"{title}: {rows[title]} (budget {budget})"
