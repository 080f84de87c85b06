"""Helpers shared by the end-to-end tests, the sale child process and bench/soak_orders.py.

Kept light (only pos.domain / pos.storage imports): the child process imports it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pos.domain.customer import Customer
from pos.domain.sale import SaleDraft, SaleLine

KOPI_STORE = 3288
DIGITAL_SKU = "EBOOK-SEDUH"
KILL_ENV = "KASIR_TEST_KILL_AT"


def sale_spec(http: Any, store_id: int = KOPI_STORE, sku: str = DIGITAL_SKU) -> dict[str, Any]:
    """What a child needs to build a digital-goods draft (no shipping), read from the sandbox
    through ``http`` (an authenticated ``httpx.Client``)."""
    store = next(s for s in http.get("/v3/stores/simplified").json()["data"] if s["id"] == store_id)
    products = http.get("/v3/products", params={"store_id": store_id, "search": sku}).json()
    variant = next(v for p in products["data"] for v in p["variants"] if v["sku"] == sku)
    return {
        "store_id": store_id,
        "store_unique_id": store["unique_id"],
        "store_name": store["name"],
        "unique_id": variant["unique_id"],
        "name": variant.get("fullname") or sku,
        "price": int(float(variant["price"])),
    }


def make_draft(spec: dict[str, Any], n: int, qty: int = 1, phone: str | None = None) -> SaleDraft:
    """Sale number ``n``: its own customer phone (or ``phone``: a busy one shared by many
    orders), so lookups by phone are realistic."""
    line = SaleLine(
        f"v:{spec['unique_id']}",
        "variant",
        spec["unique_id"],
        spec["name"],
        int(spec["price"]),
        qty,
    )
    return SaleDraft(
        store_id=int(spec["store_id"]),
        store_unique_id=str(spec["store_unique_id"]),
        store_name=str(spec["store_name"]),
        lines=(line,),
        customer=Customer(f"Pelanggan {n}", phone or f"62812{n % 100_000_000:08d}", None),
        payment_method="payment_link",
    )


def count_by_pos_ref(orders: list[dict[str, Any]]) -> Counter[str]:
    """Sandbox orders counted by ``metadata.pos_ref`` (orders without one are ignored)."""
    return Counter(
        str((o.get("metadata") or {}).get("pos_ref"))
        for o in orders
        if (o.get("metadata") or {}).get("pos_ref")
    )
