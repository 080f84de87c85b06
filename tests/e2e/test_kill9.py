"""kill -9 of a real Kasir process at four points around a submit, 10 runs each.

Each run is a child process (tests/e2e/sale_child.py) with its own data dir, taking one sale
against the module's sandbox. It is SIGKILLed:

- ``before_send``: the journal says ``sending``, the request was never made;
- ``after_commit``: the sandbox committed the order but holds the reply (one-shot
  ``delay_after_commit``); the parent kills the child once ``GET /__sandbox/orders`` shows it;
- ``after_reply_before_journal``: the reply arrived, the journal was not updated;
- ``after_journal``: everything was recorded.

A fifth test crashes twice: killed ``before_send``, then the restarted app is itself killed
``after_reply_before_journal`` while recovery resends the sale.

Then the "restarted app" (this process: data-dir lock, journal, OutboxService.reconcile_at_start)
recovers, and every sale must exist exactly once on the sandbox (counted by metadata.pos_ref)
and once in the journal, created/reconciled with that order id. A sale killed ``before_send``
may have left the machine as far as the journal knows: the restart looks it up and never
resends it inside its confirmation window; after the window the cashier's "send again" does.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pos.api.client import ScalevClient
from pos.sandbox import DEMO_API_KEY, SandboxServer
from pos.services import CheckoutService, ConfirmPolicy, OutboxService
from pos.storage import Database, DataDirLock, SaleJournal, SaleState
from tests.e2e.e2e_support import KILL_ENV, count_by_pos_ref
from tests.platforms import posix_only
from tests.sandbox.helpers import SandboxControl

pytestmark = posix_only("SIGKILL")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHILD = HERE / "sale_child.py"
RUNS = 10
POINTS = ("before_send", "after_commit", "after_reply_before_journal", "after_journal")


def spawn(
    data_dir: Path, server: SandboxServer, spec: dict[str, Any] | None, n: int, kill_at: str
) -> subprocess.Popen[str]:
    """A sale child (``spec``) or a recovering app (``spec=None``)."""
    env = {**os.environ, KILL_ENV: kill_at, "PYTHONPATH": str(ROOT)}
    what = [json.dumps(spec), str(n)] if spec is not None else ["recover"]
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), server.base_url, DEMO_API_KEY, *what],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )  # fmt: skip


def reap(children: list[subprocess.Popen[str]], ctl: SandboxControl) -> None:
    """Kill the children still running and disarm the sandbox's faults."""
    for child in children:
        if child.poll() is None:
            child.kill()
            child.communicate()
    ctl.set_faults()


def wait_for_order(ctl: SandboxControl, pos_ref: str, deadline_s: float = 20.0) -> None:
    end = time.monotonic() + deadline_s
    while not ctl.orders(pos_ref):
        assert time.monotonic() < end, f"the sandbox never committed {pos_ref}"
        time.sleep(0.02)


async def restart(data_dir: Path, server: SandboxServer, *, after_window: bool = False) -> None:
    """What the app does on start: lock, open the journal, reconcile before anything else.

    ``after_window``: the restart comes after the sale's confirmation window (policy with no
    window), and the cashier answers "send again" for every sale not found."""
    policy = ConfirmPolicy(window=0.0) if after_window else None
    with DataDirLock(data_dir), Database.open(data_dir / "kasir.db") as db:
        journal = SaleJournal(db)
        async with ScalevClient(server.base_url, DEMO_API_KEY, read_timeout=10.0) as client:
            outbox = OutboxService(CheckoutService(client, journal, policy=policy), journal)
            report = await outbox.reconcile_at_start()
            for ref in report.needs_decision if after_window else []:
                await outbox.retry(ref)
        assert report.blocked is None, report
        assert report.still_pending == report.confirming == [], report
        assert outbox.pending_count() == 0


async def restart_inside_the_window(data_dir: Path, server: SandboxServer) -> list[str]:
    """A restart right after the crash: the maybe-sent sales it finds are confirming."""
    with DataDirLock(data_dir), Database.open(data_dir / "kasir.db") as db:
        journal = SaleJournal(db)
        async with ScalevClient(server.base_url, DEMO_API_KEY, read_timeout=10.0) as client:
            outbox = OutboxService(CheckoutService(client, journal), journal)
            report = await outbox.reconcile_at_start()
        assert report.blocked is None and not report.created, report
        return report.confirming


@pytest.mark.parametrize("point", POINTS)
def test_kill9_then_restart_keeps_every_sale_exactly_once(
    point: str,
    tmp_path: Path,
    e2e_server: SandboxServer,
    e2e_ctl: SandboxControl,
    spec: dict[str, Any],
) -> None:
    base = 1000 * (POINTS.index(point) + 1)
    parent_kills = point == "after_commit"
    if parent_kills:
        e2e_ctl.set_faults(
            next=[{"fault": "delay_after_commit", "method": "POST", "path": "/v3/orders",
                   "times": RUNS, "hang_s": 30}]
        )  # fmt: skip
    dirs = [tmp_path / f"run{i}" for i in range(RUNS)]
    children = [
        spawn(d, e2e_server, spec, base + i, "" if parent_kills else point)
        for i, d in enumerate(dirs)
    ]
    refs: list[str] = []
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().split()
            assert line[:1] == ["SENDING"], (line, child.stderr.read() if child.stderr else "")
            refs.append(line[1])
            if parent_kills:
                wait_for_order(e2e_ctl, line[1])
                os.kill(child.pid, signal.SIGKILL)
        for child in children:
            out, err = child.communicate(timeout=60)
            assert child.returncode == -signal.SIGKILL, (child.returncode, out, err[-2000:])
            assert "DONE" not in out
    finally:
        reap(children, e2e_ctl)

    on_server = count_by_pos_ref(e2e_ctl.orders())
    expected_before = 0 if point == "before_send" else 1
    assert [on_server[r] for r in refs] == [expected_before] * RUNS

    for d in dirs:  # the state the crash left behind
        with Database.open(d / "kasir.db") as db:
            (rec,) = SaleJournal(db).recent()
            want = SaleState.CREATED if point == "after_journal" else SaleState.SENDING
            assert rec.state == want and rec.attempts == 1

    if point == "before_send":  # maybe sent: confirmed, never resent inside the window
        for d, ref in zip(dirs, refs, strict=True):
            assert asyncio.run(restart_inside_the_window(d, e2e_server)) == [ref]
        assert all(not e2e_ctl.orders(ref) for ref in refs)
    for d in dirs:
        asyncio.run(restart(d, e2e_server, after_window=point == "before_send"))

    on_server = count_by_pos_ref(e2e_ctl.orders())
    for d, ref in zip(dirs, refs, strict=True):
        assert on_server[ref] == 1, f"{point}: {ref} has {on_server[ref]} orders"
        (order,) = e2e_ctl.orders(ref)
        with Database.open(d / "kasir.db") as db:
            records = SaleJournal(db).recent()
        assert [r.pos_ref for r in records] == [ref]
        rec = records[0]
        assert rec.state in (SaleState.CREATED, SaleState.RECONCILED)
        assert rec.order_id == order["id"] and rec.payment_url
        if point in ("after_commit", "after_reply_before_journal"):
            assert rec.state == SaleState.RECONCILED  # adopted by lookup, not resent


def test_kill9_during_recovery_then_restart(
    tmp_path: Path, e2e_server: SandboxServer, e2e_ctl: SandboxControl, spec: dict[str, Any]
) -> None:
    dirs = [tmp_path / f"run{i}" for i in range(RUNS)]
    refs = []
    first = [spawn(d, e2e_server, spec, 9000 + i, "before_send") for i, d in enumerate(dirs)]
    for child in first:
        out, err = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL, err[-2000:]
        refs.append(out.split()[1])
    assert all(not e2e_ctl.orders(ref) for ref in refs)
    # after the window, the cashier's "send again" is killed right after the reply
    again = [spawn(d, e2e_server, None, 0, "after_reply_before_journal") for d in dirs]
    for child in again:
        out, err = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL, (out, err[-2000:])
    on_server = count_by_pos_ref(e2e_ctl.orders())
    assert [on_server[r] for r in refs] == [1] * RUNS  # the recovery's resend got through
    for d in dirs:
        asyncio.run(restart(d, e2e_server))
    on_server = count_by_pos_ref(e2e_ctl.orders())
    for d, ref in zip(dirs, refs, strict=True):
        assert on_server[ref] == 1
        with Database.open(d / "kasir.db") as db:
            (rec,) = SaleJournal(db).recent()
        assert rec.pos_ref == ref and rec.state == SaleState.RECONCILED and rec.attempts == 2
        assert rec.order_id == e2e_ctl.orders(ref)[0]["id"]


async def restart_and_wait_for_late_commit(
    data_dir: Path, server: SandboxServer, ref: str, deadline_s: float = 30.0
) -> dict[str, int]:
    """An immediate restart while the server still holds the request: the lookup finds
    nothing yet and nothing is resent; the outbox keeps confirming until the late commit
    shows, then adopts it. Returns what the first pass saw."""
    with DataDirLock(data_dir), Database.open(data_dir / "kasir.db") as db:
        journal = SaleJournal(db)
        async with ScalevClient(server.base_url, DEMO_API_KEY, read_timeout=10.0) as client:
            policy = ConfirmPolicy(intervals=(0.5,))  # the default window, brisk lookups
            outbox = OutboxService(CheckoutService(client, journal, policy=policy), journal)
            first = await outbox.reconcile_at_start()
            seen = {"confirming": len(first.confirming), "created": len(first.created)}
            end = time.monotonic() + deadline_s
            while outbox.pending_count():
                assert time.monotonic() < end, "the late commit was never adopted"
                await asyncio.sleep(0.25)
                await outbox.drain_once()
        rec = journal.get(ref)
        assert rec is not None and rec.state == SaleState.RECONCILED
        return seen


def test_kill9_while_the_server_is_still_working_then_immediate_restart(
    tmp_path: Path, e2e_server: SandboxServer, e2e_ctl: SandboxControl, spec: dict[str, Any]
) -> None:
    """Duplicate 2 of issue 11: killed during a slow send (the server commits 3 s after the
    request arrived) and restarted at once. Before the fix the restart looked up, found
    nothing and resent: two orders in every run."""
    runs = 5
    e2e_ctl.set_faults(
        next=[{"fault": "slow_commit", "method": "POST", "path": "/v3/orders",
               "times": runs, "commit_delay_s": 3.0}]
    )  # fmt: skip
    dirs = [tmp_path / f"slow{i}" for i in range(runs)]
    children = [spawn(d, e2e_server, spec, 7000 + i, "") for i, d in enumerate(dirs)]
    refs: list[str] = []
    try:
        for child in children:
            assert child.stdout is not None
            line = child.stdout.readline().split()
            assert line[:1] == ["SENDING"], line
            refs.append(line[1])
        time.sleep(0.3)  # the requests are on the wire, the server is working on them
        for child in children:
            os.kill(child.pid, signal.SIGKILL)
            child.communicate(timeout=30)
        assert all(not e2e_ctl.orders(ref) for ref in refs)  # not committed yet

        async def restart_all() -> list[dict[str, int]]:
            return await asyncio.gather(
                *(
                    restart_and_wait_for_late_commit(d, e2e_server, r)
                    for d, r in zip(dirs, refs, strict=True)
                )
            )

        # every restart's first pass saw nothing yet and sent nothing: confirming
        assert asyncio.run(restart_all()) == [{"confirming": 1, "created": 0}] * runs
    finally:
        reap(children, e2e_ctl)
    on_server = count_by_pos_ref(e2e_ctl.orders())
    assert [on_server[r] for r in refs] == [1] * runs
    posts = [r for r in e2e_ctl.requests() if r["method"] == "POST" and r["path"] == "/v3/orders"]
    sent = Counter((r.get("json") or {}).get("metadata", {}).get("pos_ref") for r in posts)
    assert [sent[r] for r in refs] == [1] * runs  # never resent
