"""The sales history: every journaled sale with its local and remote status.

``list`` reads only the local journal (instant, works offline); ``refresh`` re-reads one order
from Scalev (payment status, cancellation) and stores it in the journal. Open a row to show its
QR (``payment_url``) and live status again (:class:`pos.services.payment.PaymentWatcher` with
``order_id``); retry or abandon pending ones through :class:`pos.services.outbox.OutboxService`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from pos.domain.order_status import is_canceled_payment, is_closed, is_paid
from pos.storage.journal import DONE, PENDING, SaleJournal, SaleRecord, SaleState

from .outbox import payment_link_for
from .ports import OrderReader

#: Row statuses (what the history screen shows).
STATUSES = (
    "pending",  # not created yet (queued / being sent / outcome being checked)
    "created",  # the order exists, not paid yet
    "paid",
    "canceled",
    "failed",  # local: refused (401/403/…); remote: payment failed
    "rejected",  # 400/422, final
    "needs_decision",  # pending > 24 h
    "abandoned",
)

if TYPE_CHECKING:
    from pos.api.models import Order


def status_of(rec: SaleRecord) -> str:
    """The row status of a journal record (see :data:`STATUSES`)."""
    if rec.state in DONE:
        order = rec.order or {}
        payment = str(rec.payment_status or order.get("payment_status") or "").lower()
        if is_paid(payment):
            return "paid"
        if is_closed(order.get("status")) or is_canceled_payment(payment):
            return "canceled"
        if payment == "failed":
            return "failed"
        return "created"
    if rec.state == SaleState.FAILED:
        return "failed"
    if rec.state == SaleState.REJECTED:
        return "rejected"
    if rec.state == SaleState.NEEDS_DECISION:
        return "needs_decision"
    if rec.state == SaleState.ABANDONED:
        return "abandoned"
    return "pending"


@dataclass(frozen=True)
class HistoryRow:
    pos_ref: str
    created_at: datetime  # aware, local time zone of the service
    state: SaleState  # local journal state
    status: str  # see STATUSES
    store_name: str
    customer_name: str
    customer_phone: str | None
    total: int
    order_id: str | None
    order_number: str | None
    payment_url: str | None
    payment_status: str | None
    last_error: str | None
    record: SaleRecord

    @property
    def can_retry(self) -> bool:
        return self.state in (SaleState.FAILED, SaleState.NEEDS_DECISION) or (
            self.state in PENDING and self.state != SaleState.SENDING
        )

    @property
    def pending(self) -> bool:
        """Not yet known to Scalev for sure: sending, queued or confirming (``PENDING``)."""
        return self.state in PENDING

    @property
    def can_abandon(self) -> bool:
        return self.pending

    @property
    def can_show_payment(self) -> bool:
        """The QR / payment screen can be shown (the order exists)."""
        return self.state in DONE and bool(self.order_id)

    def whatsapp_link(self, lang: str = "id") -> str | None:
        return payment_link_for(self.record, lang)


def normalize_search_phone(text: str) -> str | None:
    """The ``62…`` form of a phone-like search (``0812-34``, ``+62 812 34``, ``812 34``)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) < 3:
        return None
    if digits.startswith("0"):
        return "62" + digits[1:]
    if digits.startswith("8"):
        return "62" + digits
    return digits


class HistoryService:
    def __init__(
        self, journal: SaleJournal, client: OrderReader, *, tz: tzinfo | None = None
    ) -> None:
        self._journal = journal
        self._client = client
        self._tz = tz

    def _local_tz(self) -> tzinfo:
        if self._tz is not None:
            return self._tz
        local = datetime.now().astimezone().tzinfo
        return local or UTC

    def _row(self, rec: SaleRecord) -> HistoryRow:
        try:
            created = datetime.fromisoformat(rec.created_at)
        except ValueError:
            created = datetime.fromtimestamp(0, UTC)
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return HistoryRow(
            pos_ref=rec.pos_ref,
            created_at=created.astimezone(self._local_tz()),
            state=rec.state,
            status=status_of(rec),
            store_name=rec.store_name,
            customer_name=rec.customer_name,
            customer_phone=rec.customer_phone,
            total=rec.total,
            order_id=rec.order_id,
            order_number=rec.order_number,
            payment_url=rec.payment_url,
            payment_status=rec.payment_status,
            last_error=rec.last_error,
            record=rec,
        )

    def set_aside(self, lang: str = "id") -> list[str]:
        """Cashier texts about what the journal set aside: damaged sale rows that cannot be
        read (kept raw; ``kasir doctor`` lists them) and a database recovered from damage."""
        from pos.storage.recovery import RecoveryReport

        entries = self._journal.quarantined()
        out: list[str] = []
        sales = [e for e in entries if e.source == "sales"]
        if sales:
            n = len(sales)
            out.append(
                f"{n} damaged sales rows cannot be read and were set aside (kept as they are; "
                "see kasir doctor). Every other sale is shown and sent as usual."
                if lang == "en"
                else f"{n} baris penjualan rusak tidak bisa dibaca dan disisihkan (disimpan apa "
                "adanya; lihat kasir doctor). Penjualan lainnya tampil dan dikirim seperti biasa."
            )
        for e in entries:
            if e.source != "database":
                continue
            try:
                out.append(RecoveryReport(**json.loads(e.raw)).describe(lang))
            except (ValueError, TypeError):
                out.append(f"{e.reason}: {e.key}")
        return out

    def list(
        self, search: str | None = None, day: date | None = None, *, limit: int = 500
    ) -> list[HistoryRow]:
        """Newest first. ``search``: customer name, phone (any format) or order number;
        ``day``: a local calendar day."""
        since = until = None
        if day is not None:
            tz = self._local_tz()
            start = datetime.combine(day, time.min, tzinfo=tz)
            end = start + timedelta(days=1)
            since = start.astimezone(UTC).isoformat(timespec="milliseconds")
            until = end.astimezone(UTC).isoformat(timespec="milliseconds")
        text = (search or "").strip() or None
        phone = normalize_search_phone(text) if text else None
        recs = self._journal.recent(text, limit, since=since, until=until, phone_digits=phone)
        return [self._row(r) for r in recs]

    def get(self, pos_ref: str) -> HistoryRow | None:
        rec = self._journal.get(pos_ref)
        return None if rec is None else self._row(rec)

    async def refresh(self, pos_ref: str) -> HistoryRow:
        """Re-read the order from Scalev and store its payment status in the journal.

        A sale without an order is returned as it is (nothing to read). API errors propagate
        (show them with :func:`pos.services.errors.user_message`).
        """
        rec = self._journal.get(pos_ref)
        if rec is None:
            raise KeyError(pos_ref)
        if rec.state not in DONE or not rec.order_id:
            return self._row(rec)
        order: Order = await self._client.get_order(rec.order_id)
        self._journal.update_order(pos_ref, order)
        fresh = self._journal.get(pos_ref)
        assert fresh is not None
        return self._row(fresh)

    def record_order(self, order: Order) -> str | None:
        """Keep an order read elsewhere (the payment screen's watcher) in its sale's record,
        so the history shows its payment without a refresh. Returns the sale's ``pos_ref``
        when the record changed, ``None`` when it is not a sale of this till or nothing
        changed."""
        rec = self._journal.by_order_id(str(order.id))
        if rec is None or rec.state not in DONE:
            return None
        before = rec.order or {}
        if (rec.payment_status, before.get("status")) == (order.payment_status, order.status):
            return None
        self._journal.update_order(rec.pos_ref, order)
        return rec.pos_ref


__all__ = ["STATUSES", "HistoryRow", "HistoryService", "normalize_search_phone", "status_of"]
