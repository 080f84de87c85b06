"""A small in-memory Scalev for the outbox tests: network up/down and scripted create faults.

``next_faults`` is what the next ``create_order`` calls do (then "ok"):

- ``"drop_after_commit"``  commit, then lose the reply (OrderOutcomeUnknown)
- ``"drop_and_go_offline"`` commit, lose the reply, and the network dies with it
- ``"timeout"``            lost on the way, not committed (OrderOutcomeUnknown)
- ``"5xx"``                not committed, 503 (the client reports OrderOutcomeUnknown)
- ``"429"``                refused, RateLimitedError(retry_after=2)
- ``"reject"``             422, final
- ``"auth"``               401 (the sale is ``failed``)
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable
from copy import deepcopy
from typing import Any

from pos.api.errors import (
    APIConnectionError,
    AuthenticationError,
    NotFoundError,
    OrderOutcomeUnknown,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from pos.api.models import Order, OrderListItem
from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine

FAULTS = ("drop_after_commit", "drop_and_go_offline", "timeout", "5xx", "429", "reject", "auth")


def draft(n: int) -> SaleDraft:
    return SaleDraft(
        store_id=3288,
        store_unique_id="store_Nq7Rk2LmXa91",
        store_name="Toko Kopi",
        lines=(SaleLine("v:variant_A", "variant", "variant_A", "Kopi", 1000, 1 + n % 3),),
        customer=Customer(f"Pelanggan {n}", f"62812{n:08d}", None),
        payment_method="qris",
    )


class FakeServer:
    def __init__(self) -> None:
        self.online = True
        self.orders: list[dict[str, Any]] = []  # oldest first
        self.next_faults: list[str] = []
        self.lookup_faults: list[Exception] = []
        self.create_calls = 0

    def orders_with_ref(self, pos_ref: str) -> list[dict[str, Any]]:
        return [o for o in self.orders if (o.get("metadata") or {}).get("pos_ref") == pos_ref]

    def _offline(self) -> None:
        if not self.online:
            raise APIConnectionError("connection refused", may_have_sent=False)

    def _commit(self, body: dict[str, Any]) -> dict[str, Any]:
        n = len(self.orders) + 1
        order = {
            "id": str(uuid.uuid4()),
            "order_id": f"ORD{n:05d}",
            "payment_url": f"https://shop.example/o/slug{n}",
            "status": "pending",
            "payment_status": "unpaid",
            "customer": {"name": body.get("customer_name"), "phone": body.get("customer_phone")},
            "notes": body.get("notes"),
            "metadata": deepcopy(body.get("metadata")),
        }
        self.orders.append(order)
        return order

    async def create_order(self, body: Any) -> Order:
        await asyncio.sleep(0)
        self._offline()
        self.create_calls += 1
        fault = self.next_faults.pop(0) if self.next_faults else "ok"
        if fault == "ok":
            return Order.model_validate(self._commit(body))
        if fault == "drop_after_commit":
            self._commit(body)
            raise OrderOutcomeUnknown("reply lost")
        if fault == "drop_and_go_offline":
            self._commit(body)
            self.online = False
            raise OrderOutcomeUnknown("reply lost, network gone")
        if fault == "timeout":
            raise OrderOutcomeUnknown("read timeout")
        if fault == "5xx":
            cause = ServerError(503, method="POST", path="/v3/orders")
            raise OrderOutcomeUnknown("server error", cause=cause)
        if fault == "429":
            raise RateLimitedError(retry_after=2.0, method="POST", path="/v3/orders")
        if fault == "reject":
            raise ValidationFailed(422, method="POST", path="/v3/orders", error="invalid")
        if fault == "auth":
            raise AuthenticationError(401, error="Invalid API key")
        raise AssertionError(fault)

    async def list_orders(
        self,
        *,
        search: str | None = None,
        search_field: str | None = None,
        store_id: int | None = None,
        columns: Iterable[str] | None = None,
        page_size: int = 25,
        **filters: str,
    ) -> AsyncIterator[OrderListItem]:
        await asyncio.sleep(0)
        self._offline()
        if self.lookup_faults:
            raise self.lookup_faults.pop(0)
        cols = set(columns or [])
        for o in reversed(self.orders):
            if search_field == "customer_phone" and search and o["customer"]["phone"] != search:
                continue
            yield OrderListItem.model_validate({k: v for k, v in o.items() if k in cols})

    async def get_order(self, order_id: str) -> Order:
        await asyncio.sleep(0)
        self._offline()
        for o in self.orders:
            if o["id"] == order_id:
                return Order.model_validate(o)
        raise NotFoundError(404, method="GET", path=f"/v3/orders/{order_id}")

    def set_status(self, order_id: str, **fields: str) -> None:
        for o in self.orders:
            if o["id"] == order_id:
                o.update(fields)
