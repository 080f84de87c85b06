"""Sample API models and catalog items shared by the domain, storage and service tests."""

from __future__ import annotations

from pos.api.models import Bundle, Product, SimplifiedBundle, StoreBundle, StoreProduct
from pos.domain.catalog import CatalogItem, make_search_key


def store_products() -> list[StoreProduct]:
    return [
        StoreProduct.model_validate(
            {
                "id": 88123,
                "name": "Kopi Arabika Gayo 250 g",
                "display": "Kopi Arabika Gayo",
                "is_visible": True,
                "variants": [
                    {"id": 494535, "unique_id": "variant_A", "fullname": "Kopi Gayo - Biji",
                     "sku": "GAYO-BJ", "price": 85000},
                    {"id": 494536, "unique_id": "variant_B", "fullname": "Kopi Gayo - Bubuk",
                     "sku": "GAYO-BK", "price": 87000, "is_visible": False},
                ],
            }
        ),
        StoreProduct.model_validate(
            {
                "id": 88140,
                "name": "E-book Seduh",
                "is_visible": True,
                "variants": [
                    {"id": 494600, "unique_id": "variant_E", "fullname": "E-book Seduh",
                     "sku": None, "price": 49000},
                ],
            }
        ),
        StoreProduct.model_validate(
            {"id": 88150, "name": "Hidden", "is_visible": False,
             "variants": [{"id": 1, "unique_id": "variant_H", "price": 1}]}
        ),
    ]  # fmt: skip


def full_products() -> dict[int, Product]:
    p = Product.model_validate(
        {
            "id": 88123,
            "item_type": "physical",
            "images": [{"url": "https://img.example/gayo.jpg"}],
            "variants": [
                {"id": 494535, "unique_id": "variant_A", "weight": 250},
                {"id": 494536, "unique_id": "variant_B", "weight": 260},
            ],
        }
    )
    e = Product.model_validate(
        {"id": 88140, "item_type": "digital", "variants": [{"id": 494600, "weight": 0}]}
    )
    return {p.id: p, e.id: e}


def store_bundles() -> list[StoreBundle]:
    return [
        StoreBundle.model_validate(
            {
                "id": 9012,
                "name": "Paket Kopi",
                "display": "Paket Dua Nusantara",
                "bundle_price_options": [
                    {"id": 31001, "name": "Paket 2 pcs", "price": 160000, "is_visible": True},
                    {"id": 31002, "name": "Paket 4 pcs", "price": 305000, "is_visible": True,
                     "unique_id": "bpo_B"},
                    {"id": 31003, "name": "Hidden", "price": 1, "is_visible": False,
                     "unique_id": "bpo_H"},
                ],
            }
        )
    ]  # fmt: skip


def bundle_details() -> dict[int, Bundle]:
    b = Bundle.model_validate(
        {
            "id": 9012,
            "weight_bump": 50,
            "bundle_price_options": [
                {"id": 31001, "unique_id": "bpo_A"},
                {"id": 31002, "unique_id": "bpo_B"},
            ],
            "bundlelines": [
                {"id": 1, "quantity": 1,
                 "variant": {"id": 494535, "unique_id": "variant_A", "weight": 250,
                             "item_type": "physical"}},
                {"id": 2, "quantity": 2,
                 "variant": {"id": 494600, "unique_id": "variant_E", "weight": 0,
                             "item_type": "digital"}},
            ],
        }
    )  # fmt: skip
    return {b.id: b}


def simplified() -> dict[int, SimplifiedBundle]:
    s = SimplifiedBundle.model_validate(
        {
            "id": 9012,
            "weight_bump": 50,
            "bundle_price_options": [{"id": 31001, "unique_id": "bpo_A"}],
        }
    )
    return {s.id: s}


def item(
    n: int = 1,
    *,
    price: int = 10000,
    item_type: str | None = "physical",
    weight: int = 100,
    kind: str = "variant",
    lines: tuple[tuple[int, int], ...] | None = None,
) -> CatalogItem:
    prefix = "variant" if kind == "variant" else "bpo"
    uid = f"{prefix}_{n:06d}"
    name = f"Barang Nomor {n}"
    sku = f"SKU-{n}"
    return CatalogItem(
        key=("v:" if kind == "variant" else "b:") + uid,
        kind=kind,
        unique_id=uid,
        id=n,
        parent_id=1000 + n,
        name=name,
        sku=sku,
        price=price,
        item_type=item_type,
        weight=weight,
        image_url=None,
        lines=lines if lines is not None else ((n, 1),),
        search_key=make_search_key(name, sku),
    )
