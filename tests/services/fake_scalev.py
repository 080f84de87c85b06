"""An in-memory stand-in for ScalevClient with scripted faults (for the service tests).

``faults`` is a queue of what the next ``create_order`` calls do:

- ``"ok"``                 commit and answer
- ``"drop_after_commit"``  commit, then lose the reply (OrderOutcomeUnknown)
- ``"timeout"``            no commit, OrderOutcomeUnknown (request lost on the way)
- ``"5xx"``                no commit, ServerError 502
- ``"5xx_after_commit"``   commit, then ServerError 502
- ``"refused"``            APIConnectionError(may_have_sent=False) (nothing sent)
- ``"reject"``             ValidationFailed 422 with a field error
- ``"auth"``               AuthenticationError 401
- ``"429"``                RateLimitedError (not processed)

``lookup_faults`` does the same for ``list_orders`` (``"refused"``, ``"5xx"``).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterable
from copy import deepcopy
from datetime import UTC, datetime
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
from pos.api.models import (
    Bundle,
    CourierServiceResult,
    Location,
    Order,
    OrderListItem,
    Product,
    SimplifiedBundle,
    Store,
    StoreBundle,
    StoreProduct,
    WarehouseResult,
)


class FakeScalev:
    def __init__(self) -> None:
        self.orders: list[dict[str, Any]] = []  # newest last
        self.faults: list[str] = []
        self.lookup_faults: list[str] = []
        self.get_faults: list[Exception] = []
        self.create_calls: list[dict[str, Any]] = []
        self.list_calls: list[dict[str, Any]] = []
        self.keep_metadata = True
        self.phone_stored_as_local = False
        self.create_delay = 0.0
        self.page_size = 25
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

    # --- orders ------------------------------------------------------------------------

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

    async def create_order(self, body: Any) -> Order:
        body = deepcopy(body)
        self.create_calls.append(body)
        if self.create_delay:
            await asyncio.sleep(self.create_delay)
        else:
            await asyncio.sleep(0)
        fault = self.faults.pop(0) if self.faults else "ok"
        if fault == "ok":
            return Order.model_validate(self._commit(body))
        if fault == "drop_after_commit":
            self._commit(body)
            raise OrderOutcomeUnknown("reply lost", cause=ConnectionResetError())
        if fault == "timeout":
            raise OrderOutcomeUnknown("read timeout")
        if fault == "5xx":
            raise ServerError(502, method="POST", path="/v3/orders", error="Bad gateway")
        if fault == "5xx_after_commit":
            self._commit(body)
            raise ServerError(502, method="POST", path="/v3/orders", error="Bad gateway")
        if fault == "refused":
            raise APIConnectionError("connection refused", may_have_sent=False)
        if fault == "reject":
            raise ValidationFailed(
                422,
                method="POST",
                path="/v3/orders",
                error="Validation failed",
                error_code="validation_failed",
                errors=[
                    {"severity": "error", "code": "invalid", "field": "warehouse_unique_id",
                     "message": "Warehouse tidak ditemukan untuk store ini"}
                ],
            )  # fmt: skip
        if fault == "auth":
            raise AuthenticationError(401, error="Invalid API key")
        if fault == "429":
            raise RateLimitedError(retry_after=1.5, method="POST", path="/v3/orders")
        raise AssertionError(f"unknown fault {fault}")

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
        self.list_calls.append(
            {"search": search, "search_field": search_field, "store_id": store_id,
             "columns": list(columns or [])}
        )  # fmt: skip
        fault = self.lookup_faults.pop(0) if self.lookup_faults else "ok"
        if fault == "refused":
            raise APIConnectionError("connection refused", may_have_sent=False)
        if fault == "5xx":
            raise ServerError(503, method="GET", path="/v3/orders")
        cols = set(columns or [])
        for o in reversed(self.orders):  # newest first
            if search_field == "customer_phone" and search and o["customer"]["phone"] != search:
                continue
            await asyncio.sleep(0)
            yield OrderListItem.model_validate({k: v for k, v in o.items() if k in cols})

    async def get_order(self, order_id: str) -> Order:
        await asyncio.sleep(0)
        if self.get_faults:
            raise self.get_faults.pop(0)
        for o in self.orders:
            if o["id"] == order_id:
                return Order.model_validate(o)
        raise NotFoundError(404, method="GET", path=f"/v3/orders/{order_id}")

    async def check_payment(self, order_id: str) -> Order:
        return await self.get_order(order_id)

    def pay(self, order_id: str) -> None:
        for o in self.orders:
            if o["id"] == order_id:
                o["payment_status"] = "paid"
                o["status"] = "confirmed"

    # --- stores / catalog --------------------------------------------------------------

    async def list_stores(self, *, search: str | None = None, **_: Any) -> AsyncIterator[Store]:
        for s in self.stores:
            if not search or search.casefold() in s.name.casefold():
                yield s

    async def get_payment_methods(self, store_id: int) -> list[str]:
        if isinstance(self.payment_methods, Exception):
            raise self.payment_methods
        return list(self.payment_methods)

    async def list_store_products(
        self, store_id: int | str, *, page_size: int = 25, **_: Any
    ) -> AsyncIterator[StoreProduct]:
        for sp in self.store_products:
            await asyncio.sleep(0)
            yield sp

    async def list_products(
        self, *, store_id: int | None = None, **_: Any
    ) -> AsyncIterator[Product]:
        for i, p in enumerate(self.products):
            if self.products_error is not None and i >= 1:
                raise self.products_error
            await asyncio.sleep(0)
            yield p
        if self.products_error is not None:
            raise self.products_error

    async def list_store_bundles(
        self, store_id: int, *, page_size: int = 25, **_: Any
    ) -> AsyncIterator[StoreBundle]:
        for b in self.store_bundles:
            await asyncio.sleep(0)
            yield b

    async def list_bundles_simplified(
        self, store_id: int, *, page_size: int = 25, **_: Any
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

    # --- shipping ----------------------------------------------------------------------

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

    async def search_courier_services(self, **kw: Any) -> list[CourierServiceResult]:
        self.courier_calls.append(kw)
        return list(self.courier_results)
