"""SIGTERM closes a real ``kasir`` process like its window's close — also in the middle of
an outbox send — with exit 0; the sale goes out exactly once after the restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from pos.domain.sale import build_order_body
from pos.sandbox import DEMO_API_KEY
from pos.storage import Database, SaleJournal
from tests.e2e.e2e_support import count_by_pos_ref, make_draft
from tests.platforms import posix_only
from tests.sandbox.helpers import SandboxControl

ROOT = Path(__file__).resolve().parents[2]
LATENCY_MS = 3000

pytestmark = posix_only("SIGTERM")


def _seed_queued(data_dir: Path, spec: dict[str, Any]) -> str:
    """A sale the previous run queued offline (never sent)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pos_ref = str(uuid.uuid4())
    draft = make_draft(spec, 4242)
    with Database.open(data_dir / "kasir.sqlite3") as db:
        journal = SaleJournal(db)
        body = build_order_body(draft, pos_ref=pos_ref, terminal="KASIR-01")
        journal.new_sale(draft, body, pos_ref=pos_ref)
        journal.mark_sending(pos_ref)
        journal.mark_queued(pos_ref, "connection refused")
    return pos_ref


def _state(data_dir: Path, pos_ref: str) -> str:
    with Database.open(data_dir / "kasir.sqlite3") as db:
        record = SaleJournal(db).get(pos_ref)
    assert record is not None
    return str(record.state)


def _kasir(data_dir: Path, base_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        KASIR_BASE_URL=base_url,
        KASIR_API_KEY=DEMO_API_KEY,
        QT_QPA_PLATFORM="offscreen",
        KASIR_LOG_DIR=str(log.parent),
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "ui", "--data-dir", str(data_dir)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _posts(ctl: SandboxControl) -> list[dict[str, Any]]:
    return [r for r in ctl.requests() if r["method"] == "POST" and r["path"] == "/v3/orders"]


def test_sigterm_during_an_outbox_send_exits_0_and_the_sale_goes_out_once(
    e2e_server: Any, e2e_ctl: SandboxControl, spec: dict[str, Any], tmp_path: Path
) -> None:
    data_dir = tmp_path / "kasir"
    pos_ref = _seed_queued(data_dir, spec)
    e2e_ctl.clear_requests()
    e2e_ctl.set_faults(
        next=[
            {
                "method": "POST",
                "path": "/v3/orders",
                "fault": "latency",
                "latency_ms": LATENCY_MS,
                "times": 1,
            }
        ]
    )
    log = tmp_path / "kasir.out"
    proc = _kasir(data_dir, e2e_server.base_url, log)
    try:
        _wait(lambda: bool(_posts(e2e_ctl)), 40, "the outbox's POST /v3/orders")
        sent_at = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # the order is on its way: no answer yet
        assert proc.wait(timeout=30) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _state(data_dir, pos_ref) not in ("created", "reconciled")  # closed mid-send
    e2e_ctl.set_faults()
    time.sleep(max(0.0, sent_at + LATENCY_MS / 1000 + 0.5 - time.monotonic()))

    proc = _kasir(data_dir, e2e_server.base_url, log)
    try:
        _wait(
            lambda: _state(data_dir, pos_ref) in ("created", "reconciled"),
            40,
            "the sale to be settled after the restart",
        )
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert count_by_pos_ref(e2e_ctl.orders())[pos_ref] == 1
