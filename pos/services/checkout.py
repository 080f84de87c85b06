"""Exactly-once order creation on top of an API without idempotency keys.

Scalev's ``POST /v3/orders`` has no idempotency key, so the POS makes creation exactly-once
itself:

1. the sale is journaled (state ``draft``) with a ``pos_ref`` UUID and the frozen request body
   (``metadata.pos_ref``) BEFORE anything is sent;
2. each send is preceded by ``mark_sending``; a reply marks it ``created``;
3. when the outcome is unknown (timeout after sending, reset, 5xx, unreadable 2xx) the order is
   looked up by customer phone + ``metadata.pos_ref`` (``GET /v3/orders``, newest first) and
   adopted if found; only when it is absent is the SAME body resent — a bounded number of times;
4. a request that certainly never left (connect failure) may be resent; when the network is
   gone the sale is ``queued`` for later;
5. 400/422 is final (``rejected``); other refusals (401/403/404/409) are ``failed``.

A pos_ref in flight is never driven twice at once: concurrent callers join the running attempt.

Settle delay after a timeout
    A send that TIMED OUT may still be committed by the server later (it was slow, not lost):
    a lookup right after the timeout can miss it, and the resend that follows would create a
    second order. So after an outcome-unknown caused by a timeout the lookup waits until
    ``settle_delay`` seconds after that attempt STARTED (the app passes at least the client's
    read timeout; 0 turns it off). When the remaining wait is longer than ``settle_wait_limit``
    the sale screen does not block: :meth:`submit` raises :class:`SaleSettling` (a
    :class:`BackendUnavailable`, sale ``unknown``) and the outbox (:meth:`resume`) waits the rest
    out in the background, then looks up, then resends only if absent. The cashier sees
    "Sedang dipastikan… / Confirming…". The wait is kept in memory: a restarted app has been
    down for a while, and its start-up reconcile looks up at once.

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
from typing import TYPE_CHECKING, Any

from pos.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    InvalidResponseError,
    OrderOutcomeUnknown,
    RateLimitedError,
    ScalevError,
    ServerError,
)
from pos.domain.sale import SaleDraft, build_order_body, short_ref
from pos.storage.db import StorageError
from pos.storage.journal import (
    DONE,
    JournalStateError,
    SaleJournal,
    SaleRecord,
    SaleState,
    new_pos_ref,
)

from .errors import BackendUnavailable, SaleRejected, rejection_details

if TYPE_CHECKING:
    from pos.api.models import Order, OrderListItem

log = logging.getLogger(__name__)

LOOKUP_COLUMNS = [
    "id",
    "order_id",
    "secret_slug",
    "status",
    "payment_status",
    "payment_url",
    "public_order_url",
    "gross_revenue",
    "metadata",
    "notes",
    "created_at",
]


class SaleSettling(BackendUnavailable):
    """A send timed out; the order is looked up only after the settle delay (see the module
    docstring). The sale is ``unknown`` in the journal and the outbox finishes it;
    ``settle_until`` is on the service's clock."""

    def __init__(self, pos_ref: str, settle_until: float, cause: BaseException | None) -> None:
        super().__init__(
            "waiting for a timed-out send to settle", pos_ref=pos_ref, queued=False, cause=cause
        )
        self.settle_until = settle_until


def _timed_out(exc: BaseException) -> bool:
    """A send that timed out (as opposed to a reset or a 5xx): the server may commit later."""
    if isinstance(exc, APITimeoutError):
        return True
    cause = getattr(exc, "cause", None)
    return isinstance(cause, APITimeoutError)


@dataclass
class SubmitResult:
    pos_ref: str
    order: Order
    adopted: bool  # True: the order was found by reconcile (the reply had been lost)


class CheckoutService:
    """Creates orders exactly once per sale (see module docstring)."""

    def __init__(
        self,
        client: Any,
        journal: SaleJournal,
        *,
        terminal: str = "KASIR-01",
        max_sends: int = 3,
        max_reconcile_rounds: int = 3,
        lookup_limit: int = 50,
        backoff: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        hooks: Callable[[str, str], None] | None = None,
        settle_delay: float = 0.0,
        settle_wait_limit: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._hooks = hooks
        self._journal = journal
        self.terminal = terminal
        self._max_sends = max_sends
        self._max_rounds = max_reconcile_rounds
        self._lookup_limit = lookup_limit
        self._backoff = tuple(backoff) or (0.0,)
        self._sleep = sleep
        self._inflight: dict[str, asyncio.Future[SubmitResult]] = {}
        self._inflight_drafts: dict[SaleDraft, str] = {}
        #: seconds after a timed-out attempt started before its lookup (0: off)
        self.settle_delay = settle_delay
        #: longest settle wait the sale screen sits through; longer → the outbox finishes it
        self.settle_wait_limit = settle_wait_limit
        self._clock = clock
        self._settle_until: dict[str, float] = {}

    # --- public ----------------------------------------------------------------------

    async def submit(self, draft: SaleDraft, pos_ref: str | None = None) -> SubmitResult:
        """Journal the sale, then create the order exactly once.

        Raises :class:`SaleRejected` (final) or :class:`BackendUnavailable` (the sale stays in
        the journal, ``queued`` or ``unknown``). Submitting an equal draft while the first is
        still in flight (a double click) joins the first instead of creating a second sale.
        ``pos_ref``: the caller made it first (to record the tender under it before sending).
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

    async def resume(self, pos_ref: str) -> SubmitResult:
        """Drive a journaled sale to an outcome (lookup first if it may have been sent;
        after a timed-out send, not before the settle delay has passed)."""
        return await self._run(pos_ref)

    def settling(self, pos_ref: str) -> float:
        """Seconds before ``pos_ref``'s timed-out send may be looked up (0: now)."""
        return max(0.0, self._settle_until.get(pos_ref, 0.0) - self._clock())

    async def reconcile_unfinished(self) -> dict[str, SubmitResult | BaseException]:
        """Crash/offline recovery: every sending/unknown/queued sale is looked up first and
        resent only if absent. Returns ``pos_ref -> result or the error`` (never raises for
        one sale's failure)."""
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
        the server has no order with this pos_ref. Raises :class:`BackendUnavailable` when the
        lookup itself fails.
        """
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if rec.state in DONE:
            return self._stored_result(rec)
        try:
            found = await self._lookup(rec)
        except (APIConnectionError, ServerError, InvalidResponseError, RateLimitedError) as e:
            raise BackendUnavailable("order lookup failed", pos_ref=pos_ref, cause=e) from e
        if found is None:
            return None
        self._journal.mark_created(pos_ref, found, adopted=True)
        return SubmitResult(pos_ref=pos_ref, order=found, adopted=True)

    def _hook(self, point: str, pos_ref: str) -> None:
        if self._hooks is not None:
            self._hooks(point, pos_ref)

    # --- the state machine -----------------------------------------------------------

    async def _run(self, pos_ref: str, *, interactive: bool = False) -> SubmitResult:
        fut = self._inflight.get(pos_ref)
        if fut is not None:
            return await asyncio.shield(fut)
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        self._inflight[pos_ref] = fut
        try:
            result = await self._drive(pos_ref, interactive)
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
        return self._backoff[min(n, len(self._backoff) - 1)]

    async def _settle(self, pos_ref: str, interactive: bool) -> None:
        """Wait out the settle delay of a timed-out send before its lookup."""
        wait = self.settling(pos_ref)
        if wait <= 0:
            self._settle_until.pop(pos_ref, None)
            return
        if interactive and wait > self.settle_wait_limit:
            raise SaleSettling(pos_ref, self._settle_until[pos_ref], None)
        await self._sleep(wait)
        self._settle_until.pop(pos_ref, None)

    def _note_unknown(self, pos_ref: str, exc: BaseException, started: float) -> None:
        if self.settle_delay > 0 and _timed_out(exc):
            self._settle_until[pos_ref] = started + self.settle_delay

    async def _drive(self, pos_ref: str, interactive: bool = False) -> SubmitResult:
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if rec.state in DONE:
            return self._stored_result(rec)
        if rec.state == SaleState.REJECTED:
            raise SaleRejected(rec.last_error or "", None, pos_ref=pos_ref)
        if rec.state == SaleState.ABANDONED:
            raise JournalStateError(pos_ref, rec.state.value, SaleState.SENDING.value)
        body = rec.body
        # Anything that may have left the machine must be looked up before a resend.
        need_lookup = rec.attempts > 0
        rounds = 0  # lookups that found nothing
        sends = 0
        unsent_failures = 0
        while True:
            if need_lookup:
                await self._settle(pos_ref, interactive)
                try:
                    found = await self._lookup(rec)
                except (APIConnectionError, ServerError, InvalidResponseError,
                        RateLimitedError) as e:  # fmt: skip
                    self._safe_mark_unknown(pos_ref, e)
                    raise BackendUnavailable(
                        "order lookup failed", pos_ref=pos_ref, queued=False, cause=e
                    ) from e
                if found is not None:
                    self._journal.mark_created(pos_ref, found, adopted=True)
                    log.info("sale %s adopted order %s", pos_ref, found.id)
                    return SubmitResult(pos_ref=pos_ref, order=found, adopted=True)
                rounds += 1
                need_lookup = False
            if sends >= self._max_sends or rounds > self._max_rounds:
                # Out of attempts. The sale stays open in the journal for later.
                final = self._journal.get(pos_ref)
                queued = final is not None and final.state == SaleState.QUEUED
                raise BackendUnavailable("gave up for now", pos_ref=pos_ref, queued=queued)
            self._journal.mark_sending(pos_ref)
            sends += 1
            self._hook("before_send", pos_ref)
            started = self._clock()
            try:
                order = await self._client.create_order(body)
            except BadRequestError as e:  # 400/422: final
                message, field = rejection_details(e)
                self._journal.mark_rejected(pos_ref, message or str(e))
                raise SaleRejected(message, e, field=field, pos_ref=pos_ref) from e
            except RateLimitedError as e:  # 429: the request was not processed
                self._journal.mark_queued(pos_ref, e)
                await self._sleep(min(e.retry_after or self._delay(sends), 30.0))
                continue
            except (OrderOutcomeUnknown, ServerError, InvalidResponseError) as e:
                self._journal.mark_unknown(pos_ref, e)
                self._note_unknown(pos_ref, e, started)
                need_lookup = True
                if self.settling(pos_ref) > 0:
                    continue  # the settle wait replaces the backoff
                await self._sleep(self._delay(rounds))
                continue
            except APIConnectionError as e:
                if e.may_have_sent:
                    self._journal.mark_unknown(pos_ref, e)
                    self._note_unknown(pos_ref, e, started)
                    need_lookup = True
                    if self.settling(pos_ref) > 0:
                        continue
                    await self._sleep(self._delay(rounds))
                    continue
                unsent_failures += 1
                self._journal.mark_queued(pos_ref, e)
                if unsent_failures >= self._max_sends:
                    raise BackendUnavailable(
                        "server unreachable", pos_ref=pos_ref, queued=True, cause=e
                    ) from e
                await self._sleep(self._delay(unsent_failures - 1))
                continue
            except APIStatusError as e:  # 401/403/404/409: refused, not created
                self._journal.mark_failed(pos_ref, e)
                raise
            except ScalevError as e:  # unknown client failure: treat as maybe-sent
                self._journal.mark_unknown(pos_ref, e)
                raise BackendUnavailable(str(e), pos_ref=pos_ref, cause=e) from e
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
            return SubmitResult(pos_ref=pos_ref, order=order, adopted=False)

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

    # --- reconcile -------------------------------------------------------------------

    async def _lookup(self, rec: SaleRecord) -> Order | None:
        """The order carrying ``rec``'s pos_ref, or None.

        First the customer's newest orders (phone search, up to ``lookup_limit``), then — in
        case the server formats phones differently — the store's newest page without a
        search. Both are newest first, so a just-created order is near the top.
        """
        phone = rec.customer_phone or rec.body.get("customer_phone")
        marker = f"#{short_ref(rec.pos_ref)}"
        base: dict[str, Any] = {"store_id": rec.store_id, "columns": LOOKUP_COLUMNS}
        passes: list[tuple[dict[str, Any], int]] = []
        if phone:
            passes.append(
                ({**base, "search": phone, "search_field": "customer_phone"}, self._lookup_limit)
            )
        passes.append((base, 25 if phone else self._lookup_limit))
        match: OrderListItem | None = None
        for kwargs, limit in passes:
            match = await self._scan(kwargs, limit, rec.pos_ref, marker)
            if match is not None:
                break
        if match is None or not match.id:
            return None
        try:
            return await self._client.get_order(match.id)
        except (APIConnectionError, ServerError, InvalidResponseError, RateLimitedError):
            log.info("get_order after lookup failed; adopting the list item")
            from pos.api.models import Order

            return Order.model_validate(match.model_dump())

    async def _scan(
        self, kwargs: dict[str, Any], limit: int, pos_ref: str, marker: str
    ) -> OrderListItem | None:
        seen = 0
        iterator = self._client.list_orders(**kwargs)
        try:
            async for item in iterator:
                if _matches(item, pos_ref, marker):
                    return item
                seen += 1
                if seen >= limit:
                    break
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        return None


def _matches(item: OrderListItem, pos_ref: str, marker: str) -> bool:
    meta = item.metadata if isinstance(item.metadata, dict) else None
    if meta and meta.get("pos_ref"):
        return str(meta["pos_ref"]) == pos_ref
    # Defensive: a server that drops metadata still keeps our notes ("Kasir T #abcd1234").
    return bool(item.notes) and marker in (item.notes or "").split()
