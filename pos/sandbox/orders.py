"""Order creation: validation (400 errors in Scalev's shape), the Order document, projections."""

from __future__ import annotations

import os
import secrets
import string
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeGuard

from pos.sandbox.data import ALL_PAYMENT_METHODS, LEGACY_VA_CODES, DemoData, Store, Warehouse
from pos.sandbox.shipping import ShippingCalculator

SHIPPING_FIELDS = (
    "address",
    "location_id",
    "warehouse_unique_id",
    "shipping_cost",
    "courier_service_id",
)
EPAYMENT = {"qris", "invoice", "payment_link", "card", "alfamart", "ovo", "dana", "shopeepay",
            "linkaja", "gopay"}  # fmt: skip

# Fields of a list item (OrderList) whose type is a JSON number (the full Order uses strings).
LIST_NUMBER_FIELDS = {
    "shipping_cost", "product_price", "net_revenue", "other_income", "payment_fee",
    "product_discount", "shipping_discount", "unique_code_discount", "scalev_fee",
    "payment_link_income", "total_weight",
}  # fmt: skip
LIST_FIELDS = (
    "id", "order_id", "secret_slug", "status", "payment_status", "payment_method",
    "epayment_provider", "pg_payment_info", "pg_reference_id", "external_id", "gross_revenue",
    "product_price", "product_discount", "shipping_cost", "shipping_discount", "other_income",
    "other_income_name", "unique_code_discount", "discount_code_discount", "payment_fee",
    "net_revenue", "total_weight", "customer", "store", "destination_address",
    "shipment_provider_code", "metadata", "notes", "tags", "platform", "public_order_url",
    "payment_url", "is_probably_spam", "is_dropshipping", "created_at", "last_updated_at",
    "draft_time", "pending_time", "confirmed_time", "canceled_time", "completed_time",
)  # fmt: skip


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


@dataclass
class ValidationFailed(Exception):
    errors: list[dict[str, str]] = field(default_factory=list)

    def add(self, field_name: str, code: str, message: str) -> None:
        self.errors.append(
            {"severity": "error", "code": code, "field": field_name, "message": message}
        )

    def body(self) -> dict[str, Any]:
        first = self.errors[0]["message"] if self.errors else "Validation failed"
        return {
            "error": first,
            "error_code": "validation_failed",
            "message": f"Order validation failed ({len(self.errors)} problem(s))",
            "errors": self.errors,
        }


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


class OrderBuilder:
    def __init__(self, data: DemoData, shipping: ShippingCalculator) -> None:
        self.data = data
        self.shipping = shipping

    # -- validation + assembly --------------------------------------------------------------
    def build(self, body: dict[str, Any], customer_id: Any) -> dict[str, Any]:
        """Validate ``body`` and return the new Order document (without URLs).

        Raises :class:`ValidationFailed` listing every problem found.
        """
        err = ValidationFailed()
        store = self._store(body, err)
        name = body.get("customer_name")
        if not isinstance(name, str) or not name.strip():
            err.add("customer_name", "required", "customer_name is required")
        for key in ("customer_phone", "customer_email", "address", "notes", "postal_code"):
            if body.get(key) is not None and not isinstance(body[key], str):
                err.add(key, "invalid_type", f"{key} must be a string")
        email = body.get("customer_email")
        if isinstance(email, str) and email and "@" not in email:
            err.add("customer_email", "invalid", "customer_email is not a valid email address")
        if body.get("metadata") is not None and not isinstance(body["metadata"], dict):
            err.add("metadata", "invalid_type", "metadata must be an object")

        lines = self._lines(body, store, err)
        method = self._payment_method(body, store, err)
        physical = any(line["item_type"] == "physical" for line in lines)
        weight = sum(line["weight"] * line["quantity"] for line in lines)
        shipping = None
        if physical:
            shipping = self._shipping(body, store, weight, method, lines, err)
        elif method == "cod" and lines:
            err.add("payment_method", "invalid", "cod needs physical goods to ship")
        if err.errors:
            raise err
        assert store is not None and method is not None
        return self._document(body, store, lines, method, shipping, weight, customer_id)

    def _store(self, body: dict[str, Any], err: ValidationFailed) -> Store | None:
        ref = body.get("store_unique_id")
        if not isinstance(ref, str) or not ref:
            err.add("store_unique_id", "required", "store_unique_id is required")
            return None
        store = self.data.stores_by_uid.get(ref)
        if store is None:
            err.add("store_unique_id", "not_found", f"Store {ref} not found")
        return store

    def _quantity(self, item: dict[str, Any], where: str, err: ValidationFailed) -> int | None:
        qty = item.get("quantity")
        if not _is_int(qty):
            err.add(f"{where}.quantity", "invalid_type", "quantity must be an integer")
            return None
        if qty < 1:
            err.add(f"{where}.quantity", "invalid", "quantity must be at least 1")
            return None
        return qty

    def _lines(
        self, body: dict[str, Any], store: Store | None, err: ValidationFailed
    ) -> list[dict[str, Any]]:
        variants = body.get("ordervariants") or []
        bundles = body.get("orderbundles") or []
        if not isinstance(variants, list) or not isinstance(bundles, list):
            err.add("ordervariants", "invalid_type", "ordervariants/orderbundles must be arrays")
            return []
        if not variants and not bundles:
            err.add(
                "ordervariants",
                "required",
                "At least one of ordervariants or orderbundles is required",
            )
            return []
        lines: list[dict[str, Any]] = []
        for i, item in enumerate(variants):
            where = f"ordervariants[{i}]"
            if not isinstance(item, dict):
                err.add(where, "invalid_type", "each item must be an object")
                continue
            qty = self._quantity(item, where, err)
            uid = item.get("variant_unique_id")
            variant = self.data.variants_by_uid.get(uid) if isinstance(uid, str) else None
            if variant is None:
                err.add(f"{where}.variant_unique_id", "not_found", f"Variant {uid} not found")
                continue
            product = self.data.product_of(variant)
            if store is not None and product.store_id != store.id:
                err.add(
                    f"{where}.variant_unique_id",
                    "not_found",
                    f"Variant {uid} is not sold in this store",
                )
                continue
            if not (product.is_visible and variant.is_visible):
                err.add(
                    f"{where}.variant_unique_id", "not_available", f"Variant {uid} is not available"
                )
                continue
            if qty is None:
                continue
            lines.append(
                {
                    "kind": "variant",
                    "variant": variant,
                    "product": product,
                    "name": product.name,
                    "price": variant.price,
                    "quantity": qty,
                    "item_type": variant.item_type,
                    "weight": variant.weight,
                    "variant_ids": [(variant.id, 1)],
                }
            )
        for i, item in enumerate(bundles):
            where = f"orderbundles[{i}]"
            if not isinstance(item, dict):
                err.add(where, "invalid_type", "each item must be an object")
                continue
            qty = self._quantity(item, where, err)
            uid = item.get("bundle_price_option_unique_id")
            option = self.data.options_by_uid.get(uid) if isinstance(uid, str) else None
            if option is None:
                err.add(
                    f"{where}.bundle_price_option_unique_id",
                    "not_found",
                    f"Bundle price option {uid} not found",
                )
                continue
            bundle = self.data.bundles_by_id[option.bundle_id]
            if store is not None and bundle.store_id != store.id:
                err.add(
                    f"{where}.bundle_price_option_unique_id",
                    "not_found",
                    f"Bundle price option {uid} is not sold in this store",
                )
                continue
            if not option.is_visible:
                err.add(
                    f"{where}.bundle_price_option_unique_id",
                    "not_available",
                    f"Bundle price option {uid} is not available",
                )
                continue
            if qty is None:
                continue
            lines.append(
                {
                    "kind": "bundle",
                    "bundle": bundle,
                    "option": option,
                    "name": f"{bundle.name} - {option.name}",
                    "price": option.price,
                    "quantity": qty,
                    "item_type": bundle.item_type,
                    "weight": bundle.weight,
                    "variant_ids": [(v.id, q) for _, v, q in bundle.lines],
                }
            )
        return lines

    def _payment_method(
        self, body: dict[str, Any], store: Store | None, err: ValidationFailed
    ) -> str | None:
        method = body.get("payment_method")
        if method is None or method == "":
            err.add("payment_method", "required", "payment_method is required")
            return None
        if method == "va":
            sub = body.get("sub_payment_method")
            method = LEGACY_VA_CODES.get(str(sub).upper()) if sub else None
            if method is None:
                err.add("sub_payment_method", "invalid", f"Unknown sub_payment_method {sub!r}")
                return None
        if method not in ALL_PAYMENT_METHODS:
            err.add("payment_method", "invalid", f"Unknown payment_method {method!r}")
            return None
        if store is not None and method not in store.payment_methods:
            err.add(
                "payment_method",
                "payment_method_not_available",
                f"Payment method {method} is not enabled for this store",
            )
            return None
        return str(method)

    def _shipping(
        self,
        body: dict[str, Any],
        store: Store | None,
        weight: int,
        method: str | None,
        lines: list[dict[str, Any]],
        err: ValidationFailed,
    ) -> dict[str, Any] | None:
        missing = [f for f in SHIPPING_FIELDS if body.get(f) in (None, "")]
        for f in missing:
            err.add(f, "required", f"{f} is required for physical goods")
        if missing or store is None:
            return None
        ok = True
        if not isinstance(body["address"], str):
            ok = False
        for f in ("location_id", "courier_service_id"):
            if not _is_int(body[f]):
                err.add(f, "invalid_type", f"{f} must be an integer")
                ok = False
        if not _is_number(body["shipping_cost"]):
            err.add("shipping_cost", "invalid_type", "shipping_cost must be a number")
            ok = False
        if not ok:
            return None
        location = self.data.locations_by_id.get(body["location_id"])
        if location is None:
            err.add("location_id", "not_found", f"Location {body['location_id']} not found")
            return None
        postal = body.get("postal_code")
        if postal and postal not in location.postal_codes:
            err.add("postal_code", "invalid", f"Postal code {postal} is not in {location.display}")
        wuid = body["warehouse_unique_id"]
        warehouse: Warehouse | None = next(
            (w for w in self.data.warehouses.values() if w.unique_id == wuid), None
        )
        if warehouse is None:
            err.add("warehouse_unique_id", "not_found", "Warehouse tidak ditemukan untuk store ini")
            return None
        variant_ids = [vid for line in lines for vid, _ in line["variant_ids"]]
        usable = {
            w.id for w, _ in self.shipping.warehouses_for_items(store.id, variant_ids, location)
        }
        if warehouse.id not in usable:
            err.add(
                "warehouse_unique_id",
                "warehouse_unavailable",
                f"{warehouse.name} cannot ship these items",
            )
            return None
        quote = self.shipping.quote_for(
            warehouse, location, weight, method, body["courier_service_id"]
        )
        if quote is None:
            err.add(
                "courier_service_id",
                "courier_unavailable",
                "Courier service is not available for this destination, weight and payment method",
            )
            return None
        if round(body["shipping_cost"]) != quote.cost:
            err.add(
                "shipping_cost",
                "shipping_cost_mismatch",
                f"shipping_cost {body['shipping_cost']} does not match the quote {quote.cost}",
            )
            return None
        provider = body.get("shipment_provider_code")
        if provider is not None and provider != quote.service.provider:
            err.add(
                "shipment_provider_code",
                "invalid",
                f"shipment_provider_code should be {quote.service.provider}",
            )
            return None
        return {"location": location, "warehouse": warehouse, "quote": quote, "postal_code": postal}

    def _document(
        self,
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
            return round(value) if _is_number(value) else 0

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
            "epayment_provider": "xendit"
            if method in EPAYMENT or method.startswith("va_")
            else None,
            "pg_payment_info": self._pg_info(method, customer["name"]),
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
                line["option"].unique_id: line["quantity"]
                for line in lines
                if line["kind"] == "bundle"
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
            doc["origin_address"] = {
                "id": w.address_id,
                "address": w.address,
                "subdistrict": w.location.subdistrict_name,
                "city": w.location.city_name,
                "province": w.location.province_name,
                "postal_code": w.postal_code,
                "location": w.location.id,
                "location_id": w.location.id,
                "warehouse": w.id,
            }
            doc["warehouse"] = {
                "id": w.id,
                "name": w.name,
                "business": business,
                "unique_id": w.unique_id,
            }
            doc["courier_service"] = {
                "id": s.id,
                "code": s.code,
                "name": s.name,
                "courier": {
                    "id": s.courier_id,
                    "code": s.courier_code,
                    "name": s.courier_name,
                    "courier_type": "delivery",
                    "is_pickup": True,
                },
            }
            doc["courier"] = s.courier_id
            doc["shipment_provider_code"] = s.provider
            doc["shipping_fee"] = money(shipping_cost)
        return doc

    @staticmethod
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


# -- rendering ------------------------------------------------------------------------------
def render_order(doc: dict[str, Any], base_url: str) -> dict[str, Any]:
    out = dict(doc)
    public = f"{base_url}/o/{doc['secret_slug']}"
    out["public_order_url"] = public
    out["payment_url"] = public + "/success"
    if out.get("payment_method") in ("invoice", "payment_link"):
        out["pg_payment_info"] = {"invoice_url": public + "/success"}
    for key in ("variants", "bundle_price_options", "agent_context", "shipment_provider_code"):
        if out.get(key) is None:
            out.pop(key, None)
    return out


def _to_number(value: Any) -> Any:
    if isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def render_list_item(
    doc: dict[str, Any], base_url: str, columns: list[str] | None
) -> dict[str, Any]:
    full = render_order(doc, base_url)
    wanted = list(LIST_FIELDS) if not columns else ["id", *[c for c in columns if c != "id"]]
    item: dict[str, Any] = {}
    for key in wanted:
        if key not in full:
            continue
        value = full[key]
        if key in LIST_NUMBER_FIELDS:
            value = _to_number(value)
        elif key == "metadata" and value is None:
            value = {}
        elif key in ("draft_time", "pending_time") and value is None:
            continue
        elif key == "tags":
            value = [{"id": i + 1, "name": t} for i, t in enumerate(value)]
        elif key == "store":
            value = {
                k: v
                for k, v in value.items()
                if k in ("id", "name", "unique_id", "uuid", "business")
            }
        item[key] = value
    return item


def mark_paid(doc: dict[str, Any]) -> dict[str, Any]:
    if doc["payment_status"] in ("paid", "settled"):
        return doc
    now = now_iso()
    doc["payment_status"] = "paid"
    doc["paid_time"] = now
    if doc["status"] in ("draft", "pending"):
        doc["status"] = "confirmed"
        doc["confirmed_time"] = now
        doc["status_history"].append({"status": "confirmed", "time": now, "by": None})
    doc["last_updated_at"] = now
    return doc


def mark_canceled(doc: dict[str, Any]) -> dict[str, Any]:
    if doc["status"] == "canceled":
        return doc
    now = now_iso()
    doc["status"] = "canceled"
    doc["canceled_time"] = now
    doc["status_history"].append({"status": "canceled", "time": now, "by": None})
    doc["last_updated_at"] = now
    return doc
