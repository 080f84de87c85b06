"""A hypothesis state machine of the offline queue (journal + CheckoutService + OutboxService on
a fake server with network up/down and one-shot create faults).

Invariants: at most one order per pos_ref on the server; no sale ever disappears or leaves the
known states (created ones have exactly one order with the journal's order id, abandoned and
rejected ones have none); after a drain tick nothing older than 24 h is still sent
automatically (it is ``needs_decision``); with the network up and no fault armed, a drain tick
leaves nothing drainable.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from pos.api.errors import APIStatusError
from pos.services import (
    BackendUnavailable,
    CheckoutService,
    OutboxEvent,
    OutboxService,
    SaleAlreadyCreated,
    SaleRejected,
)
from pos.storage import Database, JournalStateError, SaleJournal, SaleState
from pos.storage.journal import DONE, DRAINABLE, PENDING
from tests.fakes.scalev import FakeScalev
from tests.fakes.sleep import yield_once
from tests.outbox.outbox_support import FAULTS, draft

DAY = 24 * 3600.0


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="kasir-sm-"))
        self.db = Database.open(self.dir / "kasir.db")
        self.journal = SaleJournal(self.db)
        self.server = FakeScalev()
        self.offset = 0.0
        self.runner = asyncio.Runner()
        self.checkout = CheckoutService(
            self.server, self.journal, sleep=yield_once, clock=lambda: time.time() + self.offset
        )
        self.events: list[OutboxEvent] = []
        self.outbox = OutboxService(
            self.checkout,
            self.journal,
            clock=lambda: time.time() + self.offset,
            sleep=yield_once,
            rng=random.Random(0),
            on_change=self.events.append,
        )
        self.refs: list[str] = []
        self.n = 0

    def teardown(self) -> None:
        self.runner.close()
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- rules -------------------------------------------------------------------------

    @rule()
    def new_sale(self) -> None:
        """The cashier takes a sale (online or not, with whatever fault is armed)."""
        self.n += 1
        try:
            result = self.runner.run(self.checkout.submit(draft(self.n)))
        except BackendUnavailable as e:
            assert e.pos_ref
            self.refs.append(e.pos_ref)
            self.outbox.note_queued(e.pos_ref)
        except (SaleRejected, APIStatusError) as e:
            ref = getattr(e, "pos_ref", None) or self.journal.recent(limit=1)[0].pos_ref
            self.refs.append(ref)
        else:
            self.refs.append(result.pos_ref)
        assert len(self.journal.recent(limit=10_000)) == len(self.refs)

    @rule()
    def network_down(self) -> None:
        self.server.online = False

    @rule()
    def network_up(self) -> None:
        self.server.online = True
        self.outbox.poke()

    @rule(fault=st.sampled_from(FAULTS))
    def fault_on_next_create(self, fault: str) -> None:
        self.server.faults.append(fault)

    @rule()
    def drain_tick(self) -> None:
        clean = self.server.online and not self.server.faults
        self.runner.run(self.outbox.drain_once())
        now = time.time() + self.offset
        for rec in self.journal.in_states(DRAINABLE):
            assert not _older_than_a_day(rec.created_at, now), rec
        if clean:
            # only sales that may exist are left: confirming, inside their window
            for rec in self.journal.in_states(DRAINABLE):
                end = self.checkout.confirming_until(rec)
                assert end is not None and now < end, rec

    @rule()
    def clock_past_24h(self) -> None:
        self.offset += DAY + 60

    @precondition(lambda self: bool(self.refs))
    @rule(i=st.integers(min_value=0))
    def retry(self, i: int) -> None:
        ref = self.refs[i % len(self.refs)]
        rec = self.journal.get(ref)
        assert rec is not None
        with contextlib.suppress(
            BackendUnavailable, SaleRejected, APIStatusError, JournalStateError
        ):
            self.runner.run(self.outbox.retry(ref))
        after = self.journal.get(ref)
        assert after is not None
        if rec.state in DONE:
            assert after == rec  # retrying a created sale changes nothing

    @precondition(lambda self: bool(self.refs))
    @rule(i=st.integers(min_value=0))
    def abandon(self, i: int) -> None:
        ref = self.refs[i % len(self.refs)]
        rec = self.journal.get(ref)
        assert rec is not None
        try:
            self.runner.run(self.outbox.abandon(ref))
        except SaleAlreadyCreated:
            assert self.state_of(ref) in DONE
        except (BackendUnavailable, JournalStateError):
            assert self.state_of(ref) == rec.state or rec.state in PENDING
            if rec.state in PENDING:
                assert self.state_of(ref) != SaleState.ABANDONED
        else:
            assert rec.state in PENDING
            assert self.state_of(ref) == SaleState.ABANDONED

    def state_of(self, ref: str) -> SaleState:
        rec = self.journal.get(ref)
        assert rec is not None
        return rec.state

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def at_most_one_order_per_pos_ref(self) -> None:
        refs = [o["metadata"]["pos_ref"] for o in self.server.orders]
        assert len(refs) == len(set(refs))

    @invariant()
    def no_sale_disappears(self) -> None:
        for ref in self.refs:
            rec = self.journal.get(ref)
            assert rec is not None, ref
            orders = self.server.orders_with_ref(ref)
            if rec.state in DONE:
                assert [o["id"] for o in orders] == [rec.order_id]
            elif rec.state in (SaleState.ABANDONED, SaleState.REJECTED):
                assert orders == []
            else:
                assert rec.state in PENDING

    @invariant()
    def badge_matches_the_journal(self) -> None:
        pending = sum(1 for r in self.refs if self.state_of(r) in PENDING)
        assert self.outbox.pending_count() == pending
        if self.events:
            assert self.events[-1].pending <= len(self.refs)


def _older_than_a_day(created_at: str, now: float) -> bool:
    from datetime import datetime

    return now - datetime.fromisoformat(created_at).timestamp() > DAY


QueueMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_queue_state_machine = QueueMachine.TestCase
