"""The sandbox's limits over real HTTP: 429 bursts, the hourly limit (headers, 429 when spent,
the command-line option) and busy phones (orders seeded ahead of ours)."""

from __future__ import annotations

import time
from typing import Any

import httpx

from pos.sandbox import FaultConfig, SandboxServer
from tests.sandbox.helpers import BATIK_STORE, DIGITAL_ORDER_PHONE, KOPI_STORE, Api, SandboxControl

PHONE = DIGITAL_ORDER_PHONE


# -- burst429 --------------------------------------------------------------------------------
def test_burst429_from_the_spec_answers_the_first_n_requests_429(make_sandbox: Any) -> None:
    server = make_sandbox(faults=FaultConfig.parse("burst429=6"))
    ctl = SandboxControl(server)
    assert httpx.get(server.base_url + "/__sandbox/health").status_code == 200  # not counted
    with ctl.client() as client:
        for _ in range(6):
            resp = client.get("/v3/stores/simplified")
            assert resp.status_code == 429
            assert resp.headers["content-type"].startswith("text/plain")
            assert resp.headers["Retry-After"] == "1"
        assert client.get("/v3/stores/simplified").status_code == 200
    assert [r["fault"] for r in ctl.requests()][:7] == ["status"] * 6 + [None]


def test_burst429_by_json(sandbox_ctl: SandboxControl) -> None:
    assert sandbox_ctl.set_faults(burst429=2)["burst429"] == 2
    with sandbox_ctl.client() as client:
        assert [client.get("/v3/locations").status_code for _ in range(3)] == [429, 429, 200]


# -- hourly limit ----------------------------------------------------------------------------
def test_hourly_limit_headers_tell_both_windows_and_429_when_spent(make_sandbox: Any) -> None:
    server = make_sandbox(hourly_limit=5)
    ctl = SandboxControl(server)
    with ctl.client() as client:
        first = client.get("/v3/stores/simplified")
        now = time.time()
        h = first.headers
        # the binding window (fewer requests left) is the hourly one here
        assert (h["X-Ratelimit-Limit"], h["X-Ratelimit-Remaining"]) == ("5", "4")
        assert now + 3590 <= int(h["X-Ratelimit-Reset"]) <= now + 3601
        assert (h["X-Ratelimit-Burst-Limit"], h["X-Ratelimit-Burst-Remaining"]) == ("100", "99")
        assert now <= int(h["X-Ratelimit-Burst-Reset"]) <= now + 11
        assert (h["X-Ratelimit-Hourly-Limit"], h["X-Ratelimit-Hourly-Remaining"]) == ("5", "4")
        for _ in range(4):
            assert client.get("/v3/stores/simplified").status_code == 200
        spent = client.get("/v3/stores/simplified")
        assert spent.status_code == 429 and spent.text == "Too many requests"
        assert spent.headers["content-type"].startswith("text/plain")
        assert 3590 <= int(spent.headers["Retry-After"]) <= 3600
        assert spent.headers["X-Ratelimit-Limit"] == "5"
        assert spent.headers["X-Ratelimit-Hourly-Remaining"] == "0"
        # the control route changes the hourly window (and resets the counters)
        ctl.set_rate_limit(True, hourly_limit=2)
        assert [client.get("/v3/locations").status_code for _ in range(3)] == [200, 200, 429]
        ctl.set_rate_limit(True, hourly_limit=0)  # off: only the burst window
        resp = client.get("/v3/locations")
        assert resp.status_code == 200 and resp.headers["X-Ratelimit-Limit"] == "100"
        assert "X-Ratelimit-Hourly-Limit" not in resp.headers


def test_default_hourly_limit_is_scalevs(sandbox_ctl: SandboxControl) -> None:
    with sandbox_ctl.client() as client:
        h = client.get("/v3/locations").headers
    assert h["X-Ratelimit-Hourly-Limit"] == "10000"
    assert h["X-Ratelimit-Hourly-Remaining"] == "9999"
    assert h["X-Ratelimit-Limit"] == "100"  # the burst window binds first


# -- busy phone ------------------------------------------------------------------------------
def test_seeded_busy_phone_pushes_our_order_past_the_first_page(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        ours = api.post("/v3/orders", json=api.digital_order(metadata={"pos_ref": "ours"})).json()
        seeded = sandbox_ctl.seed_orders(KOPI_STORE, PHONE, 30)
        assert len(seeded) == 30 and {o["customer"]["phone"] for o in seeded} == {PHONE}
        params = {"search": PHONE, "search_field": "customer_phone"}
        first = api.get("/v3/orders", params=params).json()
        assert len(first["data"]) == 25 and first["has_next"]
        assert ours["id"] not in [o["id"] for o in first["data"]]
        everything = api.all_pages("/v3/orders", params)
        assert [o["id"] for o in everything][-1] == ours["id"]  # newest first: ours is last
    finally:
        api.close()


def test_seeded_orders_dated_back_sort_after_ours(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        ours = api.post("/v3/orders", json=api.digital_order()).json()
        old = sandbox_ctl.seed_orders(BATIK_STORE, PHONE, 3, created_offset_s=-7200)
        assert all(o["created_at"] < ours["created_at"] for o in old)
        assert all(o["destination_address"] for o in old)  # physical-only store: shipped
        listed = api.all_pages(
            "/v3/orders", {"search": PHONE, "search_field": "customer_phone"}, page_size=2
        )
        assert listed[0]["id"] == ours["id"]
        assert {o["id"] for o in listed[1:]} == {o["id"] for o in old}
    finally:
        api.close()


def test_seed_orders_rejects_bad_requests(sandbox_ctl: SandboxControl) -> None:
    with httpx.Client(base_url=sandbox_ctl.base_url) as client:
        for body in (
            {"store_id": 1, "customer_phone": PHONE, "count": 1},
            {"store_id": KOPI_STORE, "count": 1},
            {"store_id": KOPI_STORE, "customer_phone": PHONE, "count": 0},
            {"store_id": KOPI_STORE, "customer_phone": PHONE, "created_offset_s": "x"},
        ):
            assert client.post("/__sandbox/seed-orders", json=body).status_code == 400


def test_cli_hourly_limit_option() -> None:
    from pos.sandbox import cli

    assert cli.build_parser().parse_args([]).hourly_limit == 10_000
    assert cli.build_parser().parse_args(["--hourly-limit", "50"]).hourly_limit == 50
    assert cli.main(["--hourly-limit", "-1", "--data-dir", "/nonexistent-never-created"]) == 2
