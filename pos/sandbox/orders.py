"""Order creation: validation (400 errors in Scalev's shape), projections, status changes.

The document a valid body becomes is built in :mod:`pos.sandbox.order_docs`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pos.sandbox.data import ALL_PAYMENT_METHODS, LEGACY_VA_CODES, DemoData, Store, Warehouse
from pos.sandbox.order_docs import is_int, is_number, now_iso, order_document
from pos.sandbox.shipping import ShippingCalculator

SHIPPING_FIELDS = (
    "address",
    "location_id",
    "warehouse_unique_id",
    "shipping_cost",
    "courier_service_id",
)
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
#: an order's line lists: (the key of a line's id, what the id names in messages)
_LINE_IDS = {
    "ordervariants": ("variant_unique_id", "Variant"),
    "orderbundles": ("bundle_price_option_unique_id", "Bundle price option"),
}
#: what a line's id names: (store id, available, the order line without its quantity)
_Found = tuple[int, bool, dict[str, Any]]


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
        return order_document(body, store, lines, method, shipping, weight, customer_id)

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
        if not is_int(qty):
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
        return [
            *self._checked_lines(variants, "ordervariants", self._variant_line, store, err),
            *self._checked_lines(bundles, "orderbundles", self._bundle_line, store, err),
        ]

    def _checked_lines(
        self,
        items: list[Any],
        list_name: str,
        find: Callable[[str], _Found | None],
        store: Store | None,
        err: ValidationFailed,
    ) -> list[dict[str, Any]]:
        """The order lines of one list of ``items`` (``ordervariants`` or ``orderbundles``), each
        checked the same way: an object, a quantity, a known id, sold in this store, available.
        ``find``: what a line's id names (:meth:`_variant_line` or :meth:`_bundle_line`)."""
        uid_key, label = _LINE_IDS[list_name]
        lines: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            where = f"{list_name}[{i}]"
            if not isinstance(item, dict):
                err.add(where, "invalid_type", "each item must be an object")
                continue
            qty = self._quantity(item, where, err)
            uid = item.get(uid_key)
            id_field = f"{where}.{uid_key}"
            found = find(uid) if isinstance(uid, str) else None
            if found is None:
                err.add(id_field, "not_found", f"{label} {uid} not found")
                continue
            store_id, available, line = found
            if store is not None and store_id != store.id:
                err.add(id_field, "not_found", f"{label} {uid} is not sold in this store")
                continue
            if not available:
                err.add(id_field, "not_available", f"{label} {uid} is not available")
                continue
            if qty is None:
                continue
            line["quantity"] = qty
            lines.append(line)
        return lines

    def _variant_line(self, uid: str) -> _Found | None:
        variant = self.data.variants_by_uid.get(uid)
        if variant is None:
            return None
        product = self.data.product_of(variant)
        line = {
            "kind": "variant",
            "variant": variant,
            "product": product,
            "name": product.name,
            "price": variant.price,
            "quantity": 0,
            "item_type": variant.item_type,
            "weight": variant.weight,
            "variant_ids": [(variant.id, 1)],
        }
        return product.store_id, product.is_visible and variant.is_visible, line

    def _bundle_line(self, uid: str) -> _Found | None:
        option = self.data.options_by_uid.get(uid)
        if option is None:
            return None
        bundle = self.data.bundles_by_id[option.bundle_id]
        line = {
            "kind": "bundle",
            "bundle": bundle,
            "option": option,
            "name": f"{bundle.name} - {option.name}",
            "price": option.price,
            "quantity": 0,
            "item_type": bundle.item_type,
            "weight": bundle.weight,
            "variant_ids": [(v.id, q) for _, v, q in bundle.lines],
        }
        return bundle.store_id, option.is_visible, line

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
            if not is_int(body[f]):
                err.add(f, "invalid_type", f"{f} must be an integer")
                ok = False
        if not is_number(body["shipping_cost"]):
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
