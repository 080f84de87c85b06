"""≥ 200 sales through the sandbox's random faults (resets, timeouts, 5xx, 429, replies dropped
after commit, commits after the client gave up, refused lookups, a busy phone) with the outbox
draining and a simulated cashier answering "send again" for sales not found after their
window: 0 lost, 0 duplicated (counted by pos_ref on the sandbox). Figures:
bench/soak_orders.py."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from pos.sandbox import DEMO_API_KEY, SandboxServer
from tests.e2e.soak_engine import run_soak
from tests.sandbox.helpers import SandboxControl


def soak(
    sales: int, seed: int, tmp_path: Path, server: SandboxServer, ctl: SandboxControl,
    spec: dict[str, Any],
) -> None:  # fmt: skip
    figures = asyncio.run(
        run_soak(server.base_url, DEMO_API_KEY, ctl, spec, tmp_path, sales=sales, seed=seed)
    )
    print("\n".join(figures.lines()))
    assert figures.faults_injected > 0
    assert {"5xx", "429", "reset", "timeout", "drop_after_commit", "slow_commit", "status"} <= set(
        figures.faults
    )
    assert figures.pending_left == 0
    assert figures.rejected == 0
    assert figures.lost == 0
    assert figures.duplicated == 0
    assert figures.strangers == 0
    assert figures.journal_mismatch == 0


def test_fault_soak_200_sales(
    tmp_path: Path, e2e_server: SandboxServer, e2e_ctl: SandboxControl, spec: dict[str, Any]
) -> None:
    soak(200, 1, tmp_path, e2e_server, e2e_ctl, spec)


@pytest.mark.slow
def test_fault_soak_1000_sales(
    tmp_path: Path, e2e_server: SandboxServer, e2e_ctl: SandboxControl, spec: dict[str, Any]
) -> None:
    soak(1000, 2, tmp_path, e2e_server, e2e_ctl, spec)
