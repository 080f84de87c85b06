"""Taking the money at the counter (issue 13): cash with change, mark-paid and terminal tags.

Scalev has no ``cash`` payment method. A cash sale's order is created with a manual method the
store has enabled (``bank_transfer`` or ``no_payment``: :func:`cash_method`), then marked paid
with ``POST /v3/orders/change-status``.

Exactly-once for the whole cash sale, without touching the checkout's internals:

1. :class:`TenderingCheckout` makes the ``pos_ref`` first and records the tender ("cash
   received, not yet marked paid") in ``tenders`` (``pos.storage.tenders``) BEFORE the order is
   submitted, then hands the draft to :class:`~pos.services.checkout.CheckoutService` under that
   ``pos_ref``;
2. :class:`Aftercare` acts only on sales whose journal record has an ``order_id`` (created or
   reconciled), so it can never create an order: it marks cash sales paid (idempotent) and tags
   every sale with the terminal (``kasir-<terminal>``, merged with the order's own tags). Failures
   are retried with backoff; :meth:`Aftercare.run_once` at start-up resumes what a crash left.
3. A ``403`` on change-status (the key lacks ``order:change_status``) leaves the order unpaid,
   records ``forbidden`` and calls ``on_forbidden``: the cashier is told to confirm it in the
   dashboard, and cash is disabled for the key (:attr:`TenderingCheckout.cash_blocked`) until
   the settings change.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from pos.api.errors import NotFoundError, PermissionDeniedError, ScalevError
from pos.domain.backoff import nth_delay
from pos.storage.journal import SaleJournal, SaleState, new_pos_ref
from pos.storage.tenders import DONE, PENDING, Tender, TenderStore

from .checkout import SubmitResult
from .ports import AftercareClient

if TYPE_CHECKING:
    from pos.api.models import Order, PaymentInfo
    from pos.domain.sale import SaleDraft

log = logging.getLogger(__name__)

#: manual methods a cash order may be created with, in the default order of preference
CASH_METHODS = ("bank_transfer", "no_payment")
#: setting: the API key could not mark orders paid (403); cash stays off until settings change
CASH_FORBIDDEN_SETTING = "cash_forbidden"
#: setting prefix: the manual method for cash, per store (``cash_method.<store id>``)
CASH_METHOD_SETTING = "cash_method"
RETRY_BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0, 300.0)
#: seconds before a sale still waiting for its order (queued offline) is looked at again
WAITING_RECHECK = 10.0
_FINAL_WITHOUT_ORDER = (SaleState.REJECTED, SaleState.ABANDONED)


class SettingsLike(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


# --- pure helpers ---------------------------------------------------------------------------
def cash_method(store_methods: Iterable[str], preferred: str | None = None) -> str | None:
    """The manual method to create a cash order with: ``preferred`` when the store enables it,
    else the first enabled of :data:`CASH_METHODS`; None when the store enables neither."""
    enabled = set(store_methods)
    if preferred in CASH_METHODS and preferred in enabled:
        return preferred
    return next((m for m in CASH_METHODS if m in enabled), None)


def change_due(total: int, received: int) -> int:
    """Change to hand back; negative when the cash does not cover the total."""
    return int(received) - int(total)


def quick_amounts(total: int, limit: int = 5) -> list[int]:
    """Amounts a cashier taps for the cash received: the exact total, the next round amounts
    above it (Rp5.000, Rp10.000, Rp50.000, Rp100.000 steps), Rp50.000 and Rp100.000 when they
    cover the total; ascending, unique."""
    total = max(0, int(total))
    amounts = {total}
    for step in (5_000, 10_000, 50_000, 100_000):
        amounts.add(-(-total // step) * step if total else step)
    for note in (50_000, 100_000):
        if note >= total:
            amounts.add(note)
    return sorted(a for a in amounts if a >= total and a > 0)[:limit]


def terminal_tag(terminal: str) -> str:
    """``"KASIR-01"`` → ``"kasir-01"``; ``"Meja 2"`` → ``"kasir-meja-2"``."""
    slug = re.sub(r"[^a-z0-9]+", "-", terminal.strip().lower()).strip("-") or "pos"
    return slug if slug.startswith("kasir") else f"kasir-{slug}"


def tender_kind(draft: SaleDraft) -> str:
    return "cash" if draft.tender == "cash" else draft.payment_method


def _iso_z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _order_tags(order: Any) -> list[str]:
    extra = getattr(order, "model_extra", None) or {}
    raw = extra.get("tags") or []
    tags: list[str] = []
    for t in raw:
        name = t.get("name") if isinstance(t, dict) else t
        if isinstance(name, str) and name:
            tags.append(name)
    return tags


# --- aftercare ------------------------------------------------------------------------------
@dataclass
class AftercareOutcome:
    """What one :meth:`Aftercare.settle` did for a sale."""

    pos_ref: str
    order: Order | None = None  # the fresh order when the server answered
    forbidden: bool = False  # change-status refused (403): the order stays unpaid
    waiting: bool = False  # no order yet (queued / being confirmed): nothing to do now
    failed: BaseException | None = None  # retried later


class Aftercare:
    """Marks cash sales paid and tags every sale with the terminal, until done."""

    def __init__(
        self,
        client: AftercareClient,
        journal: SaleJournal,
        tenders: TenderStore,
        *,
        terminal: str,
        backoff: Sequence[float] = RETRY_BACKOFF,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        on_forbidden: Callable[[str], None] | None = None,
        on_order: Callable[[str, Order], None] | None = None,
    ) -> None:
        self._client = client
        self._journal = journal
        self.tenders = tenders
        self.terminal = terminal
        self._backoff = tuple(backoff) or (1.0,)
        self._clock = clock
        self._sleep = sleep
        self.on_forbidden = on_forbidden
        self.on_order = on_order
        self._locks: dict[str, asyncio.Lock] = {}
        self._wake = asyncio.Event()

    @property
    def client(self) -> AftercareClient:
        return self._client

    @property
    def tag(self) -> str:
        return terminal_tag(self.terminal)

    def poke(self) -> None:
        """Run the loop now (a new sale, the network came back)."""
        self._wake.set()

    async def settle(self, pos_ref: str, known: Order | None = None) -> AftercareOutcome:
        """One attempt at everything still open for ``pos_ref`` (never creates an order).

        ``known``: the order as just created (its tags are known, so it is not read again).
        """
        lock = self._locks.setdefault(pos_ref, asyncio.Lock())
        async with lock:
            try:
                return await self._settle(pos_ref, known)
            finally:
                if not lock.locked():
                    self._locks.pop(pos_ref, None)

    async def _settle(self, pos_ref: str, known: Order | None = None) -> AftercareOutcome:
        out = AftercareOutcome(pos_ref)
        tender = self.tenders.get(pos_ref)
        rec = self._journal.get(pos_ref)
        if tender is None:
            return out
        if rec is None or rec.state in _FINAL_WITHOUT_ORDER:
            self.tenders.discard(pos_ref)  # the sale never became an order
            return out
        if not rec.order_id:
            out.waiting = True  # the outbox creates it first; look again in a while
            self.tenders.defer(
                pos_ref, (self._clock() + timedelta(seconds=WAITING_RECHECK)).isoformat()
            )
            return out
        order_id = rec.order_id
        paid_now = False
        try:
            if tender.mark_paid == PENDING:
                try:
                    await self._client.mark_order_paid(
                        order_id,
                        payment_method=tender.payment_method,
                        transfer_time=_iso_z(datetime.fromisoformat(tender.created_at)),
                    )
                except PermissionDeniedError as exc:
                    self.tenders.mark_paid_forbidden(pos_ref, f"403 {exc}")
                    out.forbidden = True
                    log.warning("sale %s: the key may not mark orders paid (403)", pos_ref)
                    if self.on_forbidden is not None:
                        self.on_forbidden(pos_ref)
                else:
                    self.tenders.mark_paid_done(pos_ref)
                    paid_now = True
            if known is not None and str(known.id) == order_id:
                order = known
                # marked paid now, or already by the loop that held this sale's lock first
                if paid_now or tender.mark_paid == DONE:
                    order = known.model_copy(update={"payment_status": "paid"})
            else:
                order = await self._client.get_order(order_id)
            if not tender.tagged:
                tags = _order_tags(order)
                if self.tag not in tags:
                    try:
                        order = await self._client.update_order_tags(order_id, [*tags, self.tag])
                    except (PermissionDeniedError, NotFoundError) as exc:
                        # not retryable: the report falls back to the journal for this sale
                        log.warning("sale %s: tagging refused (%s)", pos_ref, exc.status_code)
                self.tenders.mark_tagged(pos_ref)
            out.order = order
            self._journal.update_order(pos_ref, order)
            if self.on_order is not None:
                self.on_order(pos_ref, order)
        except asyncio.CancelledError:
            raise
        except (ScalevError, OSError) as exc:
            current = self.tenders.get(pos_ref)
            attempts = current.attempts if current else 0
            delay = nth_delay(self._backoff, attempts)
            next_try = self._clock() + timedelta(seconds=delay)
            self.tenders.failed_attempt(pos_ref, type(exc).__name__, next_try.isoformat())
            out.failed = exc
            log.info("sale %s aftercare retry in %.0f s: %s", pos_ref, delay, type(exc).__name__)
        return out

    async def run_once(self, *, due_only: bool = True) -> list[AftercareOutcome]:
        """Settle every open tender (those whose retry time has come, unless ``due_only`` is
        False). Returns what happened to each."""
        now = self._clock()
        outcomes = []
        for tender in self.tenders.open_aftercare():
            if due_only and tender.next_try_at and datetime.fromisoformat(tender.next_try_at) > now:
                continue
            outcomes.append(await self.settle(tender.pos_ref))
        return outcomes

    def next_due(self) -> float | None:
        """Seconds until the next open tender may be tried (0: now; None: nothing open)."""
        now = self._clock()
        waits = []
        for tender in self.tenders.open_aftercare():
            if tender.next_try_at is None:
                waits.append(0.0)
            else:
                waits.append(
                    max(0.0, (datetime.fromisoformat(tender.next_try_at) - now).total_seconds())
                )
        return min(waits) if waits else None

    async def run(self, idle: float = 30.0) -> None:
        """Forever: settle what is due, then sleep until the next is due (or a :meth:`poke`).
        Sales waiting for their order (queued) are looked at every ``idle`` seconds."""
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            await self.run_once()
            due = self.next_due()
            deadline = loop.time() + (idle if due is None else max(0.5, min(due, idle)))
            # short sleeps, not wait_for(event): on Python 3.11 a cancel that coincides with
            # the event being set can be swallowed by wait_for, and the app would not shut down
            while not self._wake.is_set() and loop.time() < deadline:
                await self._sleep(min(0.25, max(0.0, deadline - loop.time())))


# --- the checkout wrapper -------------------------------------------------------------------
@dataclass
class TenderResult(SubmitResult):
    """A :class:`SubmitResult` with the tender and what the aftercare did right away."""

    tender: Tender | None = None
    forbidden: bool = False  # cash taken, but the order could not be marked paid (403)


class TenderingCheckout:
    """Wraps the checkout the sale screen uses: records the tender under a fresh ``pos_ref``
    before submitting, then settles it at once (mark paid, tag) — retried later if that fails.

    Everything else (``resume``, ``find`` …) goes to the wrapped checkout.
    """

    def __init__(
        self,
        checkout: Any,
        tenders: TenderStore,
        aftercare: Aftercare,
        *,
        settings: SettingsLike | None = None,
        shift_id: Callable[[], int | None] = lambda: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.checkout = checkout
        self.tenders = tenders
        self.aftercare = aftercare
        self.settings = settings
        self._shift_id = shift_id
        self._clock = clock
        #: the terminal's :class:`~pos.services.shift.ShiftService` (set by the app)
        self.shifts: Any = None
        if aftercare.on_forbidden is None:  # a resumed sale refused later blocks cash too
            aftercare.on_forbidden = self._block_cash

    @property
    def terminal(self) -> str:
        return self.aftercare.terminal

    @terminal.setter
    def terminal(self, value: str) -> None:
        """A renamed terminal (settings): new orders and new tags use the new name."""
        self.aftercare.terminal = value
        self.checkout.terminal = value
        if self.shifts is not None:
            self.shifts.terminal = value

    async def payment_info(self, order_id: str) -> PaymentInfo:
        """``POST /v3/orders/{id}/payment`` (``qr_string`` for a QRIS order)."""
        return await self.aftercare.client.create_order_payment(order_id)

    @property
    def cash_blocked(self) -> bool:
        """The key was refused marking orders paid (403): no cash until the settings change."""
        return bool(self.settings is not None and self.settings.get(CASH_FORBIDDEN_SETTING))

    def clear_cash_block(self) -> None:
        if self.settings is not None:
            self.settings.set(CASH_FORBIDDEN_SETTING, "")

    def _block_cash(self, _pos_ref: str) -> None:
        if self.settings is not None:
            self.settings.set(CASH_FORBIDDEN_SETTING, "1")

    async def submit(self, draft: SaleDraft) -> SubmitResult:
        if draft.tender == "cash" and self.cash_blocked:
            raise PermissionError("cash is disabled for this API key")
        pos_ref = new_pos_ref()
        self.tenders.record(
            pos_ref,
            kind=tender_kind(draft),
            payment_method=draft.payment_method,
            total=draft.total,
            discount=draft.product_discount + draft.shipping_discount,
            received=draft.cash_received,
            terminal=self.terminal,
            shift_id=self._shift_id(),
        )
        try:
            result: SubmitResult = await self.checkout.submit(draft, pos_ref=pos_ref)
        except BaseException:
            self.aftercare.poke()  # queued or confirming: settled once its order exists
            raise
        if result.pos_ref != pos_ref:  # joined an equal draft already in flight
            self.tenders.discard(pos_ref)
        # mark paid (cash) and tag now: the tag reply is the fresh order (one request each);
        # what fails here is the loop's to retry
        try:
            outcome = await self.aftercare.settle(result.pos_ref, known=result.order)
        finally:
            self.aftercare.poke()
        return TenderResult(
            pos_ref=result.pos_ref,
            order=outcome.order or result.order,
            adopted=result.adopted,
            tender=self.tenders.get(result.pos_ref),
            forbidden=outcome.forbidden,
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.checkout, name)
