from __future__ import annotations

from pos.domain.catalog import filter_items
from pos.services.catalog_items import items_from_bundles, items_from_store_products
from tests.domain.catalog_samples import (
    bundle_details,
    full_products,
    item,
    simplified,
    store_bundles,
    store_products,
)


def test_variants_from_store_products() -> None:
    items = items_from_store_products(store_products(), full_products())
    assert [i.key for i in items] == ["v:variant_A", "v:variant_E"]  # hidden ones left out
    gayo, ebook = items
    assert gayo.kind == "variant" and gayo.unique_id == "variant_A" and gayo.id == 494535
    assert gayo.parent_id == 88123 and gayo.price == 85000 and gayo.sku == "GAYO-BJ"
    assert gayo.item_type == "physical" and gayo.is_physical and gayo.weight == 250
    assert gayo.image_url == "https://img.example/gayo.jpg"
    assert gayo.lines == ((494535, 1),)
    assert gayo.search_key == "kopi gayo - biji gayo-bj"
    assert ebook.item_type == "digital" and ebook.sku == "" and not ebook.is_physical


def test_variants_without_full_products_are_unknown() -> None:
    items = items_from_store_products(store_products(), None)
    assert all(i.item_type is None and i.weight == 0 for i in items)


def test_bundles_with_details() -> None:
    items = items_from_bundles(store_bundles(), bundle_details())
    assert [i.key for i in items] == ["b:bpo_A", "b:bpo_B"]
    a = items[0]
    assert a.kind == "bundle" and a.id == 31001 and a.parent_id == 9012 and a.price == 160000
    assert a.lines == ((494535, 1), (494600, 2))
    assert a.weight == 250 * 1 + 0 * 2 + 50
    assert a.item_type == "physical"
    assert a.name == "Paket Dua Nusantara — Paket 2 pcs"
    assert "paket 2 pcs" in a.search_key


def test_bundles_unique_id_from_simplified_only() -> None:
    items = items_from_bundles(store_bundles(), None, simplified())
    assert [i.key for i in items] == ["b:bpo_A", "b:bpo_B"]
    assert items[0].lines == () and items[0].item_type is None and items[0].weight == 50


def test_bundle_options_without_unique_id_are_left_out() -> None:
    items = items_from_bundles(store_bundles())
    assert [i.key for i in items] == ["b:bpo_B"]


def test_filter_items_casefolded_terms() -> None:
    items = [item(1), item(2), item(12)]
    assert [i.id for i in filter_items(items, "  NOMOR 1 ")] == [1, 12]
    assert [i.id for i in filter_items(items, "sku-2")] == [2]
    assert len(filter_items(items, "")) == 3


def test_variant_not_sellable_on_full_product_is_left_out() -> None:
    full = full_products()
    gayo = full[88123]
    variants = [{**v.model_dump(), "is_checked": False} for v in gayo.variants]
    full[88123] = type(gayo).model_validate({**gayo.model_dump(), "variants": variants})
    items = items_from_store_products(store_products(), full)
    assert [i.key for i in items] == ["v:variant_E"]
