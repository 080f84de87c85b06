"""Exactly-once order creation on top of an API without idempotency keys.

Scalev's ``POST /v3/orders`` has no idempotency key, so the POS makes creation exactly-once
itself:

1. the sale is journaled (state ``draft``) with a ``pos_ref`` UUID and the frozen request body
   (``metadata.pos_ref``) BEFORE anything is sent;
2. each send is preceded by ``mark_sending`` (the attempt's start time is journaled); a reply
   marks it ``created``;
3. a send whose outcome is unknown (timeout after sending, the overall request deadline, reset,
   5xx, unreadable 2xx, the app killed mid-request) **may have created the order**. From then
   on the sale is *confirming*: the order is looked up (customer phone + ``metadata.pos_ref``,
   every page back to orders older than the first send) at growing intervals over the
   **confirmation window** (:attr:`ConfirmPolicy.window`, default 10 minutes after the latest
   send, journaled so a restart continues the same window). Found → adopted. The same body is
   never sent again inside the window, whatever the lookups say;
4. at the end of the window, with a lookup that read far enough back and found nothing, the
   sale becomes ``needs_decision``: it is never resent by itself. The cashier sees the facts
   (sent at, checked until) in the history and decides: *Kirim ulang / Send again* (one more
   lookup, then one send) or *Batalkan / Abandon*;
5. a failed lookup (any 4xx, 5xx, 429, timeout, unreadable reply, or a list that could not be
   read back far enough) never turns a sale into rejected or failed: it stays confirming and
   the lookup is retried;
6. a request that certainly never left (connect failure) or was refused unprocessed (429) may
   be resent; when the network is gone, or the rate limit asks for longer than the cashier
   should wait, the sale is ``queued`` for the outbox;
7. 400/422 on the order request itself is final (``rejected``); 401/403/404/409 on it are
   ``failed`` (fix the setup, then retry).

A pos_ref in flight is never driven twice at once: concurrent callers join the running attempt.

``hooks`` (tests only) is called as ``hooks(point, pos_ref)`` at ``"before_send"`` (journaled
``sending``, request not yet made), ``"after_reply_before_journal"`` (the order exists, the
journal does not know yet) and ``"after_journal"`` (``created`` recorded) — the crash tests
kill the process there.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos.api.errors import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    RateLimitedError,
    ScalevError,
)
from pos.domain.backoff import nth_delay
from pos.domain.sale import SaleDraft, build_order_body
from pos.storage.errors import StorageError
from pos.storage.journal import (
    DONE,
    JournalStateError,
    SaleJournal,
    SaleRecord,
    SaleState,
    new_pos_ref,
)

from .errors import (
    BackendUnavailable,
    SaleConfirming,
    SaleNeedsDecision,
    SaleRejected,
    rejection_details,
)
from .order_lookup import ConfirmPolicy, Lookup, LookupInconclusive, find_order
from .ports import CheckoutClient

if TYPE_CHECKING:
    from pos.api.models import Order

log = logging.getLogger(__name__)


@dataclass
class SubmitResult:
    pos_ref: str
    order: Order
    adopted: bool  # True: the order was found by lookup (the reply had been lost)


@dataclass
class _Checks:
    """Lookups made for one sale in this process (the schedule; a restart looks up at once)."""

    count: int = 0
    last: float = 0.0


class CheckoutService:
    """Creates orders exactly once per sale (see module docstring)."""

    def __init__(
        self,
        client: CheckoutClient,
        journal: SaleJournal,
        *,
        terminal: str = "KASIR-01",
        policy: ConfirmPolicy | None = None,
        max_sends: int = 3,
        backoff: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
        rate_limit_wait: float = 5.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        hooks: Callable[[str, str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._hooks = hooks
        self._journal = journal
        self.terminal = terminal
        self.policy = policy or ConfirmPolicy()
        self._max_sends = max_sends
        self._backoff = tuple(backoff) or (0.0,)
        #: longest Retry-After the sale screen sits through on a 429; longer → queued
        self.rate_limit_wait = rate_limit_wait
        self._sleep = sleep
        #: wall clock (epoch seconds): the window is journaled and survives a restart
        self._clock = clock
        self._inflight: dict[str, asyncio.Future[SubmitResult]] = {}
        self._inflight_drafts: dict[SaleDraft, str] = {}
        self._checks: dict[str, _Checks] = {}

    # --- public ----------------------------------------------------------------------

    async def submit(self, draft: SaleDraft, *, pos_ref: str | None = None) -> SubmitResult:
        """Journal the sale, then create the order exactly once.

        Raises :class:`SaleRejected` (final) or :class:`BackendUnavailable` (the sale stays in
        the journal: ``queued``, or confirming — :class:`SaleConfirming`). Submitting an equal
        draft while the first is still in flight (a double click) joins the first instead of
        creating a second sale. ``pos_ref``: a reference the caller made (and recorded
        alongside, e.g. a cash tender) before submitting.
        """
        running = self._inflight_drafts.get(draft)
        if running is not None and running in self._inflight:
            return await asyncio.shield(self._inflight[running])
        pos_ref = pos_ref or new_pos_ref()
        body = build_order_body(draft, pos_ref=pos_ref, terminal=self.terminal)
        self._journal.new_sale(draft, body)
        self._inflight_drafts[draft] = pos_ref
        try:
            return await self._run(pos_ref, interactive=True)
        finally:
            self._inflight_drafts.pop(draft, None)

    async def resume(self, pos_ref: str, *, decided: bool = False) -> SubmitResult:
        """Drive a journaled sale to an outcome. A sale that may have been sent is looked up
        and never resent inside its window; ``decided`` is the cashier's "send again" after
        the window (one lookup, then one send when absent)."""
        return await self._run(pos_ref, decided=decided)

    def confirming_until(self, rec: SaleRecord) -> float | None:
        """End of ``rec``'s confirmation window (epoch), or None when it was never maybe-sent."""
        sent = rec.maybe_sent_at
        return None if sent is None else sent + self.policy.window

    def next_check_in(self, pos_ref: str) -> float:
        """Seconds until the outbox should look ``pos_ref`` up again (0: now)."""
        rec = self._journal.get(pos_ref)
        if rec is None or rec.maybe_sent_at is None:
            return 0.0
        return self._check_in(rec)

    def _check_in(self, rec: SaleRecord) -> float:
        return max(0.0, self._check_due(rec) - self._clock())

    async def reconcile_unfinished(self) -> dict[str, SubmitResult | BaseException]:
        """Crash/offline recovery: every sending/unknown/queued sale is driven once (looked up
        first when it may have been sent). Returns ``pos_ref -> result or the error``."""
        results: dict[str, SubmitResult | BaseException] = {}
        for rec in self._journal.unfinished():
            try:
                results[rec.pos_ref] = await self._run(rec.pos_ref)
            except asyncio.CancelledError:
                raise
            except Exception as e:
                log.info("sale %s still open: %s", rec.pos_ref, type(e).__name__)
                results[rec.pos_ref] = e
        return results

    def in_flight(self, pos_ref: str) -> bool:
        return pos_ref in self._inflight

    async def find(self, pos_ref: str) -> SubmitResult | None:
        """Look a journaled sale's order up WITHOUT ever sending it; adopt it when found.

        Returns the stored result for a sale already created, the adopted order, or None when
        the server certainly has no order with this pos_ref (the list was read back past the
        first send). Raises :class:`BackendUnavailable` when that cannot be known now.
        """
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if rec.state in DONE:
            return self._stored_result(rec)
        lookup = await self._checked_lookup(rec)
        if lookup.order is not None:
            return self._adopt(pos_ref, lookup.order)
        return None

    def _hook(self, point: str, pos_ref: str) -> None:
        if self._hooks is not None:
            self._hooks(point, pos_ref)

    # --- the state machine -----------------------------------------------------------

    async def _run(
        self, pos_ref: str, *, interactive: bool = False, decided: bool = False
    ) -> SubmitResult:
        fut = self._inflight.get(pos_ref)
        if fut is not None:
            return await asyncio.shield(fut)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self._inflight[pos_ref] = fut
        try:
            result = await self._drive(pos_ref, interactive=interactive, decided=decided)
        except BaseException as e:
            if not fut.done():
                if isinstance(e, asyncio.CancelledError):
                    fut.cancel()
                else:
                    fut.set_exception(e)
                    fut.exception()  # joined callers re-raise it; silence "never retrieved"
            raise
        else:
            fut.set_result(result)
            return result
        finally:
            self._inflight.pop(pos_ref, None)

    def _delay(self, n: int) -> float:
        return nth_delay(self._backoff, n)

    async def _drive(self, pos_ref: str, *, interactive: bool, decided: bool) -> SubmitResult:
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if rec.state in DONE:
            return self._stored_result(rec)
        if rec.state == SaleState.REJECTED:
            raise SaleRejected(rec.last_error or "", None, pos_ref=pos_ref)
        if rec.state == SaleState.ABANDONED:
            raise JournalStateError(pos_ref, rec.state.value, SaleState.SENDING.value)
        if rec.state == SaleState.SENDING:
            # Nobody in this process drives it (see _run): the app died mid-request.
            self._journal.mark_unknown(pos_ref, "interrupted while sending")
        body = rec.body
        sends = 0
        unsent_failures = 0
        while True:
            rec = self._journal.get(pos_ref)
            assert rec is not None
            if rec.maybe_sent_at is not None:
                found = await self._confirm(rec, interactive=interactive, decided=decided)
                if found is not None:
                    return found
                decided = False  # the cashier's decision is worth one send
            if sends >= self._max_sends:
                # Out of attempts for now; the sale stays open in the journal for later.
                queued = rec.state == SaleState.QUEUED
                raise BackendUnavailable("gave up for now", pos_ref=pos_ref, queued=queued)
            started = self._clock()
            self._journal.mark_sending(pos_ref, at=started)
            sends += 1
            self._hook("before_send", pos_ref)
            try:
                order = await self._client.create_order(body)
            except BadRequestError as e:  # 400/422 on the order itself: final
                message, field = rejection_details(e)
                self._journal.mark_rejected(pos_ref, message or str(e))
                raise SaleRejected(message, e, field=field, pos_ref=pos_ref) from e
            except RateLimitedError as e:  # 429: the request was not processed
                self._journal.mark_queued(pos_ref, e)
                wait = e.retry_after if e.retry_after is not None else self._delay(sends - 1)
                if not interactive or wait > self.rate_limit_wait or sends >= self._max_sends:
                    raise BackendUnavailable(
                        "rate limited", pos_ref=pos_ref, queued=True, cause=e
                    ) from e
                await self._sleep(wait)
                continue
            except APIConnectionError as e:
                if e.may_have_sent:
                    self._journal.mark_unknown(pos_ref, e)
                    continue  # confirm before anything else
                unsent_failures += 1
                self._journal.mark_queued(pos_ref, e)
                if unsent_failures >= self._max_sends or not interactive:
                    raise BackendUnavailable(
                        "server unreachable", pos_ref=pos_ref, queued=True, cause=e
                    ) from e
                await self._sleep(self._delay(unsent_failures - 1))
                continue
            except APIStatusError as e:
                if e.status_code >= 500:  # a 5xx on the order request: it may exist
                    self._journal.mark_unknown(pos_ref, e)
                    continue
                self._journal.mark_failed(pos_ref, e)  # 401/403/404/409: refused, not created
                raise
            except ScalevError as e:  # outcome unknown, unreadable reply, anything else
                self._journal.mark_unknown(pos_ref, e)
                continue
            except asyncio.CancelledError:
                # The request may be on the wire: never leave the sale looking unsent.
                self._safe_mark_unknown(pos_ref, "cancelled")
                raise
            self._hook("after_reply_before_journal", pos_ref)
            try:
                self._journal.mark_created(pos_ref, order)
            except StorageError:
                # The order exists; the sale stays "sending" in the journal, so the next
                # reconcile looks it up and adopts it. The cashier can still take payment.
                log.exception("order %s created but the journal could not record it", order.id)
            self._hook("after_journal", pos_ref)
            self._checks.pop(pos_ref, None)
            return SubmitResult(pos_ref=pos_ref, order=order, adopted=False)

    # --- confirming a maybe-sent order -------------------------------------------------

    def _check_due(self, rec: SaleRecord) -> float:
        """When the next lookup of ``rec`` is due (epoch)."""
        checks = self._checks.get(rec.pos_ref)
        if checks is None:
            return 0.0  # never looked up in this process: due now
        due = checks.last + self.policy.interval(max(0, checks.count - 1))
        end = self.confirming_until(rec)
        if end is not None and checks.last < end:
            due = min(due, end)  # one lookup right when the window ends
        return due

    async def _confirm(
        self, rec: SaleRecord, *, interactive: bool, decided: bool
    ) -> SubmitResult | None:
        """Settle a maybe-sent sale: the adopted order, or None when the cashier decided to
        send again and the order is certainly absent. Otherwise raises
        :class:`SaleConfirming` (keep looking) or :class:`SaleNeedsDecision`."""
        pos_ref = rec.pos_ref
        end = self.confirming_until(rec)
        assert end is not None
        if interactive:
            lookup = await self._interactive_checks(rec)
        elif decided or self._clock() >= self._check_due(rec):
            lookup = await self._checked_lookup(rec, quiet=True)
        else:
            raise SaleConfirming(pos_ref, end, self._check_in(rec))
        if lookup.order is not None:
            return self._adopt(pos_ref, lookup.order)
        now = self._clock()
        if not lookup.conclusive or now < end:
            self._keep_confirming(pos_ref)
            raise SaleConfirming(pos_ref, end, self._check_in(rec), cause=lookup.error)
        if decided:
            log.info("sale %s: absent after the window; sending again (cashier)", pos_ref)
            return None
        when = datetime.fromtimestamp(rec.maybe_sent_at or now).astimezone()
        self._journal.mark_needs_decision(
            pos_ref,
            f"not found on the server {self.policy.window / 60:.0f} min after the send of "
            f"{when:%H:%M:%S}; send again or abandon",
        )
        self._checks.pop(pos_ref, None)
        raise SaleNeedsDecision(pos_ref, rec.maybe_sent_at)

    async def _interactive_checks(self, rec: SaleRecord) -> Lookup:
        """A few quick lookups while the cashier is still on "Sending…"."""
        start = self._clock()
        lookup = Lookup(None, False)
        for at in self.policy.interactive_checks:
            wait = start + at - self._clock()
            if wait > 0:
                await self._sleep(wait)
            lookup = await self._checked_lookup(rec, quiet=True)
            if lookup.order is not None:
                break
        checks = self._checks.get(rec.pos_ref)
        if checks is not None:
            checks.count = min(checks.count, 1)  # the outbox starts its own pace after these
        return lookup

    def _keep_confirming(self, pos_ref: str) -> None:
        try:
            rec = self._journal.get(pos_ref)
            if rec is not None and rec.state not in (SaleState.UNKNOWN, *DONE):
                self._journal.mark_unknown(pos_ref, rec.last_error)
        except StorageError:
            log.warning("could not mark %s unknown", pos_ref, exc_info=True)

    async def _checked_lookup(self, rec: SaleRecord, *, quiet: bool = False) -> Lookup:
        """One lookup, counted in the schedule. A failed lookup is a :class:`Lookup` with its
        ``error`` when ``quiet``, else :class:`BackendUnavailable` — never a rejection."""
        checks = self._checks.setdefault(rec.pos_ref, _Checks())
        checks.last = self._clock()
        try:
            lookup = await self._lookup(rec)
            checks.count += 1  # a failed lookup is retried at the same pace
        except asyncio.CancelledError:
            raise
        except (ScalevError, ValueError) as e:
            log.info("lookup of %s failed: %s", rec.pos_ref, type(e).__name__)
            if quiet:
                return Lookup(None, False, error=e)
            raise BackendUnavailable("order lookup failed", pos_ref=rec.pos_ref, cause=e) from e
        if not quiet and lookup.order is None and not lookup.conclusive:
            cause = LookupInconclusive("the order list could not be read back far enough")
            raise BackendUnavailable("order lookup inconclusive", pos_ref=rec.pos_ref, cause=cause)
        return lookup

    def _adopt(self, pos_ref: str, order: Order) -> SubmitResult:
        self._journal.mark_created(pos_ref, order, adopted=True)
        self._checks.pop(pos_ref, None)
        log.info("sale %s adopted order %s", pos_ref, order.id)
        return SubmitResult(pos_ref=pos_ref, order=order, adopted=True)

    def _safe_mark_unknown(self, pos_ref: str, err: BaseException | str) -> None:
        try:
            self._journal.mark_unknown(pos_ref, err)
        except Exception:
            log.warning("could not mark %s unknown", pos_ref, exc_info=True)

    def _stored_result(self, rec: SaleRecord) -> SubmitResult:
        from pos.api.models import Order

        order = Order.model_validate(rec.order or {"id": rec.order_id})
        return SubmitResult(
            pos_ref=rec.pos_ref, order=order, adopted=rec.state == SaleState.RECONCILED
        )

    # --- lookup ----------------------------------------------------------------------

    async def _lookup(self, rec: SaleRecord) -> Lookup:
        return await find_order(self._client, rec, self.policy, self._clock)
