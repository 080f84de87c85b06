"""/v3 catalog routes: stores, payment methods, products, bundles (and their JSON shapes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pos.sandbox.common import (
    by_numeric_id,
    core_of,
    error,
    listing,
    not_found,
    numeric_store,
    params_of,
    search_term,
    v3_routes,
)
from pos.sandbox.data import Bundle, Product, Store


def pick(obj: Any, *names: str) -> dict[str, Any]:
    """``{name: obj.name}`` for each of ``names`` (the fields a JSON shape copies as they are)."""
    return {name: getattr(obj, name) for name in names}


def store_simplified(store: Store) -> dict[str, Any]:
    return {
        **pick(store, "id", "unique_id", "uuid", "name", "logo", "business_id"),
        "custom_domain": (
            {"id": store.id % 1000, "full_url": store.domain, "is_verified": True}
            if store.domain
            else None
        ),
        "payment_methods": list(store.payment_methods),
        "sub_payment_methods": store.sub_payment_methods,
    }


def store_product(product: Product) -> dict[str, Any]:
    return {
        **pick(product, "id", "name", "display", "is_visible"),
        "variants": [
            pick(v, "id", "unique_id", "fullname", "sku", "price")
            for v in product.variants
            if v.is_visible
        ],
    }


def image_url(product_id: int) -> str:
    return f"https://cdn.scalev.id/Image/product-{product_id}.webp"


def full_product(product: Product) -> dict[str, Any]:
    images = [image_url(product.id)]
    return {
        "id": product.id,
        "uuid": f"00000000-0000-4000-8000-{product.id:012d}",
        **pick(product, "name", "display", "slug", "item_type", "pricing_type"),
        "is_inventory": product.item_type == "physical",
        **pick(product, "is_visible", "store_id"),
        "images": images,
        "option1_name": product.option1_name,
        "option2_name": None,
        "option3_name": None,
        "variants": [
            {
                **pick(v, "id", "unique_id", "fullname"),
                "name": v.option1_value or product.name,
                **pick(v, "sku", "price", "weight", "item_type"),
                "is_checked": v.is_visible,
                "option1_value": v.option1_value,
                "option2_value": None,
                "option3_value": None,
                "images": images,
            }
            for v in product.variants
        ],
    }


def price_option(o: Any) -> dict[str, Any]:
    return pick(o, "id", "unique_id", "name", "price", "is_visible")


def store_bundle(b: Bundle) -> dict[str, Any]:
    return {
        **pick(b, "id", "name", "display", "weight_bump"),
        "bundle_price_options": [price_option(o) for o in b.price_options],
    }


def _bundle_head(b: Bundle) -> dict[str, Any]:
    """The fields the simplified and the detailed bundle shapes share."""
    return {
        **pick(b, "id", "name", "display"),
        "public_name": b.display,
        "custom_id": b.custom_id,
        "images": [f"https://cdn.scalev.id/Image/bundle-{b.id}.webp"],
        "weight_bump": b.weight_bump,
    }


def simplified_bundle(b: Bundle, store_id: int) -> dict[str, Any]:
    return {
        **_bundle_head(b),
        "is_bundle_sharing": False,
        "bundle_price_options": [
            price_option(o)
            | {"price_bt": o.price, "slug": o.slug, "is_owned_by_store": b.store_id == store_id}
            for o in b.price_options
        ],
    }


def bundle_detail(b: Bundle) -> dict[str, Any]:
    return {
        **_bundle_head(b),
        "store_id": b.store_id,
        "item_type": b.item_type,
        "bundle_price_options": [price_option(o) | {"slug": o.slug} for o in b.price_options],
        "bundlelines": [
            {
                "id": line_id,
                "quantity": qty,
                "variant": pick(
                    v, "id", "unique_id", "sku", "fullname", "weight", "price", "item_type"
                ),
            }
            for line_id, v, qty in b.lines
        ],
    }


# ---------------------------------------------------------------------------------------------
# /v3 routes
# ---------------------------------------------------------------------------------------------
async def stores_simplified(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    stores = core.data.stores
    search = search_term(p)
    if search:
        stores = [s for s in stores if search in s.name.casefold()]
    domain = (p.get("domain") or "").strip().lower()
    if domain:
        stores = [s for s in stores if s.domain and domain in s.domain.lower()]
    if p.get("has_domain") in ("true", "false"):
        want = p["has_domain"] == "true"
        stores = [s for s in stores if bool(s.domain) == want]
    return listing(request, stores, store_simplified)


def path_store(request: Request, *, by_ref: bool = False) -> Store | None:
    """The store named by the ``{store_id}`` path part: a numeric id (or, ``by_ref``, a
    ``unique_id`` too)."""
    core, raw = core_of(request), request.path_params["store_id"]
    return core.data.store_by_ref(raw) if by_ref else numeric_store(core, raw)


async def store_payment_methods(request: Request) -> Response:
    store = path_store(request)
    if store is None:
        return not_found("Store not found")
    return JSONResponse({"data": list(store.payment_methods), "is_paginated": False})


def store_listing(
    request: Request,
    items: Callable[[Store], list[Any]],
    render: Callable[[Any], dict[str, Any]],
    *,
    by_ref: bool = False,
) -> Response:
    """A paginated list of the path's store (``items(store)``, each as ``render`` gives it)."""
    store = path_store(request, by_ref=by_ref)
    if store is None:
        return not_found("Store not found")
    return listing(request, items(store), render)


async def store_products(request: Request) -> Response:
    return store_listing(request, lambda s: s.products, store_product, by_ref=True)


async def products(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    items: list[Product]
    if p.get("store_id"):
        items = []
        for ref in p["store_id"].split(","):
            store = core.data.store_by_ref(ref.strip())
            if store is not None:
                items.extend(store.products)
    else:
        items = [prod for s in core.data.stores for prod in s.products]
    if p.get("item_type"):
        items = [x for x in items if x.item_type == p["item_type"]]
    if p.get("is_inventory") in ("true", "false"):
        want = p["is_inventory"] == "true"
        items = [x for x in items if (x.item_type == "physical") == want]
    search = search_term(p)
    if search:
        items = [
            x
            for x in items
            if search in x.name.casefold() or any(search in v.sku.casefold() for v in x.variants)
        ]
    return listing(request, items, full_product)


async def store_bundles(request: Request) -> Response:
    return store_listing(request, lambda s: s.bundles, store_bundle)


async def bundles_simplified(request: Request) -> Response:
    core = core_of(request)
    p = params_of(request)
    raw = p.get("store_id") or p.get("for_store_id")
    if raw:
        store = numeric_store(core, raw)
        if store is None:
            return error(400, "store_id must be a numeric store id")
        bundles, sid = store.bundles, store.id
    else:
        bundles, sid = [b for s in core.data.stores for b in s.bundles], 0
    search = search_term(p)
    if search:
        bundles = [b for b in bundles if search in b.name.casefold()]
    return listing(request, bundles, lambda b: simplified_bundle(b, sid or b.store_id))


async def bundle_get(request: Request) -> Response:
    bundle = by_numeric_id(core_of(request).data.bundles_by_id, request.path_params["bundle_id"])
    if bundle is None:
        return not_found("Bundle not found")
    return JSONResponse(bundle_detail(bundle))


ROUTES, SCOPES = v3_routes(
    [
        ("GET", "/v3/stores/simplified", stores_simplified, "store:list"),
        ("GET", "/v3/stores/{store_id}/payment-methods", store_payment_methods, "store:read"),
        ("GET", "/v3/stores/{store_id}/products", store_products, "product:list"),
        ("GET", "/v3/stores/{store_id}/bundles", store_bundles, "bundle:list"),
        ("GET", "/v3/products", products, "product:list"),
        ("GET", "/v3/bundles/simplified", bundles_simplified, "bundle:list"),
        ("GET", "/v3/bundles/{bundle_id}", bundle_get, "bundle:read"),
    ]
)
