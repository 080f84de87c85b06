"""Watch an order until it is paid (or closed), politely: honours 429 and backs off offline."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pos.api.errors import BadRequestError, NotFoundError, RateLimitedError, ScalevError
from pos.domain.order_status import is_finished as order_finished

from .ports import PaymentClient

if TYPE_CHECKING:
    from pos.api.models import Order

log = logging.getLogger(__name__)

MAX_DELAY = 30.0


def _fingerprint(order: Order) -> tuple[Any, ...]:
    return (order.status, order.payment_status, order.payment_method, order.payment_url,
            order.paid_time, order.canceled_time)  # fmt: skip


def is_finished(order: Order) -> bool:
    """Paid/settled (success) or canceled/closed/rts (failure): nothing more to wait for
    (the rule lives in :mod:`pos.domain.order_status`)."""
    return order_finished(order.status, order.payment_status)


class PaymentWatcher:
    def __init__(
        self,
        client: PaymentClient,
        *,
        interval: float = 3.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self.interval = interval
        self._sleep = sleep

    async def watch(
        self,
        order_id: str,
        on_update: Callable[[Order], None],
        on_trouble: Callable[[BaseException | None], None] | None = None,
    ) -> Order:
        """Poll ``GET /v3/orders/{id}`` every ``interval`` s; call ``on_update`` on each change;
        return the order once paid/settled or canceled/closed. Cancel the task to stop.

        A failed check (offline, 429, 5xx, 401/403, an unreadable reply) never ends the
        watch (a 404 or 400 does: raised): it backs off (≤ 30 s, Retry-After honoured) and
        retries. ``on_trouble`` is called with the error when checks start failing and with
        None when one succeeds again, so the screen can say "cannot check payment right now,
        retrying"."""
        last: tuple[Any, ...] | None = None
        delay = self.interval
        troubled = False
        while True:
            try:
                order = await self._client.get_order(order_id)
            except ScalevError as e:
                if isinstance(e, NotFoundError | BadRequestError):
                    raise  # no such order (or a request that can never work): not transient
                if isinstance(e, RateLimitedError) and e.retry_after:
                    delay = min(e.retry_after, MAX_DELAY)
                else:
                    delay = min(max(delay, self.interval) * 2, MAX_DELAY)
                log.info("payment watch: %s; retrying in %.1fs", type(e).__name__, delay)
                if not troubled and on_trouble is not None:
                    on_trouble(e)
                troubled = True
                await self._sleep(delay)
                continue
            if troubled and on_trouble is not None:
                on_trouble(None)
            troubled = False
            delay = self.interval
            fp = _fingerprint(order)
            if fp != last:
                last = fp
                on_update(order)
            if is_finished(order):
                return order
            await self._sleep(self.interval)

    async def check_now(self, order_id: str) -> Order:
        """``POST /v3/orders/{id}/check-payment`` — ask Scalev to re-check with the gateway."""
        order: Order = await self._client.check_payment(order_id)
        return order
