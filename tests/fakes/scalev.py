"""The tests' in-memory Scalev: every public method of ``ScalevClient``, with the same names
and signatures (tests/fakes/test_fake_scalev.py checks it), the network up or down and
scripted faults.

Each call to ``create_order`` takes the next name from ``faults`` ("ok" when empty); each
``list_orders`` call takes one from ``lookup_faults``. A name says what the server (or the
network) does, and the fake raises what ``ScalevClient`` raises for it:

======================================  ==========  ==========================================
fault                                   committed?  ``create_order`` / ``list_orders`` raises
======================================  ==========  ==========================================
``"ok"``                                yes         nothing: the order (or the page)
``"commit_then_drop_reply"``            yes         OrderOutcomeUnknown (the reply is lost)
``"commit_then_go_offline"``            yes         OrderOutcomeUnknown, and ``online`` turns
                                                    False (the network dies with the reply)
``"timeout_before_commit"``             no          OrderOutcomeUnknown (read timeout)
``"status_503_outcome_unknown"``        no          OrderOutcomeUnknown caused by a 503, as
                                                    ScalevClient reports a 5xx on POST
``"status_502"``                        no          ServerError 502, passed through as is
``"commit_then_status_502"``            yes         ServerError 502, passed through as is
``"status_503"``                        no          ServerError 503 (a lookup's 5xx)
``"connection_refused"``                no          APIConnectionError(may_have_sent=False)
``"status_422"``                        no          ValidationFailed, body ``{"error": "invalid"}``
``"status_422_unknown_warehouse"``      no          ValidationFailed with a field error on
                                                    ``warehouse_unique_id``
``"status_401"``                        no          AuthenticationError
``rate_limited(seconds)``               no          RateLimitedError(retry_after=seconds)
======================================  ==========  ==========================================

With ``online`` False every call fails like ``"connection_refused"`` (nothing is sent).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable
from copy import deepcopy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NoReturn

from pos.api.client import InvalidItem
from pos.api.errors import (
    APIConnectionError,
    AuthenticationError,
    NotFoundError,
    OrderOutcomeUnknown,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from pos.api.models import (
    Bundle,
    CourierServiceResult,
    Location,
    Order,
    OrderCreate,
    OrderListItem,
    OrderStatistic,
    OrderStatusChange,
    PaymentInfo,
    Product,
    SimplifiedBundle,
    Store,
    StoreBundle,
    StoreProduct,
    WarehouseResult,
)

#: ``rate_limited()``'s default Retry-After, in seconds
RETRY_AFTER = 1.5

#: the faults that commit the order before failing
COMMITTING = frozenset(
    {"commit_then_drop_reply", "commit_then_go_offline", "commit_then_status_502"}
)


def rate_limited(retry_after: float = RETRY_AFTER) -> str:
    """The fault "the server answers 429 with this Retry-After" (nothing is processed)."""
    return f"rate_limited:{retry_after!r}"


def _refused() -> NoReturn:
    raise APIConnectionError("connection refused", may_have_sent=False)


def _raise_fault(fault: str, method: str, path: str) -> None:
    """Raise what ScalevClient raises for ``fault`` (nothing for "ok")."""
    name, _, arg = fault.partition(":")
    if name == "ok":
        return
    if name in ("commit_then_drop_reply", "commit_then_go_offline"):
        raise OrderOutcomeUnknown("reply lost", cause=ConnectionResetError())
    if name == "timeout_before_commit":
        raise OrderOutcomeUnknown("read timeout")
    if name == "status_503_outcome_unknown":
        cause = ServerError(503, method=method, path=path)
        raise OrderOutcomeUnknown("server error", cause=cause)
    if name in ("status_502", "commit_then_status_502"):
        raise ServerError(502, method=method, path=path, error="Bad gateway")
    if name == "status_503":
        raise ServerError(503, method=method, path=path)
    if name == "connection_refused":
        _refused()
    if name == "status_422":
        raise ValidationFailed(422, method=method, path=path, error="invalid")
    if name == "status_422_unknown_warehouse":
        raise ValidationFailed(
            422,
            method=method,
            path=path,
            error="Validation failed",
            error_code="validation_failed",
            errors=[
                {"severity": "error", "code": "invalid", "field": "warehouse_unique_id",
                 "message": "Warehouse tidak ditemukan untuk store ini"}
            ],
        )  # fmt: skip
    if name == "status_401":
        raise AuthenticationError(401, error="Invalid API key")
    if name == "rate_limited":
        retry_after = float(arg) if arg else RETRY_AFTER
        raise RateLimitedError(retry_after=retry_after, method=method, path=path)
    raise AssertionError(f"unknown fault {fault!r}")


class FakeScalev:
    def __init__(self) -> None:
        self.online = True
        self.orders: list[dict[str, Any]] = []  # oldest first
        self.faults: list[str] = []
        self.lookup_faults: list[str] = []
        self.create_calls: list[dict[str, Any]] = []
        self.list_calls: list[dict[str, Any]] = []
        self.status_calls: list[dict[str, Any]] = []
        self.keep_metadata = True
        self.phone_stored_as_local = False
        self.create_delay = 0.0
        # catalog
        self.stores: list[Store] = []
        self.store_products: list[StoreProduct] = []
        self.products: list[Product] = []
        self.products_error: Exception | None = None
        self.store_bundles: list[StoreBundle] = []
        self.simplified: list[SimplifiedBundle] = []
        self.bundles: dict[int, Bundle] = {}
        self.bundle_calls: list[int] = []
        self.max_bundle_concurrency = 0
        self._bundle_running = 0
        self.payment_methods: list[str] | Exception = ["qris", "payment_link"]
        # shipping
        self.locations: list[Location] = []
        self.warehouse_results: list[WarehouseResult] = []
        self.courier_results: list[CourierServiceResult] = []
        self.warehouse_calls: list[dict[str, Any]] = []
        self.courier_calls: list[dict[str, Any]] = []

    # --- the server's side (for the tests) -----------------------------------------------

    def orders_with_ref(self, pos_ref: str) -> list[dict[str, Any]]:
        short = pos_ref.replace("-", "")[:8]
        return [
            o
            for o in self.orders
            if (o.get("metadata") or {}).get("pos_ref") == pos_ref
            or (not self.keep_metadata and short in (o.get("notes") or ""))
        ]

    def _commit(self, body: dict[str, Any]) -> dict[str, Any]:
        n = len(self.orders) + 1
        total = 0
        for line in body.get("ordervariants") or []:
            total += 1000 * line["quantity"]
        order = {
            "id": str(uuid.uuid4()),
            "order_id": f"ORD{n:05d}",
            "secret_slug": f"slug{n}",
            "payment_url": f"https://shop.example/o/slug{n}/success",
            "status": "pending",
            "payment_status": "unpaid",
            "payment_method": body.get("payment_method"),
            "gross_revenue": f"{total}.00",
            "customer": {"name": body.get("customer_name"), "phone": self._phone(body)},
            "store": {"id": 3288, "unique_id": body.get("store_unique_id")},
            "notes": body.get("notes"),
            "metadata": deepcopy(body.get("metadata")) if self.keep_metadata else None,
            "created_at": self.created_at(),
        }
        self.orders.append(order)
        return order

    def created_at(self) -> str:
        """The server's time of a commit (real UTC now; tests may override)."""
        return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")

    def _phone(self, body: dict[str, Any]) -> str | None:
        phone = body.get("customer_phone")
        if phone and self.phone_stored_as_local and phone.startswith("62"):
            return "0" + phone[2:]
        return phone

    def set_status(self, order_id: str, **fields: str) -> None:
        for o in self.orders:
            if o["id"] == order_id:
                o.update(fields)

    def _order(self, order_id: str) -> dict[str, Any]:
        for o in self.orders:
            if o["id"] == str(order_id):
                return o
        raise NotFoundError(404, method="GET", path=f"/v3/orders/{order_id}")

    async def _reach(self) -> None:
        """One turn of the event loop, then the network (refused when offline)."""
        await asyncio.sleep(0)
        if not self.online:
            _refused()

    async def aclose(self) -> None:
        return None

    def pay(self, order_id: str) -> None:
        self.set_status(order_id, payment_status="paid", status="confirmed")

    # --- orders --------------------------------------------------------------------------

    async def create_order(self, body: OrderCreate | dict[str, Any]) -> Order:
        await self._reach()
        body = deepcopy(body)
        self.create_calls.append(body)
        if self.create_delay:
            await asyncio.sleep(self.create_delay)
        fault = self.faults.pop(0) if self.faults else "ok"
        if fault == "ok":
            return Order.model_validate(self._commit(body))
        if fault in COMMITTING:
            self._commit(body)
        if fault == "commit_then_go_offline":
            self.online = False
        _raise_fault(fault, "POST", "/v3/orders")
        raise AssertionError("unreachable")

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
        await self._reach()
        self.list_calls.append(
            {"search": search, "search_field": search_field, "store_id": store_id,
             "columns": list(columns or [])}
        )  # fmt: skip
        _raise_fault(self.lookup_faults.pop(0) if self.lookup_faults else "ok", "GET", "/v3/orders")
        cols = set(columns or [])
        for o in reversed(self.orders):  # newest first
            if search_field == "customer_phone" and search and o["customer"]["phone"] != search:
                continue
            await asyncio.sleep(0)
            yield OrderListItem.model_validate({k: v for k, v in o.items() if k in cols})

    async def get_order(self, order_id: str) -> Order:
        await self._reach()
        return Order.model_validate(self._order(order_id))

    async def check_payment(self, order_id: str) -> Order:
        return await self.get_order(order_id)

    # --- taking the money at the counter -------------------------------------------------

    async def change_order_status(
        self,
        ids: Iterable[str],
        *,
        payment_status: str | None = None,
        status: str | None = None,
        payment_method: str | None = None,
        transfer_time: str | None = None,
    ) -> list[OrderStatusChange]:
        await self._reach()
        fields = {
            k: v
            for k, v in (
                ("payment_status", payment_status),
                ("status", status),
                ("payment_method", payment_method),
            )
            if v is not None
        }
        self.status_calls.append({"ids": [str(i) for i in ids], **fields})
        changes = []
        for order_id in self.status_calls[-1]["ids"]:
            order = self._order(order_id)
            order.update(fields)
            keys = ("id", "order_id", "payment_status", "status", "payment_url")
            changes.append(OrderStatusChange.model_validate({k: order.get(k) for k in keys}))
        return changes

    async def mark_order_paid(
        self, order_id: str, *, payment_method: str, transfer_time: str | None = None
    ) -> OrderStatusChange:
        [change] = await self.change_order_status(
            [order_id],
            payment_status="paid",
            payment_method=payment_method,
            transfer_time=transfer_time,
        )
        return change

    async def create_order_payment(self, order_id: str) -> PaymentInfo:
        await self._reach()
        return PaymentInfo(payment_url=self._order(order_id)["payment_url"])

    async def update_order_tags(self, order_id: str, tags: Iterable[str]) -> Order:
        await self._reach()
        order = self._order(order_id)
        order["tags"] = list(tags)
        return Order.model_validate(order)

    async def order_statistics(self, **params: str | int | None) -> list[OrderStatistic]:
        """The orders counted by status (the filters are not applied)."""
        await self._reach()
        stats: dict[str, OrderStatistic] = {}
        for o in self.orders:
            stat = stats.setdefault(o["status"], OrderStatistic(status=o["status"]))
            stat.count += 1
            stat.gross_revenue += Decimal(o.get("gross_revenue") or 0)
        return list(stats.values())

    # --- stores / catalog ----------------------------------------------------------------

    async def list_stores(
        self, *, search: str | None = None, domain: str | None = None, page_size: int = 25
    ) -> AsyncIterator[Store]:
        for s in self.stores:
            if not search or search.casefold() in s.name.casefold():
                yield s

    async def get_payment_methods(self, store_id: int) -> list[str]:
        if isinstance(self.payment_methods, Exception):
            raise self.payment_methods
        return list(self.payment_methods)

    async def list_store_products(
        self, store_id: int | str, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreProduct]:
        for sp in self.store_products:
            await asyncio.sleep(0)
            yield sp

    async def list_products(
        self,
        *,
        store_id: int | None = None,
        search: str | None = None,
        item_type: str | None = None,
        page_size: int = 25,
        on_invalid: InvalidItem | None = None,
    ) -> AsyncIterator[Product]:
        for i, p in enumerate(self.products):
            if self.products_error is not None and i >= 1:
                raise self.products_error
            await asyncio.sleep(0)
            yield p
        if self.products_error is not None:
            raise self.products_error

    async def list_store_bundles(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreBundle]:
        for b in self.store_bundles:
            await asyncio.sleep(0)
            yield b

    async def list_bundles_simplified(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[SimplifiedBundle]:
        for b in self.simplified:
            yield b

    async def get_bundle(self, bundle_id: int) -> Bundle:
        self.bundle_calls.append(bundle_id)
        self._bundle_running += 1
        self.max_bundle_concurrency = max(self.max_bundle_concurrency, self._bundle_running)
        try:
            await asyncio.sleep(0.001)
            if bundle_id not in self.bundles:
                raise NotFoundError(404, method="GET", path=f"/v3/bundles/{bundle_id}")
            return self.bundles[bundle_id]
        finally:
            self._bundle_running -= 1

    # --- shipping ------------------------------------------------------------------------

    async def search_locations(
        self, search: str, *, page_size: int = 25
    ) -> AsyncIterator[Location]:
        for loc in self.locations:
            if search.casefold() in loc.display.casefold():
                yield loc

    async def get_postal_codes(self, location_id: int) -> list[str]:
        return ["10510", "10520"]

    async def search_warehouses(
        self, *, store_id: int, destination_id: int, variants: Iterable[tuple[int, int]]
    ) -> list[WarehouseResult]:
        self.warehouse_calls.append(
            {"store_id": store_id, "destination_id": destination_id, "variants": list(variants)}
        )
        return list(self.warehouse_results)

    async def search_courier_services(
        self,
        *,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        postal_code: str | None = None,
    ) -> list[CourierServiceResult]:
        self.courier_calls.append(
            {"store_id": store_id, "location_id": location_id, "warehouse_id": warehouse_id,
             "payment_method": payment_method, "weight": weight, "postal_code": postal_code}
        )  # fmt: skip
        return list(self.courier_results)
