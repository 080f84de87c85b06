"""``kasir sandbox`` / ``python -m pos.sandbox``: run the sandbox in the foreground."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from platformdirs import user_data_dir

from pos.sandbox.faults import FaultConfig
from pos.sandbox.keys import DEMO_API_KEY, RESTRICTED_DEMO_KEY
from pos.sandbox.ratelimit import DEFAULT_HOURLY_LIMIT
from pos.sandbox.server import SandboxServer


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kasir sandbox",
        description="Run the Scalev-v3-compatible sandbox server "
        "(demo data, payment page, faults).",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 = pick a free port")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(user_data_dir("kasir", appauthor=False)) / "sandbox",
        help="where sandbox.sqlite3 lives (default: %(default)s)",
    )
    parser.add_argument(
        "--products", type=int, default=None, help="add 'Toko Benchmark' with N products"
    )
    parser.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="disable the rate limits (100 req / 10 s and the hourly limit)",
    )
    parser.add_argument(
        "--hourly-limit",
        type=int,
        default=DEFAULT_HOURLY_LIMIT,
        metavar="N",
        help="requests per hour per key, on top of the burst limit (default: %(default)s; 0 = off)",
    )
    parser.add_argument(
        "--faults",
        default=None,
        help="fault spec, e.g. 'latency=50-200,5xx=0.05,reset=0.05,drop_after_commit=0.05,"
        "timeout=0.02,429=0.03,slow_commit=0.05,commit_delay_s=20,hang=0.02,trickle=0.02,"
        "trickle_ms=20,garbage=0.02,burst429=6,seed=1' (see pos/sandbox/README.md; "
        "default: $KASIR_SANDBOX_FAULTS)",
    )
    parser.add_argument("--seed", type=int, default=7, help="demo data seed")
    parser.add_argument("--quiet", action="store_true", help="no request log")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    spec = args.faults if args.faults is not None else os.environ.get("KASIR_SANDBOX_FAULTS")
    try:
        faults = FaultConfig.parse(spec)
    except ValueError as exc:
        print(f"kasir sandbox: bad --faults: {exc}", file=sys.stderr)
        return 2
    if args.hourly_limit < 0:
        print("kasir sandbox: --hourly-limit must be 0 (off) or more", file=sys.stderr)
        return 2
    server = SandboxServer(
        args.data_dir,
        host=args.host,
        port=args.port,
        rate_limit=not args.no_rate_limit,
        hourly_limit=args.hourly_limit,
        faults=faults,
        products=args.products,
        seed=args.seed,
        log_requests=not args.quiet,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"kasir sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Kasir sandbox listening on {server.base_url}", flush=True)
        print(f"Demo API key: {DEMO_API_KEY}   (read-only key: {RESTRICTED_DEMO_KEY})", flush=True)
        print(f"Data: {args.data_dir / 'sandbox.sqlite3'}   Faults: {spec or 'none'}", flush=True)
        print("Press Ctrl-C to stop.", flush=True)
        while not stop.is_set() and server.running:
            stop.wait(0.5)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    print("Kasir sandbox stopped.", flush=True)
    return 0
