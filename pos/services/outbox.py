"""The offline queue (outbox): drives every unfinished sale to an order, exactly once.

What it drains
    Sales in ``draft`` (journaled, then the process died), ``queued`` (never reached the
    server), ``unknown`` (may exist) and ``sending`` that no coroutine is driving (a crash in
    the middle of a request). Each goes through :meth:`CheckoutService.resume`, which LOOKS
    THE ORDER UP (phone + ``metadata.pos_ref``) before any resend, so a drain never creates a
    second order. A sale the sale screen is still submitting is skipped (never driven twice).

When it runs
    :meth:`OutboxService.run` is one long-lived task. While sales are pending and the backend
    cannot be reached it retries with jittered exponential backoff (base 1 s). When the
    network itself is down (connection refused / not sent — the server never sees these
    attempts) the wait is capped at ``offline_max_delay`` (4 s), so the queue drains by itself
    within 5 s of the network returning even if nothing pokes it. When the server answered
    badly (5xx, outcome unknown) the cap is ``max_delay`` (30 s). A 429's ``Retry-After`` is
    always respected. :meth:`poke` drains at once: call it whenever any request succeeds or
    the OS reports the network back. With nothing pending it re-checks every
    ``idle_interval`` (30 s).

Confirming
    A sale that may have been sent (see :mod:`pos.services.checkout`) is looked up on its own
    schedule over its confirmation window and never resent inside it; a pass skips it until its
    next lookup is due (no request) and wakes for that lookup. A confirming sale never blocks
    the others: the next queued sale is sent meanwhile. At the end of the window a sale that
    was not found becomes ``needs_decision`` (below): never resent by itself.

Nothing expires silently
    A refused API key (401/403) stops the pass: that sale is ``failed`` (retry it from the
    history), the others stay queued until :meth:`poke` (call it after the settings change).
    A sale pending for more than ``max_age`` (24 h) becomes ``needs_decision``: it is no longer
    sent automatically (if it may have been sent, it is looked up once — a lookup never
    creates). The cashier decides in the history screen: :meth:`retry` (one attempt now; still
    exactly-once: one lookup, then one send only when the order is certainly absent and the
    window is over) or :meth:`abandon` (final ``abandoned``; refused when the order exists or
    while it may still appear).

How the customer gets the payment link for an offline sale
    The sale is taken and journaled; the cashier tells the customer it will be sent. When the
    order is created (usually seconds after the network returns) ``on_change`` fires an
    :class:`OutboxEvent` of kind ``"created"`` carrying the journal record (order number,
    ``payment_url``, phone, total). The UI shows a notice "Pesanan dibuat — kirim link
    pembayaran" and the history row gets its QR / payment screen; one click sends the
    ``wa.me`` message from :func:`pos.share.payment_whatsapp_link` (also available as
    :func:`payment_link_for`). If the customer is still at the counter the QR is shown; if they
    left, WhatsApp to the phone taken at the sale is the channel (the phone is mandatory).
    :meth:`OutboxService.created_since` lists what was created while the UI was busy.

One CheckoutService, one OutboxService per running app (the data-dir lock guarantees one app).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pos.api.errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from pos.domain.backoff import jittered_backoff
from pos.share import payment_whatsapp_link
from pos.storage.errors import StorageError
from pos.storage.journal import (
    DONE,
    DRAINABLE,
    PENDING,
    JournalStateError,
    SaleJournal,
    SaleRecord,
    SaleState,
)

from .checkout import CheckoutService, SubmitResult
from .errors import BackendUnavailable, SaleConfirming, SaleNeedsDecision, SaleRejected

log = logging.getLogger(__name__)

DAY_S = 24 * 3600.0

#: Event kinds passed to ``on_change``.
EVENT_KINDS = (
    "count",  # the pending count changed (no record)
    "queued",  # a sale was queued by the sale screen (note_queued)
    "created",  # a pending sale now has its order: show the QR / send the payment link
    "needs_decision",  # pending > 24 h: the cashier must retry or abandon
    "rejected",  # the server refused it (400/422): final, show last_error
    "failed",  # 401/403/…: fix the setup, then retry
    "abandoned",
)


@dataclass(frozen=True)
class OutboxEvent:
    kind: str
    pending: int
    record: SaleRecord | None = None


@dataclass
class DrainReport:
    """What one pass did (pos_refs)."""

    created: list[SubmitResult] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    needs_decision: list[str] = field(default_factory=list)
    still_pending: list[str] = field(default_factory=list)
    #: why the pass stopped early (network down, 429, local storage), or None
    blocked: BaseException | None = None
    #: True when the block is "the network is down" (cheap to retry often)
    offline: bool = False
    #: the API key was refused (401/403): nothing is sent until the next poke()
    auth_refused: bool = False
    retry_after: float | None = None
    #: sales that may exist and are being confirmed (not a blockage)
    confirming: list[str] = field(default_factory=list)
    #: seconds until the next confirming sale's lookup is due
    wake_in: float | None = None

    @property
    def ok(self) -> bool:
        return self.blocked is None and not self.still_pending


class SaleAlreadyCreated(Exception):
    """``abandon`` refused: the order exists on the server (``result`` has it)."""

    def __init__(self, result: SubmitResult) -> None:
        super().__init__(f"sale {result.pos_ref} has order {result.order.id}")
        self.result = result


def _age_s(rec: SaleRecord, now: float) -> float:
    try:
        created = datetime.fromisoformat(rec.created_at)
    except ValueError:
        return 0.0
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return now - created.timestamp()


def _utc_iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


def payment_link_for(rec: SaleRecord, lang: str = "id") -> str | None:
    """The ``wa.me`` payment message for a created sale (None without phone or payment URL)."""
    if not rec.is_done or not rec.payment_url or not rec.customer_phone:
        return None
    return payment_whatsapp_link(
        rec.customer_phone,
        rec.customer_name,
        rec.store_name,
        rec.order_number or rec.order_id or "",
        rec.total,
        rec.payment_url,
        lang,
    )


class OutboxService:
    """See the module docstring."""

    def __init__(
        self,
        checkout: CheckoutService,
        journal: SaleJournal,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        rng: random.Random | None = None,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        offline_max_delay: float = 4.0,
        idle_interval: float = 30.0,
        max_age: float = DAY_S,
        on_change: Callable[[OutboxEvent], None] | None = None,
    ) -> None:
        self._checkout = checkout
        self._journal = journal
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.offline_max_delay = offline_max_delay
        self.idle_interval = idle_interval
        self.max_age = max_age
        self.on_change = on_change
        self._wake = asyncio.Event()
        self._pass_lock = asyncio.Lock()
        self._failures = 0
        self._last_count: int | None = None
        #: the delay chosen before the next pass (for tests and the UI's "retrying in …")
        self.next_delay: float | None = None

    # --- queries (sync, local) -------------------------------------------------------

    def pending_count(self) -> int:
        """Sales not yet created and not final (the badge; the quit warning when > 0)."""
        return self._journal.count_in_states(PENDING)

    def attention_count(self) -> int:
        """Pending sales that wait for the cashier (``failed``, ``needs_decision``)."""
        return self._journal.count_in_states((SaleState.FAILED, SaleState.NEEDS_DECISION))

    def pending(self) -> list[SaleRecord]:
        return self._journal.in_states(PENDING)

    def created_since(self, ts: float) -> list[SaleRecord]:
        """Sales that became created/reconciled at or after epoch ``ts`` (journal time)."""
        return self._journal.changed_since(_utc_iso(ts), DONE)

    # --- control ---------------------------------------------------------------------

    def poke(self) -> None:
        """Drain now (a request succeeded, the network came back, a sale was queued).

        Safe to call on every successful response (e.g. from an httpx response hook): pokes
        that arrive while a pass is failing (its own lookups succeeding) are ignored, so
        the backoff still holds during a server outage."""
        self._wake.set()

    def note_queued(self, pos_ref: str) -> None:
        """The sale screen got BackendUnavailable for ``pos_ref``: badge + schedule a drain."""
        self._emit("queued", self._journal.get(pos_ref))
        self._wake.set()

    async def run(self) -> None:
        """Drain forever (cancel the task to stop). Never raises for a sale's failure."""
        while True:
            self._wake.clear()
            try:
                report = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # the loop must survive anything
                log.exception("outbox pass failed")
                report = DrainReport(blocked=RuntimeError("outbox pass failed"))
            delay = self._next_delay(report)
            self.next_delay = delay
            if report.auth_refused:
                # A refused key refuses every sale: wait for the cashier to fix the settings
                # (the UI pokes) or for any request to succeed again.
                self._wake.clear()
                await self._wake.wait()
            elif report.blocked is not None:
                self._wake.clear()  # pokes caused by this failing pass do not count
                await self._wait(delay)
            elif not self._wake.is_set():
                await self._wait(delay)

    async def reconcile_at_start(self) -> DrainReport:
        """Crash recovery: one pass over every unfinished sale, before anything else."""
        return await self.drain_once()

    async def drain_once(self) -> DrainReport:
        async with self._pass_lock:
            report = DrainReport()
            now = self._clock()
            for rec in self._journal.in_states(DRAINABLE):
                if self._checkout.in_flight(rec.pos_ref):
                    continue  # the sale screen is driving it
                if _age_s(rec, now) > self.max_age:
                    await self._expire(rec, report)
                    continue
                if report.blocked is not None:
                    report.still_pending.append(rec.pos_ref)
                    continue
                await self._drive(rec.pos_ref, report)
            self._emit_count()
            return report

    # --- human decisions -------------------------------------------------------------

    async def retry(self, pos_ref: str) -> SubmitResult:
        """One attempt now (lookup first if it may have been sent). Raises like ``resume``;
        a sale older than ``max_age`` that still cannot be created returns to
        ``needs_decision``."""
        try:
            result = await self._checkout.resume(pos_ref, decided=True)
        except SaleNeedsDecision:
            self._emit("needs_decision", self._journal.get(pos_ref))
            raise
        except BackendUnavailable:
            rec = self._journal.get(pos_ref)
            too_old = rec is not None and _age_s(rec, self._clock()) > self.max_age
            if rec is not None and rec.state in DRAINABLE and too_old:
                self._journal.mark_needs_decision(pos_ref)
            elif rec is not None and rec.state in DRAINABLE:
                self._wake.set()  # back in the queue (e.g. confirming a new send): drive it
            self._emit_count()
            raise
        except SaleRejected:
            self._emit("rejected", self._journal.get(pos_ref))
            raise
        except APIStatusError:
            self._emit("failed", self._journal.get(pos_ref))
            raise
        self._emit("created", self._journal.get(pos_ref))
        return result

    async def abandon(self, pos_ref: str, reason: str = "abandoned by the cashier") -> None:
        """Give the sale up (final). A sale that may have been sent is looked up first:
        raises :class:`SaleAlreadyCreated` when its order exists (it is adopted) and
        :class:`BackendUnavailable` when that cannot be checked now."""
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if self._checkout.in_flight(pos_ref):
            raise JournalStateError(pos_ref, rec.state.value, SaleState.ABANDONED.value)
        if rec.state in DONE:
            stored = await self._checkout.find(pos_ref)  # the stored result, no request
            assert stored is not None
            raise SaleAlreadyCreated(stored)
        if rec.state not in PENDING:
            raise JournalStateError(pos_ref, rec.state.value, SaleState.ABANDONED.value)
        if rec.maybe_sent_at is not None:
            found = await self._checkout.find(pos_ref)
            if found is not None:
                self._emit("created", self._journal.get(pos_ref))
                raise SaleAlreadyCreated(found)
            end = self._checkout.confirming_until(rec)
            if end is not None and self._clock() < end:
                # It may still appear: giving it up now invites ringing it up twice.
                raise SaleConfirming(pos_ref, end, self._checkout.next_check_in(pos_ref))
        self._journal.mark_abandoned(pos_ref, reason)
        self._emit("abandoned", self._journal.get(pos_ref))

    # --- internals -------------------------------------------------------------------

    async def _expire(self, rec: SaleRecord, report: DrainReport) -> None:
        if rec.maybe_sent_at is not None and report.blocked is None:
            try:
                found = await self._checkout.find(rec.pos_ref)
            except BackendUnavailable as e:
                self._block(report, e)
                found = None
            except StorageError as e:
                report.blocked = e
                return
            if found is not None:
                report.created.append(found)
                self._emit("created", self._journal.get(rec.pos_ref))
                return
        try:
            self._journal.mark_needs_decision(rec.pos_ref, "pending for more than 24 h")
        except StorageError as e:
            report.blocked = e
            return
        report.needs_decision.append(rec.pos_ref)
        self._emit("needs_decision", self._journal.get(rec.pos_ref))

    async def _drive(self, pos_ref: str, report: DrainReport) -> None:
        try:
            result = await self._checkout.resume(pos_ref)
        except asyncio.CancelledError:
            raise
        except SaleConfirming as e:
            report.still_pending.append(pos_ref)
            report.confirming.append(pos_ref)
            wake = e.next_check_in
            report.wake_in = wake if report.wake_in is None else min(report.wake_in, wake)
            if isinstance(e.cause, RateLimitedError | APIConnectionError | ServerError):
                self._block(report, e)  # the lookup met the network or the server failing
            return
        except SaleNeedsDecision:
            report.needs_decision.append(pos_ref)
            self._emit("needs_decision", self._journal.get(pos_ref))
            return
        except BackendUnavailable as e:
            report.still_pending.append(pos_ref)
            self._block(report, e)
            return
        except SaleRejected:
            report.rejected.append(pos_ref)
            self._emit("rejected", self._journal.get(pos_ref))
            return
        except APIStatusError as e:  # 401/403/404/409: marked failed by checkout
            report.failed.append(pos_ref)
            self._emit("failed", self._journal.get(pos_ref))
            if isinstance(e, AuthenticationError | PermissionDeniedError):
                report.auth_refused = True  # stop: the other sales would fail the same way
                report.blocked = e
            return
        except JournalStateError:
            return  # someone else finished it meanwhile
        except StorageError as e:
            report.still_pending.append(pos_ref)
            report.blocked = e
            return
        except Exception as e:
            log.exception("outbox: sale %s", pos_ref)
            report.still_pending.append(pos_ref)
            report.blocked = e
            return
        report.created.append(result)
        self._emit("created", self._journal.get(pos_ref))

    def _block(self, report: DrainReport, e: BaseException) -> None:
        cause = e.cause if isinstance(e, BackendUnavailable) else e
        if isinstance(cause, RateLimitedError):
            report.blocked = e
            report.retry_after = max(report.retry_after or 0.0, cause.retry_after or 0.0)
            return
        if isinstance(cause, APIConnectionError) and not cause.may_have_sent:
            if report.blocked is None:
                report.offline = True
            report.blocked = report.blocked or e
            return
        # server trouble or outcome unknown: a later pass looks it up again
        report.offline = False
        report.blocked = report.blocked or e

    def _next_delay(self, report: DrainReport) -> float:
        if report.blocked is None and not report.still_pending:
            self._failures = 0
            return self.idle_interval
        if report.blocked is None and len(report.confirming) == len(report.still_pending):
            # Only confirming sales left: wake for the next lookup that is due.
            self._failures = 0
            return min(self.idle_interval, max(0.05, report.wake_in or 0.0))
        self._failures += 1
        cap = self.offline_max_delay if report.offline else self.max_delay
        delay = jittered_backoff(self._failures - 1, self.base_delay, cap, self._rng)
        if report.retry_after:
            delay = max(delay, report.retry_after)
        elif report.wake_in is not None:
            delay = min(delay, max(0.05, report.wake_in))
        return delay

    async def _wait(self, delay: float) -> None:
        """Sleep ``delay`` (the injected ``sleep``) or until :meth:`poke`."""
        sleeper = asyncio.ensure_future(self._sleep(delay))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in (sleeper, waker):
                if not t.done():
                    t.cancel()
            # gather, not ``suppress(CancelledError): await t``: that would also swallow a
            # cancel of THIS task arriving meanwhile, and run() would never stop.
            await asyncio.gather(sleeper, waker, return_exceptions=True)

    def _emit(self, kind: str, record: SaleRecord | None) -> None:
        count = self._safe_count()
        self._last_count = count
        self._call(OutboxEvent(kind, count, record))

    def _emit_count(self) -> None:
        count = self._safe_count()
        if count != self._last_count:
            self._last_count = count
            self._call(OutboxEvent("count", count))

    def _safe_count(self) -> int:
        try:
            return self.pending_count()
        except StorageError:
            return self._last_count or 0

    def _call(self, event: OutboxEvent) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(event)
        except Exception:
            log.exception("outbox on_change callback failed")


__all__ = [
    "EVENT_KINDS",
    "DrainReport",
    "OutboxEvent",
    "OutboxService",
    "SaleAlreadyCreated",
    "payment_link_for",
]
