"""The Scalev v3 client: one method per endpoint, on the request loop of
:class:`~pos.api.session.ApiSession` (auth, rate limit, retries, deadline, typed errors) and
the reply reading of :mod:`pos.api.responses`.

List endpoints are async iterators that follow ``next_cursor`` until ``has_next`` is false,
resending the same filters with each cursor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import quote

from pos.domain.urls import DEFAULT_BASE_URL

from .errors import InvalidResponseError, ScalevError
from .models import (
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
from .responses import MAX_PAGE_SIZE, InvalidItem, unwrap_list, validate_model
from .session import ApiSession


class ScalevClient(ApiSession):
    """The Scalev v3 client. One instance per API key; use ``async with`` or :meth:`aclose`.

    ``clock``, ``sleep``, ``wall_clock`` and ``rng`` are injectable for tests (the limiter and
    the backoff both use them). ``event_hooks`` is passed to httpx (tests use it to validate
    every request body against the OpenAPI contract).
    """

    # --- stores ------------------------------------------------------------------------

    def list_stores(
        self, *, search: str | None = None, domain: str | None = None, page_size: int = 25
    ) -> AsyncIterator[Store]:
        """``GET /v3/stores/simplified`` (every page)."""
        return self._paginate(
            Store, "/v3/stores/simplified", {"search": search, "domain": domain}, page_size
        )

    async def get_payment_methods(self, store_id: int) -> list[str]:
        """``GET /v3/stores/{id}/payment-methods``: codes, from strings or objects."""
        path = f"/v3/stores/{int(store_id)}/payment-methods"
        body, status = await self._get_json("GET", path)
        items, _, _ = unwrap_list(body, what=f"GET {path}", status=status)
        methods: list[str] = []
        for item in items:
            code: Any = item
            if isinstance(item, dict):
                code = next(
                    (
                        item[k]
                        for k in ("code", "payment_method", "name")
                        if isinstance(item.get(k), str) and item[k]
                    ),
                    None,
                )
            if not isinstance(code, str) or not code:
                raise InvalidResponseError(
                    f"GET {path}: payment method item has no code", status_code=status
                )
            if code not in methods:
                methods.append(code)
        return methods

    # --- catalog -----------------------------------------------------------------------

    def list_store_products(
        self, store_id: int | str, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreProduct]:
        """``GET /v3/stores/{id}/products`` (numeric id or ``store_…``). ``on_invalid``: skip
        and report a malformed product instead of failing (see :meth:`_paginate`)."""
        sid = quote(str(store_id), safe="")
        return self._paginate(
            StoreProduct,
            f"/v3/stores/{sid}/products",
            {},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    def list_store_bundles(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[StoreBundle]:
        """``GET /v3/stores/{id}/bundles`` (numeric id)."""
        return self._paginate(
            StoreBundle,
            f"/v3/stores/{int(store_id)}/bundles",
            {},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    def list_bundles_simplified(
        self, store_id: int, *, page_size: int = 25, on_invalid: InvalidItem | None = None
    ) -> AsyncIterator[SimplifiedBundle]:
        """``GET /v3/bundles/simplified?store_id=…``: price options with ``unique_id``."""
        return self._paginate(
            SimplifiedBundle,
            "/v3/bundles/simplified",
            {"store_id": int(store_id)},
            page_size,
            bulk=True,
            on_invalid=on_invalid,
        )

    async def get_bundle(self, bundle_id: int) -> Bundle:
        """``GET /v3/bundles/{id}``: price options and bundle lines."""
        return await self._get_object(Bundle, "GET", f"/v3/bundles/{int(bundle_id)}")

    def list_products(
        self,
        *,
        store_id: int | None = None,
        search: str | None = None,
        item_type: str | None = None,
        page_size: int = 25,
        on_invalid: InvalidItem | None = None,
    ) -> AsyncIterator[Product]:
        """``GET /v3/products``: full products (item type, variant weights)."""
        filters = {
            "store_id": None if store_id is None else int(store_id),
            "search": search,
            "item_type": item_type,
        }
        return self._paginate(
            Product, "/v3/products", filters, page_size, bulk=True, on_invalid=on_invalid
        )

    # --- locations and shipping ----------------------------------------------------------

    def search_locations(self, search: str, *, page_size: int = 25) -> AsyncIterator[Location]:
        """``GET /v3/locations?search=…`` (kecamatan)."""
        return self._paginate(Location, "/v3/locations", {"search": search}, page_size)

    async def get_postal_codes(self, location_id: int) -> list[str]:
        """``GET /v3/locations/{id}/postal-codes``: strings or ``{postal_code}`` objects."""
        path = f"/v3/locations/{int(location_id)}/postal-codes"
        body, status = await self._get_json("GET", path)
        items, _, _ = unwrap_list(body, what=f"GET {path}", status=status)
        codes: list[str] = []
        for item in items:
            value = item.get("postal_code") if isinstance(item, dict) else item
            if isinstance(value, int) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str) or not value.strip():
                raise InvalidResponseError(
                    f"GET {path}: postal code item has no postal_code", status_code=status
                )
            if value.strip() not in codes:
                codes.append(value.strip())
        return codes

    async def search_warehouses(
        self, *, store_id: int, destination_id: int, variants: Iterable[tuple[int, int]]
    ) -> list[WarehouseResult]:
        """``POST /v3/shipping-costs/search-warehouse`` (read-only, so retried like a GET).

        ``variants`` are ``(numeric variant id, quantity)``; repeated ids are summed.
        """
        merged: dict[int, int] = {}
        for variant_id, qty in variants:
            qty = int(qty)
            if qty <= 0:
                raise ValueError("variant quantity must be positive")
            merged[int(variant_id)] = merged.get(int(variant_id), 0) + qty
        if not merged:
            raise ValueError("search_warehouses needs at least one variant")
        body = {
            "store_id": int(store_id),
            "destination_id": int(destination_id),
            "variants": [{"variant_id": v, "qty": q} for v, q in merged.items()],
        }
        return await self._get_list(
            WarehouseResult, "POST", "/v3/shipping-costs/search-warehouse", json=body
        )

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
        """``POST /v3/shipping-costs/search-courier-service``; ``weight`` in grams."""
        body: dict[str, Any] = {
            "store_id": int(store_id),
            "location_id": int(location_id),
            "warehouse_id": int(warehouse_id),
            "payment_method": payment_method,
            "weight": int(weight),
        }
        if postal_code:
            body["postal_code"] = str(postal_code)
        return await self._get_list(
            CourierServiceResult, "POST", "/v3/shipping-costs/search-courier-service", json=body
        )

    # --- orders ------------------------------------------------------------------------

    async def create_order(self, body: OrderCreate | dict[str, Any]) -> Order:
        """``POST /v3/orders``. Never retried.

        Raises :class:`OrderOutcomeUnknown` when the request may have reached the server
        without a usable answer; :class:`APIConnectionError` (``may_have_sent=False``) when it
        certainly did not leave; :class:`RateLimitedError` on 429 (refused, not processed);
        :class:`BadRequestError`/:class:`ValidationFailed` on 400/422.
        """
        model = body if isinstance(body, OrderCreate) else OrderCreate.model_validate(body)
        return await self._get_object(
            Order,
            "POST",
            "/v3/orders",
            json=model.to_json(),
            retry=False,
            create=True,
            interactive=True,
        )

    def list_orders(
        self,
        *,
        search: str | None = None,
        search_field: str | None = None,
        store_id: int | None = None,
        columns: Iterable[str] | None = None,
        page_size: int = 25,
        **filters: str,
    ) -> AsyncIterator[OrderListItem]:
        """``GET /v3/orders`` (newest first); ``columns`` selects the returned fields."""
        params: dict[str, Any] = dict(filters)
        params.update(
            search=search,
            search_field=search_field,
            store_id=None if store_id is None else int(store_id),
            columns=None if columns is None else ",".join(columns),
        )
        return self._paginate(OrderListItem, "/v3/orders", params, page_size)

    async def get_order(self, order_id: str) -> Order:
        """``GET /v3/orders/{id}``."""
        path = f"/v3/orders/{_order_path_id(order_id)}"
        return await self._get_object(Order, "GET", path, interactive=True)

    async def check_payment(self, order_id: str) -> Order:
        """``POST /v3/orders/{id}/check-payment``: read-only re-check, retried like a GET."""
        path = f"/v3/orders/{_order_path_id(order_id)}/check-payment"
        return await self._get_object(Order, "POST", path, interactive=True)

    # --- taking the money at the counter (issue 13) -------------------------------------

    async def change_order_status(
        self,
        ids: Iterable[str],
        *,
        payment_status: str | None = None,
        status: str | None = None,
        payment_method: str | None = None,
        transfer_time: str | None = None,
    ) -> list[OrderStatusChange]:
        """``POST /v3/orders/change-status`` (scope ``order:change_status``).

        Setting a status is idempotent, so the request is retried like a read. A key without
        the scope gets :class:`~pos.api.errors.PermissionDeniedError` (403).
        """
        if payment_status is None and status is None:
            raise ValueError("change_order_status needs status or payment_status")
        body: dict[str, Any] = {"ids": [str(i) for i in ids]}
        if not body["ids"]:
            raise ValueError("change_order_status needs at least one order id")
        for key, value in (
            ("status", status),
            ("payment_status", payment_status),
            ("payment_method", payment_method),
            ("transfer_time", transfer_time),
        ):
            if value is not None:
                body[key] = value
        what = "POST /v3/orders/change-status"
        data, code = await self._get_json(
            "POST", "/v3/orders/change-status", json=body, interactive=True
        )
        items, _, _ = unwrap_list(data, what=what, status=code)
        return [validate_model(OrderStatusChange, item, what=what, status=code) for item in items]

    async def mark_order_paid(
        self, order_id: str, *, payment_method: str, transfer_time: str | None = None
    ) -> OrderStatusChange:
        """Mark one order paid (cash taken at the counter); idempotent."""
        changes = await self.change_order_status(
            [order_id],
            payment_status="paid",
            payment_method=payment_method,
            transfer_time=transfer_time,
        )
        for change in changes:
            if change.id == str(order_id):
                return change
        raise InvalidResponseError(
            "POST /v3/orders/change-status: the order is missing from the reply", status_code=200
        )

    async def create_order_payment(self, order_id: str) -> PaymentInfo:
        """``POST /v3/orders/{id}/payment``: the gateway payment info (``qr_string`` for QRIS).

        Not retried: it may create a payment intent at the gateway.
        """
        path = f"/v3/orders/{_order_path_id(order_id)}/payment"
        return await self._get_object(PaymentInfo, "POST", path, retry=False, interactive=True)

    async def update_order_tags(self, order_id: str, tags: Iterable[str]) -> Order:
        """``POST /v3/orders/{id}/update-tags`` (replaces the tags; safe to repeat)."""
        path = f"/v3/orders/{_order_path_id(order_id)}/update-tags"
        return await self._get_object(Order, "POST", path, json={"tags": list(tags)})

    async def order_statistics(self, **params: str | int | None) -> list[OrderStatistic]:
        """``GET /v3/orders/statistics`` (``store_id``, ``status``, ``payment_status``,
        ``is_breakdown_status``, ``breakdown_date``, ``tz`` …; ``None`` values are left out)."""
        query = {k: v for k, v in params.items() if v is not None}
        return await self._get_list(OrderStatistic, "GET", "/v3/orders/statistics", params=query)


def _order_path_id(order_id: str | int) -> str:
    value = str(order_id).strip()
    if not value:
        raise ValueError("order id is empty")
    return quote(value, safe="")


__all__ = ["DEFAULT_BASE_URL", "MAX_PAGE_SIZE", "ScalevClient", "ScalevError"]
