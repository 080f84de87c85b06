"""The unfriendly sandbox: late commits, trickling replies, refused lookups, unreadable bodies,
hanging lookups and endless lists, over real HTTP (limits, busy phones: test_sandbox_limits.py)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import pytest

from pos.sandbox import FaultConfig, SandboxServer
from tests.contract import openapi
from tests.sandbox.helpers import DIGITAL_ORDER_PHONE, KOPI_STORE, Api, SandboxControl

PHONE = DIGITAL_ORDER_PHONE


def _lookup(client: httpx.Client, pos_ref: str) -> list[dict[str, Any]]:
    """What a reconciling client sees: the phone's orders carrying our pos_ref."""
    resp = client.get(
        "/v3/orders",
        params={"search": PHONE, "search_field": "customer_phone", "columns": "id,metadata"},
    )
    assert resp.status_code == 200, resp.text
    return [o for o in resp.json()["data"] if (o.get("metadata") or {}).get("pos_ref") == pos_ref]


def _wait_for(predicate: Any, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


# -- slow_commit -----------------------------------------------------------------------------
def test_slow_commit_commits_after_the_client_gave_up_exactly_once(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "late-commit"})
        sandbox_ctl.set_faults(
            next=[
                {
                    "fault": "slow_commit",
                    "method": "POST",
                    "path": "/v3/orders",
                    "commit_delay_s": 2.5,
                }
            ]
        )
        sent = time.monotonic()
        with (
            sandbox_ctl.client(timeout=httpx.Timeout(5.0, read=1.0)) as impatient,
            pytest.raises(httpx.ReadTimeout),
        ):
            impatient.post("/v3/orders", json=body)
        # the client has given up and closed its connection; nothing is visible yet
        with sandbox_ctl.client() as client:
            assert _lookup(client, "late-commit") == []
            assert sandbox_ctl.orders(pos_ref="late-commit") == []
            _wait_for(lambda: sandbox_ctl.orders(pos_ref="late-commit") != [], timeout=6)
            assert time.monotonic() - sent >= 2.4
            committed = sandbox_ctl.orders(pos_ref="late-commit")
            assert len(committed) == 1
            order_id = committed[0]["id"]
            assert [o["id"] for o in _lookup(client, "late-commit")] == [order_id]
            assert client.get(f"/v3/orders/{order_id}").status_code == 200
        time.sleep(0.3)
        assert len(sandbox_ctl.orders(pos_ref="late-commit")) == 1
        posts = [r for r in sandbox_ctl.requests() if r["method"] == "POST"]
        assert [r["fault"] for r in posts] == ["slow_commit"]
    finally:
        api.close()


def test_slow_commit_replies_after_the_commit_to_a_patient_client(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "patient"})
        sandbox_ctl.set_faults(commit_delay_s=0.8, next=[{"fault": "slow_commit"}])
        started = time.monotonic()
        resp = api.post("/v3/orders", json=body)  # contract-checked
        assert resp.status_code == 200
        assert time.monotonic() - started >= 0.75
        assert [o["id"] for o in sandbox_ctl.orders(pos_ref="patient")] == [resp.json()["id"]]
    finally:
        api.close()


def test_slow_commit_as_a_rate_touches_only_order_creation(make_sandbox: Any) -> None:
    server = make_sandbox(faults=FaultConfig.parse("slow_commit=1.0,commit_delay_s=0.6"))
    ctl = SandboxControl(server)
    api = Api(server)
    try:
        body = api.digital_order(metadata={"pos_ref": "rate-slow"})
        started = time.monotonic()
        assert api.post("/v3/orders", json=body).status_code == 200
        assert time.monotonic() - started >= 0.55
        assert len(ctl.orders(pos_ref="rate-slow")) == 1
        faults = {(r["method"], r["path"], r["fault"]) for r in ctl.requests()}
        assert ("POST", "/v3/orders", "slow_commit") in faults
        assert {f for m, _, f in faults if m == "GET"} == {None}  # lookups untouched
    finally:
        api.close()


# -- trickle ---------------------------------------------------------------------------------
def test_trickle_sends_the_body_byte_by_byte_under_any_read_timeout(
    sandbox_ctl: SandboxControl,
) -> None:
    path = "/v3/locations/2005/postal-codes"
    with sandbox_ctl.client() as client:
        expected = client.get(path).content
    sandbox_ctl.set_faults(next=[{"fault": "trickle", "path": path, "trickle_ms": 15}])
    started = time.monotonic()
    with (
        sandbox_ctl.client(timeout=httpx.Timeout(5.0, read=0.4)) as client,
        client.stream("GET", path) as resp,
    ):
        assert resp.status_code == 200
        chunks = list(resp.iter_raw())
    elapsed = time.monotonic() - started
    assert b"".join(chunks) == expected
    assert len(chunks) >= 10  # tiny pieces, not one write
    assert elapsed >= (len(expected) - 1) * 0.015 * 0.9  # much longer than one read timeout
    assert elapsed > 0.4
    assert json.loads(b"".join(chunks))["data"]


# -- status ----------------------------------------------------------------------------------
def test_status_refuses_the_lookup_while_order_creation_works(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "lookup-403"})
        sandbox_ctl.set_faults(
            next=[
                {
                    "fault": "status",
                    "method": "GET",
                    "path": "/v3/orders",
                    "status": 403,
                    "times": -1,
                }
            ]
        )
        created = api.post("/v3/orders", json=body)
        assert created.status_code == 200
        for _ in range(3):  # times -1: every lookup until the faults are replaced
            refused = api.get(
                "/v3/orders", params={"search": PHONE, "search_field": "customer_phone"}
            )
            assert refused.status_code == 403
            assert refused.json() == {"error": "Forbidden"}
            openapi.validate_component("ApiErrorResponse", refused.json())
        assert api.get(f"/v3/orders/{created.json()['id']}").status_code == 200
        sandbox_ctl.set_faults()
        with sandbox_ctl.client() as client:
            assert len(_lookup(client, "lookup-403")) == 1
    finally:
        api.close()


@pytest.mark.parametrize(
    ("rule", "status", "ctype", "text", "retry_after"),
    [
        ({"status": 500}, 500, "application/json", '{"error": "Internal Server Error"}', None),
        ({"status": 404}, 404, "application/json", '{"error": "Not Found"}', None),
        (
            {"status": 429, "content_type": "text/plain", "retry_after": 7},
            429,
            "text/plain",
            "Too Many Requests",
            "7",
        ),
        (
            {"status": 502, "content_type": "text/html", "body": "<h1>Bad gateway</h1>"},
            502,
            "text/html",
            "<h1>Bad gateway</h1>",
            None,
        ),
        (
            {"status": 403, "body": {"error": "Nope", "error_code": "x"}},
            403,
            "application/json",
            '{"error": "Nope", "error_code": "x"}',
            None,
        ),
    ],
)
def test_status_answers_any_status_type_and_body(
    sandbox_ctl: SandboxControl,
    rule: dict[str, Any],
    status: int,
    ctype: str,
    text: str,
    retry_after: str | None,
) -> None:
    sandbox_ctl.set_faults(next=[{"fault": "status", "path": "/v3/stores/*"} | rule])
    with sandbox_ctl.client() as client:
        resp = client.get("/v3/stores/simplified")
        assert resp.status_code == status
        assert resp.headers["content-type"].startswith(ctype)
        assert resp.text == text
        assert resp.headers.get("Retry-After") == retry_after
        assert client.get("/v3/stores/simplified").status_code == 200  # one-shot


# -- garbage ---------------------------------------------------------------------------------
def test_garbage_gives_unreadable_200s(sandbox_ctl: SandboxControl) -> None:
    path = "/v3/stores/simplified"
    with sandbox_ctl.client() as client:
        real = client.get(path).content
        sandbox_ctl.set_faults(next=[{"fault": "garbage", "path": path, "kind": "not_json"}])
        resp = client.get(path)
        assert resp.status_code == 200
        with pytest.raises(ValueError):
            resp.json()
        sandbox_ctl.set_faults(next=[{"fault": "garbage", "path": path, "kind": "truncated"}])
        resp = client.get(path)
        assert resp.status_code == 200 and real.startswith(resp.content)
        assert 0 < len(resp.content) < len(real)
        with pytest.raises(ValueError):
            resp.json()
        sandbox_ctl.set_faults(next=[{"fault": "garbage", "path": path, "kind": "wrong_shape"}])
        resp = client.get(path)
        assert resp.status_code == 200 and isinstance(resp.json(), list)
        assert client.get(path).json()["data"]  # one-shot: readable again


def test_garbage_on_order_creation_commits_then_garbles(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "garbled"})
        sandbox_ctl.set_faults(spec="garbage=1.0,seed=4")
        resp = api.http.post("/v3/orders", json=body)
        assert resp.status_code == 200
        with pytest.raises((ValueError, AssertionError)):
            assert isinstance(resp.json(), dict) and resp.json()["id"]
        assert len(sandbox_ctl.orders(pos_ref="garbled")) == 1
    finally:
        api.close()


# -- hang ------------------------------------------------------------------------------------
def test_hang_never_answers_then_drops(sandbox_ctl: SandboxControl) -> None:
    sandbox_ctl.set_faults(
        hang_s=1.0, next=[{"fault": "hang", "method": "GET", "path": "/v3/orders", "times": 2}]
    )
    with (
        sandbox_ctl.client(timeout=httpx.Timeout(5.0, read=0.3)) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.get("/v3/orders")
    started = time.monotonic()
    with (
        sandbox_ctl.client() as client,
        pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)),
    ):
        client.get("/v3/orders")
    assert 0.9 <= time.monotonic() - started < 5
    with sandbox_ctl.client() as client:
        assert client.get("/v3/orders").status_code == 200


def test_hang_as_a_rate_only_hits_lookups(make_sandbox: Any) -> None:
    server = make_sandbox(faults=FaultConfig.parse("hang=1.0,hang_s=5"))
    with SandboxControl(server).client(timeout=httpx.Timeout(5.0, read=0.5)) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get("/v3/stores/simplified")
        resp = client.post("/v3/orders", json={})
        assert resp.status_code == 400  # POSTs are answered (here: a validation error)


# -- endless_pages ---------------------------------------------------------------------------
def test_endless_pages_never_end_until_the_fault_is_cleared(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    sandbox_ctl.seed_orders(KOPI_STORE, PHONE, 3)
    sandbox_ctl.set_faults(
        next=[{"fault": "endless_pages", "method": "GET", "path": "/v3/orders", "times": -1}]
    )
    api = Api(sandbox)
    try:
        params: dict[str, Any] = {"page_size": 2}
        cursors = []
        for _ in range(8):
            page = api.get("/v3/orders", params=params).json()  # contract-checked
            assert page["has_next"] is True and page["data"]
            cursors.append(page["next_cursor"])
            params = {"page_size": 2, "next_cursor": page["next_cursor"]}
        assert len(set(cursors)) == len(cursors)  # a fresh cursor every time
        sandbox_ctl.set_faults()
        seen = api.all_pages("/v3/orders", page_size=2)
        assert len(seen) == 3
    finally:
        api.close()


# -- configuration ---------------------------------------------------------------------------
def test_new_fault_keys_parse_and_round_trip(sandbox_ctl: SandboxControl) -> None:
    cfg = FaultConfig.parse(
        "slow_commit=0.1,commit_delay_s=30,trickle=0.05,trickle_ms=40,garbage=0.02,hang=0.03,"
        "hang_s=15,burst429=6"
    )
    assert (cfg.slow_commit, cfg.commit_delay_s, cfg.trickle, cfg.trickle_ms) == (
        0.1,
        30.0,
        0.05,
        40,
    )
    assert (cfg.garbage, cfg.hang, cfg.hang_s, cfg.burst429) == (0.02, 0.03, 15.0, 6)
    shown = sandbox_ctl.set_faults(
        next=[
            {"fault": "status", "path": "/v3/orders", "method": "GET", "status": 403, "times": -1},
            {"fault": "garbage", "path": "/v3/orders/*", "kind": "wrong_shape"},
            {"fault": "slow_commit", "path": "/v3/orders", "commit_delay_s": 25},
        ]
    )
    assert [n["fault"] for n in shown["next"]] == ["status", "garbage", "slow_commit"]
    assert shown["next"][0]["status"] == 403 and shown["next"][0]["times"] == -1
    assert shown["next"][1]["kind"] == "wrong_shape"
    assert shown["next"][2]["commit_delay_s"] == 25
    with httpx.Client(base_url=sandbox_ctl.base_url) as client:
        for bad in (
            {"next": [{"fault": "garbage", "kind": "meteor"}]},
            {"next": [{"fault": "status", "status": 999}]},
            {"commit_delay_s": -1},
            {"trickle_bytes": 0},
            {"slow_commit": 2},
        ):
            assert client.put("/__sandbox/faults", json=bad).status_code == 400, bad


def test_rule_rate_faults_a_seeded_share_of_matching_requests(sandbox: SandboxServer) -> None:
    rule = {"fault": "status", "method": "GET", "path": "/v3/orders", "status": 403,
            "times": -1, "rate": 0.5}  # fmt: skip

    def run() -> list[int]:
        sandbox.set_faults({"seed": 11, "next": [dict(rule)]})  # the Python API
        with SandboxControl(sandbox).client() as client:
            return [client.get("/v3/orders").status_code for _ in range(30)]

    first, second = run(), run()
    assert first == second  # seeded
    assert 5 <= first.count(403) <= 25 and set(first) == {200, 403}
    sandbox.set_faults("burst429=1")  # a spec string works too
    sandbox.set_faults(None)
    with SandboxControl(sandbox).client() as client:
        assert client.get("/v3/orders").status_code == 200


def test_stopping_during_a_slow_commit_is_quick_and_commits_nothing(make_sandbox: Any) -> None:
    server = make_sandbox(faults=FaultConfig.parse("slow_commit=1.0,commit_delay_s=60"))
    api = Api(server)
    body = api.digital_order(metadata={"pos_ref": "never"})
    api.close()
    outcome: list[object] = []

    def send() -> None:
        with SandboxControl(server).client(timeout=30) as client:
            try:
                outcome.append(client.post("/v3/orders", json=body).status_code)
            except httpx.TransportError as exc:
                outcome.append(type(exc))

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(0.5)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5
    sender.join(10)
    assert outcome and outcome[0] != 200  # the connection was dropped, not answered
    reopened = make_sandbox(data_dir=server.data_dir)
    assert SandboxControl(reopened).orders(pos_ref="never") == []


def test_reply_lost_after_commit_then_lookups_refused(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    """Issue 11's third duplicate: two rules at once, each for its own method + path."""
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "lost-then-403"})
        sandbox_ctl.set_faults(
            next=[
                {"fault": "drop_after_commit", "method": "POST", "path": "/v3/orders"},
                {"fault": "status", "method": "GET", "path": "/v3/orders", "status": 403,
                 "times": -1},
            ]
        )  # fmt: skip
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            api.http.post("/v3/orders", json=body)
        lookup = api.http.get("/v3/orders", params={"search": PHONE})
        assert lookup.status_code == 403
        assert len(sandbox_ctl.orders(pos_ref="lost-then-403")) == 1
    finally:
        api.close()
