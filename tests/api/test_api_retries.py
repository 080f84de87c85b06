"""Retries, backoff, 429 handling, outcome-unknown mapping and error bodies (MockTransport)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from pos.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    OrderOutcomeUnknown,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
    ValidationFailed,
)
from tests.api.scalev_mock import FakeClock, MockAPI, load_fixture, make_client, respond

ORDER = load_fixture("order")
OID = ORDER["id"]
GET_PATH = f"/v3/orders/{OID}"

NOT_SENT: list[type[httpx.TransportError]] = [
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
]
MAYBE_SENT: list[type[httpx.TransportError]] = [
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
]


def _exc(cls: type[httpx.TransportError]) -> httpx.TransportError:
    return cls("boom", request=httpx.Request("GET", "https://x"))


# --- GET: retried ---------------------------------------------------------------------


@pytest.mark.parametrize("exc_cls", NOT_SENT + MAYBE_SENT)
@pytest.mark.asyncio
async def test_get_retries_transport_errors_then_succeeds(
    api: MockAPI, clock: FakeClock, exc_cls: type[httpx.TransportError]
) -> None:
    api.add("GET", GET_PATH, _exc(exc_cls), _exc(exc_cls), respond(200, ORDER))
    async with make_client(api, clock) as client:
        order = await client.get_order(OID)
    assert order.id == OID
    assert len(api.requests) == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("exc_cls", NOT_SENT + MAYBE_SENT)
@pytest.mark.asyncio
async def test_get_gives_up_after_max_retries(
    api: MockAPI, clock: FakeClock, exc_cls: type[httpx.TransportError]
) -> None:
    api.add("GET", GET_PATH, _exc(exc_cls))
    async with make_client(api, clock, max_retries=2) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.get_order(OID)
    assert len(api.requests) == 3  # 1 + 2 retries
    assert info.value.may_have_sent is (exc_cls in MAYBE_SENT)
    is_timeout = issubclass(exc_cls, httpx.TimeoutException)
    assert isinstance(info.value, APITimeoutError) is is_timeout
    assert isinstance(info.value.__cause__, exc_cls)


@pytest.mark.asyncio
async def test_backoff_is_exponential_with_jitter_and_capped(
    api: MockAPI, clock: FakeClock
) -> None:
    api.add("GET", GET_PATH, respond(503))
    async with make_client(api, clock, max_retries=6, backoff_base=0.5, backoff_max=4.0) as c:
        with pytest.raises(ServerError):
            await c.get_order(OID)
    assert len(api.requests) == 7
    ceilings = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert len(clock.sleeps) == 6
    for slept, ceiling in zip(clock.sleeps, ceilings, strict=True):
        assert ceiling / 2 <= slept <= ceiling


@pytest.mark.parametrize("status", [502, 503, 504])
@pytest.mark.asyncio
async def test_get_retries_gateway_statuses(api: MockAPI, clock: FakeClock, status: int) -> None:
    api.add("GET", GET_PATH, respond(status), respond(200, ORDER))
    async with make_client(api, clock) as client:
        assert (await client.get_order(OID)).id == OID
    assert len(api.requests) == 2


@pytest.mark.parametrize("status", [500, 400, 401, 403, 404, 409, 422])
@pytest.mark.asyncio
async def test_get_does_not_retry_other_statuses(
    api: MockAPI, clock: FakeClock, status: int
) -> None:
    api.add("GET", GET_PATH, respond(status, {"error": "nope"}))
    async with make_client(api, clock) as client:
        with pytest.raises(APIStatusError) as info:
            await client.get_order(OID)
    assert info.value.status_code == status
    assert len(api.requests) == 1


@pytest.mark.asyncio
async def test_max_retries_zero(api: MockAPI, clock: FakeClock) -> None:
    api.add("GET", GET_PATH, respond(503))
    async with make_client(api, clock, max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.get_order(OID)
    assert len(api.requests) == 1


@pytest.mark.asyncio
async def test_shipping_searches_and_check_payment_are_retried(
    api: MockAPI, clock: FakeClock
) -> None:
    api.add(
        "POST",
        "/v3/shipping-costs/search-warehouse",
        _exc(httpx.ReadTimeout),
        respond(200, {"data": [], "is_paginated": False}),
    )
    api.add(
        "POST",
        "/v3/shipping-costs/search-courier-service",
        respond(503),
        respond(200, {"data": [], "is_paginated": False}),
    )
    api.add("POST", f"{GET_PATH}/check-payment", respond(429, text="slow"), respond(200, ORDER))
    async with make_client(api, clock) as client:
        assert await client.search_warehouses(store_id=1, destination_id=2, variants=[(3, 1)]) == []
        assert (
            await client.search_courier_services(
                store_id=1, location_id=2, warehouse_id=3, payment_method="qris", weight=100
            )
            == []
        )
        assert (await client.check_payment(OID)).id == OID
    assert len(api.requests) == 6


# --- 429 ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_429_retry_after_seconds(api: MockAPI, clock: FakeClock) -> None:
    api.add(
        "GET",
        GET_PATH,
        respond(429, {"error": "Too many requests"}, headers={"Retry-After": "7"}),
        respond(200, ORDER),
    )
    async with make_client(api, clock) as client:
        await client.get_order(OID)
    assert api.sent_at[1] - api.sent_at[0] == pytest.approx(7.0)


@pytest.mark.asyncio
async def test_429_retry_after_http_date(api: MockAPI, clock: FakeClock) -> None:
    when = datetime.fromtimestamp(clock.wall() + 12, tz=UTC)
    api.add(
        "GET",
        GET_PATH,
        respond(429, headers={"Retry-After": format_datetime(when, usegmt=True)}),
        respond(200, ORDER),
    )
    async with make_client(api, clock) as client:
        await client.get_order(OID)
    assert api.sent_at[1] - api.sent_at[0] == pytest.approx(12.0, abs=1.0)


@pytest.mark.asyncio
async def test_429_text_plain_body_uses_ratelimit_reset(api: MockAPI, clock: FakeClock) -> None:
    reset = str(int(clock.wall()) + 4)
    api.add(
        "GET",
        GET_PATH,
        respond(
            429,
            text="Too many requests",
            headers={"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": reset},
        ),
        respond(200, ORDER),
    )
    async with make_client(api, clock) as client:
        await client.get_order(OID)
    assert 3.0 <= api.sent_at[1] - api.sent_at[0] <= 4.0


@pytest.mark.asyncio
async def test_429_text_plain_without_headers_uses_default_backoff(
    api: MockAPI, clock: FakeClock
) -> None:
    api.add(
        "GET",
        GET_PATH,
        respond(429, text="Too many requests"),
        respond(429, text="Too many requests"),
        respond(200, ORDER),
    )
    async with make_client(api, clock, backoff_base=1.0) as client:
        await client.get_order(OID)
    assert len(api.requests) == 3
    gaps = [b - a for a, b in zip(api.sent_at, api.sent_at[1:], strict=False)]
    assert 0.5 <= gaps[0] <= 1.0
    assert 1.0 <= gaps[1] <= 2.0


@pytest.mark.asyncio
async def test_429_exhausted_raises_rate_limited(api: MockAPI, clock: FakeClock) -> None:
    api.add("GET", GET_PATH, respond(429, text="Too many requests", headers={"Retry-After": "2"}))
    async with make_client(api, clock, max_retries=2) as client:
        with pytest.raises(RateLimitedError) as info:
            await client.get_order(OID)
    assert len(api.requests) == 3
    assert info.value.retry_after == 2.0
    assert info.value.error == "Too many requests"
    assert info.value.status_code == 429


@pytest.mark.asyncio
async def test_429_with_huge_retry_after_is_not_waited(api: MockAPI, clock: FakeClock) -> None:
    api.add("GET", GET_PATH, respond(429, headers={"Retry-After": "3600"}))
    async with make_client(api, clock, max_retry_wait=30) as client:
        with pytest.raises(RateLimitedError) as info:
            await client.get_order(OID)
    assert len(api.requests) == 1
    assert info.value.retry_after == 3600
    assert sum(clock.sleeps) == 0


@pytest.mark.asyncio
async def test_429_pauses_other_requests_too(api: MockAPI, clock: FakeClock) -> None:
    api.add("GET", GET_PATH, respond(429, headers={"Retry-After": "5"}), respond(200, ORDER))
    api.json("GET", "/v3/bundles/1", {"id": 1})
    async with make_client(api, clock, max_retries=0) as client:
        with pytest.raises(RateLimitedError):
            await client.get_order(OID)
        await client.get_bundle(1)
    assert api.sent_at[1] - api.sent_at[0] == pytest.approx(5.0)


@pytest.mark.asyncio
async def test_ratelimit_remaining_zero_waits_for_reset(api: MockAPI, clock: FakeClock) -> None:
    reset = str(int(clock.wall()) + 6)
    api.add(
        "GET",
        GET_PATH,
        respond(
            200,
            ORDER,
            headers={
                "X-Ratelimit-Limit": "100",
                "X-Ratelimit-Remaining": "0",
                "X-Ratelimit-Reset": reset,
            },
        ),
        respond(200, ORDER, headers={"X-Ratelimit-Remaining": "99"}),
    )
    async with make_client(api, clock) as client:
        await client.get_order(OID)
        assert client.rate_limit_remaining == 0
        await client.get_order(OID)
        assert client.rate_limit_remaining == 99
    assert 5.0 <= api.sent_at[1] - api.sent_at[0] <= 6.0


# --- POST /v3/orders: never retried ---------------------------------------------------


@pytest.mark.parametrize("exc_cls", NOT_SENT)
@pytest.mark.asyncio
async def test_create_not_sent_is_connection_error(
    api: MockAPI, clock: FakeClock, exc_cls: type[httpx.TransportError]
) -> None:
    api.add("POST", "/v3/orders", _exc(exc_cls))
    async with make_client(api, clock) as client:
        with pytest.raises(APIConnectionError) as info:
            await client.create_order(load_fixture("order_create_digital"))
    assert info.value.may_have_sent is False
    assert not isinstance(info.value, OrderOutcomeUnknown)
    assert len(api.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("exc_cls", MAYBE_SENT)
@pytest.mark.asyncio
async def test_create_maybe_sent_is_outcome_unknown(
    api: MockAPI, clock: FakeClock, exc_cls: type[httpx.TransportError]
) -> None:
    api.add("POST", "/v3/orders", _exc(exc_cls))
    async with make_client(api, clock) as client:
        with pytest.raises(OrderOutcomeUnknown) as info:
            await client.create_order(load_fixture("order_create_digital"))
    assert len(api.requests) == 1
    assert isinstance(info.value.cause, APIConnectionError)
    assert info.value.cause.may_have_sent is True
    assert isinstance(info.value.__cause__, exc_cls)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.asyncio
async def test_create_5xx_is_outcome_unknown(api: MockAPI, clock: FakeClock, status: int) -> None:
    api.add("POST", "/v3/orders", respond(status, {"error": "Internal error"}))
    async with make_client(api, clock) as client:
        with pytest.raises(OrderOutcomeUnknown) as info:
            await client.create_order(load_fixture("order_create_digital"))
    assert len(api.requests) == 1
    assert isinstance(info.value.cause, ServerError)
    assert info.value.cause.status_code == status


@pytest.mark.asyncio
async def test_create_429_is_rate_limited_not_retried(api: MockAPI, clock: FakeClock) -> None:
    api.add(
        "POST", "/v3/orders", respond(429, text="Too many requests", headers={"Retry-After": "3"})
    )
    async with make_client(api, clock) as client:
        with pytest.raises(RateLimitedError) as info:
            await client.create_order(load_fixture("order_create_digital"))
    assert len(api.requests) == 1
    assert info.value.retry_after == 3.0


@pytest.mark.parametrize("status", [400, 422])
@pytest.mark.asyncio
async def test_create_validation_errors_carry_fields(
    api: MockAPI, clock: FakeClock, status: int
) -> None:
    body = {
        "error": "Validation failed",
        "error_code": "validation_failed",
        "message": "customer_name is required",
        "errors": [{"severity": "error", "code": "required", "field": "customer_name"}],
    }
    api.add("POST", "/v3/orders", respond(status, body))
    async with make_client(api, clock) as client:
        with pytest.raises(ValidationFailed) as info:
            await client.create_order(load_fixture("order_create_digital"))
    err = info.value
    assert isinstance(err, BadRequestError)
    assert (err.status_code, err.error, err.error_code, err.message) == (
        status,
        "Validation failed",
        "validation_failed",
        "customer_name is required",
    )
    assert err.errors == body["errors"]
    assert err.method == "POST" and err.path == "/v3/orders"
    assert len(api.requests) == 1


# --- error bodies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kwargs", "cls", "fields"),
    [
        (
            400,
            {"json": load_fixture("error_validation")},
            ValidationFailed,
            {
                "error": "Warehouse tidak ditemukan untuk store ini",
                "error_code": "validation_failed",
                "message": "warehouse_unique_id is invalid",
            },
        ),
        (400, {"json": {"error": "Bad cursor"}}, BadRequestError, {"error": "Bad cursor"}),
        (401, {"json": {"error": "Invalid API key"}}, AuthenticationError, {}),
        (403, {"json": {"error": "Forbidden"}}, PermissionDeniedError, {"error": "Forbidden"}),
        (404, {"content": b""}, NotFoundError, {"error": None, "message": None}),
        (409, {"text": "conflict!"}, ConflictError, {"error": "conflict!"}),
        (500, {"text": "<html>" + "x" * 5000}, ServerError, {}),
        (418, {"json": ["odd"]}, APIStatusError, {"error": ["odd"]}),
        (400, {"json": {"error": {"nested": 1}, "errors": {"a": ["b"]}}}, BadRequestError, {}),
    ],
)
@pytest.mark.asyncio
async def test_error_body_parsing(
    api: MockAPI,
    clock: FakeClock,
    status: int,
    kwargs: dict[str, Any],
    cls: type[APIStatusError],
    fields: dict[str, Any],
) -> None:
    api.add("GET", "/v3/bundles/1", lambda _r: httpx.Response(status, **kwargs))
    async with make_client(api, clock) as client:
        with pytest.raises(APIStatusError) as info:
            await client.get_bundle(1)
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    for name, value in fields.items():
        assert getattr(err, name) == value
    assert str(err).startswith(f"HTTP {status}: GET /v3/bundles/1")
    assert len(str(err)) < 500


def test_status_error_str_includes_server_message() -> None:
    err = ValidationFailed(422, method="POST", path="/v3/orders", error="Bad", message="why")
    assert str(err) == "HTTP 422: POST /v3/orders: Bad: why"
