"""/v3 catalog routes: stores, payment methods, products, bundles (and their JSON shapes)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pos.sandbox.common import core_of, error, listing, not_found, numeric_store, params_of
from pos.sandbox.data import Bundle, Product, Store


def store_simplified(store: Store) -> dict[str, Any]:
    return {
        "id": store.id,
        "unique_id": store.unique_id,
        "uuid": store.uuid,
        "name": store.name,
        "logo": store.logo,
        "business_id": store.business_id,
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
        "id": product.id,
        "name": product.name,
        "display": product.display,
        "is_visible": product.is_visible,
        "variants": [
            {
                "id": v.id,
                "unique_id": v.unique_id,
                "fullname": v.fullname,
                "sku": v.sku,
                "price": v.price,
            }
            for v in product.variants
            if v.is_visible
        ],
    }


def image_url(product_id: int) -> str:
    return f"https://cdn.scalev.id/Image/product-{product_id}.webp"


def full_product(product: Product) -> dict[str, Any]:
    return {
        "id": product.id,
        "uuid": f"00000000-0000-4000-8000-{product.id:012d}",
        "name": product.name,
        "display": product.display,
        "slug": product.slug,
        "item_type": product.item_type,
        "pricing_type": product.pricing_type,
        "is_inventory": product.item_type == "physical",
        "is_visible": product.is_visible,
        "store_id": product.store_id,
        "images": [image_url(product.id)],
        "option1_name": product.option1_name,
        "option2_name": None,
        "option3_name": None,
        "variants": [
            {
                "id": v.id,
                "unique_id": v.unique_id,
                "fullname": v.fullname,
                "name": v.option1_value or product.name,
                "sku": v.sku,
                "price": v.price,
                "weight": v.weight,
                "item_type": v.item_type,
                "is_checked": v.is_visible,
                "option1_value": v.option1_value,
                "option2_value": None,
                "option3_value": None,
                "images": [image_url(product.id)],
            }
            for v in product.variants
        ],
    }


def price_option(o: Any) -> dict[str, Any]:
    return {
        "id": o.id,
        "unique_id": o.unique_id,
        "name": o.name,
        "price": o.price,
        "is_visible": o.is_visible,
    }


def store_bundle(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "weight_bump": b.weight_bump,
        "bundle_price_options": [price_option(o) for o in b.price_options],
    }


def simplified_bundle(b: Bundle, store_id: int) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "public_name": b.display,
        "custom_id": b.custom_id,
        "images": [f"https://cdn.scalev.id/Image/bundle-{b.id}.webp"],
        "is_bundle_sharing": False,
        "weight_bump": b.weight_bump,
        "bundle_price_options": [
            {
                "id": o.id,
                "unique_id": o.unique_id,
                "name": o.name,
                "price": o.price,
                "price_bt": o.price,
                "slug": o.slug,
                "is_owned_by_store": b.store_id == store_id,
                "is_visible": o.is_visible,
            }
            for o in b.price_options
        ],
    }


def bundle_detail(b: Bundle) -> dict[str, Any]:
    return {
        "id": b.id,
        "name": b.name,
        "display": b.display,
        "public_name": b.display,
        "custom_id": b.custom_id,
        "store_id": b.store_id,
        "item_type": b.item_type,
        "weight_bump": b.weight_bump,
        "images": [f"https://cdn.scalev.id/Image/bundle-{b.id}.webp"],
        "bundle_price_options": [price_option(o) | {"slug": o.slug} for o in b.price_options],
        "bundlelines": [
            {
                "id": line_id,
                "quantity": qty,
                "variant": {
                    "id": v.id,
                    "unique_id": v.unique_id,
                    "sku": v.sku,
                    "fullname": v.fullname,
                    "weight": v.weight,
                    "price": v.price,
                    "item_type": v.item_type,
                },
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
    search = (p.get("search") or "").strip().casefold()
    if search:
        stores = [s for s in stores if search in s.name.casefold()]
    domain = (p.get("domain") or "").strip().lower()
    if domain:
        stores = [s for s in stores if s.domain and domain in s.domain.lower()]
    if p.get("has_domain") in ("true", "false"):
        want = p["has_domain"] == "true"
        stores = [s for s in stores if bool(s.domain) == want]
    return listing(request, stores, store_simplified)


async def store_payment_methods(request: Request) -> Response:
    store = numeric_store(core_of(request), request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return JSONResponse({"data": list(store.payment_methods), "is_paginated": False})


async def store_products(request: Request) -> Response:
    store = core_of(request).data.store_by_ref(request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return listing(request, store.products, store_product)


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
    search = (p.get("search") or "").strip().casefold()
    if search:
        items = [
            x
            for x in items
            if search in x.name.casefold() or any(search in v.sku.casefold() for v in x.variants)
        ]
    return listing(request, items, full_product)


async def store_bundles(request: Request) -> Response:
    store = numeric_store(core_of(request), request.path_params["store_id"])
    if store is None:
        return not_found("Store not found")
    return listing(request, store.bundles, store_bundle)


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
    search = (p.get("search") or "").strip().casefold()
    if search:
        bundles = [b for b in bundles if search in b.name.casefold()]
    return listing(request, bundles, lambda b: simplified_bundle(b, sid or b.store_id))


async def bundle_get(request: Request) -> Response:
    raw = request.path_params["bundle_id"]
    bundle = core_of(request).data.bundles_by_id.get(int(raw)) if raw.isdigit() else None
    if bundle is None:
        return not_found("Bundle not found")
    return JSONResponse(bundle_detail(bundle))


# (method, path regex, scope) for the /v3 gate (the restricted key's scope check)
SCOPES: list[tuple[str, str, str]] = [
    ("GET", r"^/v3/stores/simplified$", "store:list"),
    ("GET", r"^/v3/stores/[^/]+/payment-methods$", "store:read"),
    ("GET", r"^/v3/stores/[^/]+/products$", "product:list"),
    ("GET", r"^/v3/stores/[^/]+/bundles$", "bundle:list"),
    ("GET", r"^/v3/products$", "product:list"),
    ("GET", r"^/v3/bundles/simplified$", "bundle:list"),
    ("GET", r"^/v3/bundles/[^/]+$", "bundle:read"),
]

ROUTES = [
    Route("/v3/stores/simplified", stores_simplified),
    Route("/v3/stores/{store_id}/payment-methods", store_payment_methods),
    Route("/v3/stores/{store_id}/products", store_products),
    Route("/v3/stores/{store_id}/bundles", store_bundles),
    Route("/v3/products", products),
    Route("/v3/bundles/simplified", bundles_simplified),
    Route("/v3/bundles/{bundle_id}", bundle_get),
]
