"""Deterministic demo data: stores, catalog, bundles, locations, warehouses, couriers.

Everything is built from ``data/demo.json`` (stores, products, bundles, warehouses, couriers,
payment methods) and ``data/locations.json``; identifiers that look random (``variant_…``,
``bpo_…``) come from a seeded RNG, so the same ``seed`` always gives the same catalog (orders
stored in SQLite keep pointing at valid variants across restarts).
"""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

_ALNUM = string.ascii_letters + string.digits


def load_json(name: str) -> Any:
    """A data file shipped in ``pos/sandbox/data/``."""
    return json.loads(resources.files("pos.sandbox").joinpath(f"data/{name}").read_text("utf-8"))


_DEMO: dict[str, Any] = load_json("demo.json")
ALL_PAYMENT_METHODS: list[str] = _DEMO["payment_methods"]
LEGACY_VA_CODES: dict[str, str] = _DEMO["legacy_va_codes"]


@dataclass(slots=True)
class Variant:
    id: int
    unique_id: str
    product_id: int
    fullname: str
    sku: str
    price: int
    weight: int
    item_type: str
    is_visible: bool = True
    option1_value: str | None = None


@dataclass(slots=True)
class Product:
    id: int
    store_id: int
    name: str
    display: str
    item_type: str
    is_visible: bool
    variants: list[Variant]
    slug: str
    pricing_type: str = "one_time"
    warehouses: tuple[int, ...] | None = None  # None = every warehouse of the store
    option1_name: str | None = None


@dataclass(slots=True)
class PriceOption:
    id: int
    unique_id: str
    bundle_id: int
    name: str
    price: int
    is_visible: bool
    slug: str


@dataclass(slots=True)
class Bundle:
    id: int
    store_id: int
    name: str
    display: str
    lines: list[tuple[int, Variant, int]]  # (bundleline id, variant, quantity)
    price_options: list[PriceOption]
    weight_bump: int
    custom_id: str

    @property
    def item_type(self) -> str:
        return "physical" if any(v.item_type == "physical" for _, v, _ in self.lines) else "digital"

    @property
    def weight(self) -> int:
        if self.item_type != "physical":
            return 0
        return sum(v.weight * q for _, v, q in self.lines) + self.weight_bump


@dataclass(slots=True)
class Location:
    id: int
    subdistrict_name: str
    city_name: str
    province_name: str
    postal_codes: list[str]
    lat: float
    lon: float
    remote: bool

    @property
    def display(self) -> str:
        return f"{self.subdistrict_name}, {self.city_name}, {self.province_name}"

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subdistrict_name": self.subdistrict_name,
            "city_name": self.city_name,
            "province_name": self.province_name,
            "display": self.display,
        }


@dataclass(slots=True)
class Warehouse:
    id: int
    unique_id: str
    name: str
    address: str
    location: Location
    postal_code: str
    address_id: int
    lincah_origin_id: str
    mengantar_origin_id: str


@dataclass(slots=True)
class Store:
    id: int
    unique_id: str
    uuid: str
    name: str
    username: str
    business_id: int
    logo: str | None
    domain: str | None
    payment_methods: list[str]
    warehouse_ids: list[int]
    products: list[Product] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)

    @property
    def sub_payment_methods(self) -> list[str]:
        inverse = {v: k for k, v in LEGACY_VA_CODES.items()}
        return [inverse[m] for m in self.payment_methods if m in inverse]


@dataclass(frozen=True, slots=True)
class CourierService:
    id: int
    code: str
    name: str
    courier_id: int
    courier_code: str
    courier_name: str
    factor: float
    is_cod: bool
    provider: str
    express: bool = False


COURIER_SERVICES: tuple[CourierService, ...] = tuple(CourierService(**c) for c in _DEMO["couriers"])


def ean13(body12: str) -> str:
    """Return the 13-digit EAN for a 12-digit body (adds the check digit)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


class DemoData:
    """All demo entities plus lookup indexes."""

    def __init__(self, seed: int = 7, products: int | None = None) -> None:
        self.seed = seed
        self._rng = random.Random(seed)
        self.stores: list[Store] = []
        self.locations: list[Location] = []
        self.warehouses: dict[int, Warehouse] = {}
        self.variants_by_id: dict[int, Variant] = {}
        self.variants_by_uid: dict[str, Variant] = {}
        self.products_by_id: dict[int, Product] = {}
        self.bundles_by_id: dict[int, Bundle] = {}
        self.options_by_uid: dict[str, PriceOption] = {}
        self.couriers = {c.id: c for c in COURIER_SERVICES}
        self._load_locations()
        self._load_warehouses()
        self._next_product = 88100
        self._next_variant = 494500
        self._next_bundle = 9010
        self._next_option = 31001
        self._next_line = 71001
        for spec in _DEMO["stores"]:
            self._add_store(spec)
        if products:
            self._add_bench_store(products)
        self.stores_by_id = {s.id: s for s in self.stores}
        self.stores_by_uid = {s.unique_id: s for s in self.stores}
        self.locations_by_id = {loc.id: loc for loc in self.locations}

    # -- helpers --------------------------------------------------------------------------
    def _uid(self, prefix: str, n: int = 12) -> str:
        return prefix + "".join(self._rng.choice(_ALNUM) for _ in range(n))

    def _load_locations(self) -> None:
        raw = load_json("locations.json")
        next_id = 2001
        for entry in raw["cities"]:
            province, city, lat, lon, subdistricts = entry[:5]
            remote = len(entry) > 5 and entry[5] == "remote"
            for name, codes in subdistricts.items():
                self.locations.append(
                    Location(next_id, name, city, province, codes.split(), lat, lon, remote)
                )
                next_id += 1

    def _load_warehouses(self) -> None:
        for w in _DEMO["warehouses"]:
            loc = next(
                x
                for x in self.locations
                if x.city_name == w["city"] and x.subdistrict_name == w["subdistrict"]
            )
            self.warehouses[w["id"]] = Warehouse(
                w["id"],
                w["unique_id"],
                w["name"],
                w["address"],
                loc,
                w["postal_code"],
                w["address_id"],
                w["lincah_origin_id"],
                w["mengantar_origin_id"],
            )

    def _store_from(self, spec: dict[str, Any]) -> Store:
        store = Store(
            id=spec["id"],
            unique_id=spec["unique_id"],
            uuid=spec["uuid"],
            name=spec["name"],
            username=spec["username"],
            business_id=spec["business_id"],
            logo=f"https://cdn.scalev.id/Image/logo-{spec['username']}.webp",
            domain=spec["domain"],
            payment_methods=list(spec["payment_methods"]),
            warehouse_ids=list(spec["warehouses"]),
        )
        self.stores.append(store)
        return store

    def _add_product(self, store: Store, spec: dict[str, Any]) -> Product:
        pid = self._next_product
        self._next_product += 1
        hidden_variants = set(spec.get("hidden_variants", ()))
        product = Product(
            id=pid,
            store_id=store.id,
            name=spec["name"],
            display=spec["display"],
            item_type=spec["item_type"],
            is_visible=not spec.get("hidden", False),
            variants=[],
            slug=spec["name"].lower().replace(" ", "-"),
            pricing_type=spec.get("pricing_type", "one_time"),
            warehouses=None if spec.get("warehouses") is None else tuple(spec["warehouses"]),
            option1_name=None,
        )
        for v in spec["variants"]:
            label, price, weight, sku = v["label"], v["price"], v["weight"], v["sku"]
            vid = self._next_variant
            self._next_variant += 1
            if sku is None:
                sku = ean13("899" + f"{store.id % 1000:03d}" + f"{vid % 1000000:06d}")
            if label:
                product.option1_name = "Varian"
            variant = Variant(
                id=vid,
                unique_id=self._uid("variant_"),
                product_id=pid,
                fullname=f"{spec['name']} - {label}" if label else spec["name"],
                sku=sku,
                price=price,
                weight=weight if spec["item_type"] == "physical" else 0,
                item_type=spec["item_type"],
                is_visible=label not in hidden_variants,
                option1_value=label or None,
            )
            product.variants.append(variant)
            self.variants_by_id[vid] = variant
            self.variants_by_uid[variant.unique_id] = variant
        store.products.append(product)
        self.products_by_id[pid] = product
        return product

    def _add_store(self, spec: dict[str, Any]) -> None:
        store = self._store_from(spec)
        by_name: dict[str, Product] = {}
        for pspec in spec["products"]:
            by_name[pspec["name"]] = self._add_product(store, pspec)
        for bspec in spec["bundles"]:
            bid = self._next_bundle
            self._next_bundle += 1
            lines = []
            for line in bspec["lines"]:
                product = by_name[line["product"]]
                variant = next(
                    v for v in product.variants if (v.option1_value or "") == line["variant"]
                )
                lines.append((self._next_line, variant, line["quantity"]))
                self._next_line += 1
            options = []
            for o in bspec["options"]:
                oname, price, visible = o["name"], o["price"], o["is_visible"]
                option = PriceOption(
                    id=self._next_option,
                    unique_id=self._uid("bpo_"),
                    bundle_id=bid,
                    name=oname,
                    price=price,
                    is_visible=visible,
                    slug=f"{bspec['name']}-{oname}".lower().replace(" ", "-"),
                )
                self._next_option += 1
                options.append(option)
                self.options_by_uid[option.unique_id] = option
            bundle = Bundle(
                id=bid,
                store_id=store.id,
                name=bspec["name"],
                display=bspec["display"],
                lines=lines,
                price_options=options,
                weight_bump=bspec["weight_bump"],
                custom_id=f"BDL-{bid}",
            )
            store.bundles.append(bundle)
            self.bundles_by_id[bid] = bundle

    def _add_bench_store(self, count: int) -> None:
        """A synthetic store with ``count`` products (one or two variants each), built fast."""
        store = self._store_from(_DEMO["bench_store"])
        nouns = _DEMO["bench_names"]["nouns"]
        adjectives = _DEMO["bench_names"]["adjectives"]
        pid0 = 1_000_000
        vid = 5_000_000
        products = store.products
        variants_by_id = self.variants_by_id
        variants_by_uid = self.variants_by_uid
        for i in range(count):
            pid = pid0 + i
            noun = nouns[i % len(nouns)]
            adj = adjectives[(i // len(nouns)) % len(adjectives)]
            name = f"{noun} {adj} {i + 1:05d}"
            physical = i % 3 != 0
            item_type = "physical" if physical else "digital"
            product = Product(pid, store.id, name, name, item_type, i % 97 != 5, [], f"bench-{i}")
            for j in range(2 if i % 5 == 0 else 1):
                v = Variant(
                    id=vid,
                    unique_id=f"variant_bm{vid:010d}",
                    product_id=pid,
                    fullname=f"{name} - {'AB'[j]}" if i % 5 == 0 else name,
                    sku=ean13(f"8990{vid:08d}") if physical else f"BENCH-{i + 1:05d}-{j}",
                    price=10000 + (i * 37 % 500) * 1000,
                    weight=100 + (i * 13 % 20) * 50 if physical else 0,
                    item_type=item_type,
                    option1_value="AB"[j] if i % 5 == 0 else None,
                )
                product.variants.append(v)
                variants_by_id[vid] = v
                variants_by_uid[v.unique_id] = v
                vid += 1
            products.append(product)
            self.products_by_id[pid] = product

    # -- queries --------------------------------------------------------------------------
    def store_by_ref(self, ref: str | int) -> Store | None:
        text = str(ref)
        if text.isdigit():
            return self.stores_by_id.get(int(text))
        return self.stores_by_uid.get(text)

    def product_of(self, variant: Variant) -> Product:
        return self.products_by_id[variant.product_id]

    def warehouses_for(self, product: Product) -> list[int]:
        store = self.stores_by_id[product.store_id]
        if product.warehouses is None:
            return list(store.warehouse_ids)
        return [w for w in product.warehouses if w in store.warehouse_ids]

    def store_url(self, store: Store, base_url: str) -> str:
        # The sandbox serves public order pages itself, so every store uses the sandbox URL.
        return base_url
