"""Rate limiting and fault injection, observed from a real httpx client."""

from __future__ import annotations

import time

import httpx
import pytest

from pos.sandbox import FaultConfig, SandboxServer
from tests.contract import openapi
from tests.sandbox.helpers import Api, SandboxControl


def test_rate_limit_headers_and_429(sandbox: SandboxServer, sandbox_ctl: SandboxControl) -> None:
    with sandbox_ctl.client() as client:
        first = client.get("/v3/locations/2005/postal-codes")
        assert first.headers["X-Ratelimit-Limit"] == "100"
        assert first.headers["X-Ratelimit-Remaining"] == "99"
        reset = int(first.headers["X-Ratelimit-Reset"])
        assert time.time() <= reset <= time.time() + 11
        for _ in range(99):
            last = client.get("/v3/locations/2005/postal-codes")
        assert last.status_code == 200 and last.headers["X-Ratelimit-Remaining"] == "0"
        limited = client.get("/v3/locations/2005/postal-codes")
        assert limited.status_code == 429
        assert limited.headers["content-type"].startswith("text/plain")
        assert limited.text == "Too many requests"
        assert 1 <= int(limited.headers["Retry-After"]) <= 10
        assert limited.headers["X-Ratelimit-Remaining"] == "0"
        # control routes are never limited, and the limit can be switched off at runtime
        sandbox_ctl.set_rate_limit(False)
        assert client.get("/v3/locations/2005/postal-codes").status_code == 200
        sandbox_ctl.set_rate_limit(True)
        assert client.get("/v3/locations/2005/postal-codes").status_code == 200


def test_rate_limit_is_per_key(sandbox_ctl: SandboxControl) -> None:
    with sandbox_ctl.client() as client, sandbox_ctl.client(api_key="rk_demo_readonly") as other:
        for _ in range(100):
            client.get("/v3/stores/simplified")
        assert client.get("/v3/stores/simplified").status_code == 429
        assert other.get("/v3/stores/simplified").status_code == 200


def test_rate_limit_off_by_constructor(sandbox_no_rl_ctl: SandboxControl) -> None:
    with sandbox_no_rl_ctl.client() as client:
        statuses = {client.get("/v3/stores/simplified").status_code for _ in range(130)}
    assert statuses == {200}


def test_reset_fault_gives_connection_error(sandbox_ctl: SandboxControl) -> None:
    sandbox_ctl.fault_next("reset", "/v3/stores/simplified", method="GET")
    with sandbox_ctl.client() as client:
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            client.get("/v3/stores/simplified")
        assert client.get("/v3/stores/simplified").status_code == 200  # one-shot
    assert sandbox_ctl.requests()[0]["fault"] == "reset"


def test_drop_after_commit_persists_order_but_client_sees_error(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "dup-check-1"})
        sandbox_ctl.fault_next("drop_after_commit", "/v3/orders", method="POST")
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            api.http.post("/v3/orders", json=body)
        committed = sandbox_ctl.orders(pos_ref="dup-check-1")
        assert len(committed) == 1
        # a reconciling client finds it via the documented list route
        found = api.get(
            "/v3/orders",
            params={
                "search": body["customer_phone"],
                "search_field": "customer_phone",
                "columns": "id,metadata",
            },
        ).json()["data"]
        assert [o["id"] for o in found if o["metadata"].get("pos_ref") == "dup-check-1"] == [
            committed[0]["id"]
        ]
        # a naive blind resend duplicates the order
        assert api.post("/v3/orders", json=body).status_code == 200
        assert len(sandbox_ctl.orders(pos_ref="dup-check-1")) == 2
    finally:
        api.close()


def test_delay_after_commit_commits_then_holds_the_reply(
    sandbox: SandboxServer, sandbox_ctl: SandboxControl
) -> None:
    api = Api(sandbox, timeout=0.3)
    try:
        body = api.digital_order(metadata={"pos_ref": "slow-reply"})
        sandbox_ctl.set_faults(
            hang_s=1.0,
            next=[{"fault": "delay_after_commit", "path": "/v3/orders", "method": "POST"}],
        )
        with pytest.raises(httpx.ReadTimeout):
            api.http.post("/v3/orders", json=body)
        assert len(sandbox_ctl.orders(pos_ref="slow-reply")) == 1
    finally:
        api.close()


def test_5xx_fault_before_processing(sandbox: SandboxServer, sandbox_ctl: SandboxControl) -> None:
    api = Api(sandbox)
    try:
        body = api.digital_order(metadata={"pos_ref": "five-hundred"})
        sandbox_ctl.set_faults(next=[{"fault": "5xx", "path": "/v3/orders", "method": "POST"}])
        resp = api.http.post("/v3/orders", json=body)
        assert resp.status_code == 503 and resp.json() == {"error": "Service Unavailable"}
        openapi.validate_component("ApiErrorResponse", resp.json())
        assert sandbox_ctl.orders(pos_ref="five-hundred") == []
    finally:
        api.close()


def test_429_burst_fault(sandbox_ctl: SandboxControl) -> None:
    sandbox_ctl.set_faults(burst_s=0.5, next=[{"fault": "429", "path": "/v3/*"}])
    with sandbox_ctl.client() as client:
        resp = client.get("/v3/stores/simplified")
        assert resp.status_code == 429 and resp.headers["Retry-After"] == "1"
        assert client.get("/v3/stores/simplified").status_code == 429  # still inside the burst
        time.sleep(0.6)
        assert client.get("/v3/stores/simplified").status_code == 200


def test_timeout_fault_holds_the_request(sandbox_ctl: SandboxControl) -> None:
    sandbox_ctl.set_faults(hang_s=1.5, next=[{"fault": "timeout", "path": "/v3/stores/simplified"}])
    with sandbox_ctl.client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        client.get("/v3/stores/simplified")
    with sandbox_ctl.client() as client:
        assert client.get("/v3/stores/simplified").status_code == 200


def test_latency_fault(sandbox_ctl: SandboxControl) -> None:
    sandbox_ctl.set_faults(latency=[300, 300])
    with sandbox_ctl.client() as client:
        started = time.perf_counter()
        assert client.get("/v3/stores/simplified").status_code == 200
        assert time.perf_counter() - started >= 0.29
    sandbox_ctl.set_faults()
    # control routes never get faults
    sandbox_ctl.set_faults(error_5xx=1.0)
    assert httpx.get(sandbox_ctl.base_url + "/__sandbox/health").status_code == 200
    with sandbox_ctl.client() as client:
        assert client.get("/v3/stores/simplified").status_code == 503


def test_random_faults_from_spec_are_seeded(make_sandbox: object) -> None:
    spec = "latency=0-5,5xx=0.2,reset=0.1,timeout=0.0,429=0.1,drop_after_commit=0.1,seed=3"

    def run() -> list[str]:
        server = make_sandbox(faults=FaultConfig.parse(spec), rate_limit=False)  # type: ignore[operator]
        outcomes = []
        with httpx.Client(
            base_url=server.base_url, headers={"Authorization": "Bearer sk_demo_kasir_2026"}
        ) as client:
            for _ in range(40):
                try:
                    outcomes.append(str(client.get("/v3/stores/simplified").status_code))
                except httpx.TransportError:
                    outcomes.append("reset")
        return outcomes

    first, second = run(), run()
    assert first == second
    assert {"200", "503", "429", "reset"} <= set(first)


def test_fault_config_parsing_and_control_route(sandbox_ctl: SandboxControl) -> None:
    cfg = FaultConfig.parse(
        "latency=50-200,5xx=0.05,reset=0.05,drop_after_commit=0.05,timeout=0.02,429=0.03,seed=1"
    )
    assert (
        cfg.latency_ms == (50, 200)
        and cfg.error_5xx == 0.05
        and cfg.rate_429 == 0.03
        and cfg.seed == 1
    )
    with pytest.raises(ValueError):
        FaultConfig.parse("explode=1")
    with pytest.raises(ValueError):
        FaultConfig.parse("5xx=2")
    shown = sandbox_ctl.set_faults(spec="5xx=0.5,seed=9")
    assert shown["error_5xx"] == 0.5 and shown["seed"] == 9
    with httpx.Client(base_url=sandbox_ctl.base_url) as client:
        assert client.get("/__sandbox/faults").json()["error_5xx"] == 0.5
        assert client.put("/__sandbox/faults", json={"bogus": 1}).status_code == 400
        assert (
            client.put("/__sandbox/faults", json={"next": [{"fault": "meteor"}]}).status_code == 400
        )


def test_env_fault_spec_is_used_by_cli_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    from pos.sandbox import cli

    monkeypatch.setenv("KASIR_SANDBOX_FAULTS", "nonsense")
    assert cli.main(["--port", "0", "--data-dir", "/nonexistent-never-created"]) == 2
