"""Order creation, validation, listing, payment page and persistence over real HTTP."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos.sandbox import SandboxServer
from tests.contract import openapi
from tests.sandbox.helpers import BATIK_STORE, DIGITAL_STORE, KOPI_STORE, Api, SandboxControl


def test_create_digital_order(api: Api, sandbox: SandboxServer) -> None:
    body = api.digital_order()
    resp = api.post("/v3/orders", json=body)
    assert resp.status_code == 200
    order = resp.json()
    assert uuid.UUID(order["id"]).version == 7
    assert re.fullmatch(r"\d{6}[A-Z]{6}", order["order_id"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{40}", order["secret_slug"])
    assert order["public_order_url"] == f"{sandbox.base_url}/o/{order['secret_slug']}"
    assert order["payment_url"] == order["public_order_url"] + "/success"
    assert (order["status"], order["payment_status"]) == ("pending", "unpaid")
    assert order["gross_revenue"] == "49000.00" and order["shipping_cost"] == "0.00"
    assert order["metadata"] == body["metadata"] and order["notes"] == body["notes"]
    assert order["customer"]["phone"] == "6281234567890"
    assert order["store"]["unique_id"] == body["store_unique_id"]
    line = order["orderlines"][0]
    assert (line["variant_sku"], line["quantity"], line["item_type"]) == (
        "EBOOK-SEDUH",
        1,
        "digital",
    )
    assert "destination_address" not in order
    assert api.get(f"/v3/orders/{order['id']}").json() == order


def test_create_physical_order_gross_includes_shipping(api: Api) -> None:
    body = api.physical_order(qty=2)
    order = api.post("/v3/orders", json=body).json()
    assert order["product_price"] == "170000.00"
    assert order["shipping_cost"] == f"{body['shipping_cost']}.00"
    assert order["gross_revenue"] == f"{170000 + body['shipping_cost']}.00"
    assert order["total_weight"] == "560.00"
    assert order["destination_address"]["location"] == body["location_id"]
    assert order["destination_address"]["postal_code"] == body["postal_code"]
    assert order["courier_service"]["id"] == body["courier_service_id"]
    assert order["shipment_provider_code"] == body["shipment_provider_code"]
    assert order["warehouse"]["name"] == "Gudang Bekasi"
    assert order["pg_payment_info"]["payment_method"]["virtual_account"]["channel_properties"][
        "virtual_account_number"
    ].startswith("8808")


def test_create_bundle_order_physical(api: Api) -> None:
    bundles = api.get(f"/v3/bundles/simplified?store_id={KOPI_STORE}").json()["data"]
    pack = next(b for b in bundles if b["name"] == "Paket Kopi Gayo + Toraja")
    option = pack["bundle_price_options"][0]
    detail = api.get(f"/v3/bundles/{pack['id']}").json()
    weight = (
        sum(line["variant"]["weight"] * line["quantity"] for line in detail["bundlelines"])
        + detail["weight_bump"]
    )
    base = api.physical_order()
    loc_id = base["location_id"]
    variants = [
        {"variant_id": line["variant"]["id"], "qty": line["quantity"]}
        for line in detail["bundlelines"]
    ]
    wh = api.post(
        "/v3/shipping-costs/search-warehouse",
        json={"store_id": KOPI_STORE, "destination_id": loc_id, "variants": variants},
    ).json()["data"][0]["warehouse"]
    courier = api.post(
        "/v3/shipping-costs/search-courier-service",
        json={
            "store_id": KOPI_STORE,
            "location_id": loc_id,
            "warehouse_id": wh["id"],
            "payment_method": "qris",
            "weight": weight,
        },
    ).json()["data"][-1]
    body = base | {
        "ordervariants": [],
        "orderbundles": [{"bundle_price_option_unique_id": option["unique_id"], "quantity": 1}],
        "payment_method": "qris",
        "warehouse_unique_id": wh["unique_id"],
        "courier_service_id": courier["courier_service"]["id"],
        "shipping_cost": courier["cost"],
        "shipment_provider_code": courier["shipment_provider_code"],
    }
    order = api.post("/v3/orders", json=body).json()
    assert order["gross_revenue"] == f"{option['price'] + courier['cost']}.00"
    assert order["total_weight"] == f"{weight}.00"
    assert order["orderlines"][0]["bundle_price_option_unique_id"] == option["unique_id"]
    assert "qr_string" in order["pg_payment_info"]


@pytest.mark.parametrize(
    ("method", "extra", "stored"),
    [
        ("payment_link", {}, "payment_link"),
        ("va_mandiri", {}, "va_mandiri"),
        ("va", {"sub_payment_method": "BRI"}, "va_bri"),
    ],
)
def test_payment_method_variants(api: Api, method: str, extra: dict[str, str], stored: str) -> None:
    body = api.digital_order(payment_method=method) | extra
    resp = api.http.post("/v3/orders", json=body)
    assert resp.status_code == 200, resp.text
    openapi.validate_response("POST", "/v3/orders", 200, resp.json())
    assert resp.json()["payment_method"] == stored


def test_invoice_and_cod_store(api: Api) -> None:
    body = api.physical_order(
        store_id=BATIK_STORE,
        fullname="Bakpia Pathok Kacang Hijau isi 20",
        qty=3,
        destination=("Gubeng", "Kota Surabaya"),
        payment_method="cod",
    )
    order = api.post("/v3/orders", json=body).json()
    assert order["payment_method"] == "cod"
    digital = api.digital_order(store_id=DIGITAL_STORE, sku="TPL-CV-ATS", payment_method="qris")
    assert api.post("/v3/orders", json=digital).json()["gross_revenue"] == "35000.00"


def _errors(resp: httpx.Response) -> list[tuple[str, str]]:
    assert resp.status_code == 400, resp.text
    body = resp.json()
    openapi.validate_response("POST", "/v3/orders", 400, body)
    assert set(body) == {"error", "error_code", "message", "errors"}
    assert body["error_code"] == "validation_failed"
    for e in body["errors"]:
        assert set(e) == {"severity", "code", "field", "message"} and e["severity"] == "error"
    return [(e["field"], e["code"]) for e in body["errors"]]


def test_validation_customer_and_items(api: Api) -> None:
    body = api.digital_order()
    no_name = {k: v for k, v in body.items() if k != "customer_name"}
    assert ("customer_name", "required") in _errors(api.post("/v3/orders", json=no_name))
    assert ("customer_name", "required") in _errors(
        api.post("/v3/orders", json=body | {"customer_name": "  "})
    )
    assert ("ordervariants", "required") in _errors(
        api.post("/v3/orders", json=body | {"ordervariants": []})
    )
    unknown = body | {"ordervariants": [{"variant_unique_id": "variant_nope", "quantity": 1}]}
    assert ("ordervariants[0].variant_unique_id", "not_found") in _errors(
        api.post("/v3/orders", json=unknown)
    )
    zero = body | {"ordervariants": [body["ordervariants"][0] | {"quantity": 0}]}
    assert ("ordervariants[0].quantity", "invalid") in _errors(api.post("/v3/orders", json=zero))
    bad_option = body | {
        "ordervariants": [],
        "orderbundles": [{"bundle_price_option_unique_id": "bpo_nope", "quantity": 1}],
    }
    assert ("orderbundles[0].bundle_price_option_unique_id", "not_found") in _errors(
        api.post("/v3/orders", json=bad_option)
    )


def test_validation_hidden_variant_product_and_option(api: Api) -> None:
    body = api.digital_order()
    products = api.all_pages("/v3/products", {"store_id": KOPI_STORE})
    hidden_variant = next(v for p in products for v in p["variants"] if not v["is_checked"])
    hidden_product = next(p for p in products if not p["is_visible"])["variants"][0]
    for variant in (hidden_variant, hidden_product):
        req = body | {"ordervariants": [{"variant_unique_id": variant["unique_id"], "quantity": 1}]}
        assert ("ordervariants[0].variant_unique_id", "not_available") in _errors(
            api.post("/v3/orders", json=req)
        )
    bundles = api.get(f"/v3/stores/{KOPI_STORE}/bundles").json()["data"]
    hidden_option = next(
        o for b in bundles for o in b["bundle_price_options"] if not o["is_visible"]
    )
    req = body | {
        "ordervariants": [],
        "orderbundles": [
            {"bundle_price_option_unique_id": hidden_option["unique_id"], "quantity": 1}
        ],
    }
    assert ("orderbundles[0].bundle_price_option_unique_id", "not_available") in _errors(
        api.post("/v3/orders", json=req)
    )


def test_validation_payment_method(api: Api) -> None:
    body = api.digital_order()
    assert ("payment_method", "payment_method_not_available") in _errors(
        api.post("/v3/orders", json=body | {"payment_method": "cod"})
    )
    assert ("payment_method", "payment_method_not_available") in _errors(
        api.post("/v3/orders", json=body | {"payment_method": "bank_transfer"})
    )
    assert ("payment_method", "invalid") in _errors(
        api.http.post("/v3/orders", json=body | {"payment_method": "bitcoin"})
    )
    assert ("payment_method", "required") in _errors(
        api.post("/v3/orders", json={k: v for k, v in body.items() if k != "payment_method"})
    )


@pytest.mark.parametrize(
    "missing",
    ["address", "location_id", "warehouse_unique_id", "shipping_cost", "courier_service_id"],
)
def test_validation_physical_needs_shipping_fields(api: Api, missing: str) -> None:
    body = api.physical_order()
    del body[missing]
    assert (missing, "required") in _errors(api.post("/v3/orders", json=body))


def test_validation_shipping_consistency(api: Api) -> None:
    body = api.physical_order()
    assert ("shipping_cost", "shipping_cost_mismatch") in _errors(
        api.post("/v3/orders", json=body | {"shipping_cost": body["shipping_cost"] - 1000})
    )
    assert ("courier_service_id", "courier_unavailable") in _errors(
        api.post("/v3/orders", json=body | {"courier_service_id": 999})
    )
    assert ("postal_code", "invalid") in _errors(
        api.post("/v3/orders", json=body | {"postal_code": "99999"})
    )
    assert ("warehouse_unique_id", "not_found") in _errors(
        api.post("/v3/orders", json=body | {"warehouse_unique_id": "warehouse_nope"})
    )
    assert ("location_id", "not_found") in _errors(
        api.post("/v3/orders", json=body | {"location_id": 1})
    )
    # same courier, but the order weighs more than the quote (3 kg instead of 1 kg)
    heavier = body | {"ordervariants": [body["ordervariants"][0] | {"quantity": 10}]}
    assert ("shipping_cost", "shipping_cost_mismatch") in _errors(
        api.post("/v3/orders", json=heavier)
    )
    # cod needs a COD-capable courier: pick a service that is not
    cod_body = api.physical_order(
        store_id=BATIK_STORE, fullname="Geplak Bantul", payment_method="bank_transfer"
    )
    couriers = api.post(
        "/v3/shipping-costs/search-courier-service",
        json={
            "store_id": BATIK_STORE,
            "location_id": cod_body["location_id"],
            "warehouse_id": 741,
            "payment_method": "bank_transfer",
            "weight": 400,
        },
    ).json()["data"]
    non_cod = next(c for c in couriers if not c["is_cod"])
    assert ("courier_service_id", "courier_unavailable") in _errors(
        api.post(
            "/v3/orders",
            json=cod_body
            | {
                "payment_method": "cod",
                "courier_service_id": non_cod["courier_service"]["id"],
                "shipping_cost": non_cod["cost"],
            },
        )
    )


def test_validation_warehouse_cannot_ship_item(api: Api) -> None:
    body = api.physical_order(
        store_id=BATIK_STORE, fullname="Kemeja Batik Tulis Lasem - M", payment_method="invoice"
    )
    assert body["warehouse_unique_id"] == "warehouse_Jog3Lp8NcV1x"
    bekasi = body | {"warehouse_unique_id": "warehouse_FN9odhpi1VOF"}
    assert ("warehouse_unique_id", "warehouse_unavailable") in _errors(
        api.post("/v3/orders", json=bekasi)
    )


def test_malformed_json_is_400(api: Api) -> None:
    resp = api.http.post(
        "/v3/orders", content=b'{"customer_name": ', headers={"content-type": "application/json"}
    )
    assert resp.status_code == 400
    openapi.validate_response("POST", "/v3/orders", 400, resp.json())
    assert api.http.post("/v3/orders", json=[1, 2]).status_code == 400


def _create_many(api: Api, n: int) -> list[dict[str, Any]]:
    orders = []
    for i in range(n):
        body = api.digital_order(
            customer_phone=f"62812000000{i % 3}",
            customer_name=f"Pelanggan {i}",
            metadata={"pos_ref": f"ref-{i}"},
        )
        orders.append(api.post("/v3/orders", json=body).json())
    return orders


def test_list_orders_newest_first_paginated_and_filtered(
    api_no_rl: Api, sandbox_no_rl: SandboxServer
) -> None:
    api = api_no_rl
    created = _create_many(api, 30)
    listed = api.all_pages("/v3/orders", page_size=7)
    assert [o["id"] for o in listed] == [o["id"] for o in reversed(created)]
    first = api.get("/v3/orders", params={"page_size": 7}).json()
    second = api.get(
        "/v3/orders", params={"page_size": 7, "next_cursor": first["next_cursor"]}
    ).json()
    assert second["has_previous"] and second["previous_cursor"]
    back = api.get(
        "/v3/orders", params={"page_size": 7, "previous_cursor": second["previous_cursor"]}
    ).json()
    assert [o["id"] for o in back["data"]] == [o["id"] for o in first["data"]]

    by_phone = api.all_pages(
        "/v3/orders",
        {"search": "0812000000" + "1", "search_field": "customer_phone", "store_id": KOPI_STORE},
    )
    assert len(by_phone) == 10
    by_name = api.get(
        "/v3/orders", params={"search": "pelanggan 29", "search_field": "customer_name"}
    ).json()["data"]
    assert [o["id"] for o in by_name] == [created[29]["id"]]
    by_number = api.get("/v3/orders", params={"search": created[3]["order_id"]}).json()["data"]
    assert [o["id"] for o in by_number] == [created[3]["id"]]
    assert api.get("/v3/orders", params={"store_id": "store_Kd9ViG2aLx05"}).json()["data"] == []

    projected = api.get(
        "/v3/orders",
        params={
            "columns": "metadata,notes,status,payment_status,gross_revenue,secret_slug",
            "page_size": 2,
        },
    ).json()["data"]
    assert set(projected[0]) == {
        "id",
        "metadata",
        "notes",
        "status",
        "payment_status",
        "gross_revenue",
        "secret_slug",
    }
    assert projected[0]["metadata"] == {"pos_ref": "ref-29"}

    SandboxControl(sandbox_no_rl).pay(created[5]["id"])
    paid = api.get("/v3/orders", params={"payment_status": "paid"}).json()["data"]
    assert [o["id"] for o in paid] == [created[5]["id"]]
    assert (
        api.get("/v3/orders", params={"status": "confirmed"}).json()["data"][0]["id"]
        == created[5]["id"]
    )
    assert api.get("/v3/orders", params={"next_cursor": "garbage!"}).status_code == 400
    wrong_filter = api.get(
        "/v3/orders", params={"status": "pending", "next_cursor": first["next_cursor"]}
    )
    assert wrong_filter.status_code == 400


def test_get_unknown_order_404(api: Api) -> None:
    resp = api.get("/v3/orders/0196d2a4-7b1e-7c3a-9f10-3e5b8a2d4c61")
    assert resp.status_code == 404 and resp.json() == {"error": "Order not found"}


def test_pay_and_check_payment_and_cancel(api: Api, sandbox_ctl: SandboxControl) -> None:
    order = api.post("/v3/orders", json=api.digital_order()).json()
    assert api.post(f"/v3/orders/{order['id']}/check-payment").json()["payment_status"] == "unpaid"
    paid = sandbox_ctl.pay(order["id"])
    assert (paid["payment_status"], paid["status"]) == ("paid", "confirmed") and paid["paid_time"]
    checked = api.post(f"/v3/orders/{order['id']}/check-payment").json()
    assert checked["payment_status"] == "paid" and checked["paid_time"] == paid["paid_time"]
    other = api.post("/v3/orders", json=api.digital_order()).json()
    canceled = sandbox_ctl.cancel(other["id"])
    assert canceled["status"] == "canceled" and canceled["canceled_time"]
    assert {o["id"] for o in sandbox_ctl.orders(pos_ref=order["metadata"]["pos_ref"])} == {
        order["id"],
        other["id"],
    }


def test_payment_page_and_simulated_payment(api: Api) -> None:
    order = api.post("/v3/orders", json=api.physical_order()).json()
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(order["payment_url"])
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert order["order_id"] in page.text
        assert "Kopi Arabika Gayo 250 g" in page.text
        total = int(order["gross_revenue"].split(".")[0])
        assert f"Rp{total:,}".replace(",", ".") in page.text
        assert "Bayar (simulasi)" in page.text
        assert browser.get(order["public_order_url"]).status_code == 200
        after = browser.post(f"{order['public_order_url']}/pay")
        assert (
            after.status_code == 200
            and "paid" in after.text
            and "Bayar (simulasi)" not in after.text
        )
        assert browser.get(order["public_order_url"].rsplit("/", 1)[0] + "/nope").status_code == 404
    assert api.get(f"/v3/orders/{order['id']}").json()["payment_status"] == "paid"


def test_orders_persist_across_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "persist"
    with SandboxServer(data_dir) as first:
        api = Api(first)
        order = api.post("/v3/orders", json=api.digital_order()).json()
        SandboxControl(first).pay(order["id"])
        api.close()
    assert (data_dir / "sandbox.sqlite3").exists()
    with SandboxServer(data_dir) as second:
        api = Api(second)
        again = api.get(f"/v3/orders/{order['id']}").json()
        assert again["order_id"] == order["order_id"] and again["payment_status"] == "paid"
        assert again["public_order_url"].startswith(second.base_url)
        assert (
            api.post("/v3/orders", json=api.digital_order()).status_code == 200
        )  # same variant ids
        assert len(api.all_pages("/v3/orders")) == 2
        api.close()


def test_request_log_records_exact_payload(api: Api, sandbox_ctl: SandboxControl) -> None:
    body = api.digital_order()
    sandbox_ctl.clear_requests()
    api.post("/v3/orders", json=body)
    api.get("/v3/orders", params={"search": "x", "search_field": "customer_phone"})
    log = sandbox_ctl.requests()
    assert [(r["method"], r["path"]) for r in log] == [
        ("POST", "/v3/orders"),
        ("GET", "/v3/orders"),
    ]
    assert log[0]["json"] == body
    assert log[1]["query"] == {"search": "x", "search_field": "customer_phone"}
    sandbox_ctl.clear_requests()
    assert sandbox_ctl.requests() == []
