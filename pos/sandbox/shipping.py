"""Deterministic shipping quotes: warehouse choice and courier costs.

Rules (documented in README.md so tests can rely on them):

- A warehouse can ship an item set when it belongs to the store and stocks every physical
  variant; results are sorted by distance to the destination (nearest first).
- Courier cost = per-kg rate x billable kg x service factor, rounded up to Rp500, where billable
  kg = ceil(weight / 1000) (minimum 1) and the per-kg rate grows with the distance between the
  warehouse city and the destination city, plus a small per-destination surcharge.
- Destinations in "remote" cities (Kepulauan Seribu, Agats/Asmat) get no courier services.
- ``payment_method == "cod"`` keeps only COD-capable services.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pos.sandbox.data import CourierService, DemoData, Location, Warehouse


def distance_km(a: Location, b: Location) -> float:
    """Great-circle distance between two cities (subdistricts of one city get a small offset)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371.0 * math.asin(math.sqrt(h))
    # Different subdistricts inside one city are a few km apart.
    km += 0.0 if a.id == b.id else 2.0 + (abs(a.id - b.id) % 17) * 0.6
    return round(km, 1)


def billable_kg(weight_grams: int) -> int:
    return max(1, math.ceil(weight_grams / 1000))


def etd_for(km: float, service: CourierService) -> str:
    if service.express:
        return "1" if km < 1200 else "1-2"
    if km < 40:
        return "1-2"
    if km < 250:
        return "2-3"
    if km < 1200:
        return "3-5"
    return "5-8"


def rate_per_kg(km: float, destination: Location) -> int:
    if km < 40:
        base = 9000
    elif km < 250:
        base = 12000
    elif km < 1200:
        base = 18000 + int(km / 100) * 1000
    else:
        base = 35000 + int(km / 200) * 1000
    return base + (destination.id % 4) * 500


def round_up_500(value: float) -> int:
    return int(math.ceil(value / 500.0) * 500)


@dataclass(frozen=True, slots=True)
class Quote:
    service: CourierService
    cost: int
    etd: str
    weight: int


class ShippingCalculator:
    def __init__(self, data: DemoData) -> None:
        self.data = data

    def warehouses_for_items(
        self, store_id: int, variant_ids: list[int], destination: Location
    ) -> list[tuple[Warehouse, float]]:
        store = self.data.stores_by_id[store_id]
        candidates = set(store.warehouse_ids)
        for vid in variant_ids:
            variant = self.data.variants_by_id[vid]
            if variant.item_type != "physical":
                continue
            candidates &= set(self.data.warehouses_for(self.data.product_of(variant)))
        result = [
            (self.data.warehouses[w], distance_km(self.data.warehouses[w].location, destination))
            for w in candidates
            if w in self.data.warehouses
        ]
        result.sort(key=lambda pair: (pair[1], pair[0].id))
        return result

    def quotes(
        self,
        warehouse: Warehouse,
        destination: Location,
        weight: int,
        payment_method: str | None,
    ) -> list[Quote]:
        if destination.remote:
            return []
        km = distance_km(warehouse.location, destination)
        kg = billable_kg(weight)
        per_kg = rate_per_kg(km, destination)
        out = []
        for service in self.data.couriers.values():
            if payment_method == "cod" and not service.is_cod:
                continue
            cost = round_up_500(per_kg * kg * service.factor)
            out.append(Quote(service, cost, etd_for(km, service), weight))
        out.sort(key=lambda q: (q.cost, q.service.id))
        return out

    def quote_for(
        self,
        warehouse: Warehouse,
        destination: Location,
        weight: int,
        payment_method: str | None,
        courier_service_id: int,
    ) -> Quote | None:
        for q in self.quotes(warehouse, destination, weight, payment_method):
            if q.service.id == courier_service_id:
                return q
        return None


def warehouse_json(w: Warehouse, business_id: int, username: str) -> dict[str, Any]:
    return {
        "id": w.id,
        "unique_id": w.unique_id,
        "name": w.name,
        "business": {"id": business_id, "username": username},
        "lincah_origin_id": w.lincah_origin_id,
        "mengantar_origin_id": w.mengantar_origin_id,
        "warehouse_address": warehouse_address_json(w),
    }


def warehouse_address_json(w: Warehouse) -> dict[str, Any]:
    """A warehouse's address (a warehouse search result's, an order's ``origin_address``)."""
    return {
        "id": w.address_id,
        "address": w.address,
        "subdistrict": w.location.subdistrict_name,
        "city": w.location.city_name,
        "province": w.location.province_name,
        "postal_code": w.postal_code,
        "location": w.location.id,
    }


def courier_service_json(s: CourierService, **courier: Any) -> dict[str, Any]:
    """A courier service with its courier; ``courier`` adds fields to the latter
    (``courier_type`` differs between a courier search result and an order)."""
    return {
        "id": s.id,
        "code": s.code,
        "name": s.name,
        "courier": {"id": s.courier_id, "code": s.courier_code, "name": s.courier_name, **courier},
    }


def courier_result_json(q: Quote, w: Warehouse) -> dict[str, Any]:
    s = q.service
    return {
        "courier_service": courier_service_json(s, courier_type="standard"),
        "cost": q.cost,
        "cost_source": s.provider,
        "etd": q.etd,
        "is_cod": s.is_cod,
        "is_pickup": True,
        "shipment_provider_code": s.provider,
        "warehouse": {
            "id": w.id,
            "unique_id": w.unique_id,
            "name": w.name,
            "address": w.address,
            "city_name": w.location.city_name,
            "province_name": w.location.province_name,
            "subdistrict_name": w.location.subdistrict_name,
            "lincah_origin_id": w.lincah_origin_id,
            "mengantar_origin_id": w.mengantar_origin_id,
        },
        "weight": q.weight,
    }
