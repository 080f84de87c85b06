"""Shipping quotes: kecamatan search, postal codes, origin warehouse, courier services."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos.domain.cart import Cart
from pos.domain.messages import MESSAGES
from pos.domain.money import round_rupiah
from pos.domain.sale import ShippingChoice
from pos.services.errors import is_network_error, user_message

from .ports import ShippingClient

if TYPE_CHECKING:
    from pos.api.models import CourierServiceResult, Location, WarehouseResult

MAX_LOCATIONS = 25
_DAYS = re.compile(r"\d+")
_POSTAL_CODE = re.compile(r"^\d{5}$")

#: ``tr(indonesian, english, sep=" / ")``: the cashier's language(s).
Translate = Callable[..., str]


def shipping_text(key: str) -> tuple[str, str]:
    """The (Indonesian, English) cashier text ``key`` of the shipping quote (its home:
    ``pos.domain.messages``, under ``shipping_<key>``)."""
    return MESSAGES[f"shipping_{key}"]


@dataclass(frozen=True)
class ShippingProblem:
    """A failure shown in the panel. ``kind``: ``no_location`` / ``no_warehouse`` /
    ``no_courier`` / ``api`` / ``network``; ``stage``: ``search`` / ``postal`` / ``warehouses`` /
    ``couriers``."""

    kind: str
    stage: str
    text: str


def failure_problem(stage: str, exc: BaseException, tr: Translate) -> ShippingProblem:
    """The problem shown when the lookup of ``stage`` raised ``exc``."""
    kind = "network" if is_network_error(exc) else "api"
    what_id, what_en = shipping_text(f"failed_{stage}")
    try:
        text = tr(
            f"{what_id}. {user_message(exc, 'id')}",
            f"{what_en}. {user_message(exc, 'en')}",
            "\n",
        )
    except Exception:  # pragma: no cover - the mapper must never take the panel down
        text = f"{tr(what_id, what_en)}."
    return ShippingProblem(kind, stage, text)


@dataclass(frozen=True)
class QuoteKey:
    """Everything a courier quote depends on."""

    store_id: int
    location_id: int
    warehouse_id: int
    payment_method: str
    weight: int
    postal_code: str | None
    variants: tuple[tuple[int, int], ...]


def location_text(loc: Location) -> str:
    """``"Kecamatan, City, Province"`` (the API's ``display``, else built from the parts)."""
    if loc.display:
        return loc.display
    return ", ".join(p for p in (loc.subdistrict_name, loc.city_name, loc.province_name) if p)


def valid_postal_code(text: str) -> bool:
    return bool(_POSTAL_CODE.match(text.strip()))


def courier_name(result: CourierServiceResult) -> str:
    """``"JNE Reguler"``: the courier and its service (the service code when it has no name)."""
    service = result.courier_service
    courier = service.courier.name if service.courier and service.courier.name else ""
    return " ".join(p for p in (courier, service.name or service.code or "") if p)


def etd_days(etd: str | None) -> tuple[float, float]:
    """``"2-3"`` -> ``(2, 3)``; ``"1"`` -> ``(1, 1)``; unknown -> ``(inf, inf)``."""
    nums = [int(n) for n in _DAYS.findall(etd or "")]
    if not nums:
        return (float("inf"), float("inf"))
    return (float(min(nums)), float(max(nums)))


def courier_label(result: CourierServiceResult, lang: str = "id") -> str:
    service = result.courier_service
    courier = service.courier.name if service.courier and service.courier.name else ""
    name = " ".join(p for p in (courier, service.name) if p) or (service.code or "")
    if result.etd:
        return f"{name} ({result.etd} {'days' if lang == 'en' else 'hari'})"
    return name


class ShippingService:
    def __init__(self, client: ShippingClient) -> None:
        self._client = client

    async def search_locations(self, text: str) -> list[Location]:
        """The first page (≤ 25) of kecamatan matching ``text``; [] for blank text."""
        query = " ".join(text.split())
        if not query:
            return []
        out: list[Location] = []
        iterator = self._client.search_locations(query, page_size=MAX_LOCATIONS)
        try:
            async for loc in iterator:
                out.append(loc)
                if len(out) >= MAX_LOCATIONS:
                    break
        finally:
            aclose = getattr(iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        return out

    async def postal_codes(self, location_id: int) -> list[str]:
        codes: list[str] = await self._client.get_postal_codes(location_id)
        return codes

    async def warehouses(
        self, store_id: int, location_id: int, cart: Cart
    ) -> list[WarehouseResult]:
        variants = cart.shipping_variants()
        if not variants:
            return []
        results: list[WarehouseResult] = await self._client.search_warehouses(
            store_id=store_id, destination_id=location_id, variants=variants
        )
        return results

    async def couriers(
        self,
        store_id: int,
        location_id: int,
        warehouse_id: int,
        payment_method: str,
        weight: int,
        postal_code: str | None = None,
    ) -> list[CourierServiceResult]:
        """Courier services, cheapest first, then fastest."""
        results: list[CourierServiceResult] = await self._client.search_courier_services(
            store_id=store_id,
            location_id=location_id,
            warehouse_id=warehouse_id,
            payment_method=payment_method,
            weight=max(1, int(weight)),
            postal_code=postal_code or None,
        )
        return sorted(results, key=lambda r: (r.cost, etd_days(r.etd)))

    async def quote(self, key: QuoteKey) -> list[CourierServiceResult]:
        """:meth:`couriers` for the inputs of ``key``."""
        return await self.couriers(
            key.store_id,
            key.location_id,
            key.warehouse_id,
            key.payment_method,
            key.weight,
            key.postal_code,
        )


def make_choice(
    *,
    address: str,
    location_id: int,
    postal_code: str | None,
    warehouse: WarehouseResult,
    courier: CourierServiceResult,
    lang: str = "id",
) -> ShippingChoice:
    """The :class:`ShippingChoice` for a chosen warehouse and courier quote."""
    return ShippingChoice(
        address=" ".join(address.split()),
        location_id=location_id,
        postal_code=postal_code or None,
        warehouse_unique_id=warehouse.warehouse.unique_id,
        warehouse_id=warehouse.warehouse.id,
        courier_service_id=courier.courier_service.id,
        shipping_cost=round_rupiah(courier.cost),
        shipment_provider_code=courier.shipment_provider_code or None,
        courier_label=courier_label(courier, lang),
    )
