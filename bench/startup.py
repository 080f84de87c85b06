"""Process start → sale screen usable with the catalog painted from the cache, as a ratio to a
bare PySide6 window measured in the same run; plus a ``python -X importtime`` summary.

Both are fresh processes (``QT_QPA_PLATFORM=offscreen``) timed by this process from spawn to
the ``READY`` line the child prints after the first paint: Kasir is ``python -m ui`` with
``KASIR_BENCH_READY=1 KASIR_BENCH_EXIT=1`` (its own marker, see ``ui.startup.bench.BenchObserver``),
the bare window is :mod:`bench.startup_probe`. Kasir starts with a data folder holding the
cached catalog and the last store, against a sandbox (rate limit on) serving the same store;
it paints the cached catalog before any request. Bare and Kasir runs alternate so both see
the same machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    FULL_PRODUCTS,
    QUICK_PRODUCTS,
    ROOT,
    Figure,
    data_dir_with_catalog,
    emit,
    median,
    ms,
    parse_args,
    runs_for,
)

#: ms from Kasir's first paint (READY) to every cached item in place (COMPLETE), per start
COMPLETE_GAPS: list[float] = []


#: the longest UI freeze (ms) in the first LAG_WINDOW_MS after Kasir's first paint, per start
LAGS: list[float] = []
LAG_WINDOW_MS = 1500


def spawn_lag(data_dir: Path, env: dict[str, str]) -> None:
    """Kasir's start-up carried on after the first paint (pages, imports, going online against
    the sandbox) while its own 5 ms timer measures the event loop (``KASIR_BENCH_LAG_MS``)."""
    env = dict(env, KASIR_BENCH_READY="1", KASIR_BENCH_LAG_MS=str(LAG_WINDOW_MS))
    env.pop("KASIR_BENCH_EXIT", None)
    proc = subprocess.run(
        [sys.executable, "-m", "ui", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    m = re.search(r"^LAG ([\d.]+)", proc.stdout, re.M)
    if m is None:
        raise RuntimeError(f"Kasir printed no LAG line (exit {proc.returncode})")
    LAGS.append(float(m.group(1)))


def spawn(mode: str, data_dir: Path | None, env: dict[str, str], importtime: bool = False) -> Any:
    """Seconds from spawning ``mode`` ("bare" or "app") to its ``READY`` line, and its stderr.

    Kasir runs unchanged (``python -m ui``) with its own marker: ``KASIR_BENCH_READY=1`` prints
    ``READY`` after the catalog grid's first paint with items, ``KASIR_BENCH_EXIT=1`` then
    quits cleanly. The bare window is :mod:`bench.startup_probe`."""
    cmd = [sys.executable]
    if importtime:
        cmd += ["-X", "importtime"]
    if mode == "app":
        cmd += ["-m", "ui"]
        env = dict(env, KASIR_BENCH_READY="1", KASIR_BENCH_EXIT="1")
    else:
        cmd += ["-m", "bench.startup_probe", mode]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if importtime else subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    line = ""
    for line in proc.stdout:  # anything printed before the marker is not the marker
        if line.startswith("READY"):
            break
    elapsed = time.perf_counter() - t0
    try:
        _out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
        raise RuntimeError(f"{mode} did not quit within 60 s after READY") from None
    if not line.startswith("READY"):
        raise RuntimeError(f"{mode} never printed READY (exit {proc.returncode})")
    if mode == "app" and data_dir is not None and " items=0" in line:
        # an unusable cache would make this the paint of an empty grid: not the figure
        raise RuntimeError("Kasir painted an empty catalog: the cached catalog was not read")
    # Kasir also prints COMPLETE <ms> once every cached item is in the grid (right after the
    # first paint, which decodes only the cache's first items): the gap, for the note.
    m = re.search(r"^COMPLETE ([\d.]+)", _out or "", re.M)
    if m:
        COMPLETE_GAPS.append(float(m.group(1)) - float(line.split()[1]))
    return elapsed, err


def importtime_top(stderr: str, top: int = 15) -> list[tuple[str, float, float]]:
    """(module, self ms, cumulative ms) of the ``top`` largest cumulative import times."""
    rows: list[tuple[str, float, float]] = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(1)) / 1000, int(m.group(2)) / 1000))
    best: dict[str, tuple[str, float, float]] = {}
    for row in rows:
        if not row[0].startswith("bench") and (row[0] not in best or row[2] > best[row[0]][2]):
            best[row[0]] = row
    return sorted(best.values(), key=lambda r: -r[2])[:top]


def measure(products: int, runs: int, importtime: bool) -> tuple[list[float], list[float], str]:
    """``runs`` alternating (bare, Kasir) pairs against a sandbox serving ``products``."""
    from pos.sandbox import DEMO_API_KEY, SandboxServer

    tmp = Path(tempfile.mkdtemp(prefix="kasir-bench-start-"))
    server = SandboxServer(tmp / "sandbox", port=0, rate_limit=True, products=products).start()
    env = dict(os.environ)
    # An installed Kasir runs from compiled bytecode (pip and PyInstaller compile it); with
    # PYTHONDONTWRITEBYTECODE set every start would recompile the sources instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        KASIR_BASE_URL=server.base_url,
        KASIR_API_KEY=DEMO_API_KEY,
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    bare: list[float] = []
    app: list[float] = []
    err = ""
    try:
        with data_dir_with_catalog(products) as data_dir:
            spawn("bare", None, env)  # warm the OS file cache and the bytecode of both
            spawn("app", data_dir, env)
            for _ in range(runs):
                b, _err = spawn("bare", None, env)
                a, _err = spawn("app", data_dir, env)
                bare.append(ms(b))
                app.append(ms(a))
                assert server.core is not None
                server.core.limiter.reset()
            if importtime:
                _t, err = spawn("app", data_dir, env, importtime=True)
                for _ in range(max(2, runs // 2)):
                    spawn_lag(data_dir, env)
                    assert server.core is not None
                    server.core.limiter.reset()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return bare, app, err


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__ or "", argv)
    # 15 pairs in the full run: single start-ups on these 2-core VMs move by ±30 %, and the
    # median of more pairs moves less (a pair takes ~0.5 s)
    runs = runs_for(args, full=15, quick=3)
    # The figure: a store of typical size (the 5,000-product bench catalog, ~5.9k items). The
    # 50k catalog's own budget is "first paint <= 300 ms" (bench.catalog_ui); the full run
    # also reports the start-up ratio with it, as a note.
    bare, app, err = measure(QUICK_PRODUCTS, runs, importtime=True)
    ratios = [a / b for a, b in zip(app, bare, strict=True)]
    gaps = list(COMPLETE_GAPS)
    note = (
        f"Kasir {median(app):.0f} ms vs bare PySide6 window {median(bare):.0f} ms (medians, "
        f"{QUICK_PRODUCTS:,}-product catalog); every cached item in place "
        f"{median(gaps):.0f} ms after the first paint; longest UI freeze in the "
        f"{LAG_WINDOW_MS / 1000:.1f} s after it (start-up going on, online): "
        f"{median(LAGS):.0f} ms (median of {len(LAGS)}, max {max(LAGS):.0f} ms)"
    )
    if not args.quick:
        COMPLETE_GAPS.clear()
        big_bare, big_app, _ = measure(FULL_PRODUCTS, 3, importtime=False)
        big = [a / b for a, b in zip(big_app, big_bare, strict=True)]
        note += (
            f"; with the {FULL_PRODUCTS:,}-product catalog: {median(big_app):.0f} ms, "
            f"ratio {median(big):.2f}×, every item in place {median(COMPLETE_GAPS):.0f} ms "
            "after the first paint"
        )
    top = importtime_top(err)
    lines = [f"{name}: {cum:.0f} ms (self {own:.1f} ms)" for name, own, cum in top]
    print("  importtime, top 15 cumulative:\n    " + "\n    ".join(lines), file=sys.stderr)
    emit(
        [
            Figure(
                "startup_ratio",
                "Start → sale screen usable, catalog painted from cache (ratio to a bare window)",
                "x",
                ratios,
                2.5,
                stat="median",
                runs=runs,
                note=note,
                extra={"importtime": [list(t) for t in top], "app_ms": app, "bare_ms": bare},
            )
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
