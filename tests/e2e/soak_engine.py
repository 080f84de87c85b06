"""The fault soak: N sales through the sandbox's random fault injection, the outbox draining.

Used by tests/e2e/test_fault_soak.py and bench/soak_orders.py. Every sale goes through the
real client and CheckoutService (journal first, lookup before any resend); the sale screen's
``BackendUnavailable`` hands the sale to a running OutboxService. At the end every journaled
sale must have exactly one order on the sandbox (counted by ``metadata.pos_ref``) and the
journal must hold that order id.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pos.api.client import ScalevClient
from pos.api.errors import ScalevError
from pos.services import (
    BackendUnavailable,
    CheckoutService,
    ConfirmPolicy,
    OutboxEvent,
    OutboxService,
    SaleNeedsDecision,
    SaleRejected,
)
from pos.storage import Database, SaleJournal, SaleState
from tests.e2e.e2e_support import count_by_pos_ref, make_draft

#: Random fault rates per /v3 request (drop_after_commit, slow_commit: POST /v3/orders only).
DEFAULT_RATES: dict[str, float] = {
    "5xx": 0.04,
    "429": 0.02,
    "reset": 0.04,
    "timeout": 0.03,
    "drop_after_commit": 0.05,
    "slow_commit": 0.03,
}
#: A late commit lands this long after the request arrived (the client gave up at 0.25 s).
COMMIT_DELAY_S = 0.5
#: Lookups refused: a share of every ``GET /v3/orders`` answers 403 (a key without the scope
#: for a moment, a proxy refusing): the sale must stay confirming, never fail.
LOOKUP_REFUSALS = {"fault": "status", "status": 403, "method": "GET", "path": "/v3/orders",
                   "times": -1, "rate": 0.05}  # fmt: skip
#: Every 10th sale is for a reseller's phone that already has 40 newer orders: the lookup
#: must page back past them.
BUSY_PHONE = "6281199990000"
BUSY_ORDERS = 40
#: The sandbox holds a "timeout" request this long before processing it; the client gives up
#: after READ_TIMEOUT. The first lookup comes CHECKOUT_BACKOFF later, after the late commit.
HANG_S = 0.35
READ_TIMEOUT = 0.25
CHECKOUT_BACKOFF = (0.8, 0.8, 1.0)
#: The confirmation window, scaled to the soak's commit delays (a real till: 10 minutes): a
#: maybe-sent sale is only looked up for 2 s, well past the 0.35 s late commit, then waits for
#: the (simulated) cashier's "send again".
SOAK_POLICY = ConfirmPolicy(
    window=2.0, interactive_checks=(0.0,), intervals=(0.3, 0.5), margin=120.0
)


class Control(Protocol):
    def set_faults(self, config: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]: ...
    def orders(self, pos_ref: str | None = None) -> list[dict[str, Any]]: ...
    def seed_orders(
        self, store_id: int, customer_phone: str, count: int, created_offset_s: float = 0
    ) -> list[dict[str, Any]]: ...
    def requests(self) -> list[dict[str, Any]]: ...
    def clear_requests(self) -> None: ...


@dataclass
class SoakFigures:
    sales: int = 0
    requests: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    created_first_try: int = 0
    adopted: int = 0
    queued_for_outbox: int = 0
    decided: int = 0  # "send again" after the window (the simulated cashier)
    rejected: int = 0
    lost: int = 0
    duplicated: int = 0
    strangers: int = 0  # orders whose pos_ref no journal row has
    journal_mismatch: int = 0
    pending_left: int = 0
    seconds: float = 0.0

    @property
    def faults_injected(self) -> int:
        return sum(self.faults.values())

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        return [
            f"sales run          {self.sales}",
            f"requests           {self.requests}",
            f"faults injected    {self.faults_injected} ({kinds})",
            f"created first try  {self.created_first_try}",
            f"adopted by lookup  {self.adopted}",
            f"left to the outbox {self.queued_for_outbox}",
            f"sent again by hand {self.decided}",
            f"rejected           {self.rejected}",
            f"orders lost        {self.lost}",
            f"orders duplicated  {self.duplicated}",
            f"stray orders       {self.strangers}",
            f"journal mismatches {self.journal_mismatch}",
            f"still pending      {self.pending_left}",
            f"seconds            {self.seconds:.1f}",
        ]


async def run_soak(
    base_url: str,
    api_key: str,
    ctl: Control,
    spec: dict[str, Any],
    data_dir: Path,
    *,
    sales: int,
    seed: int = 1,
    workers: int = 4,
    rates: dict[str, float] | None = None,
    drain_deadline_s: float = 300.0,
) -> SoakFigures:
    figures = SoakFigures(sales=sales)
    started = time.monotonic()
    ctl.clear_requests()
    before = count_by_pos_ref(ctl.orders())
    ctl.seed_orders(int(spec["store_id"]), BUSY_PHONE, BUSY_ORDERS, created_offset_s=3600)
    ctl.set_faults({
        **(rates or DEFAULT_RATES), "seed": seed, "hang_s": HANG_S, "burst_s": 0.2,
        "commit_delay_s": COMMIT_DELAY_S, "next": [LOOKUP_REFUSALS],
    })  # fmt: skip
    db = Database.open(data_dir / "kasir.db")
    journal = SaleJournal(db)
    try:
        async with ScalevClient(
            base_url, api_key, read_timeout=READ_TIMEOUT, connect_timeout=2.0, max_retries=3,
            backoff_base=0.05, backoff_max=0.3, max_retry_wait=5.0,
            rate_limit=(10_000, 10.0),  # the sandbox runs with its rate limit off
        ) as client:  # fmt: skip
            # One attempt per submit on the sale screen: whatever is left goes to the outbox.
            checkout = CheckoutService(
                client, journal, terminal="KASIR-SOAK", backoff=CHECKOUT_BACKOFF,
                max_sends=1, policy=SOAK_POLICY,
            )  # fmt: skip
            drained = asyncio.Event()
            decisions: asyncio.Queue[str] = asyncio.Queue()

            def on_change(e: OutboxEvent) -> None:
                if e.pending == 0:
                    drained.set()
                else:
                    drained.clear()
                if e.kind == "needs_decision" and e.record is not None:
                    decisions.put_nowait(e.record.pos_ref)

            outbox = OutboxService(
                checkout, journal, base_delay=0.05, max_delay=0.5, offline_max_delay=0.2,
                on_change=on_change,
            )  # fmt: skip

            async def decide() -> None:
                """The cashier, in the history: "send again" for a sale not found after its
                window (one lookup, then one send)."""
                while True:
                    ref = await decisions.get()
                    figures.decided += 1
                    with contextlib.suppress(BackendUnavailable, SaleRejected, ScalevError):
                        await outbox.retry(ref)

            drainer = asyncio.create_task(outbox.run())
            decider = asyncio.create_task(decide())
            numbers: asyncio.Queue[int] = asyncio.Queue()
            for n in range(sales):
                numbers.put_nowait(seed * 1_000_000 + n)

            async def cashier() -> None:
                while not numbers.empty():
                    n = numbers.get_nowait()
                    try:
                        phone = BUSY_PHONE if n % 10 == 0 else None
                        result = await checkout.submit(make_draft(spec, n, phone=phone))
                    except SaleNeedsDecision as e:  # the window ran out on the sale screen
                        figures.queued_for_outbox += 1
                        if e.pos_ref:
                            decisions.put_nowait(e.pos_ref)
                    except BackendUnavailable as e:
                        figures.queued_for_outbox += 1
                        if e.pos_ref:
                            outbox.note_queued(e.pos_ref)
                    except SaleRejected:
                        figures.rejected += 1
                    else:
                        if result.adopted:
                            figures.adopted += 1
                        else:
                            figures.created_first_try += 1

            try:
                await asyncio.gather(*(cashier() for _ in range(workers)))
                if outbox.pending_count():
                    outbox.poke()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(drained.wait(), drain_deadline_s)
            finally:
                drainer.cancel()
                decider.cancel()
                await asyncio.gather(drainer, decider, return_exceptions=True)
            figures.pending_left = outbox.pending_count()
        ctl.set_faults()
        log = ctl.requests()
        figures.requests = len(log)
        figures.faults = Counter(str(r["fault"]) for r in log if r.get("fault"))
        orders = ctl.orders()
        counts = count_by_pos_ref(orders) - before
        by_ref = {str((o.get("metadata") or {}).get("pos_ref")): o for o in orders}
        records = journal.recent(limit=sales + 10)
        refs = {r.pos_ref for r in records}
        for rec in records:
            n = counts[rec.pos_ref]
            if n == 0 and rec.state != SaleState.REJECTED:
                figures.lost += 1
            figures.duplicated += max(0, n - 1)
            if n and (
                rec.state not in (SaleState.CREATED, SaleState.RECONCILED)
                or rec.order_id != by_ref[rec.pos_ref]["id"]
            ):
                figures.journal_mismatch += 1
        figures.lost += max(0, sales - len(records))  # a sale that never reached the journal
        figures.strangers = sum(1 for ref in counts if ref not in refs and counts[ref] > 0)
    finally:
        db.close()
        figures.seconds = time.monotonic() - started
    return figures
