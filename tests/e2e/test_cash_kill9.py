"""kill -9 of a real Kasir process between creating a cash sale's order and marking it paid:
after the restart there is one order, paid, marked paid once (issue 13)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pos.api.client import ScalevClient
from pos.sandbox import DEMO_API_KEY, SandboxServer
from pos.services import CheckoutService, OutboxService
from pos.services.tender import Aftercare
from pos.storage import Database, DataDirLock, SaleJournal
from pos.storage.tenders import DONE, PENDING, TenderStore
from tests.e2e.e2e_support import KILL_ENV, count_by_pos_ref
from tests.platforms import posix_only
from tests.sandbox.helpers import SandboxControl

pytestmark = posix_only("SIGKILL")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHILD = HERE / "sale_child.py"


async def restart(data_dir: Path, server: SandboxServer) -> list[Any]:
    """The app's start: lock, reconcile unfinished sales, then resume the aftercare."""
    with DataDirLock(data_dir), Database.open(data_dir / "kasir.db") as db:
        journal = SaleJournal(db)
        async with ScalevClient(server.base_url, DEMO_API_KEY, read_timeout=10.0) as client:
            report = await OutboxService(
                CheckoutService(client, journal), journal
            ).reconcile_at_start()
            assert report.blocked is None and not report.still_pending, report
            aftercare = Aftercare(client, journal, TenderStore(db), terminal="KASIR-E2E")
            return await aftercare.run_once()


@pytest.mark.parametrize("point", ["after_reply_before_journal", "after_journal"])
def test_cash_sale_killed_before_mark_paid_ends_paid_once(
    point: str,
    tmp_path: Path,
    e2e_server: SandboxServer,
    e2e_ctl: SandboxControl,
    spec: dict[str, Any],
) -> None:
    data_dir = tmp_path / point
    env = {**os.environ, KILL_ENV: point, "PYTHONPATH": str(ROOT)}
    e2e_ctl.clear_requests()
    proc = subprocess.run(
        [sys.executable, str(CHILD), str(data_dir), e2e_server.base_url, DEMO_API_KEY,
         json.dumps(spec), "7", "cash"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert proc.returncode == -9, proc.stderr
    pos_ref = proc.stdout.split("SENDING", 1)[1].split()[0]
    with Database.open(data_dir / "kasir.db") as db:
        tender = TenderStore(db).get(pos_ref)
        assert tender is not None and tender.mark_paid == PENDING  # recorded before the order
    assert not [r for r in e2e_ctl.requests() if "change-status" in r["path"]]
    outcomes = asyncio.run(restart(data_dir, e2e_server))
    assert [o.pos_ref for o in outcomes] == [pos_ref]
    assert count_by_pos_ref(e2e_ctl.orders(pos_ref)) == {pos_ref: 1}
    order = e2e_ctl.orders(pos_ref)[0]
    assert order["payment_status"] == "paid" and order["tags"] == ["kasir-e2e"]
    marks = [r for r in e2e_ctl.requests() if "change-status" in r["path"]]
    assert len(marks) == 1
    with Database.open(data_dir / "kasir.db") as db:
        tender = TenderStore(db).get(pos_ref)
        assert tender is not None and tender.mark_paid == DONE and tender.tagged
