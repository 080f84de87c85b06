"""Run every benchmark of issue 7 and print the table (also written to bench/results.md).

    .venv/bin/python -m bench.run            # full: 50k catalog, >= 5 runs per figure
    .venv/bin/python -m bench.run --quick    # reduced (CI): 5k catalog, fewer runs, < 60 s
    .venv/bin/python -m bench.run --only sync,charge

Each figure module runs in its own process (a fresh QApplication, honest memory figures) and
hands its samples back as one ``BENCH-JSON`` line. The exit status is 0 when every module ran
(a figure over budget is reported as OVER, not as a crash); ``--strict`` also fails on OVER.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.common import BENCH_DIR, JSON_MARK, ROOT, Figure, fmt

# (key, module, figure as the issue names it, budget text). Order = the table.
FIGURES: list[tuple[str, str, str, str]] = [
    ("startup_ratio", "startup", "Start → sale screen usable, catalog painted from cache "
     "(ratio to a bare PySide6 window)", "≤ 2.5× (median)"),
    ("first_paint", "catalog_ui", "Catalog from cache: first paint", "≤ 300 ms (median)"),
    ("search_keystroke", "catalog_ui", "Search keystroke → filtered view updated",
     "≤ 16 ms (p95)"),
    ("clear_search", "catalog_ui", "Clear search → full view", "≤ 100 ms (median)"),
    ("scroll_step", "catalog_ui", "Scroll step in the grid", "≤ 16 ms (p95)"),
    ("barcode_scan", "catalog_ui", "Barcode scan → cart line and total shown", "≤ 16 ms (p95)"),
    ("charge_qr", "charge", "Charge → QR shown, minus server time", "≤ 50 ms (median)"),
    ("counter_cash", "counter", "3-item cash sale: first scan → new sale, minus server time",
     "≤ 150 ms (median)"),
    ("counter_qris", "counter", "3-item QRIS sale: first scan → QRIS shown, + new sale, minus "
     "server time", "≤ 150 ms (median)"),
    ("counter_keys", "counter", "Keystrokes: 3-item cash sale / QRIS sale (a scan counts one)",
     "≤ 12 (max)"),
    ("sync_share", "sync", "Catalog sync, rate limit on: share of the bound", "≥ 0.9 (median)"),
    ("sync_429", "sync", "429s caused by the app during the sync", "0 (max)"),
    ("restart_requests", "sync", "Restart: catalog requests before first paint", "0 (max)"),
    ("loop_lag", "loop_lag", "UI event-loop lag while 500 queued sales sync", "≤ 50 ms (p99)"),
    ("memory", "memory", "Resident memory with 50k items loaded", "≤ 300 MiB (median)"),
    ("three_starts_order_failures", "three_starts", "Three tills start together, then 30 "
     "sales: order failures", "0 (max)"),
    ("three_starts_order_429", "three_starts", "Three tills start together, then 30 sales: "
     "429s on orders", "0 (max)"),
    ("three_starts_requests_per_start", "three_starts", "Three tills start together: "
     "requests used per start", "≤ 10 (max)"),
]  # fmt: skip
MODULES = list(dict.fromkeys(module for _k, module, _t, _b in FIGURES))


def run_module(module: str, quick: bool) -> tuple[list[Figure], str | None, float]:
    env = dict(os.environ)
    env.update(KASIR_BENCH_JSON="1", QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", f"bench.{module}"] + (["--quick"] if quick else [])
    print(f"== bench.{module}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    figures: list[Figure] = []
    for line in proc.stdout.splitlines():
        if line.startswith(JSON_MARK):
            figures = [Figure.from_json(d) for d in json.loads(line[len(JSON_MARK) :])]
    if proc.returncode != 0 or not figures:
        return figures, f"bench.{module} failed (exit {proc.returncode})", elapsed
    return figures, None, elapsed


def table(results: dict[str, Figure], errors: dict[str, str]) -> str:
    rows = [
        "| Figure | Median | p95 | Budget | Result |",
        "|---|---:|---:|---|---|",
    ]
    for key, module, title, budget in FIGURES:
        f = results.get(key)
        if f is None:
            reason = errors.get(module, "not run")
            rows.append(f"| {title} | — | — | {budget} | ERROR: {reason} |")
            continue
        p = "p99 " + fmt(f.value("p99"), f.unit) if f.stat == "p99" else fmt(f.value("p95"), f.unit)
        result = "OK" if f.ok else "**OVER**"
        if f.stat == "p99":
            result += f" (p99 {fmt(f.value('p99'), f.unit)})"
            p = fmt(f.value("p95"), f.unit)
        rows.append(f"| {title} | {fmt(f.value('median'), f.unit)} | {p} | {budget} | {result} |")
    return "\n".join(rows)


def notes(results: dict[str, Figure]) -> str:
    out = []
    for key, _module, title, _budget in FIGURES:
        f = results.get(key)
        if f is None:
            continue
        detail = f"{f.name}: {len(f.samples)} samples over {f.runs} runs"
        if f.note:
            detail += f"; {f.note}"
        out.append(f"- **{title}** — {detail}")
    startup = results.get("startup_ratio")
    if startup is not None and startup.extra.get("importtime"):
        out.append("\n`python -X importtime` of the Kasir start, top 15 cumulative:\n")
        out.append("| Module | Cumulative | Self |")
        out.append("|---|---:|---:|")
        for name, own, cum in startup.extra["importtime"]:
            out.append(f"| `{name}` | {cum:.0f} ms | {own:.1f} ms |")
    logs = {f.extra.get("app_log") for f in results.values() if f.extra.get("app_log")}
    if logs:
        out.append("")
    for line in sorted(x for x in logs if x):
        out.append(f"- App log during a benchmark: {line}")
    return "\n".join(out)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, load average at the end {load}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="reduced run (CI), < 60 s")
    parser.add_argument("--only", default="", help=f"comma-separated modules: {','.join(MODULES)}")
    parser.add_argument("--output", type=Path, default=None,
                        help="where to write the table (default bench/results.md; "
                        "bench/results-quick.md with --quick)")  # fmt: skip
    parser.add_argument("--strict", action="store_true", help="exit 1 when a figure is OVER")
    args = parser.parse_args(argv)
    only = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = [m for m in only if m not in MODULES]
    if unknown:
        parser.error(f"unknown module(s): {', '.join(unknown)}")
    modules = only or MODULES
    results: dict[str, Figure] = {}
    errors: dict[str, str] = {}
    started = time.perf_counter()
    for module in modules:
        figures, error, elapsed = run_module(module, args.quick)
        print(f"   ({elapsed:.0f} s)", file=sys.stderr, flush=True)
        if error:
            errors[module] = error
        for f in figures:
            results[f.key] = f
    keys = {k for k, m, _t, _b in FIGURES if m in modules}
    shown = {k: v for k, v in results.items() if k in keys}
    mode = "quick (reduced: 5k catalog, fewer runs)" if args.quick else "full"
    text = table(shown, errors)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    doc = (
        f"# Benchmark results\n\n"
        f"`python -m bench.run{' --quick' if args.quick else ''}` — {mode}, {now}, "
        f"{time.perf_counter() - started:.0f} s.\n"
        f"Machine: {machine()}.\n\n{text}\n\n## Details\n\n{notes(shown)}\n"
    )
    output = args.output or BENCH_DIR / ("results-quick.md" if args.quick else "results.md")
    output.write_text(doc, encoding="utf-8")
    print(text)
    print(f"\n(written to {output})")
    if errors:
        for e in errors.values():
            print(f"ERROR: {e}", file=sys.stderr)
        return 2
    if args.strict and any(not f.ok for f in shown.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
