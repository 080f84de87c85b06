"""Fault soak bench: N sales through the sandbox's random fault injection; prints the figures.

    .venv/bin/python bench/soak_orders.py --sales 1000 [--seed 2] [--workers 4]

Starts its own sandbox (rate limit off) in a temporary folder, runs the same engine as
tests/e2e/test_fault_soak.py (tests/e2e/soak_engine.py) and prints: sales run, requests,
faults injected by kind, orders lost, orders duplicated. Exit status 1 if any sale was lost or
duplicated.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from pos.sandbox import DEMO_API_KEY, SandboxServer  # noqa: E402
from tests.e2e.e2e_support import sale_spec  # noqa: E402
from tests.e2e.soak_engine import DEFAULT_RATES, run_soak  # noqa: E402
from tests.sandbox.helpers import SandboxControl  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="concurrent submits")
    for kind, rate in DEFAULT_RATES.items():
        parser.add_argument(f"--{kind.replace('_', '-')}", type=float, default=rate, dest=kind)
    args = parser.parse_args(argv)
    rates = {kind: getattr(args, kind) for kind in DEFAULT_RATES}
    with tempfile.TemporaryDirectory(prefix="kasir-soak-") as tmp:
        server = SandboxServer(Path(tmp) / "sandbox", rate_limit=False).start()
        try:
            ctl = SandboxControl(server)
            with ctl.client() as http:
                spec = sale_spec(http)
            data = Path(tmp) / "kasir"
            data.mkdir()
            figures = asyncio.run(
                run_soak(
                    server.base_url, DEMO_API_KEY, ctl, spec, data, sales=args.sales,
                    seed=args.seed, workers=args.workers, rates=rates,
                )
            )  # fmt: skip
        finally:
            server.stop()
    print("\n".join(figures.lines()))
    bad = figures.lost or figures.duplicated or figures.strangers or figures.pending_left
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
