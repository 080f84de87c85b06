"""/v3 location and shipping routes: location search, postal codes, warehouse and courier quotes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pos.sandbox.common import (
    by_numeric_id,
    core_of,
    error,
    int_param,
    listing,
    not_found,
    params_of,
    search_term,
    v3_routes,
    with_json_body,
)
from pos.sandbox.shipping import courier_result_json, warehouse_json


async def locations(request: Request) -> Response:
    core = core_of(request)
    search = search_term(params_of(request))
    items = core.data.locations
    if search:
        items = [
            loc
            for loc in items
            if search in loc.subdistrict_name.casefold()
            or search in loc.city_name.casefold()
            or search in loc.province_name.casefold()
            or search in loc.display.casefold()
        ]
        # Subdistrict-name matches first, then the rest (stable).
        items.sort(key=lambda loc: 0 if loc.subdistrict_name.casefold().startswith(search) else 1)
    return listing(request, items, lambda loc: loc.public())


async def location_postal_codes(request: Request) -> Response:
    loc = by_numeric_id(core_of(request).data.locations_by_id, request.path_params["location_id"])
    if loc is None:
        return not_found("Location not found")
    return JSONResponse(
        {"data": [{"postal_code": c} for c in loc.postal_codes], "is_paginated": False}
    )


@with_json_body
async def search_warehouse(request: Request, body: dict[str, Any]) -> Response:
    core = core_of(request)
    store_id = int_param(body.get("store_id"))
    dest_id = int_param(body.get("destination_id"))
    variants = body.get("variants")
    if store_id is None or dest_id is None or not isinstance(variants, list):
        return error(
            400, "store_id, destination_id and variants are required", error_code="bad_request"
        )
    store = core.data.stores_by_id.get(store_id)
    if store is None:
        return error(400, f"Store {store_id} not found", error_code="bad_request")
    dest = core.data.locations_by_id.get(dest_id)
    if dest is None:
        return error(400, f"Location {dest_id} not found", error_code="bad_request")
    ids: list[int] = []
    for item in variants:
        vid = int_param(item.get("variant_id")) if isinstance(item, dict) else None
        qty = int_param(item.get("qty")) if isinstance(item, dict) else None
        variant = core.data.variants_by_id.get(vid) if vid is not None else None
        if variant is None or qty is None or qty < 1:
            return error(400, f"Invalid variant entry {item!r}", error_code="bad_request")
        if core.data.product_of(variant).store_id != store.id:
            return error(
                400, f"Variant {vid} is not sold in store {store.id}", error_code="bad_request"
            )
        ids.append(variant.id)
    results = [
        {
            "destination": dest.public(),
            "distance_km": km,
            "warehouse": warehouse_json(w, store.business_id, store.username),
            "warehouse_partner": None,
        }
        for w, km in core.shipping.warehouses_for_items(store.id, ids, dest)
    ]
    for r in results:  # warehouse_partner is optional and not nullable in the contract
        r.pop("warehouse_partner")
    return JSONResponse({"data": results, "is_paginated": False})


@with_json_body
async def search_courier_service(request: Request, body: dict[str, Any]) -> Response:
    core = core_of(request)
    store_id = int_param(body.get("store_id"))
    loc_id = int_param(body.get("location_id"))
    wid = int_param(body.get("warehouse_id"))
    weight = int_param(body.get("weight"))
    method = body.get("payment_method")
    if None in (store_id, loc_id, wid, weight) or not isinstance(method, str):
        return error(
            400,
            "store_id, location_id, warehouse_id, payment_method and weight are required",
            error_code="bad_request",
        )
    assert store_id is not None and loc_id is not None and wid is not None and weight is not None
    store = core.data.stores_by_id.get(store_id)
    dest = core.data.locations_by_id.get(loc_id)
    warehouse = core.data.warehouses.get(wid)
    if store is None or dest is None or warehouse is None or wid not in store.warehouse_ids:
        return error(400, "Unknown store, location or warehouse", error_code="bad_request")
    postal = body.get("postal_code")
    if postal and postal not in dest.postal_codes:
        return error(
            400, f"Postal code {postal} is not in {dest.display}", error_code="bad_request"
        )
    quotes = core.shipping.quotes(warehouse, dest, weight, method)
    return JSONResponse(
        {"data": [courier_result_json(q, warehouse) for q in quotes], "is_paginated": False}
    )


ROUTES, SCOPES = v3_routes(
    [
        ("GET", "/v3/locations", locations, "order:create"),
        ("GET", "/v3/locations/{location_id}/postal-codes", location_postal_codes, "order:create"),
        ("POST", "/v3/shipping-costs/search-warehouse", search_warehouse, "order:create"),
        (
            "POST",
            "/v3/shipping-costs/search-courier-service",
            search_courier_service,
            "order:create",
        ),
    ]
)
