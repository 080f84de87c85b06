"""The Order document a valid order body becomes, and the ids, numbers and money strings in it."""

from __future__ import annotations

import os
import secrets
import string
import time
import uuid
from datetime import UTC, datetime
from typing import Any, TypeGuard

from pos.sandbox.data import Store, Warehouse
from pos.sandbox.shipping import courier_service_json, warehouse_address_json

EPAYMENT = {"qris", "invoice", "payment_link", "card", "alfamart", "ovo", "dana", "shopeepay",
            "linkaja", "gopay"}  # fmt: skip


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(value: int) -> str:
    return f"{value}.00"


def uuid7(at: float | None = None) -> str:
    """A UUIDv7 (unix-ms timestamp + random), as Scalev uses for order ids; ``at``: unix seconds
    (default: now)."""
    ms = time.time_ns() // 1_000_000 if at is None else int(at * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def new_order_number() -> str:
    day = datetime.now(UTC).strftime("%y%m%d")
    return day + "".join(secrets.choice(string.ascii_uppercase) for _ in range(6))


def new_secret_slug() -> str:
    return secrets.token_urlsafe(30)[:40]


def order_document(
    body: dict[str, Any],
    store: Store,
    lines: list[dict[str, Any]],
    method: str,
    shipping: dict[str, Any] | None,
    weight: int,
    customer_id: Any,
) -> dict[str, Any]:
    now = now_iso()
    product_price = sum(line["price"] * line["quantity"] for line in lines)
    shipping_cost = shipping["quote"].cost if shipping else 0

    def num(key: str) -> int:
        value = body.get(key)
        return round(value) if is_number(value) else 0

    product_discount = num("product_discount")
    shipping_discount = num("shipping_discount")
    other_income = num("other_income")
    gross = product_price - product_discount + shipping_cost - shipping_discount + other_income
    customer: dict[str, Any] = {
        "id": customer_id,
        "name": body["customer_name"].strip(),
        "status": "active",
        "created_at": now,
        "last_updated_at": now,
    }
    if body.get("customer_phone"):
        customer["phone"] = body["customer_phone"]
    if body.get("customer_email"):
        customer["email"] = body["customer_email"]
    orderlines = []
    for line in lines:
        ol: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "product_name": line["name"],
            "variant_price": line["price"],
            "product_price": line["price"] * line["quantity"],
            "quantity": line["quantity"],
            "item_type": line["item_type"],
            "weight": line["weight"],
            "discount": 0,
            "currency": "IDR",
            "inserted_at": now,
        }
        if line["kind"] == "variant":
            v = line["variant"]
            ol.update(
                variant=v.id,
                variant_unique_id=v.unique_id,
                variant_sku=v.sku,
                pricing_type=line["product"].pricing_type,
                is_inventory=v.item_type == "physical",
            )
            if v.option1_value:
                ol["variant_option1_value"] = v.option1_value
        else:
            ol.update(
                bundle_id=line["bundle"].id,
                bundle_price_option=line["option"].id,
                bundle_price_option_unique_id=line["option"].unique_id,
                pricing_type="one_time",
                is_inventory=line["item_type"] == "physical",
            )
        orderlines.append(ol)
    business = {
        "id": store.business_id,
        "username": store.username,
        "unique_id": f"business_{store.business_id}",
    }
    order_id = uuid7()
    doc: dict[str, Any] = {
        "id": order_id,
        "order_id": "",  # filled by the caller (unique check)
        "secret_slug": new_secret_slug(),
        "status": "pending",
        "payment_status": "unpaid",
        "payment_method": method,
        "epayment_provider": "xendit" if method in EPAYMENT or method.startswith("va_") else None,
        "pg_payment_info": _pg_info(method, customer["name"]),
        "pg_reference_id": None,
        "product_price": money(product_price),
        "product_discount": money(product_discount),
        "shipping_cost": money(shipping_cost),
        "shipping_discount": money(shipping_discount),
        "other_income": money(other_income),
        "other_income_name": body.get("other_income_name") if other_income else None,
        "unique_code_discount": money(0),
        "discount_code_discount": money(0),
        "payment_fee": money(0),
        "gross_revenue": money(gross),
        "net_revenue": money(gross - shipping_cost),
        "total_quantity": sum(line["quantity"] for line in lines),
        "product_weight": money(
            sum(
                (
                    line["weight"]
                    - (
                        line["bundle"].weight_bump
                        if line["kind"] == "bundle" and line["weight"]
                        else 0
                    )
                )
                * line["quantity"]
                for line in lines
            )
        ),
        "weight_bump": money(
            sum(
                line["bundle"].weight_bump * line["quantity"]
                for line in lines
                if line["kind"] == "bundle" and line["weight"]
            )
        ),
        "total_weight": money(weight),
        "customer": customer,
        "store": {
            "id": store.id,
            "unique_id": store.unique_id,
            "uuid": store.uuid,
            "name": store.name,
            "business": business,
        },
        "business": business,
        "orderlines": orderlines,
        "variants": {
            line["variant"].unique_id: line["quantity"]
            for line in lines
            if line["kind"] == "variant"
        }
        or None,
        "bundle_price_options": {
            line["option"].unique_id: line["quantity"] for line in lines if line["kind"] == "bundle"
        }
        or None,
        "status_history": [{"status": "pending", "time": now, "by": None}],
        "draft_time": now,
        "pending_time": now,
        "unpaid_time": now,
        "confirmed_time": None,
        "paid_time": None,
        "canceled_time": None,
        "completed_time": None,
        "notes": body.get("notes"),
        "metadata": body.get("metadata"),
        "agent_context": body.get("agent_context")
        if isinstance(body.get("agent_context"), dict)
        else None,
        "tags": [],
        "platform": "scalev",
        "external_id": "",
        "is_probably_spam": bool(body.get("is_probably_spam", False)),
        "is_dropshipping": bool(body.get("is_dropshipping", False)),
        "shipment_provider_code": None,
        "created_at": now,
        "last_updated_at": now,
    }
    if shipping:
        loc = shipping["location"]
        w: Warehouse = shipping["warehouse"]
        s = shipping["quote"].service
        dest = {
            "id": customer_id,
            "name": customer["name"],
            "phone": customer.get("phone", ""),
            "address": body["address"],
            "subdistrict": loc.subdistrict_name,
            "city": loc.city_name,
            "province": loc.province_name,
            "location": loc.id,
        }
        if shipping["postal_code"]:
            dest["postal_code"] = shipping["postal_code"]
        doc["destination_address"] = dest
        doc["origin_address"] = warehouse_address_json(w) | {
            "location_id": w.location.id,
            "warehouse": w.id,
        }
        doc["warehouse"] = {
            "id": w.id,
            "name": w.name,
            "business": business,
            "unique_id": w.unique_id,
        }
        doc["courier_service"] = courier_service_json(s, courier_type="delivery", is_pickup=True)
        doc["courier"] = s.courier_id
        doc["shipment_provider_code"] = s.provider
        doc["shipping_fee"] = money(shipping_cost)
    return doc


def _pg_info(method: str, name: str) -> dict[str, Any] | None:
    if method.startswith("va_"):
        number = "8808" + "".join(secrets.choice(string.digits) for _ in range(12))
        return {
            "payment_method": {
                "virtual_account": {
                    "channel_properties": {
                        "virtual_account_number": number,
                        "customer_name": name,
                    }
                }
            }
        }
    if method == "qris":
        return {
            "qr_string": "00020101021226620014ID.CO.QRIS.WWW"
            + secrets.token_hex(16).upper()
            + "5303360"
        }
    if method in ("bank_transfer", "cod"):
        return {}
    return None
