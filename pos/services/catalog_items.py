"""Sellable catalog items built from the API models: one per visible variant of a store's
products, one per visible bundle price option (:class:`pos.domain.catalog.CatalogItem`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pos.domain.catalog import CatalogItem, make_search_key
from pos.domain.money import amount_in_bounds, round_rupiah
from pos.domain.text import display_text

if TYPE_CHECKING:
    # Annotations only; items_from_bundles imports what it needs at run time.
    from pos.api.models import (
        Bundle,
        BundlePriceOption,
        Product,
        SimplifiedBundle,
        StoreBundle,
        StoreProduct,
        VariantSummary,
    )


def _extra(model: Any, name: str, default: Any = None) -> Any:
    extra = getattr(model, "model_extra", None) or {}
    return extra.get(name, default)


def _first_image(*sources: list[Any] | None) -> str | None:
    for images in sources:
        for img in images or ():
            if isinstance(img, str) and img:
                return img
            if isinstance(img, dict):
                for k in ("url", "image_url", "src", "original"):
                    v = img.get(k)
                    if isinstance(v, str) and v:
                        return v
    return None


def _price(value: Decimal | None) -> int | None:
    """Integer rupiah, or ``None`` for no price, a non-number, a negative price or one at or
    above :data:`pos.domain.money.AMOUNT_LIMIT` (such an item is left out)."""
    if value is None:
        return None
    try:
        price = round_rupiah(value)
    except (ValueError, TypeError, ArithmeticError):
        return None
    return price if amount_in_bounds(price) else None


def _visible(model: Any) -> bool:
    return bool(getattr(model, "is_visible", _extra(model, "is_visible", True)) is not False)


def _item_type(*candidates: str | None) -> str | None:
    for c in candidates:
        if c:
            return c
    return None


def variant_facts(products: Iterable[Product]) -> dict[int, VariantSummary]:
    """Variant id -> full variant (with weight/item_type filled from its product)."""
    out: dict[int, VariantSummary] = {}
    for p in products:
        for v in p.variants:
            if v.item_type is None and p.item_type is not None:
                v = v.model_copy(update={"item_type": p.item_type})
            out[v.id] = v
    return out


#: ``on_skip(what, reason)``: an item was left out for a reason the sync summary reports.
SkipReport = Callable[[str, str], None]


def _skip(on_skip: SkipReport | None, what: str, reason: str) -> None:
    if on_skip is not None:
        on_skip(what, reason)


def _sellable_price(value: Decimal | None, on_skip: SkipReport | None, what: str) -> int | None:
    """:func:`_price`; a price given but out of range is reported to ``on_skip``."""
    price = _price(value)
    if price is None and value is not None:
        _skip(on_skip, what, "price out of range")
    return price


def _shown_name(name: str, key: str) -> str:
    """The item's one-line name; its key when the name shows nothing."""
    return display_text(name) or display_text(key) or "?"


def items_from_store_products(
    store_products: Iterable[StoreProduct],
    full_products_by_id: Mapping[int, Product] | None = None,
    *,
    on_skip: SkipReport | None = None,
) -> list[CatalogItem]:
    """One item per visible variant of every visible product. Variants without a
    ``unique_id`` or a price cannot be ordered and are left out; a price that is not a
    plausible amount (negative, not a number, at or above 10^15) is left out and reported to
    ``on_skip``."""
    full = full_products_by_id or {}
    items: list[CatalogItem] = []
    seen: set[str] = set()
    for sp in store_products:
        if not _visible(sp):
            continue
        fp = full.get(sp.id)
        full_variants = {v.id: v for v in fp.variants} if fp else {}
        for v in sp.variants:
            if not _visible(v) or not v.unique_id or not v.unique_id.strip():
                continue
            price = _sellable_price(v.price, on_skip, f"variant {v.id}")
            if price is None:
                continue
            key = f"v:{v.unique_id}"
            fv = full_variants.get(v.id)
            if key in seen or (fv is not None and _extra(fv, "is_checked") is False):
                continue  # duplicate, or marked not sellable on the full product
            seen.add(key)
            name = v.fullname or sp.display or sp.name or (fv.fullname if fv else None) or key
            name = _shown_name(name, key)
            sku = display_text(v.sku or (fv.sku if fv else None) or "")
            item_type = _item_type(
                fv.item_type if fv else None,
                fp.item_type if fp else None,
                v.item_type,
                sp.item_type,
            )
            weight = (fv.weight if fv else None) or v.weight or 0
            image = _first_image(
                v.images, fv.images if fv else None, sp.images, fp.images if fp else None
            )
            items.append(
                CatalogItem(
                    key=key,
                    kind="variant",
                    unique_id=v.unique_id,
                    id=v.id,
                    parent_id=sp.id,
                    name=name,
                    sku=sku,
                    price=price,
                    item_type=item_type,
                    weight=max(0, int(weight)),
                    image_url=image,
                    lines=((v.id, 1),),
                    search_key=make_search_key(name, sku),
                )
            )
    return items


def _option_unique_ids(details: Bundle | SimplifiedBundle | None) -> dict[int, BundlePriceOption]:
    if details is None:
        return {}
    return {po.id: po for po in details.bundle_price_options}


def items_from_bundles(
    store_bundles: Iterable[StoreBundle],
    details_by_id: Mapping[int, Bundle | SimplifiedBundle] | None = None,
    simplified_by_id: Mapping[int, SimplifiedBundle] | None = None,
    variants_by_id: Mapping[int, VariantSummary] | None = None,
    *,
    on_skip: SkipReport | None = None,
) -> list[CatalogItem]:
    """One item per visible price option of every store bundle.

    ``details_by_id`` holds ``GET /v3/bundles/{id}`` (lines, weights, option unique ids);
    ``simplified_by_id`` holds ``GET /v3/bundles/simplified`` items (option unique ids,
    weight_bump); ``variants_by_id`` completes item types/weights missing on bundle lines.
    Options without a ``bpo_…`` unique id anywhere cannot be ordered and are left out.
    """
    from pos.api.models import Bundle, SimplifiedBundle

    details_map = details_by_id or {}
    simple_map = simplified_by_id or {}
    variants = variants_by_id or {}
    items: list[CatalogItem] = []
    seen: set[str] = set()
    for sb in store_bundles:
        if not _visible(sb):
            continue
        detail = details_map.get(sb.id)
        simple = simple_map.get(sb.id)
        if simple is None and isinstance(detail, SimplifiedBundle):
            simple = detail
        full = detail if isinstance(detail, Bundle) else None
        opts_full = _option_unique_ids(full)
        opts_simple = _option_unique_ids(simple)

        lines: tuple[tuple[int, int], ...] = ()
        line_weight = 0
        types: list[str | None] = []
        if full is not None:
            acc: list[tuple[int, int]] = []
            for bl in full.bundlelines:
                var = bl.variant
                known = variants.get(var.id)
                w = var.weight if var.weight is not None else (known.weight if known else None)
                t = var.item_type or (known.item_type if known else None)
                acc.append((var.id, bl.quantity))
                line_weight += max(0, w or 0) * bl.quantity
                types.append(t)
            lines = tuple(acc)
        bump_src = full.weight_bump if full and full.weight_bump is not None else None
        if bump_src is None and simple is not None:
            bump_src = simple.weight_bump
        weight = line_weight + max(0, bump_src or 0)
        if any(t == "physical" for t in types):
            item_type: str | None = "physical"
        elif types and all(types) and len(set(types)) == 1:
            item_type = types[0]
        elif types and all(types):
            item_type = "digital" if "digital" in types else types[0]
        else:
            item_type = None
        image = _first_image(
            getattr(sb, "images", None) or _extra(sb, "images"),
            full.images if full else None,
            simple.images if simple else None,
        )
        bundle_name = sb.display or sb.name or (full.display or full.name if full else None) or ""
        for po in sb.bundle_price_options:
            if not _visible(po):
                continue
            uid = po.unique_id
            if not uid and po.id in opts_full:
                uid = opts_full[po.id].unique_id
            if not uid and po.id in opts_simple:
                uid = opts_simple[po.id].unique_id
            if not uid or not uid.strip():
                continue
            price = _sellable_price(po.price, on_skip, f"bundle price option {po.id}")
            if price is None:
                continue
            key = f"b:{uid}"
            if key in seen:
                continue
            seen.add(key)
            if po.name and bundle_name:
                name = f"{bundle_name} — {po.name}"
            else:
                name = po.name or bundle_name or key
            name = _shown_name(name, key)
            custom_id = simple.custom_id if simple and simple.custom_id else ""
            sku = display_text(str(_extra(po, "sku") or custom_id))
            items.append(
                CatalogItem(
                    key=key,
                    kind="bundle",
                    unique_id=uid,
                    id=po.id,
                    parent_id=sb.id,
                    name=name,
                    sku=sku,
                    price=price,
                    item_type=item_type,
                    weight=weight,
                    image_url=image,
                    lines=lines,
                    search_key=make_search_key(name, sku),
                )
            )
    return items
