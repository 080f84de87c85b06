"""Sandbox routes for the counter (issue 13): change-status, /payment (QRIS), tags, statistics."""

from __future__ import annotations

from typing import Any

from pos.sandbox import SandboxServer
from pos.sandbox.keys import NO_CHANGE_STATUS_DEMO_KEY
from pos.sandbox.routes_counter import crc16_ccitt
from tests.sandbox.helpers import DIGITAL_STORE, KOPI_STORE, Api, SandboxControl


def parse_emv(payload: str) -> dict[str, str]:
    """Top-level EMVCo TLV fields; checks the structure while parsing."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        fields[tag] = payload[i + 4 : i + 4 + length]
        assert len(fields[tag]) == length
        i += 4 + length
    return fields


def _order(api: Api, **extra: Any) -> dict[str, Any]:
    resp = api.post("/v3/orders", json=api.digital_order(**extra))
    assert resp.status_code == 200, resp.text
    order: dict[str, Any] = resp.json()
    return order


def test_crc16_ccitt_matches_the_published_check_value() -> None:
    assert crc16_ccitt(b"123456789") == 0x29B1  # CRC-16/CCITT-FALSE check value


def test_change_status_marks_paid_idempotently(shared_api: Api) -> None:
    order = _order(shared_api)
    body = {
        "ids": [order["id"]],
        "payment_status": "paid",
        "payment_method": "qris",
        "transfer_time": "2026-12-04T08:00:00Z",
    }
    first = shared_api.post("/v3/orders/change-status", json=body)
    assert first.status_code == 200
    item = first.json()["data"][0]
    assert item["id"] == order["id"] and item["payment_status"] == "paid"
    assert item["status"] == "confirmed"
    again = shared_api.post("/v3/orders/change-status", json=body)
    assert again.json()["data"][0]["payment_status"] == "paid"
    fetched = shared_api.get(f"/v3/orders/{order['id']}").json()
    assert fetched["payment_status"] == "paid" and fetched["payment_method"] == "qris"
    assert len([h for h in fetched["status_history"] if h["status"] == "confirmed"]) == 1


def test_change_status_cancel_and_bad_bodies(shared_api: Api) -> None:
    order = _order(shared_api)
    resp = shared_api.post(
        "/v3/orders/change-status", json={"ids": [order["id"]], "status": "canceled"}
    )
    assert resp.json()["data"][0]["status"] == "canceled"
    assert shared_api.http.post("/v3/orders/change-status", json={"ids": []}).status_code == 400
    bad = shared_api.http.post(
        "/v3/orders/change-status", json={"ids": [order["id"]], "payment_status": "lunas"}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "payment_status"
    missing = shared_api.http.post(
        "/v3/orders/change-status", json={"ids": ["nope"], "payment_status": "paid"}
    )
    assert missing.status_code == 404


def test_key_without_change_status_scope_gets_403(shared_sandbox: SandboxServer) -> None:
    full = Api(shared_sandbox)
    limited = Api(shared_sandbox, api_key=NO_CHANGE_STATUS_DEMO_KEY)
    try:
        order = _order(limited)  # it can still create and read orders
        resp = limited.post(
            "/v3/orders/change-status", json={"ids": [order["id"]], "payment_status": "paid"}
        )
        assert resp.status_code == 403
        assert full.get(f"/v3/orders/{order['id']}").json()["payment_status"] == "unpaid"
    finally:
        full.close()
        limited.close()


def test_qris_payment_is_an_emvco_string_with_a_valid_crc(
    shared_api: Api, shared_sandbox: SandboxServer
) -> None:
    order = _order(
        shared_api, **shared_api.digital_order("EBOOK-CANVA", DIGITAL_STORE, payment_method="qris")
    )
    qr = shared_api.post(f"/v3/orders/{order['id']}/payment").json()["qr_string"]
    assert qr == shared_api.post(f"/v3/orders/{order['id']}/payment").json()["qr_string"]
    fields = parse_emv(qr)
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["53"] == "360" and fields["58"] == "ID"
    assert int(fields["54"]) == round(float(order["gross_revenue"]))
    assert order["order_id"] in fields["62"]
    assert "ID.CO.QRIS.WWW" in fields["51"]
    assert qr[-8:-4] == "6304"
    assert int(fields["63"], 16) == crc16_ccitt(qr[:-4].encode())
    # the order's payment page pays it
    SandboxControl(shared_sandbox).pay(order["id"])
    assert shared_api.get(f"/v3/orders/{order['id']}").json()["payment_status"] == "paid"


def test_payment_for_manual_and_link_methods(shared_api: Api) -> None:
    link = _order(shared_api)
    info = shared_api.post(f"/v3/orders/{link['id']}/payment").json()
    assert info["invoice_url"].endswith("/success")
    assert shared_api.http.post("/v3/orders/nope/payment").status_code == 404


def test_update_tags_replaces_and_the_list_filters_by_tag(shared_api: Api) -> None:
    first, second = _order(shared_api), _order(shared_api)
    resp = shared_api.post(
        f"/v3/orders/{first['id']}/update-tags", json={"tags": ["kasir-T9", "kasir-T9", " x "]}
    )
    assert resp.json()["tags"] == ["kasir-T9", "x"]
    shared_api.post(f"/v3/orders/{second['id']}/update-tags", json={"tags": ["kasir-T8"]})
    listed = shared_api.all_pages("/v3/orders", {"tags": "kasir-T9"})
    assert [o["id"] for o in listed] == [first["id"]]
    assert listed[0]["tags"][0]["name"] == "kasir-T9"
    assert shared_api.all_pages("/v3/orders", {"tags": "kasir-none"}) == []
    bad = shared_api.http.post(f"/v3/orders/{first['id']}/update-tags", json={"tags": "x"})
    assert bad.status_code == 400


def test_statistics_counts_and_sums_by_status_and_tag(shared_api: Api) -> None:
    orders = [_order(shared_api) for _ in range(3)]
    for o in orders:
        shared_api.post(f"/v3/orders/{o['id']}/update-tags", json={"tags": ["kasir-STAT"]})
    shared_api.post(
        "/v3/orders/change-status", json={"ids": [orders[0]["id"]], "payment_status": "paid"}
    )
    total = shared_api.get(
        "/v3/orders/statistics", params={"tags": "kasir-STAT", "store_id": KOPI_STORE}
    ).json()["data"]
    gross = sum(round(float(o["gross_revenue"])) for o in orders)
    assert total == [{"count": 3, "gross_revenue": gross}]
    by_status = shared_api.get(
        "/v3/orders/statistics",
        params={"tags": "kasir-STAT", "is_breakdown_status": "true", "breakdown_date": "day"},
    ).json()["data"]
    assert {i["status"]: i["count"] for i in by_status} == {"confirmed": 1, "pending": 2}
    assert all(len(i["day"]) == 10 for i in by_status)
    paid = shared_api.get(
        "/v3/orders/statistics", params={"tags": "kasir-STAT", "payment_status": "paid"}
    ).json()["data"]
    assert paid[0]["count"] == 1
