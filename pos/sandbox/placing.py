"""Committing orders: ``POST /v3/orders`` and the busy-phone seeding control route share it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from pos.sandbox.core import SandboxCore
from pos.sandbox.data import Store, Variant
from pos.sandbox.order_docs import new_order_number, now_iso, uuid7

SEED_LOCATION_ID = 2005  # Cempaka Putih, Kota Jakarta Pusat: every demo warehouse ships there


def place_order(
    core: SandboxCore, body: dict[str, Any], created_offset_s: float = 0.0
) -> dict[str, Any]:
    """Validate ``body`` and store the new order; raises ``orders.ValidationFailed``.

    ``created_offset_s`` (seeding only) moves every timestamp of the order (negative: past)."""
    phone = body.get("customer_phone")
    name = body.get("customer_name")
    key = f"phone:{phone}" if isinstance(phone, str) and phone else f"name:{name}"
    doc = core.builder.build(body, customer_id=0)
    if created_offset_s:
        at = time.time() + created_offset_s
        shifted = datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        doc = _shift_times(doc, doc["created_at"], shifted)
        doc["id"] = uuid7(at)
    doc["customer"]["id"] = core.orders.customer_id(key, now_iso())
    if "destination_address" in doc:
        doc["destination_address"]["id"] = doc["customer"]["id"]
    number = new_order_number()
    while core.orders.exists_order_number(number):
        number = new_order_number()
    doc["order_id"] = number
    core.orders.insert(doc)
    return doc


def _shift_times(value: Any, now: str, shifted: str) -> Any:
    if isinstance(value, dict):
        return {k: _shift_times(v, now, shifted) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_times(v, now, shifted) for v in value]
    return shifted if value == now else value


def _seed_variant(store: Store, physical: bool) -> Variant | None:
    for product in store.products:
        if not product.is_visible or (product.item_type == "physical") != physical:
            continue
        for variant in product.variants:
            if variant.is_visible:
                return variant
    return None


def seed_body(core: SandboxCore, store: Store, phone: str) -> dict[str, Any]:
    """A valid order body for ``store``: one digital item when it sells any, else one physical
    item shipped to Cempaka Putih with the cheapest quote."""
    method = next(m for m in store.payment_methods if m != "cod")
    body: dict[str, Any] = {
        "store_unique_id": store.unique_id,
        "customer_name": "Pelanggan Ramai",
        "customer_phone": phone,
        "payment_method": method,
        "metadata": {"seeded": True},
    }
    variant = _seed_variant(store, physical=False)
    if variant is not None:
        body["ordervariants"] = [{"variant_unique_id": variant.unique_id, "quantity": 1}]
        return body
    dest = core.data.locations_by_id[SEED_LOCATION_ID]
    for product in store.products:
        if not product.is_visible or product.item_type != "physical":
            continue
        for variant in (v for v in product.variants if v.is_visible):
            for warehouse, _ in core.shipping.warehouses_for_items(store.id, [variant.id], dest):
                quotes = core.shipping.quotes(warehouse, dest, variant.weight, method)
                if not quotes:
                    continue
                q = quotes[0]
                return body | {
                    "ordervariants": [{"variant_unique_id": variant.unique_id, "quantity": 1}],
                    "address": "Jl. Cempaka Putih Raya No. 1",
                    "location_id": dest.id,
                    "postal_code": dest.postal_codes[0],
                    "warehouse_unique_id": warehouse.unique_id,
                    "courier_service_id": q.service.id,
                    "shipping_cost": q.cost,
                    "shipment_provider_code": q.service.provider,
                }
    raise ValueError(f"store {store.id} has nothing the sandbox can seed orders with")


def seed_orders(
    core: SandboxCore, store: Store, phone: str, count: int, created_offset_s: float = 0.0
) -> list[dict[str, Any]]:
    """Insert ``count`` orders for ``phone``; ``created_offset_s`` moves their ``created_at``
    (negative: in the past). Lists are sorted by ``created_at``, so they sort accordingly."""
    body = seed_body(core, store, phone)
    return [place_order(core, body, created_offset_s) for _ in range(count)]
