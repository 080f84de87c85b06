"""pydantic v2 models of the Scalev v3 resources the POS reads.

All models accept unknown fields (``extra="allow"``): Scalev adds fields over time and the
v3 contract leaves several shapes untyped. Money is :class:`~decimal.Decimal` (decimal strings
on orders, numbers in the catalog and courier quotes); never float. Ids keep their documented
types: numeric ``id`` ints, ``store_…``/``variant_…``/``bpo_…``/``warehouse_…`` unique-id
strings, UUID strings for order ids.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pos.domain import order_status
from pos.domain.text import display_text


class ScalevModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False, defer_build=True)


def _to_decimal(v: Any) -> Any:
    # floats would arrive here from JSON numbers; go through str() so 85000.1 stays exact.
    if isinstance(v, float):
        return Decimal(str(v))
    return v


Money = Decimal


def _shown(v: Any) -> Any:
    """Names and numbers the cashier sees: one line, no bidi / zero-width marks
    (:func:`pos.domain.text.display_text`). Markup is left as text: views show it plain."""
    return display_text(v) if isinstance(v, str) else v


def _names(*fields: str) -> Any:
    return field_validator(*fields, mode="after")(_shown)


def _decimals(*fields: str) -> Any:
    """Money fields: JSON numbers become exact Decimals (:func:`_to_decimal`)."""
    return field_validator(*fields, mode="before")(_to_decimal)


def _int_to_str(v: Any) -> Any:
    return str(v) if isinstance(v, int) else v


def _str_id() -> Any:
    """Order ids are UUID strings; legacy numeric ids are coerced to str."""
    return field_validator("id", mode="before")(_int_to_str)


# --- stores ---------------------------------------------------------------------------


class CustomDomain(ScalevModel):
    id: int | None = None
    full_url: str | None = None
    is_verified: bool | None = None


class Store(ScalevModel):
    """An item of ``GET /v3/stores/simplified`` (v2-derived shape; tolerant)."""

    id: int
    unique_id: str
    name: str = ""
    uuid: str | None = None
    logo: str | None = None
    business_id: int | None = None
    custom_domain: CustomDomain | None = None
    payment_methods: list[str] = Field(default_factory=list)
    sub_payment_methods: list[str] = Field(default_factory=list)
    _shown = _names("name")


# --- catalog --------------------------------------------------------------------------


class VariantSummary(ScalevModel):
    """A variant as listed by ``GET /v3/stores/{id}/products`` (plus optional extras)."""

    id: int
    unique_id: str | None = None
    fullname: str | None = None
    sku: str | None = None
    price: Money | None = None
    # Not documented on the store route; present on /v3/products and variant detail.
    weight: int | None = None
    item_type: str | None = None
    images: list[Any] | None = None
    _shown = _names("fullname")

    _dec = _decimals("price")


class StoreProduct(ScalevModel):
    id: int
    name: str | None = None
    display: str | None = None
    is_visible: bool = True
    item_type: str | None = None
    images: list[Any] | None = None
    variants: list[VariantSummary] = Field(default_factory=list)
    _shown = _names("name", "display")


class Product(ScalevModel):
    """A full product from ``GET /v3/products`` (has ``item_type`` and variant weights)."""

    id: int
    name: str | None = None
    display: str | None = None
    item_type: str | None = None
    is_inventory: bool | None = None
    images: list[Any] | None = None
    variants: list[VariantSummary] = Field(default_factory=list)
    _shown = _names("name", "display")


class BundlePriceOption(ScalevModel):
    id: int
    unique_id: str | None = None  # ASSUMED on the store route; always on /v3/bundles/*
    name: str | None = None
    price: Money | None = None
    is_visible: bool = True
    slug: str | None = None
    _shown = _names("name")

    _dec = _decimals("price")


class StoreBundle(ScalevModel):
    """An item of ``GET /v3/stores/{id}/bundles``."""

    id: int
    name: str | None = None
    display: str | None = None
    bundle_price_options: list[BundlePriceOption] = Field(default_factory=list)
    _shown = _names("name", "display")


class SimplifiedBundle(ScalevModel):
    """An item of ``GET /v3/bundles/simplified``."""

    id: int
    name: str | None = None
    display: str | None = None
    public_name: str | None = None
    custom_id: str | None = None
    weight_bump: int | None = None
    images: list[Any] | None = None
    bundle_price_options: list[BundlePriceOption] = Field(default_factory=list)
    _shown = _names("name", "display", "public_name")


class BundleLineVariant(ScalevModel):
    id: int
    unique_id: str | None = None
    sku: str | None = None
    fullname: str | None = None
    weight: int | None = None
    price: Money | None = None
    item_type: str | None = None
    _shown = _names("fullname")

    _dec = _decimals("price")


class BundleLine(ScalevModel):
    id: int | None = None
    quantity: int = 1
    variant: BundleLineVariant


class Bundle(ScalevModel):
    """``GET /v3/bundles/{id}``: price options with unique ids and the bundle lines."""

    id: int
    name: str | None = None
    display: str | None = None
    weight_bump: int | None = None
    images: list[Any] | None = None
    bundle_price_options: list[BundlePriceOption] = Field(default_factory=list)
    bundlelines: list[BundleLine] = Field(default_factory=list)
    _shown = _names("name", "display")


# --- locations and shipping -----------------------------------------------------------


class Location(ScalevModel):
    id: int
    subdistrict_name: str = ""
    city_name: str = ""
    province_name: str = ""
    display: str = ""
    _shown = _names("subdistrict_name", "city_name", "province_name", "display")


class WarehouseAddress(ScalevModel):
    id: int | None = None
    address: str | None = None
    city: str | None = None
    province: str | None = None
    subdistrict: str | None = None
    postal_code: str | None = None
    location: int | None = None


class Warehouse(ScalevModel):
    id: int
    unique_id: str
    name: str = ""
    warehouse_address: WarehouseAddress | None = None
    _shown = _names("name")


class WarehouseResult(ScalevModel):
    """An item of ``POST /v3/shipping-costs/search-warehouse``."""

    destination: Location | None = None
    distance_km: Decimal | None = None
    warehouse: Warehouse
    warehouse_partner: dict[str, Any] | None = None

    _dec = _decimals("distance_km")


class Courier(ScalevModel):
    id: int | None = None
    code: str | None = None
    name: str = ""
    courier_type: str | None = None
    _shown = _names("name")


class CourierService(ScalevModel):
    id: int
    code: str | None = None
    name: str = ""
    courier: Courier | None = None
    _shown = _names("name")


class CourierServiceResult(ScalevModel):
    """An item of ``POST /v3/shipping-costs/search-courier-service``."""

    courier_service: CourierService
    cost: Money
    cost_source: str | None = None
    etd: str | None = None
    is_cod: bool = False
    is_pickup: bool | None = None
    shipment_provider_code: str | None = None
    warehouse: dict[str, Any] | None = None
    weight: int | None = None

    _dec = _decimals("cost")


# --- orders ---------------------------------------------------------------------------


class OrderVariantLine(ScalevModel):
    variant_unique_id: str
    quantity: int


class OrderBundleLine(ScalevModel):
    bundle_price_option_unique_id: str
    quantity: int


class OrderCreate(ScalevModel):
    """The body of ``POST /v3/orders`` (only the fields the POS sends)."""

    store_unique_id: str
    customer_name: str
    customer_phone: str | None = None
    customer_email: str | None = None
    ordervariants: list[OrderVariantLine] | None = None
    orderbundles: list[OrderBundleLine] | None = None
    payment_method: str | None = None
    address: str | None = None
    location_id: int | None = None
    postal_code: str | None = None
    warehouse_unique_id: str | None = None
    courier_service_id: int | None = None
    shipping_cost: int | None = None
    shipment_provider_code: str | None = None
    product_discount: int | None = None
    shipping_discount: int | None = None
    notes: str | None = None
    metadata: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON body: unset/None fields omitted."""
        return self.model_dump(mode="json", exclude_none=True)


class OrderCustomer(ScalevModel):
    id: int | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    _shown = _names("name")


class OrderStore(ScalevModel):
    id: int | None = None
    unique_id: str | None = None
    name: str | None = None
    _shown = _names("name")


class OrderLine(ScalevModel):
    id: str | None = None
    product_name: str | None = None
    variant: int | None = None
    variant_sku: str | None = None
    variant_price: Money | None = None
    quantity: int = 0
    item_type: str | None = None
    _shown = _names("product_name")

    _dec = _decimals("variant_price")


_ORDER_MONEY = (
    "gross_revenue",
    "product_price",
    "product_discount",
    "shipping_cost",
    "shipping_discount",
    "other_income",
    "payment_fee",
    "net_revenue",
)


class Order(ScalevModel):
    """``Order`` as returned by create, get and check-payment."""

    id: str  # UUID (legacy numeric ids are coerced to str)
    order_id: str | None = None
    secret_slug: str | None = None
    public_order_url: str | None = None
    payment_url: str | None = None
    status: str | None = None
    payment_status: str | None = None
    payment_method: str | None = None
    gross_revenue: Money | None = None
    product_price: Money | None = None
    product_discount: Money | None = None
    shipping_cost: Money | None = None
    shipping_discount: Money | None = None
    other_income: Money | None = None
    payment_fee: Money | None = None
    net_revenue: Money | None = None
    customer: OrderCustomer | None = None
    store: OrderStore | None = None
    orderlines: list[OrderLine] | None = None
    notes: str | None = None
    metadata: dict[str, Any] | None = None
    paid_time: str | None = None
    canceled_time: str | None = None
    created_at: str | None = None
    _shown = _names("order_id")

    _id_to_str = _str_id()

    _dec = _decimals(*_ORDER_MONEY)

    @property
    def is_paid(self) -> bool:
        return order_status.is_paid(self.payment_status)

    @property
    def is_closed(self) -> bool:
        return order_status.is_closed(self.status)

    @property
    def is_finished(self) -> bool:
        """Paid or closed: nothing more to wait for (:mod:`pos.domain.order_status`)."""
        return order_status.is_finished(self.status, self.payment_status)


class OrderListItem(ScalevModel):
    """An item of ``GET /v3/orders``: only the requested ``columns`` are present."""

    id: str | None = None
    order_id: str | None = None
    secret_slug: str | None = None
    status: str | None = None
    payment_status: str | None = None
    payment_url: str | None = None
    public_order_url: str | None = None
    gross_revenue: Money | None = None
    customer: OrderCustomer | dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    notes: str | None = None
    created_at: str | None = None
    _shown = _names("order_id")

    _id_to_str = _str_id()

    _dec = _decimals("gross_revenue")


# --- taking the money at the counter (issue 13) ------------------------------------------


class OrderStatusChange(ScalevModel):
    """An item of ``POST /v3/orders/change-status``'s ``data``."""

    id: str
    order_id: str | None = None
    payment_status: str | None = None
    status: str | None = None
    payment_url: str | None = None
    public_order_url: str | None = None

    _id_to_str = _str_id()

    @property
    def is_paid(self) -> bool:
        return order_status.is_paid(self.payment_status)


class PaymentInfo(ScalevModel):
    """``POST /v3/orders/{id}/payment``: the raw gateway payment info (shape per method)."""

    qr_string: str | None = None
    invoice_url: str | None = None
    redirect_url: str | None = None
    payment_url: str | None = None


class OrderStatistic(ScalevModel):
    """An item of ``GET /v3/orders/statistics``."""

    count: int = 0
    gross_revenue: Money = Decimal(0)
    status: str | None = None
    day: str | None = None
    week: str | None = None
    month: str | None = None

    _dec = _decimals("gross_revenue")
