"""Finding an order whose creation reply was lost: how long and how often to look
(:class:`ConfirmPolicy`) and one lookup (:func:`find_order`) by ``metadata.pos_ref`` (or the
short ref in ``notes``), reading the customer's orders, then the store's, back past the first send.

The state machine that decides when to look and what a lookup means for the sale is
:class:`pos.services.checkout.CheckoutService`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos.api.errors import ScalevError
from pos.domain.backoff import nth_delay
from pos.domain.sale import short_ref
from pos.storage.journal import SaleRecord

from .ports import CheckoutClient, OrderLister, OrderReader

if TYPE_CHECKING:
    from pos.api.models import Order, OrderListItem

#: the lookup logs as part of checkout (its messages kept their logger when it moved here)
log = logging.getLogger("pos.services.checkout")

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


@dataclass(frozen=True)
class ConfirmPolicy:
    """How long and how often a maybe-sent order is looked up before anyone may resend it."""

    #: seconds after the latest maybe-sent attempt during which the body is never resent
    window: float = 600.0
    #: looks up while the cashier waits on "Sending…" (seconds after the failed attempt)
    interactive_checks: tuple[float, ...] = (0.0, 2.0, 5.0)
    #: then the outbox looks up after these gaps (the last one repeats)
    intervals: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0, 60.0)
    #: a lookup reads back to orders created this long before the first send (clock skew)
    margin: float = 900.0
    #: pages of the customer's orders a lookup may read (25 a page); more → inconclusive
    max_pages: int = 40
    #: pages of the store's newest orders read as a fallback (a server that formats phones
    #: differently); a sale without a phone must be settled by this pass alone
    store_pages: int = 8

    def interval(self, n: int) -> float:
        return nth_delay(self.intervals, n) if self.intervals else 0.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ConfirmPolicy:
        """The default policy, with ``KASIR_CONFIRM_WINDOW_S`` (seconds, ≥ 60) when set."""
        raw = (os.environ if env is None else env).get("KASIR_CONFIRM_WINDOW_S", "").strip()
        if not raw:
            return cls()
        try:
            window = float(raw)
        except ValueError:
            log.warning("KASIR_CONFIRM_WINDOW_S=%r is not a number; using the default", raw)
            return cls()
        return cls(window=max(60.0, window))


@dataclass(frozen=True)
class Lookup:
    """One lookup's outcome: ``order`` when found; else ``conclusive`` tells whether the list
    was read back past the first send (absent for sure) or not (unknown)."""

    order: Order | None
    conclusive: bool
    #: why the lookup failed (then neither found nor conclusive)
    error: BaseException | None = None


class LookupInconclusive(ScalevError):
    """The order list could not be read back far enough to know the order is absent."""


def _timestamp(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # a server time without a zone cannot be compared safely
    return moment.timestamp()


async def find_order(
    client: CheckoutClient, rec: SaleRecord, policy: ConfirmPolicy, now: Callable[[], float]
) -> Lookup:
    """Find the order carrying ``rec``'s pos_ref (``now``: the wall clock, epoch seconds).

    First the customer's orders (phone search), newest first, page after page until an
    order older than the first send (minus :attr:`ConfirmPolicy.margin`): absent there is
    conclusive. Then — a server that formats phones differently — the store's newest
    orders, a few pages. Without a phone, the store pass must reach the boundary itself.
    """
    phone = rec.customer_phone or rec.body.get("customer_phone")
    marker = f"#{short_ref(rec.pos_ref)}"
    first = rec.first_maybe_sent_at or rec.maybe_sent_at or now()
    boundary = first - policy.margin
    base: dict[str, Any] = {"store_id": rec.store_id, "columns": LOOKUP_COLUMNS}
    conclusive = False
    if phone:
        search = {**base, "search": str(phone), "search_field": "customer_phone"}
        match, conclusive = await _scan(
            client, search, policy.max_pages, rec.pos_ref, marker, boundary
        )
        if match is not None:
            return Lookup(await _full_order(client, match), True)
    match, store_conclusive = await _scan(
        client, base, policy.store_pages, rec.pos_ref, marker, boundary
    )
    if match is not None:
        return Lookup(await _full_order(client, match), True)
    return Lookup(None, conclusive or store_conclusive)


async def _full_order(client: OrderReader, match: OrderListItem) -> Order:
    from pos.api.models import Order

    if not match.id:
        return Order.model_validate(match.model_dump())
    try:
        return await client.get_order(match.id)
    except ScalevError:
        log.info("get_order after lookup failed; adopting the list item")
        return Order.model_validate(match.model_dump())


async def _scan(
    client: OrderLister,
    kwargs: dict[str, Any],
    max_pages: int,
    pos_ref: str,
    marker: str,
    boundary: float,
) -> tuple[OrderListItem | None, bool]:
    """``(match, conclusive)``: conclusive when the list ended or reached an order created
    before ``boundary``; not when ``max_pages`` pages were read before either."""
    page_size = 25
    seen = 0
    iterator = client.list_orders(**kwargs, page_size=page_size)
    try:
        async for item in iterator:
            if _matches(item, pos_ref, marker):
                return item, True
            seen += 1
            created = _timestamp(item.created_at)
            if created is not None and created < boundary:
                return None, True
            if seen >= max_pages * page_size:
                return None, False
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()
    return None, True


def _matches(item: OrderListItem, pos_ref: str, marker: str) -> bool:
    meta = item.metadata if isinstance(item.metadata, dict) else None
    if meta and meta.get("pos_ref"):
        return str(meta["pos_ref"]) == pos_ref
    # Defensive: a server that drops metadata still keeps our notes ("Kasir T #abcd1234").
    return bool(item.notes) and marker in (item.notes or "").split()
