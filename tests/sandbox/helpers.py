"""Test-side helpers for the sandbox: control-route client and a contract-checking API wrapper.

Import them in any test: ``from tests.sandbox.helpers import Api, SandboxControl``.
"""

from __future__ import annotations

from typing import Any

import httpx

from pos.sandbox import DEMO_API_KEY, SandboxServer
from tests.contract import openapi

KOPI_STORE = 3288  # payment_link, qris, va_bca/bni/bri/mandiri; warehouses Bekasi + Surabaya
BATIK_STORE = 3301  # invoice, bank_transfer, cod; warehouses Yogyakarta + Bekasi
DIGITAL_STORE = 3315  # qris only; digital goods only

#: the customer phone of :meth:`Api.digital_order`
DIGITAL_ORDER_PHONE = "6281234567890"


class Api:
    """A thin httpx wrapper that validates every documented response against the contract."""

    TEMPLATES = (
        ("/v3/stores/simplified", None),
        ("/v3/stores/{store_id}/payment-methods", "payment-methods"),
        ("/v3/stores/{store_id}/products", "products"),
        ("/v3/stores/{store_id}/bundles", "bundles"),
        ("/v3/bundles/simplified", None),
        ("/v3/locations", None),
        ("/v3/locations/{location_id}/postal-codes", "postal-codes"),
        ("/v3/shipping-costs/search-warehouse", None),
        ("/v3/shipping-costs/search-courier-service", None),
        ("/v3/orders", None),
        ("/v3/orders/statistics", "statistics"),
        ("/v3/orders/change-status", "change-status"),
        ("/v3/orders/{id}/check-payment", "check-payment"),
        ("/v3/orders/{id}/payment", "payment"),
        ("/v3/orders/{id}/update-tags", "update-tags"),
        ("/v3/orders/{id}", "orders/"),
    )

    def __init__(
        self, server: SandboxServer, api_key: str = DEMO_API_KEY, timeout: float = 10
    ) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
        )

    def close(self) -> None:
        self.http.close()

    @staticmethod
    def template_for(path: str) -> str | None:
        parts = path.split("/")
        for template, _ in Api.TEMPLATES:
            tparts = template.split("/")
            if len(tparts) != len(parts):
                continue
            if all(t == p or (t.startswith("{") and p) for t, p in zip(tparts, parts, strict=True)):
                return template
        return None

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        resp = self.http.request(method, path, **kw)
        template = self.template_for(path)
        if template and resp.headers.get("content-type", "").startswith("application/json"):
            if "json" in kw and method == "POST" and resp.is_success:
                # whatever the sandbox accepted must be a contract-valid request
                openapi.validate_request_body(method, template, kw["json"])
            openapi.validate_response(method, template, resp.status_code, resp.json())
        return resp

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def all_pages(
        self, path: str, params: dict[str, Any] | None = None, page_size: int = 25
    ) -> list[Any]:
        items: list[Any] = []
        query = dict(params or {}) | {"page_size": page_size}
        while True:
            body = self.get(path, params=query).json()
            items.extend(body["data"])
            if not body["has_next"]:
                return items
            query = dict(params or {}) | {
                "page_size": page_size,
                "next_cursor": body["next_cursor"],
            }

    # -- catalog helpers ---------------------------------------------------------------------
    def variant(self, store_id: int, sku: str) -> dict[str, Any]:
        products = self.get("/v3/products", params={"store_id": store_id, "search": sku}).json()[
            "data"
        ]
        for product in products:
            for variant in product["variants"]:
                if variant["sku"] == sku:
                    return variant
        raise LookupError(sku)

    def variant_by_name(self, store_id: int, fullname: str) -> dict[str, Any]:
        for product in self.all_pages("/v3/products", {"store_id": store_id}):
            for variant in product["variants"]:
                if variant["fullname"] == fullname:
                    return variant
        raise LookupError(fullname)

    def location(self, search: str, city: str | None = None) -> dict[str, Any]:
        for loc in self.get("/v3/locations", params={"search": search}).json()["data"]:
            if loc["subdistrict_name"] == search and (city is None or loc["city_name"] == city):
                return loc
        raise LookupError(search)

    def search_warehouses(
        self, store_id: int, destination_id: int, variants: list[tuple[int, int]]
    ) -> dict[str, Any]:
        """The warehouses that can ship ``(variant_id, qty)`` pairs there (the JSON answer)."""
        body = {
            "store_id": store_id,
            "destination_id": destination_id,
            "variants": [{"variant_id": v, "qty": qty} for v, qty in variants],
        }
        answer: dict[str, Any] = self.post("/v3/shipping-costs/search-warehouse", json=body).json()
        return answer

    def search_couriers(
        self,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        **extra: Any,
    ) -> dict[str, Any]:
        """The courier services from a warehouse to a location (the JSON answer)."""
        body = {
            "store_id": store_id,
            "location_id": location_id,
            "warehouse_id": warehouse_id,
            "payment_method": payment_method,
            "weight": weight,
            **extra,
        }
        answer: dict[str, Any] = self.post(
            "/v3/shipping-costs/search-courier-service", json=body
        ).json()
        return answer

    def physical_order(
        self,
        store_id: int = KOPI_STORE,
        fullname: str = "Kopi Arabika Gayo 250 g - Biji",
        qty: int = 2,
        destination: tuple[str, str] = ("Cempaka Putih", "Kota Jakarta Pusat"),
        payment_method: str = "va_bca",
        **extra: Any,
    ) -> dict[str, Any]:
        """Build a valid physical order body by walking the shipping flow."""
        store = next(
            s for s in self.get("/v3/stores/simplified").json()["data"] if s["id"] == store_id
        )
        variant = self.variant_by_name(store_id, fullname)
        loc = self.location(*destination)
        postal = self.get(f"/v3/locations/{loc['id']}/postal-codes").json()["data"][0][
            "postal_code"
        ]
        wh = self.search_warehouses(store_id, loc["id"], [(variant["id"], qty)])["data"][0][
            "warehouse"
        ]
        courier = self.search_couriers(
            store_id,
            loc["id"],
            wh["id"],
            payment_method,
            variant["weight"] * qty,
            postal_code=postal,
        )["data"][0]
        body = {
            "store_unique_id": store["unique_id"],
            "customer_name": "Budi Santoso",
            "customer_phone": "6281398765432",
            "customer_email": "budi.santoso@example.co.id",
            "ordervariants": [{"variant_unique_id": variant["unique_id"], "quantity": qty}],
            "payment_method": payment_method,
            "address": "Jl. Cempaka Putih Tengah No. 17, RT 05/RW 03",
            "location_id": loc["id"],
            "postal_code": postal,
            "warehouse_unique_id": wh["unique_id"],
            "courier_service_id": courier["courier_service"]["id"],
            "shipping_cost": courier["cost"],
            "shipment_provider_code": courier["shipment_provider_code"],
            "metadata": {"pos_ref": "6c1d9e0b-2a44-4f3e-8b5a-91e0d2c7f311"},
        }
        return body | extra

    def digital_order(
        self, sku: str = "EBOOK-SEDUH", store_id: int = KOPI_STORE, **extra: Any
    ) -> dict[str, Any]:
        store = next(
            s for s in self.get("/v3/stores/simplified").json()["data"] if s["id"] == store_id
        )
        variant = self.variant(store_id, sku)
        body = {
            "store_unique_id": store["unique_id"],
            "customer_name": "Siti Rahmawati",
            "customer_phone": DIGITAL_ORDER_PHONE,
            "customer_email": "siti.rahmawati@example.co.id",
            "ordervariants": [{"variant_unique_id": variant["unique_id"], "quantity": 1}],
            "payment_method": "payment_link",
            "notes": "POS Kasir-01 / struk 000123",
            "metadata": {"pos_ref": "0f5a2c1e-3b7d-4c0a-9e21-7d9b3c2a1f40", "terminal": "KASIR-01"},
        }
        return body | extra


class SandboxControl:
    """Test-side helpers for a running sandbox (control routes + authenticated /v3 calls)."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server
        self.base_url = server.base_url
        self.api_key = DEMO_API_KEY

    def _ctl(self, method: str, path: str, **kw: Any) -> httpx.Response:
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            resp = client.request(method, path, **kw)
        resp.raise_for_status()
        return resp

    def client(self, *, api_key: str | None = None, timeout: float = 10.0) -> httpx.Client:
        """An httpx.Client with the demo bearer key (caller closes it; use ``with``)."""
        return httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {api_key or self.api_key}"},
            timeout=timeout,
        )

    def set_faults(self, config: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """PUT /__sandbox/faults; ``set_faults()`` clears every fault."""
        body = dict(config or {}) | kw
        result: dict[str, Any] = self._ctl("PUT", "/__sandbox/faults", json=body).json()
        return result

    def fault_next(self, fault: str, path: str, method: str | None = None, times: int = 1) -> None:
        """Arm a deterministic one-shot fault for the next matching request(s)."""
        self.set_faults(next=[{"fault": fault, "path": path, "method": method, "times": times}])

    def set_rate_limit(self, enabled: bool = True, hourly_limit: int | None = None) -> None:
        """PUT /__sandbox/rate-limit (resets the counters); ``hourly_limit`` changes the hourly
        window when given (0: off)."""
        body: dict[str, Any] = {"enabled": enabled}
        if hourly_limit is not None:
            body["hourly_limit"] = hourly_limit
        self._ctl("PUT", "/__sandbox/rate-limit", json=body)

    def seed_orders(
        self, store_id: int, customer_phone: str, count: int, created_offset_s: float = 0
    ) -> list[dict[str, Any]]:
        """POST /__sandbox/seed-orders: ``count`` orders for one phone (a busy phone)."""
        body = {
            "store_id": store_id,
            "customer_phone": customer_phone,
            "count": count,
            "created_offset_s": created_offset_s,
        }
        data: list[dict[str, Any]] = self._ctl("POST", "/__sandbox/seed-orders", json=body).json()[
            "data"
        ]
        return data

    def pay(self, order_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._ctl("POST", f"/__sandbox/orders/{order_id}/pay").json()
        return result

    def cancel(self, order_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._ctl("POST", f"/__sandbox/orders/{order_id}/cancel").json()
        return result

    def orders(self, pos_ref: str | None = None) -> list[dict[str, Any]]:
        params = {"pos_ref": pos_ref} if pos_ref else None
        data: list[dict[str, Any]] = self._ctl("GET", "/__sandbox/orders", params=params).json()[
            "data"
        ]
        return data

    def requests(self) -> list[dict[str, Any]]:
        data: list[dict[str, Any]] = self._ctl("GET", "/__sandbox/requests").json()["data"]
        return data

    def clear_requests(self) -> None:
        self._ctl("DELETE", "/__sandbox/requests")
