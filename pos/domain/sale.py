"""A sale ready to send (:class:`SaleDraft`) and its ``POST /v3/orders`` body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from .cart import Cart
from .customer import Customer, InvalidInput
from .discount import shipping_discount_amount


class StoreLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def unique_id(self) -> str: ...
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class ShippingChoice:
    address: str
    location_id: int
    postal_code: str | None
    warehouse_unique_id: str
    warehouse_id: int
    courier_service_id: int
    shipping_cost: int
    shipment_provider_code: str | None = None
    courier_label: str = ""


@dataclass(frozen=True)
class SaleLine:
    """A frozen snapshot of a cart line."""

    key: str
    kind: str  # "variant" | "bundle"
    unique_id: str
    name: str
    price: int
    quantity: int

    @property
    def subtotal(self) -> int:
        return self.price * self.quantity


@dataclass(frozen=True)
class SaleDraft:
    store_id: int
    store_unique_id: str
    store_name: str
    lines: tuple[SaleLine, ...]
    customer: Customer
    payment_method: str
    note: str = ""
    shipping: ShippingChoice | None = None
    #: manual discounts (issue 13), in rupiah: off the products / off the shipping cost
    product_discount: int = 0
    shipping_discount: int = 0
    #: "cash" when the customer pays cash at the counter (``payment_method`` is then the manual
    #: method the order is created with), with the cash handed over; "" otherwise
    tender: str = ""
    cash_received: int = 0

    @property
    def items_total(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def total(self) -> int:
        shipping = self.shipping.shipping_cost if self.shipping else 0
        return self.items_total - self.product_discount + shipping - self.shipping_discount


def draft_from_cart(
    store: StoreLike,
    cart: Cart,
    customer: Customer,
    payment_method: str,
    note: str = "",
    shipping: ShippingChoice | None = None,
    shipping_discount: int = 0,
    *,
    cash_received: int | None = None,
) -> SaleDraft:
    """Freeze the cart into a draft. Raises :class:`InvalidInput` for an empty cart, a missing
    payment method or an empty shipping address. The cart's discount becomes
    ``product_discount``; ``shipping_discount`` is clamped to the shipping cost.
    ``cash_received``: a cash sale (``payment_method`` is the manual method the order is
    created with); less cash than the total raises ``InvalidInput("cash_received", …)``."""
    if cart.is_empty:
        raise InvalidInput("cart", "cart_empty")
    if not payment_method:
        raise InvalidInput("payment_method", "payment_method_required")
    if shipping is not None and not shipping.address.strip():
        raise InvalidInput("address", "address_required")
    lines = tuple(
        SaleLine(
            key=line.item.key,
            kind=line.item.kind,
            unique_id=line.item.unique_id,
            name=line.item.name,
            price=line.item.price,
            quantity=line.quantity,
        )
        for line in cart.lines
    )
    draft = SaleDraft(
        store_id=store.id,
        store_unique_id=store.unique_id,
        store_name=store.name,
        lines=lines,
        customer=customer,
        payment_method=payment_method,
        note=note.strip(),
        shipping=shipping,
        product_discount=cart.discount_amount,
        shipping_discount=shipping_discount_amount(
            shipping_discount, shipping.shipping_cost if shipping else 0
        ),
        tender="cash" if cash_received is not None else "",
        cash_received=int(cash_received or 0),
    )
    if draft.tender == "cash" and draft.cash_received < draft.total:
        raise InvalidInput("cash_received", "cash_too_little")
    return draft


def order_notes(pos_ref: str, terminal: str, note: str = "") -> str:
    text = f"Kasir {terminal} #{short_ref(pos_ref)}"
    return f"{text} — {note}" if note else text


def short_ref(pos_ref: str) -> str:
    return pos_ref.replace("-", "")[:8]


def build_order_body(draft: SaleDraft, *, pos_ref: str, terminal: str) -> dict[str, Any]:
    """The JSON body of ``POST /v3/orders`` (digest 2.9). Empty/unknown fields are omitted."""
    body: dict[str, Any] = {
        "store_unique_id": draft.store_unique_id,
        "customer_name": draft.customer.name,
        "customer_phone": draft.customer.phone,
    }
    if draft.customer.email:
        body["customer_email"] = draft.customer.email
    variants = [
        {"variant_unique_id": ln.unique_id, "quantity": ln.quantity}
        for ln in draft.lines
        if ln.kind == "variant"
    ]
    bundles = [
        {"bundle_price_option_unique_id": ln.unique_id, "quantity": ln.quantity}
        for ln in draft.lines
        if ln.kind == "bundle"
    ]
    if variants:
        body["ordervariants"] = variants
    if bundles:
        body["orderbundles"] = bundles
    body["payment_method"] = draft.payment_method
    s = draft.shipping
    if s is not None:
        body["address"] = s.address
        body["location_id"] = s.location_id
        if s.postal_code:
            body["postal_code"] = s.postal_code
        body["warehouse_unique_id"] = s.warehouse_unique_id
        body["courier_service_id"] = s.courier_service_id
        body["shipping_cost"] = int(s.shipping_cost)
        if s.shipment_provider_code:
            body["shipment_provider_code"] = s.shipment_provider_code
        if draft.shipping_discount > 0:
            body["shipping_discount"] = int(draft.shipping_discount)
    if draft.product_discount > 0:
        body["product_discount"] = int(draft.product_discount)
    body["notes"] = order_notes(pos_ref, terminal, draft.note)
    body["metadata"] = {"pos_ref": pos_ref, "terminal": terminal}
    return body
