"""What each service needs of the Scalev client: one narrow Protocol per service.

Services are typed against these instead of :class:`pos.api.client.ScalevClient`, so they import
neither the client nor httpx, and a test fake only has to offer what its service calls. mypy
checks that ScalevClient (``_client_fits`` below) and the test fakes
(``tests/services/test_ports.py``) fit every Protocol they stand in for.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pos.api.models import (
        Bundle,
        CourierServiceResult,
        Location,
        Order,
        OrderListItem,
        OrderStatusChange,
        PaymentInfo,
        Product,
        SimplifiedBundle,
        Store,
        StoreBundle,
        StoreProduct,
        WarehouseResult,
    )
    from pos.api.responses import InvalidItem as OnInvalid


class OrderReader(Protocol):
    """One order by id (history refresh)."""

    async def get_order(self, order_id: str) -> Order: ...


class OrderLister(Protocol):
    """``GET /v3/orders`` with filters, every page (the shift report)."""

    def list_orders(self, **kwargs: Any) -> AsyncIterator[OrderListItem]: ...


class CheckoutClient(OrderReader, OrderLister, Protocol):
    """Creating an order, and looking it up when the reply was lost."""

    async def create_order(self, body: dict[str, Any]) -> Order: ...


class PaymentClient(OrderReader, Protocol):
    """Watching an order's payment."""

    async def check_payment(self, order_id: str) -> Order: ...


class AftercareClient(OrderReader, Protocol):
    """Marking cash sales paid, tagging orders, a QRIS order's payment info."""

    async def mark_order_paid(
        self, order_id: str, *, payment_method: str, transfer_time: str | None = None
    ) -> OrderStatusChange: ...

    async def update_order_tags(self, order_id: str, tags: Iterable[str]) -> Order: ...

    async def create_order_payment(self, order_id: str) -> PaymentInfo: ...


class CatalogClient(Protocol):
    """Stores, their payment methods, and every page of a store's products and bundles."""

    def list_stores(self, *, search: str | None = None) -> AsyncIterator[Store]: ...

    async def get_payment_methods(self, store_id: int) -> list[str]: ...

    def list_store_products(
        self, store_id: int, *, on_invalid: OnInvalid | None = None
    ) -> AsyncIterator[StoreProduct]: ...

    def list_products(
        self, *, store_id: int | None = None, on_invalid: OnInvalid | None = None
    ) -> AsyncIterator[Product]: ...

    def list_store_bundles(
        self, store_id: int, *, on_invalid: OnInvalid | None = None
    ) -> AsyncIterator[StoreBundle]: ...

    def list_bundles_simplified(
        self, store_id: int, *, on_invalid: OnInvalid | None = None
    ) -> AsyncIterator[SimplifiedBundle]: ...

    async def get_bundle(self, bundle_id: int) -> Bundle: ...


class ShippingClient(Protocol):
    """Kecamatan search, postal codes, origin warehouses, courier quotes."""

    def search_locations(self, search: str, *, page_size: int = 25) -> AsyncIterator[Location]: ...

    async def get_postal_codes(self, location_id: int) -> list[str]: ...

    async def search_warehouses(
        self, *, store_id: int, destination_id: int, variants: Iterable[tuple[int, int]]
    ) -> list[WarehouseResult]: ...

    async def search_courier_services(
        self,
        *,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        postal_code: str | None = None,
    ) -> list[CourierServiceResult]: ...


if TYPE_CHECKING:
    from pos.api.client import ScalevClient

    def _client_fits(client: ScalevClient) -> None:
        """Never called: mypy checks that the real client fits every Protocol."""
        ports: tuple[
            CheckoutClient,
            PaymentClient,
            AftercareClient,
            CatalogClient,
            ShippingClient,
            OrderReader,
            OrderLister,
        ] = (client, client, client, client, client, client, client)
        del ports


__all__ = [
    "AftercareClient",
    "CatalogClient",
    "CheckoutClient",
    "OrderLister",
    "OrderReader",
    "PaymentClient",
    "ShippingClient",
]
